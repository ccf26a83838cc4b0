"""search: an index behind every live search box, on both databases (issue 16, item 2)

The search boxes compare the folded copies (migration 0010_fix_small_search_folded,
app/models/folded.py) with `LIKE '%folded query%'`, which scanned the whole table. This
migration indexes those columns for substring search:

- PostgreSQL: the `pg_trgm` extension (trusted since PostgreSQL 13: the database owner may
  create it) and a GIN `gin_trgm_ops` index on each folded column. The same LIKE uses it for
  queries of 3 characters or more; shorter ones have no trigram and keep the scan.
- SQLite: an FTS5 table with the trigram tokenizer (SQLite >= 3.34) per folded column,
  external content (the text stays in the table itself; the FTS table holds only the index,
  keyed by the row's id), kept in step by triggers on insert, delete and update of the
  folded column. `matches()` asks it with the folded query as one phrase, which for trigrams
  is exactly "contains"; queries under 3 characters keep the plain LIKE.

The FTS tables are derived data: `flask backup` leaves them out (app.ops.dbutil) and a
restore rebuilds them. Note for later migrations: a SQLite batch operation on tasks, plans,
procedures or users must `drop_triggers()` before and `create_triggers()` and `rebuild()`
after, as for 0009_unit_tasks.

Revision ID: 0015_search_index
Revises: 0014_province_agencies
Create Date: 2026-12-07 21:00:00

"""
from alembic import op

revision = '0015_search_index'
down_revision = '0015_delegations'
branch_labels = None
depends_on = None

# table, folded column (app.models.folded.SEARCH_INDEXES names the same)
COLUMNS = [
    ("tasks", "content_folded"),
    ("plans", "search_folded"),
    ("procedures", "name_folded"),
    ("users", "search_folded"),
]


def _fts_ddl(table: str, column: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', content_rowid='id',
              tokenize='trigram case_sensitive 1')""",
        f"""CREATE TRIGGER trg_{fts}_insert AFTER INSERT ON {table} BEGIN
              INSERT INTO {fts} (rowid, {column}) VALUES (NEW.id, NEW.{column});
            END""",
        f"""CREATE TRIGGER trg_{fts}_delete AFTER DELETE ON {table} BEGIN
              INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', OLD.id, OLD.{column});
            END""",
        f"""CREATE TRIGGER trg_{fts}_update AFTER UPDATE OF id, {column} ON {table} BEGIN
              INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', OLD.id, OLD.{column});
              INSERT INTO {fts} (rowid, {column}) VALUES (NEW.id, NEW.{column});
            END""",
    ]


def create_triggers():
    """SQLite only (PostgreSQL's GIN indexes follow their table by themselves)."""
    for table, column in COLUMNS:
        for ddl in _fts_ddl(table, column)[1:]:
            op.execute(ddl)


def drop_triggers():
    for table, _ in COLUMNS:
        for kind in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_fts_{kind}")


def rebuild():
    """Fill the FTS tables from their tables (SQLite)."""
    for table, _ in COLUMNS:
        op.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column in COLUMNS:
            op.execute(f"CREATE INDEX ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)")
        return
    for table, column in COLUMNS:
        op.execute(_fts_ddl(table, column)[0])
    create_triggers()
    rebuild()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        # The extension stays: dropping it needs its owner, and other databases' use is theirs.
        for table, column in COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
        return
    drop_triggers()
    for table, _ in COLUMNS:
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
