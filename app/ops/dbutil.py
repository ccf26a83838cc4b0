"""Small database helpers shared by backup/restore and gen-data (no Flask request needed)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import Connection, MetaData, Table, inspect, text

ALEMBIC_TABLE = "alembic_version"
# Written only by database triggers from other tables (migration 0009_unit_tasks): a backup
# leaves them out and a restore rebuilds them as it inserts their sources.
DERIVED_TABLES = frozenset({"unit_tasks"})
# SQLite's FTS5 search tables (migration 0015_search_index) and their shadow tables: an index,
# not data; left out of every reflection, and rebuilt from their tables after a restore.
SEARCH_TABLES = ("tasks_fts", "plans_fts", "procedures_fts", "users_fts")


def is_search_table(name: str) -> bool:
    return any(name == t or name.startswith(t + "_") for t in SEARCH_TABLES)


def rebuild_search_tables(conn: Connection) -> None:
    """Refill SQLite's FTS5 tables from the rows of their tables (after a bulk load)."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL's trigram indexes are plain indexes
    names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    for t in SEARCH_TABLES:
        if t in names:
            conn.execute(text(f"INSERT INTO {t} ({t}) VALUES ('rebuild')"))


def reflect(conn: Connection) -> MetaData:
    """The tables as they are in the database (not as the models say), minus Alembic's own."""
    md = MetaData()
    md.reflect(bind=conn, only=lambda name, _md: not is_search_table(name))
    if ALEMBIC_TABLE in md.tables:
        md.remove(md.tables[ALEMBIC_TABLE])
    return md


def ordered_tables(md: MetaData) -> list[Table]:
    """Parents before children (self-references are handled by the callers)."""
    return list(md.sorted_tables)


def schema_revisions(conn: Connection) -> list[str]:
    if not inspect(conn).has_table(ALEMBIC_TABLE):
        return []
    return sorted(r[0] for r in conn.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")))


def self_reference_columns(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]


def empty_tables(conn: Connection, tables: list[Table]) -> None:
    if conn.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        if names:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    for t in reversed(tables):
        conn.execute(t.delete())


def reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past the largest id."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY follows max(rowid) by itself
    for t in tables:
        for col in t.primary_key.columns:
            seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                              {"t": t.name, "c": col.name})
            if seq:
                conn.execute(text(
                    f'SELECT setval(:s, COALESCE((SELECT MAX("{col.name}") FROM "{t.name}"), 0) + 1, false)'),
                    {"s": seq})


def batched(rows: Iterable, size: int) -> Iterator[list]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk
