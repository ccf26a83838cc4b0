"""Documents built from service results (no queries inside)."""
from __future__ import annotations

from collections.abc import Iterable


def write_header(ws, row: int, columns: Iterable[tuple[str, float]], fmt) -> None:
    """A sheet's header row: each (title, column width) in its own column, from column 0."""
    for c, (title, width) in enumerate(columns):
        ws.write(row, c, title, fmt)
        ws.set_column(c, c, width)
