"""Folded search columns: an accent-free, lower-case copy of some text columns, kept in step
by the application, so every search box is one LIKE over `fold(query)` on both databases.

Declare one with `folded("content")` (several sources are joined: `folded("number", "title")`)
and search it with `matches(Model.column, query)`. The copy is written
- on a Core insert (gen-data, bulk imports) by the column's default, computed from the row's
  own values, and
- on every ORM insert or change by a `before_flush` hook,
so neither path can store text without its folded copy.

The search columns are indexed for substring search (migration 0015_search_index): on
PostgreSQL a pg_trgm GIN index answers the LIKE itself; on SQLite an FTS5 trigram table per
column (`SEARCH_INDEXES`), kept by triggers, which `matches()` asks instead of the LIKE for
queries of 3 characters or more (fewer have no trigram: those keep the LIKE).
"""
from __future__ import annotations

from sqlalchemy import Text, event, inspect, literal_column, select, table
from sqlalchemy.orm import Session, mapped_column

from app.domain.text import fold, fold_joined, like_pattern

INFO_KEY = "fold_of"


def folded(*sources: str):
    def default(context) -> str:
        params = context.get_current_parameters()
        return fold_joined(*(params.get(s) for s in sources))

    # deferred: lists select their columns, and an ORM load need not carry a second copy of
    # the text (the flush hook below writes it without reading it first).
    return mapped_column(Text, default=default, nullable=False, deferred=True,
                         info={INFO_KEY: sources})


# (table, folded column) -> its SQLite FTS5 trigram table (migration 0015_search_index)
SEARCH_INDEXES = {
    ("tasks", "content_folded"): "tasks_fts",
    ("plans", "search_folded"): "plans_fts",
    ("procedures", "name_folded"): "procedures_fts",
    ("users", "search_folded"): "users_fts",
}
TRIGRAM = 3  # shorter queries have no trigram to look up: both databases scan for them


def matches(column, query: str | None):
    """The condition "the folded column contains the folded query"."""
    like = column.like(like_pattern(query), escape="\\")
    needle = fold(query)
    if len(needle) < TRIGRAM:
        return like
    col = column.__clause_element__() if hasattr(column, "__clause_element__") else column
    fts = SEARCH_INDEXES.get((getattr(col.table, "name", None), col.name))
    if fts is None or _dialect() != "sqlite":
        return like  # PostgreSQL: the trigram index serves the LIKE itself
    # The folded query as one FTS5 phrase (its double quotes doubled): a run of consecutive
    # trigrams, i.e. exactly the substring, with %, _ and every other character literal.
    phrase = '"' + needle.replace('"', '""') + '"'
    hits = select(literal_column("rowid")).select_from(table(fts)) \
        .where(literal_column(fts).op("MATCH")(phrase))
    return col.table.c.id.in_(hits)


def _dialect() -> str:
    from app.extensions import db
    return db.engine.dialect.name


_COLUMNS: dict[type, list[tuple[str, tuple[str, ...]]]] = {}


def _folded_columns(cls: type) -> list[tuple[str, tuple[str, ...]]]:
    if cls not in _COLUMNS:
        mapper = inspect(cls)
        _COLUMNS[cls] = [(attr.key, attr.columns[0].info[INFO_KEY]) for attr in mapper.column_attrs
                         if INFO_KEY in attr.columns[0].info]
    return _COLUMNS[cls]


@event.listens_for(Session, "before_flush")
def _refold(session: Session, flush_context, instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        for key, sources in _folded_columns(type(obj)):
            value = fold_joined(*(getattr(obj, s) for s in sources))
            if inspect(obj).dict.get(key) != value:
                setattr(obj, key, value)
