"""XLSX of the procedure catalog (the filtered list, or the empty import template)."""
from __future__ import annotations

import io

import xlsxwriter

from app.exports import write_header


def catalog_xlsx(columns: list[tuple[str, str]], rows: list[dict[str, str]],
                 title: str = "Danh mục TTHC") -> bytes:
    """columns: (key, header); rows: key -> text. Headers match the import so a file round-trips."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(title[:31])
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                          "border": 1, "bg_color": "#DCE6F1", "font_name": "Times New Roman"})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_name": "Times New Roman"})
    widths = {"code": 12, "name": 60, "field": 22, "lead_unit": 30, "legal_basis": 40, "decision": 28}
    write_header(ws, 0, [(header, widths.get(key, 14)) for key, header in columns], head)
    for r, row in enumerate(rows, start=1):
        for c, (key, _) in enumerate(columns):
            ws.write_string(r, c, row.get(key, "") or "", cell)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    wb.close()
    return buf.getvalue()
