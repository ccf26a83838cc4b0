"""XLSX of the dashboard tables (built from the service result, no queries)."""
from __future__ import annotations

import io

import xlsxwriter

from app.domain.formatting import vn_date
from app.exports import table_formats, write_table

PARTS = {"units": "Theo đơn vị", "plans": "Tiến độ kế hoạch", "burndown": "Nhiệm vụ còn mở"}


def dashboard_xlsx(d, parts: tuple[str, ...] = tuple(PARTS)) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    f = table_formats(wb)
    cell, pct = f["cell"], f["pct"]

    def sheet(name, heading, headers, rows, formats):
        ws = wb.add_worksheet(name)
        write_table(ws, f, f"{heading} — năm {d.year} (tính đến {vn_date(d.on)})", headers, rows, formats)
        ws.set_column(0, 0, 45)
        ws.set_column(1, len(headers) - 1, 14)

    if "units" in parts:
        t = d.totals
        rows = [(u.unit, u.total, u.on_time, u.late, u.overdue, u.open, u.rate) for u in d.units]
        rows.append(("Tổng", t.total, t.on_time, t.late, t.overdue, t.open, t.rate))
        sheet(PARTS["units"], "Tỷ lệ đúng hạn theo đơn vị chủ trì",
              ["Đơn vị chủ trì", "Số nhiệm vụ có hạn", "Đúng hạn", "Trễ hạn", "Quá hạn", "Chưa đến hạn",
               "Tỷ lệ đúng hạn"], rows, [cell] * 6 + [pct])
    if "plans" in parts:
        rows = [(f"{p.number} — {p.title}", p.total, p.accepted, p.overdue, p.progress) for p in d.plans]
        sheet(PARTS["plans"], "Tiến độ thực hiện kế hoạch",
              ["Kế hoạch", "Số nhiệm vụ", "Đã hoàn thành", "Quá hạn", "Tiến độ"], rows, [cell] * 4 + [pct])
    if "burndown" in parts:
        rows = [(b.month, b.due, b.remaining) for b in d.burndown]
        sheet(PARTS["burndown"], "Nhiệm vụ còn mở theo tháng đến hạn",
              ["Tháng", "Đến hạn trong tháng", "Còn lại sau tháng"], rows, [cell] * 3)
    wb.close()
    return buf.getvalue()
