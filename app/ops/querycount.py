"""Count the SQL statements a piece of code sends (tests and the benchmark use it)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, event


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryLog]:
    """with count_queries(db.engine) as q: ...; q.count, q.statements"""
    log = QueryLog()

    def before(conn, cursor, statement, parameters, context, executemany):
        log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before)
