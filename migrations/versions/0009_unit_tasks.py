"""scale: unit_tasks, each unit's tasks (led or cooperating) with their work columns

A unit sees the tasks it leads and those it cooperates on. Answering that from `tasks` and
`task_cooperating_units` meant, for the cooperating half, visiting every cooperation row the
unit ever had (thousands over ten years) and then each task, for every list and count. This
table holds one row per (unit, task) pair with the task's plan, work state, plan year and due
date, so a unit's open, overdue or this-year tasks are one index range.

It is derived data, written only by database triggers (tasks insert/update/delete,
cooperation insert/delete; the tasks' work columns come from migration 0008_work's triggers,
which fire these in turn). `flask backup` leaves it out and a restore rebuilds it through the
same triggers (app.ops.dbutil.DERIVED_TABLES).

Note for later migrations: a SQLite batch operation on `tasks` or `task_cooperating_units`
must `drop_triggers()` before and `create_triggers()` after (see 0008_work).

Revision ID: 0009_unit_tasks
Revises: 0008_work
Create Date: 2026-11-23 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_unit_tasks'
down_revision = '0008_work'
branch_labels = None
depends_on = None

ISSUED = sa.text("work_state IS NOT NULL")
OPEN = sa.text("work_state <> 'accepted'")

# Copy of a task's columns for one unit; the unit keeps its row while it leads OR cooperates.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_tasks_units_insert AFTER INSERT ON tasks BEGIN
         INSERT OR IGNORE INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
         VALUES (NEW.lead_unit_id, NEW.id, NEW.plan_id, NEW.work_state, NEW.plan_year, NEW.due_on);
       END""",
    """CREATE TRIGGER trg_tasks_units_lead AFTER UPDATE OF lead_unit_id ON tasks
       WHEN OLD.lead_unit_id <> NEW.lead_unit_id BEGIN
         DELETE FROM unit_tasks WHERE task_id = OLD.id AND unit_id = OLD.lead_unit_id
           AND NOT EXISTS (SELECT 1 FROM task_cooperating_units c
                           WHERE c.task_id = OLD.id AND c.unit_id = OLD.lead_unit_id);
         INSERT OR IGNORE INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
         VALUES (NEW.lead_unit_id, NEW.id, NEW.plan_id, NEW.work_state, NEW.plan_year, NEW.due_on);
       END""",
    """CREATE TRIGGER trg_tasks_units_update AFTER UPDATE OF plan_id, work_state, plan_year, due_on
       ON tasks BEGIN
         UPDATE unit_tasks SET plan_id = NEW.plan_id, work_state = NEW.work_state,
                plan_year = NEW.plan_year, due_on = NEW.due_on
          WHERE task_id = NEW.id;
       END""",
    """CREATE TRIGGER trg_tasks_units_delete AFTER DELETE ON tasks BEGIN
         DELETE FROM unit_tasks WHERE task_id = OLD.id;
       END""",
    """CREATE TRIGGER trg_coop_units_insert AFTER INSERT ON task_cooperating_units BEGIN
         INSERT OR IGNORE INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
         SELECT NEW.unit_id, t.id, t.plan_id, t.work_state, t.plan_year, t.due_on
           FROM tasks t WHERE t.id = NEW.task_id;
       END""",
    """CREATE TRIGGER trg_coop_units_delete AFTER DELETE ON task_cooperating_units BEGIN
         DELETE FROM unit_tasks WHERE task_id = OLD.task_id AND unit_id = OLD.unit_id
           AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = OLD.task_id
                           AND t.lead_unit_id = OLD.unit_id);
       END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION unit_tasks_follow_task() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           DELETE FROM unit_tasks WHERE task_id = OLD.id;
           RETURN NULL;
         END IF;
         IF TG_OP = 'UPDATE' THEN
           UPDATE unit_tasks SET plan_id = NEW.plan_id, work_state = NEW.work_state,
                  plan_year = NEW.plan_year, due_on = NEW.due_on
            WHERE task_id = NEW.id;
           IF OLD.lead_unit_id = NEW.lead_unit_id THEN
             RETURN NULL;  -- a change of state or date: the lead unit's row is updated above
           END IF;
           DELETE FROM unit_tasks WHERE task_id = OLD.id AND unit_id = OLD.lead_unit_id
             AND NOT EXISTS (SELECT 1 FROM task_cooperating_units c
                             WHERE c.task_id = OLD.id AND c.unit_id = OLD.lead_unit_id);
         END IF;
         INSERT INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
         VALUES (NEW.lead_unit_id, NEW.id, NEW.plan_id, NEW.work_state, NEW.plan_year, NEW.due_on)
         ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_tasks_units AFTER INSERT OR DELETE OR UPDATE OF lead_unit_id, plan_id,
       work_state, plan_year, due_on ON tasks FOR EACH ROW EXECUTE FUNCTION unit_tasks_follow_task()""",
    """CREATE FUNCTION unit_tasks_follow_cooperation() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           DELETE FROM unit_tasks WHERE task_id = OLD.task_id AND unit_id = OLD.unit_id
             AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = OLD.task_id
                             AND t.lead_unit_id = OLD.unit_id);
           RETURN NULL;
         END IF;
         INSERT INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
         SELECT NEW.unit_id, t.id, t.plan_id, t.work_state, t.plan_year, t.due_on
           FROM tasks t WHERE t.id = NEW.task_id
         ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_coop_units AFTER INSERT OR DELETE ON task_cooperating_units
       FOR EACH ROW EXECUTE FUNCTION unit_tasks_follow_cooperation()""",
]

BACKFILL = """INSERT INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
    SELECT lead_unit_id, id, plan_id, work_state, plan_year, due_on FROM tasks
    UNION
    SELECT c.unit_id, t.id, t.plan_id, t.work_state, t.plan_year, t.due_on
      FROM task_cooperating_units c JOIN tasks t ON t.id = c.task_id"""


def create_triggers():
    for ddl in POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(ddl)


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_tasks_units ON tasks")
        op.execute("DROP TRIGGER IF EXISTS trg_coop_units ON task_cooperating_units")
        op.execute("DROP FUNCTION IF EXISTS unit_tasks_follow_task()")
        op.execute("DROP FUNCTION IF EXISTS unit_tasks_follow_cooperation()")
    else:
        for name in ("tasks_units_insert", "tasks_units_lead", "tasks_units_update",
                     "tasks_units_delete", "coop_units_insert", "coop_units_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{name}")


def upgrade():
    op.create_table(
        'unit_tasks',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('work_state', sa.String(length=20), nullable=True),
        sa.Column('plan_year', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('unit_id', 'task_id', name=op.f('pk_unit_tasks')),
    )
    op.create_index('ix_unit_tasks_task_id', 'unit_tasks', ['task_id'])
    op.create_index('ix_unit_tasks_plan', 'unit_tasks', ['unit_id', 'plan_id', 'work_state', 'due_on'])
    op.create_index('ix_unit_tasks_year', 'unit_tasks', ['unit_id', 'plan_year', 'due_on', 'plan_id'],
                    postgresql_where=ISSUED, sqlite_where=ISSUED)
    op.create_index('ix_unit_tasks_open', 'unit_tasks', ['unit_id', 'work_state', 'due_on'],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.execute(BACKFILL)
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_table('unit_tasks')
