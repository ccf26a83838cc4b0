"""XLSX of the audit log as filtered on its page."""
from __future__ import annotations

import io

import xlsxwriter

from app.domain.formatting import vn_datetime
from app.exports import write_header

COLUMNS = [("Thời gian", 17), ("Người thực hiện", 18), ("Hành động", 24), ("Đối tượng", 16),
           ("Nội dung", 60), ("Mã kết quả", 10), ("Địa chỉ IP", 15), ("Chi tiết", 60)]


def audit_xlsx(rows: list, labels: dict[str, str], filters: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Nhật ký")
    title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                          "border": 1, "bg_color": "#DCE6F1", "font_name": "Times New Roman"})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_name": "Times New Roman"})
    ws.write(0, 0, "NHẬT KÝ HỆ THỐNG", title)
    ws.write(1, 0, filters or "Toàn bộ nhật ký")
    write_header(ws, 3, COLUMNS, head)
    for r, ev in enumerate(rows, start=4):
        obj = f"{ev.object_type} {ev.object_id}" if ev.object_type else ""
        values = [vn_datetime(ev.created_at), ev.username or "", labels.get(ev.action, ev.action), obj,
                  ev.summary, "" if ev.status is None else str(ev.status), ev.ip or "", ev.detail or ""]
        for c, v in enumerate(values):
            ws.write_string(r, c, v, cell)
    ws.freeze_panes(4, 1)
    ws.autofilter(3, 0, max(3 + len(rows), 4), len(COLUMNS) - 1)
    wb.close()
    return buf.getvalue()
