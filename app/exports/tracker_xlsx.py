"""The consolidated task tracker of a plan as XLSX: title rows, frozen header, filter,
and a per-unit summary sheet."""
from __future__ import annotations

import io
from datetime import date

import xlsxwriter

from app.exports import write_header

COLUMNS = [
    ("STT", 5), ("Nội dung nhiệm vụ", 60), ("Đơn vị chủ trì", 26), ("Đơn vị phối hợp", 26),
    ("Thời gian thực hiện", 22), ("Hạn hoàn thành", 13), ("Trạng thái", 20), ("Ngày nộp", 12),
    ("Ngày chấp nhận", 13), ("Quá hạn (ngày làm việc)", 12), ("Kết quả", 50),
]
SUMMARY = [("Đơn vị chủ trì", 40), ("Số nhiệm vụ", 12), ("Hoàn thành đúng hạn", 14),
           ("Hoàn thành quá hạn", 14), ("Đang thực hiện", 14), ("Quá hạn", 10)]


def build_tracker_xlsx(plan, rows: list[dict], summary: list[dict], agency: str) -> io.BytesIO:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    f = _formats(wb)
    _tasks_sheet(wb, f, plan, rows, agency)
    _summary_sheet(wb, f, plan, summary)
    wb.close()
    out.seek(0)
    return out


def _formats(wb) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "text_wrap": True}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "sub": wb.add_format({**base, "italic": True, "align": "center"}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                               "border": 1, "bg_color": "#DCE6F1"}),
        "cell": wb.add_format({**base, "border": 1}),
        "num": wb.add_format({**base, "border": 1, "align": "right", "num_format": "#,##0"}),
        "date": wb.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy", "align": "center"}),
        "total": wb.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0"}),
        "agency": wb.add_format({**base, "bold": True}),
    }


def _write_date(ws, r: int, c: int, value: date | None, f: dict) -> None:
    if value:
        ws.write_datetime(r, c, _as_datetime(value), f["date"])
    else:
        ws.write_blank(r, c, None, f["cell"])


def _as_datetime(value: date):
    from datetime import datetime
    return datetime(value.year, value.month, value.day)


def _tasks_sheet(wb, f, plan, rows, agency) -> None:
    ws = wb.add_worksheet("Theo dõi nhiệm vụ")
    last = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, agency, f["agency"])
    ws.merge_range(1, 0, 1, last, "BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ", f["title"])
    ws.merge_range(2, 0, 2, last, f"Kế hoạch số {plan.number}: {plan.title}", f["sub"])
    header = 4
    write_header(ws, header, COLUMNS, f["head"])
    ws.set_row(header, 32)
    ws.freeze_panes(header + 1, 0)
    r = header
    for row in rows:
        r += 1
        ws.write_number(r, 0, row["stt"], f["num"])
        ws.write(r, 1, row["content"], f["cell"])
        ws.write(r, 2, row["lead"], f["cell"])
        ws.write(r, 3, row["cooperating"], f["cell"])
        ws.write(r, 4, row["due_text"], f["cell"])
        _write_date(ws, r, 5, row["due_on"], f)
        ws.write(r, 6, row["state"], f["cell"])
        _write_date(ws, r, 7, row["submitted_on"], f)
        _write_date(ws, r, 8, row["accepted_on"], f)
        ws.write_number(r, 9, row["days_late"], f["num"])
        ws.write(r, 10, row["result"], f["cell"])
    ws.autofilter(header, 0, max(r, header), last)


def _summary_sheet(wb, f, plan, summary) -> None:
    ws = wb.add_worksheet("Tổng hợp theo đơn vị")
    last = len(SUMMARY) - 1
    ws.merge_range(0, 0, 0, last, "TỔNG HỢP KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ", f["title"])
    ws.merge_range(1, 0, 1, last, f"Kế hoạch số {plan.number}", f["sub"])
    header = 3
    write_header(ws, header, SUMMARY, f["head"])
    ws.freeze_panes(header + 1, 0)
    keys = ["tasks", "on_time", "late", "open", "overdue"]
    r = header
    for s in summary:
        r += 1
        ws.write(r, 0, s["unit"], f["cell"])
        for c, k in enumerate(keys, start=1):
            ws.write_number(r, c, s[k], f["num"])
    total_row = r + 1
    ws.write(total_row, 0, "Tổng cộng", f["total"])
    for c, k in enumerate(keys, start=1):
        col = chr(ord("A") + c)
        value = sum(s[k] for s in summary)
        # The computed value is written too, so readers without a calc engine see it.
        ws.write_formula(total_row, c, f"=SUM({col}{header + 2}:{col}{total_row})", f["total"], value)
    ws.autofilter(header, 0, max(r, header), last)
