"""Documents built from service results (no queries inside)."""
from __future__ import annotations

from collections.abc import Iterable


def write_header(ws, row: int, columns: Iterable[tuple[str, float]], fmt) -> None:
    """A sheet's header row: each (title, column width) in its own column, from column 0."""
    for c, (title, width) in enumerate(columns):
        ws.write(row, c, title, fmt)
        ws.set_column(c, c, width)


def table_formats(wb) -> dict:
    """The formats every table sheet uses (Times New Roman): title, head, cell, pct."""
    font = {"font_name": "Times New Roman"}
    return {"title": wb.add_format({"bold": True, "font_size": 13, **font}),
            "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", **font}),
            "cell": wb.add_format({"border": 1, **font}),
            "pct": wb.add_format({"border": 1, "num_format": "0.00%", **font})}


def write_table(ws, fmts: dict, title: str, headers: list[str], rows: Iterable, formats: list,
                freeze_cols: int = 0) -> int:
    """A title in A1, the header row on row 3, then one row per item (None: an empty bordered
    cell), frozen under the header, with an autofilter. Returns the number of rows written."""
    ws.write(0, 0, title, fmts["title"])
    for j, h in enumerate(headers):
        ws.write(2, j, h, fmts["head"])
    n = 0
    for i, row in enumerate(rows, start=3):
        n += 1
        for j, v in enumerate(row):
            if v is None:
                ws.write_blank(i, j, None, fmts["cell"])
            else:
                ws.write(i, j, v, formats[j])
    ws.freeze_panes(3, freeze_cols)
    ws.autofilter(2, 0, 2 + n, len(headers) - 1)
    return n
