"""Folded search columns: an accent-free, lower-case copy of some text columns, kept in step
by the application, so every search box is one LIKE over `fold(query)` on both databases.

Declare one with `folded("content")` (several sources are joined: `folded("number", "title")`)
and search it with `matches(Model.column, query)`. The copy is written
- on a Core insert (gen-data, bulk imports) by the column's default, computed from the row's
  own values, and
- on every ORM insert or change by a `before_flush` hook,
so neither path can store text without its folded copy. It is a plain column, which a later
full-text or trigram index (FTS5, pg_trgm) can index as it is.
"""
from __future__ import annotations

from sqlalchemy import Text, event, inspect
from sqlalchemy.orm import Session, mapped_column

from app.domain.text import fold_joined, like_pattern

INFO_KEY = "fold_of"


def folded(*sources: str):
    def default(context) -> str:
        params = context.get_current_parameters()
        return fold_joined(*(params.get(s) for s in sources))

    # deferred: lists select their columns, and an ORM load need not carry a second copy of
    # the text (the flush hook below writes it without reading it first).
    return mapped_column(Text, default=default, nullable=False, deferred=True,
                         info={INFO_KEY: sources})


def matches(column, query: str | None):
    """The condition "the folded column contains the folded query"."""
    return column.like(like_pattern(query), escape="\\")


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
