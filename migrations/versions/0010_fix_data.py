"""fix-data: only an issued plan's tasks carry work (issue 17.1)

The work columns of `tasks` (migration 0008_work) and the rows of `unit_tasks` (0009) copied a
task's submission whatever its plan's state. The plan import and the recurring instances gave
every task of a draft plan a draft submission, so an overdue task of a plan nobody had
approved counted as "Quá hạn" in every role's counters, lists and dashboards, and a unit that
clicked it got "Không tìm thấy" (its plan is not issued, so the task is not visible).

- The submission triggers now copy a submission only onto a task of an issued plan.
- A new trigger on `plans` (state or year changed) writes the work columns of the plan's tasks
  from their submissions when it becomes issued, and clears them when it is not issued (a manual
  fix in SQL), so no write order (plan first or submissions first) and no write path decides it.
- Existing rows: the work columns of tasks of plans not issued are cleared (unit_tasks follows
  through 0009's triggers, and is cleared directly too). The early draft submissions are kept:
  they are empty, nobody can edit them before the plan is issued, and issuing reuses them.

Note for later migrations: a SQLite batch operation on `plans` must `drop_triggers()` before
and `create_triggers()` after, as on `tasks` and `submissions` (0008_work, 0009_unit_tasks).

Revision ID: 0010_fix_data
Revises: 0009_unit_tasks
Create Date: 2026-12-02 15:40:00

"""
import importlib.util
from pathlib import Path

from alembic import op


revision = '0010_fix_data'
down_revision = '0009_unit_tasks'
branch_labels = None
depends_on = None

ISSUED_PLAN = "plan_id IN (SELECT plans.id FROM plans WHERE plans.state = 'issued')"

# The plan's tasks take their submissions' work when it is issued and lose it otherwise.
PLAN_UPDATE = """UPDATE tasks SET
    work_state = CASE WHEN NEW.state = 'issued'
                      THEN (SELECT s.state FROM submissions s WHERE s.task_id = tasks.id) END,
    accepted_on = CASE WHEN NEW.state = 'issued'
                       THEN (SELECT {day} FROM submissions s WHERE s.task_id = tasks.id) END,
    plan_year = CASE WHEN NEW.state = 'issued'
                          AND EXISTS (SELECT 1 FROM submissions s WHERE s.task_id = tasks.id)
                     THEN NEW.year END
  WHERE plan_id = NEW.id"""

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER trg_submissions_work_insert AFTER INSERT ON submissions BEGIN
         UPDATE tasks SET work_state = NEW.state, accepted_on = date(NEW.accepted_at),
                plan_year = (SELECT plans.year FROM plans WHERE plans.id = tasks.plan_id)
          WHERE id = NEW.task_id AND {ISSUED_PLAN};
       END""",
    f"""CREATE TRIGGER trg_submissions_work_update AFTER UPDATE OF state, accepted_at, task_id
       ON submissions BEGIN
         UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
          WHERE id = OLD.task_id AND OLD.task_id <> NEW.task_id;
         UPDATE tasks SET work_state = NEW.state, accepted_on = date(NEW.accepted_at),
                plan_year = (SELECT plans.year FROM plans WHERE plans.id = tasks.plan_id)
          WHERE id = NEW.task_id AND {ISSUED_PLAN};
       END""",
    """CREATE TRIGGER trg_submissions_work_delete AFTER DELETE ON submissions BEGIN
         UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
          WHERE id = OLD.task_id;
       END""",
    f"""CREATE TRIGGER trg_plans_work AFTER UPDATE OF state, year ON plans
       WHEN OLD.state IS NOT NEW.state OR OLD.year IS NOT NEW.year BEGIN
         {PLAN_UPDATE.format(day="date(s.accepted_at)")};
       END""",
]

POSTGRES_TRIGGERS = [
    "DROP TRIGGER IF EXISTS trg_submissions_work ON submissions",
    f"""CREATE OR REPLACE FUNCTION tasks_follow_submission() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') AND (TG_OP = 'DELETE' OR OLD.task_id <> NEW.task_id) THEN
           UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
            WHERE id = OLD.task_id;
         END IF;
         IF TG_OP IN ('INSERT', 'UPDATE') THEN
           UPDATE tasks SET work_state = NEW.state, accepted_on = NEW.accepted_at::date,
                  plan_year = (SELECT plans.year FROM plans WHERE plans.id = tasks.plan_id)
            WHERE id = NEW.task_id AND {ISSUED_PLAN};
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_submissions_work AFTER INSERT OR DELETE OR UPDATE OF state, accepted_at,
       task_id ON submissions FOR EACH ROW EXECUTE FUNCTION tasks_follow_submission()""",
    f"""CREATE FUNCTION tasks_follow_plan() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         {PLAN_UPDATE.format(day="s.accepted_at::date")};
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER trg_plans_work AFTER UPDATE OF state, year ON plans FOR EACH ROW
       WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.year IS DISTINCT FROM NEW.year)
       EXECUTE FUNCTION tasks_follow_plan()""",
]

# Old databases: tasks of plans not issued lose the work their early submissions gave them.
REPAIR = [
    """UPDATE tasks SET work_state = NULL, accepted_on = NULL, plan_year = NULL
        WHERE (work_state IS NOT NULL OR plan_year IS NOT NULL OR accepted_on IS NOT NULL)
          AND plan_id IN (SELECT plans.id FROM plans WHERE plans.state <> 'issued')""",
    """UPDATE unit_tasks SET work_state = NULL, plan_year = NULL
        WHERE (work_state IS NOT NULL OR plan_year IS NOT NULL)
          AND plan_id IN (SELECT plans.id FROM plans WHERE plans.state <> 'issued')""",
]


def _work_migration():
    """Migration 0008_work, for its original triggers (downgrade)."""
    path = Path(__file__).with_name("0008_task_work_columns.py")
    spec = importlib.util.spec_from_file_location("migration_0008_work", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def create_triggers():
    """The submission triggers (replacing 0008_work's) and the plan trigger."""
    pg = op.get_bind().dialect.name == "postgresql"
    if not pg:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_submissions_work_{name}")
    for ddl in POSTGRES_TRIGGERS if pg else SQLITE_TRIGGERS:
        op.execute(ddl)


def drop_triggers():
    """The plan trigger and the submission triggers (0008_work's drop_triggers)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_plans_work ON plans")
        op.execute("DROP FUNCTION IF EXISTS tasks_follow_plan()")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_plans_work")
    _work_migration().drop_triggers()


def repair():
    for statement in REPAIR:
        op.execute(statement)


def upgrade():
    create_triggers()
    repair()


def downgrade():
    drop_triggers()
    _work_migration().create_triggers()
