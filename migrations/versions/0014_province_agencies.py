"""province: agencies as data; units, plans, reports and procedures belong to an agency

One deployment serves the whole province: the province's own office, every sở/ban/ngành and
every UBND xã/phường is an agency (`agencies`) with its own units, users (through their unit),
plans, reports, catalog share and settings. This migration turns a one-department database
into ONE agency holding everything it had (named from the deployment's configuration:
AGENCY_TITLE, AGENCY_NAME, PARENT_AGENCY_NAME, PROVINCE_NAME, DOC_SYMBOL), so nothing is lost
and nothing changes inside it.

- `units.agency_id` (NOT NULL); unit name and code become unique per agency.
- `plans.agency_id`, `reports.agency_id` (NOT NULL): a plan or report is its agency's even if
  units move; `issued_agency_name` keeps the name a document was issued under (filled here for
  the documents already issued), so a merger or a rename never rewrites an old document.
- `procedures.agency_id`: one province catalog (a TTHC code is published once), each procedure
  owned by the agency that answers for it (every existing one: the one agency); NULL is an
  entry no agency owns yet, kept by the province office.
- `tasks.agency_id`: the plan's agency, copied by triggers like the work columns of 0008_work
  (insert or move of a task, change of a plan's agency), so an overseer's lists stay one index
  range of their agency's tasks. Never written by the app.
- `tasks.source_task_id`: the provincial task an agency's task carries out (cascading plans).
- `unit_moves`: the record of a unit moved to another agency (a merger).

SQLite's batch mode rebuilds `units`, `plans`, `reports` and `procedures`; the triggers of
0009_unit_tasks and 0010_fix_data (which replaced 0008_work's submission triggers and put one
on `plans`) are dropped before and re-created after, as those migrations ask.

Revision ID: 0014_province_agencies
Revises: 0010_fix_small_search_folded
Create Date: 2026-12-02 15:40:00

"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0014_province_agencies'
down_revision = '0010_fix_small_search_folded'
branch_labels = None
depends_on = None

ISSUED = sa.text("work_state IS NOT NULL")
OPEN = sa.text("work_state <> 'accepted'")


def _sibling(filename: str):
    spec = importlib.util.spec_from_file_location(filename[:-3], Path(__file__).with_name(filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_tasks_agency_insert AFTER INSERT ON tasks BEGIN
         UPDATE tasks SET agency_id = (SELECT plans.agency_id FROM plans WHERE plans.id = NEW.plan_id)
          WHERE id = NEW.id;
       END""",
    """CREATE TRIGGER trg_tasks_agency_plan AFTER UPDATE OF plan_id ON tasks BEGIN
         UPDATE tasks SET agency_id = (SELECT plans.agency_id FROM plans WHERE plans.id = NEW.plan_id)
          WHERE id = NEW.id;
       END""",
    """CREATE TRIGGER trg_plans_agency AFTER UPDATE OF agency_id ON plans
       WHEN OLD.agency_id <> NEW.agency_id BEGIN
         UPDATE tasks SET agency_id = NEW.agency_id WHERE plan_id = NEW.id;
       END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION tasks_follow_plan_agency() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.agency_id := (SELECT plans.agency_id FROM plans WHERE plans.id = NEW.plan_id);
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER trg_tasks_agency BEFORE INSERT OR UPDATE OF plan_id, agency_id ON tasks
       FOR EACH ROW EXECUTE FUNCTION tasks_follow_plan_agency()""",
    """CREATE FUNCTION plans_agency_to_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE tasks SET agency_id = NEW.agency_id WHERE plan_id = NEW.id;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_plans_agency AFTER UPDATE OF agency_id ON plans FOR EACH ROW
       WHEN (OLD.agency_id IS DISTINCT FROM NEW.agency_id) EXECUTE FUNCTION plans_agency_to_tasks()""",
]


def create_triggers():
    for ddl in POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(ddl)


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_tasks_agency ON tasks")
        op.execute("DROP TRIGGER IF EXISTS trg_plans_agency ON plans")
        op.execute("DROP FUNCTION IF EXISTS tasks_follow_plan_agency()")
        op.execute("DROP FUNCTION IF EXISTS plans_agency_to_tasks()")
    else:
        for name in ("tasks_agency_insert", "tasks_agency_plan", "plans_agency"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{name}")


def _older_triggers():
    """Created in this order (0010_fix_data's replace the submission triggers of 0008_work)."""
    return [_sibling("0009_unit_tasks.py"), _sibling("0010_fix_data.py")]


def _config() -> dict:
    try:
        from flask import current_app
        return dict(current_app.config)
    except Exception:  # pragma: no cover - alembic run without the app
        return {}


def _first_agency_row() -> dict:
    cfg = _config()
    province = cfg.get("PROVINCE_NAME") or "Lạng Sơn"
    short = cfg.get("REPORT_AGENCY_TEXT") or cfg.get("AGENCY_TITLE") or "Sở Lao động – Thương binh và Xã hội"
    return {
        "id": 1, "name": f"{short} tỉnh {province}", "short_name": short,
        "abbreviation": cfg.get("DOC_SYMBOL") or "SLĐTBXH", "kind": "department", "parent_id": None,
        "place_name": province, "active": True, "valid_from": None, "valid_to": None, "sort_order": 10,
        "settings": {"header_name": cfg.get("AGENCY_NAME") or short.upper(),
                     "parent_header": cfg.get("PARENT_AGENCY_NAME") or f"UBND TỈNH {province.upper()}"},
    }


def upgrade():
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    agencies = op.create_table(
        'agencies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('short_name', sa.String(length=255), nullable=False),
        sa.Column('abbreviation', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('place_name', sa.String(length=120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.Column('settings', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()),
        sa.ForeignKeyConstraint(['parent_id'], ['agencies.id'], name=op.f('fk_agencies_parent_id_agencies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
        sa.UniqueConstraint('name', name=op.f('uq_agencies_name')),
    )
    op.create_index('ix_agencies_kind', 'agencies', ['kind'])
    op.create_index('ix_agencies_parent_id', 'agencies', ['parent_id'])
    op.bulk_insert(agencies, [_first_agency_row()])
    if pg:
        op.execute("SELECT setval(pg_get_serial_sequence('agencies', 'id'), 2, false)")

    op.create_table(
        'unit_moves',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('from_agency_id', sa.Integer(), nullable=False),
        sa.Column('to_agency_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('moved_by_id', sa.Integer(), nullable=True),
        sa.Column('moved_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_moves_unit_id_units')),
        sa.ForeignKeyConstraint(['from_agency_id'], ['agencies.id'], name=op.f('fk_unit_moves_from_agency_id_agencies')),
        sa.ForeignKeyConstraint(['to_agency_id'], ['agencies.id'], name=op.f('fk_unit_moves_to_agency_id_agencies')),
        sa.ForeignKeyConstraint(['moved_by_id'], ['users.id'], name=op.f('fk_unit_moves_moved_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_moves')),
    )
    for col in ('unit_id', 'from_agency_id', 'to_agency_id'):
        op.create_index(f'ix_unit_moves_{col}', 'unit_moves', [col])

    older = _older_triggers()
    if not pg:
        for module in reversed(older):
            module.drop_triggers()

    # Every existing row belongs to the one agency; NOT NULL once filled.
    for table in ('units', 'plans', 'reports', 'procedures'):
        op.add_column(table, sa.Column('agency_id', sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET agency_id = 1")
    for table in ('plans', 'reports'):
        op.add_column(table, sa.Column('issued_agency_name', sa.String(length=255), nullable=True))
        op.execute(f"UPDATE {table} SET issued_agency_name = (SELECT name FROM agencies WHERE id = 1) "
                   f"WHERE state = 'issued'")

    with op.batch_alter_table('units') as batch:
        batch.alter_column('agency_id', existing_type=sa.Integer(), nullable=False)
        batch.drop_constraint('uq_units_name', type_='unique')
        batch.drop_constraint('uq_units_code', type_='unique')
        batch.create_unique_constraint('uq_units_agency_name', ['agency_id', 'name'])
        batch.create_unique_constraint('uq_units_agency_code', ['agency_id', 'code'])
        batch.create_foreign_key('fk_units_agency_id_agencies', 'agencies', ['agency_id'], ['id'])
        batch.create_index('ix_units_agency_id', ['agency_id'])
    for table in ('plans', 'reports', 'procedures'):
        with op.batch_alter_table(table) as batch:
            if table != 'procedures':
                batch.alter_column('agency_id', existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f'fk_{table}_agency_id_agencies', 'agencies', ['agency_id'], ['id'])
    op.create_index('ix_plans_agency_year', 'plans', ['agency_id', 'year', 'state'])
    op.create_index('ix_reports_agency_period', 'reports', ['agency_id', 'period_key', 'state'])
    op.create_index('ix_procedures_agency_id', 'procedures', ['agency_id'])

    # tasks: plain ADD COLUMN (no rebuild of the trigger-carrying table).
    op.add_column('tasks', sa.Column('agency_id', sa.Integer(), nullable=True))
    if pg:
        op.add_column('tasks', sa.Column('source_task_id', sa.Integer(),
                                         sa.ForeignKey('tasks.id', name='fk_tasks_source_task_id_tasks',
                                                       ondelete='SET NULL'), nullable=True))
    else:
        # A plain column on SQLite: a REFERENCES clause would forbid the in-place DROP COLUMN of
        # the downgrade (and a rebuild of `tasks` loses its partial indexes and triggers);
        # the portal runs SQLite without foreign-key enforcement anyway.
        op.add_column('tasks', sa.Column('source_task_id', sa.Integer(), nullable=True))
    op.execute("UPDATE tasks SET agency_id = (SELECT plans.agency_id FROM plans WHERE plans.id = tasks.plan_id)")
    op.create_index('ix_tasks_source_task_id', 'tasks', ['source_task_id'])
    op.create_index('ix_tasks_agency_year_due', 'tasks', ['agency_id', 'plan_year', 'due_on', 'id'],
                    postgresql_where=ISSUED, sqlite_where=ISSUED)
    op.create_index('ix_tasks_agency_open', 'tasks', ['agency_id', 'work_state', 'due_on'],
                    postgresql_where=OPEN, sqlite_where=OPEN)

    if not pg:
        for module in older:
            module.create_triggers()
    create_triggers()


def downgrade():
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    if bind.execute(sa.text("SELECT count(*) FROM agencies")).scalar_one() > 1:
        # A one-department schema cannot hold two agencies' units (names would clash).
        raise RuntimeError("Cơ sở dữ liệu có nhiều cơ quan: không thể hạ về lược đồ một cơ quan.")
    drop_triggers()
    older = _older_triggers()
    if not pg:
        for module in reversed(older):
            module.drop_triggers()
    op.drop_index('ix_tasks_agency_open', table_name='tasks')
    op.drop_index('ix_tasks_agency_year_due', table_name='tasks')
    op.drop_index('ix_tasks_source_task_id', table_name='tasks')
    if pg:
        op.drop_column('tasks', 'source_task_id')
        op.drop_column('tasks', 'agency_id')
    else:  # SQLite >= 3.35 drops a plain, unindexed column in place (no rebuild of `tasks`)
        op.execute("ALTER TABLE tasks DROP COLUMN source_task_id")
        op.execute("ALTER TABLE tasks DROP COLUMN agency_id")
    op.drop_index('ix_procedures_agency_id', table_name='procedures')
    op.drop_index('ix_reports_agency_period', table_name='reports')
    op.drop_index('ix_plans_agency_year', table_name='plans')
    for table in ('plans', 'reports', 'procedures'):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f'fk_{table}_agency_id_agencies', type_='foreignkey')
            batch.drop_column('agency_id')
            if table != 'procedures':
                batch.drop_column('issued_agency_name')
    with op.batch_alter_table('units') as batch:
        batch.drop_index('ix_units_agency_id')
        batch.drop_constraint('fk_units_agency_id_agencies', type_='foreignkey')
        batch.drop_constraint('uq_units_agency_code', type_='unique')
        batch.drop_constraint('uq_units_agency_name', type_='unique')
        batch.create_unique_constraint('uq_units_name', ['name'])
        batch.create_unique_constraint('uq_units_code', ['code'])
        batch.drop_column('agency_id')
    if not pg:
        for module in older:
            module.create_triggers()
    for col in ('unit_id', 'from_agency_id', 'to_agency_id'):
        op.drop_index(f'ix_unit_moves_{col}', table_name='unit_moves')
    op.drop_table('unit_moves')
    op.drop_index('ix_agencies_parent_id', table_name='agencies')
    op.drop_index('ix_agencies_kind', table_name='agencies')
    op.drop_table('agencies')
