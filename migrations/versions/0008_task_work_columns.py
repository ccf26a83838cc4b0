"""scale: each task carries its work state, plan year and acceptance day

At province size (200 000 tasks over ten years) every list, count and progress table joined
tasks -> plans (issued?) -> submissions (state?) and then filtered by the task's due date and
unit: no single index can serve a filter spread over three tables, so each count walked tens
of thousands of rows. Three columns on `tasks`, kept by the database itself, put the whole
filter on one row:

- `work_state`: the state of the task's submission, NULL while the plan is not issued (a
  submission exists exactly for the tasks of issued plans);
- `plan_year`: the year of the issued plan;
- `accepted_on`: the day the office accepted the result (on time or late).

Triggers on `submissions` write them (insert, change of state or acceptance time, delete), so
no write path (ORM, bulk insert, restore, a manual fix in SQL) can let them drift. Partial
indexes over issued / open tasks then answer the lists and counts from an index range.

Note for later migrations: SQLite's batch mode rebuilds a table (copy, drop, rename), which
trips over triggers naming it; a batch operation on `tasks` or `submissions` must
`drop_triggers()` before and `create_triggers()` after.

Revision ID: 0008_work
Revises: 0007_merge
Create Date: 2026-11-23 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_work'
down_revision = '0007_merge'
branch_labels = None
depends_on = None

ISSUED = sa.text("work_state IS NOT NULL")
OPEN = sa.text("work_state <> 'accepted'")

SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_submissions_work_insert AFTER INSERT ON submissions BEGIN
         UPDATE tasks SET work_state = NEW.state, accepted_on = date(NEW.accepted_at),
                plan_year = (SELECT plans.year FROM plans WHERE plans.id = tasks.plan_id)
          WHERE id = NEW.task_id;
       END""",
    """CREATE TRIGGER trg_submissions_work_update AFTER UPDATE OF state, accepted_at, task_id
       ON submissions BEGIN
         UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
          WHERE id = OLD.task_id AND OLD.task_id <> NEW.task_id;
         UPDATE tasks SET work_state = NEW.state, accepted_on = date(NEW.accepted_at),
                plan_year = (SELECT plans.year FROM plans WHERE plans.id = tasks.plan_id)
          WHERE id = NEW.task_id;
       END""",
    """CREATE TRIGGER trg_submissions_work_delete AFTER DELETE ON submissions BEGIN
         UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
          WHERE id = OLD.task_id;
       END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION tasks_follow_submission() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.task_id <> NEW.task_id) THEN
           UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
            WHERE id = OLD.task_id;
         END IF;
         IF TG_OP IN ('INSERT', 'UPDATE') THEN
           UPDATE tasks SET work_state = NEW.state, accepted_on = NEW.accepted_at::date,
                  plan_year = (SELECT plans.year FROM plans WHERE plans.id = tasks.plan_id)
            WHERE id = NEW.task_id;
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_submissions_work AFTER INSERT OR DELETE OR UPDATE OF state, accepted_at,
       task_id ON submissions FOR EACH ROW EXECUTE FUNCTION tasks_follow_submission()""",
]

BACKFILL = """UPDATE tasks SET
    work_state = (SELECT s.state FROM submissions s WHERE s.task_id = tasks.id),
    accepted_on = (SELECT {day} FROM submissions s WHERE s.task_id = tasks.id),
    plan_year = (SELECT p.year FROM plans p JOIN submissions s ON s.task_id = tasks.id
                 WHERE p.id = tasks.plan_id)"""


def create_triggers():
    bind = op.get_bind()
    for ddl in POSTGRES_TRIGGERS if bind.dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(ddl)


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_submissions_work ON submissions")
        op.execute("DROP FUNCTION IF EXISTS tasks_follow_submission()")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_submissions_work_{name}")


def upgrade():
    op.add_column('tasks', sa.Column('work_state', sa.String(length=20), nullable=True))
    op.add_column('tasks', sa.Column('plan_year', sa.Integer(), nullable=True))
    op.add_column('tasks', sa.Column('accepted_on', sa.Date(), nullable=True))
    pg = op.get_bind().dialect.name == "postgresql"
    op.execute(BACKFILL.format(day="s.accepted_at::date" if pg else "date(s.accepted_at)"))
    create_triggers()
    # Replaced by the per-unit indexes below (their leading columns match every unit filter).
    op.drop_index('ix_tasks_lead_due', table_name='tasks')
    # A plan's tasks with what its progress counts read (replaces the plain plan_id index).
    op.drop_index('ix_tasks_plan_id', table_name='tasks')
    op.create_index('ix_tasks_plan_work', 'tasks', ['plan_id', 'lead_unit_id', 'work_state', 'due_on'])
    # Issued tasks of a year, by due date (task lists of every role).
    op.create_index('ix_tasks_year_due', 'tasks', ['plan_year', 'due_on', 'id'],
                    postgresql_where=ISSUED, sqlite_where=ISSUED)
    # Progress tables: one covering index answers the per-unit counts of a year.
    op.create_index('ix_tasks_year_progress', 'tasks',
                    ['plan_year', 'lead_unit_id', 'work_state', 'due_on', 'accepted_on', 'plan_id',
                     'parent_id'],
                    postgresql_where=ISSUED, sqlite_where=ISSUED)
    op.create_index('ix_tasks_lead_year', 'tasks', ['lead_unit_id', 'plan_year', 'due_on', 'plan_id'],
                    postgresql_where=ISSUED, sqlite_where=ISSUED)
    # A unit's cooperation rows with their task ids, read without visiting the table.
    op.drop_index('ix_task_cooperating_units_unit_id', table_name='task_cooperating_units')
    op.create_index('ix_task_cooperating_units_unit_task', 'task_cooperating_units',
                    ['unit_id', 'task_id'])
    # Open work only (a small share of all tasks): overdue, due soon, waiting in a state.
    op.create_index('ix_tasks_open_due', 'tasks', ['due_on', 'lead_unit_id'],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index('ix_tasks_open_state', 'tasks', ['work_state', 'due_on'],
                    postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index('ix_tasks_lead_open', 'tasks', ['lead_unit_id', 'work_state', 'due_on'],
                    postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    for name in ('ix_tasks_lead_open', 'ix_tasks_open_state', 'ix_tasks_open_due',
                 'ix_tasks_lead_year', 'ix_tasks_year_progress', 'ix_tasks_year_due'):
        op.drop_index(name, table_name='tasks')
    op.create_index('ix_tasks_lead_due', 'tasks', ['lead_unit_id', 'due_on'])
    op.drop_index('ix_tasks_plan_work', table_name='tasks')
    op.create_index('ix_tasks_plan_id', 'tasks', ['plan_id'])
    op.drop_index('ix_task_cooperating_units_unit_task', table_name='task_cooperating_units')
    op.create_index('ix_task_cooperating_units_unit_id', 'task_cooperating_units', ['unit_id'])
    drop_triggers()
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('accepted_on')
        batch_op.drop_column('plan_year')
        batch_op.drop_column('work_state')
