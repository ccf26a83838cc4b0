"""XLSX of the register of outgoing documents (sổ văn bản đi) as filtered on its page."""
from __future__ import annotations

import io

import xlsxwriter

from app.domain.formatting import vn_date, vn_datetime
from app.exports import write_header
from app.models.register import DOC_TYPES

COLUMNS = [("Năm", 7), ("Loại", 12), ("Số", 7), ("Số, ký hiệu", 20), ("Ngày ban hành", 13),
           ("Trích yếu / ghi chú", 60), ("Trạng thái", 14), ("Người cấp / giữ số", 22), ("Thời điểm", 17)]


def register_xlsx(rows: list, agency: str, filters: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Sổ văn bản đi")
    title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 13})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                          "border": 1, "bg_color": "#DCE6F1", "font_name": "Times New Roman"})
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_name": "Times New Roman"})
    num = wb.add_format({"valign": "top", "border": 1, "font_name": "Times New Roman", "num_format": "0"})
    ws.write(0, 0, f"SỔ VĂN BẢN ĐI – {agency.upper()}", title)
    ws.write(1, 0, filters or "Toàn bộ sổ")
    write_header(ws, 3, COLUMNS, head)
    for r, e in enumerate(rows, start=4):
        who = e.issued_by or e.reserved_by
        when = e.issued_at or e.reserved_at
        text = e.title or e.note or ""
        if e.state == "released" and e.released_at:
            text = f"{text} (trả lại {vn_datetime(e.released_at)})"
        ws.write_number(r, 0, e.series.year, num)
        ws.write_string(r, 1, DOC_TYPES.get(e.series.doc_type, e.series.doc_type), cell)
        ws.write_number(r, 2, e.number, num)
        for c, v in enumerate([e.symbol, vn_date(e.issued_on) if e.issued_on else "", text, e.state_label,
                               who.full_name if who else "", vn_datetime(when) if when else ""], start=3):
            ws.write_string(r, c, v, cell)
    ws.freeze_panes(4, 3)
    ws.autofilter(3, 0, max(3 + len(rows), 4), len(COLUMNS) - 1)
    wb.close()
    return buf.getvalue()
