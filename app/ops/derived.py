"""Bulk loads without row-by-row triggers: derived columns and tables rebuilt once.

The work columns of `tasks` (migrations 0008_work, 0010_fix_data), its agency (0014) and the
`unit_tasks` table (0009) are kept by database triggers, row by row. For a bulk load (restore,
gen-data) that means every submission inserted rewrites its task and its unit_tasks rows: on
PostgreSQL one dead tuple per submission (180 820 at department size). Here the triggers are
switched off for the load and the derived data computed in a few set-based statements after:

- `triggers_off(conn)`: PostgreSQL `ALTER TABLE … DISABLE TRIGGER USER` on the tables that have
  triggers (foreign keys stay enforced: they are system triggers); SQLite has no switch, so its
  triggers are dropped and re-created from their own stored SQL (`sqlite_master`).
- `rebuild_derived(conn)`: tasks' agency and work columns recomputed where they differ (a row
  already right is not rewritten), `unit_tasks` emptied and filled in one INSERT … SELECT, and
  SQLite's FTS5 search tables rebuilt.

Everything runs in the caller's transaction: a failure rolls the triggers back on too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from app.ops.dbutil import rebuild_search_tables

# Tables whose own triggers write derived data (and SQLite's FTS triggers on the searched ones).
TRIGGER_TABLES = ("plans", "tasks", "submissions", "task_cooperating_units", "procedures", "users")


@contextmanager
def triggers_off(conn: Connection) -> Iterator[None]:
    if conn.dialect.name == "postgresql":
        tables = [r[0] for r in conn.execute(text(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"))]
        for t in tables:
            conn.execute(text(f'ALTER TABLE "{t}" DISABLE TRIGGER USER'))
        yield
        for t in tables:
            conn.execute(text(f'ALTER TABLE "{t}" ENABLE TRIGGER USER'))
        return
    # pysqlite opens its transaction lazily (before the first INSERT/UPDATE/DELETE): open it
    # now so the DROPs below are part of it and a failure brings the triggers back.
    raw = conn.connection.driver_connection
    if not raw.in_transaction:
        conn.exec_driver_sql("BEGIN")
    saved = [(r[0], r[1]) for r in conn.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY rowid"))]
    for name, _ in saved:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _, sql in saved:
        conn.exec_driver_sql(sql)


def _day(conn: Connection, column: str) -> str:
    return f"{column}::date" if conn.dialect.name == "postgresql" else f"date({column})"


def rebuild_derived(conn: Connection, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Recompute what the triggers would have written; returns rows changed per step."""
    say = progress or (lambda _m: None)
    out: dict[str, int] = {}
    pg = conn.dialect.name == "postgresql"
    # 1. tasks.agency_id follows the plan's agency (0014).
    out["tasks.agency_id"] = conn.execute(text(
        "UPDATE tasks SET agency_id = (SELECT p.agency_id FROM plans p WHERE p.id = tasks.plan_id) "
        "WHERE agency_id IS NULL OR agency_id <> (SELECT p.agency_id FROM plans p WHERE p.id = tasks.plan_id)"
    )).rowcount
    say(f"  tasks.agency_id: {out['tasks.agency_id']} dòng")
    # 2. The work columns: the submission's state and acceptance day, the plan's year, for the
    #    tasks of issued plans; NULL otherwise (0008_work, 0010_fix_data).
    day = _day(conn, "s.accepted_at")
    if pg:
        sql = f"""
        UPDATE tasks t SET work_state = w.state, accepted_on = w.day, plan_year = w.year
          FROM (SELECT t2.id,
                       CASE WHEN p.state = 'issued' THEN s.state END AS state,
                       CASE WHEN p.state = 'issued' THEN {day} END AS day,
                       CASE WHEN p.state = 'issued' AND s.id IS NOT NULL THEN p.year END AS year
                  FROM tasks t2 JOIN plans p ON p.id = t2.plan_id
                  LEFT JOIN submissions s ON s.task_id = t2.id) w
         WHERE w.id = t.id
           AND (t.work_state IS DISTINCT FROM w.state OR t.accepted_on IS DISTINCT FROM w.day
                OR t.plan_year IS DISTINCT FROM w.year)"""
    else:
        state = "(SELECT s.state FROM submissions s WHERE s.task_id = tasks.id)"
        accepted = f"(SELECT {day} FROM submissions s WHERE s.task_id = tasks.id)"
        year = "(SELECT p.year FROM plans p WHERE p.id = tasks.plan_id)"
        issued = "(SELECT p.state FROM plans p WHERE p.id = tasks.plan_id) = 'issued'"
        has_sub = "EXISTS (SELECT 1 FROM submissions s WHERE s.task_id = tasks.id)"
        ws = f"CASE WHEN {issued} THEN {state} END"
        ao = f"CASE WHEN {issued} THEN {accepted} END"
        py = f"CASE WHEN {issued} AND {has_sub} THEN {year} END"
        sql = f"""UPDATE tasks SET work_state = {ws}, accepted_on = {ao}, plan_year = {py}
                  WHERE work_state IS NOT {ws} OR accepted_on IS NOT {ao} OR plan_year IS NOT {py}"""
    out["tasks.work"] = conn.execute(text(sql)).rowcount
    say(f"  cột công việc của nhiệm vụ: {out['tasks.work']} dòng")
    # 3. unit_tasks: each unit's led and cooperating tasks (0009_unit_tasks), from scratch.
    conn.execute(text("DELETE FROM unit_tasks"))
    out["unit_tasks"] = conn.execute(text(
        """INSERT INTO unit_tasks (unit_id, task_id, plan_id, work_state, plan_year, due_on)
           SELECT lead_unit_id, id, plan_id, work_state, plan_year, due_on FROM tasks
           UNION
           SELECT c.unit_id, t.id, t.plan_id, t.work_state, t.plan_year, t.due_on
             FROM task_cooperating_units c JOIN tasks t ON t.id = c.task_id""")).rowcount
    say(f"  unit_tasks: {out['unit_tasks']} dòng")
    # 4. SQLite's FTS5 search tables (0015_search_index); PostgreSQL's are plain indexes.
    rebuild_search_tables(conn)
    say("  chỉ mục tìm kiếm: xong")
    return out
