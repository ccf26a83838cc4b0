"""A unit's evaluation sheet as XLSX, as a personnel office reads it: one row per person with the
counts, the three criteria, the score, the proposed rating and the head's comment; merged
Vietnamese headers, frozen header rows, a filter, numbers as numbers.

Built from app.evaluations.services.sheet(); no queries here."""
from __future__ import annotations

from io import BytesIO

import xlsxwriter

from app.exports.report_xlsx import _Formats

COUNTS = [("assigned", "Tổng số"), ("lead", "Chủ trì"), ("cooperating", "Phối hợp"), ("assignee", "Được giao"),
          ("on_time", "Đúng hạn"), ("late", "Chậm hạn"), ("late_days", "Số ngày chậm"),
          ("not_done", "Chưa hoàn thành"), ("overdue", "Chưa hoàn thành, quá hạn"), ("returned", "Bị trả lại")]
SCORES = [("quantity", "Số lượng"), ("quality", "Chất lượng"), ("progress", "Tiến độ"), ("total", "Tổng điểm")]


def build(d: dict) -> bytes:
    out = BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    f = _Formats(wb)
    dec = wb.add_format({"font_name": "Times New Roman", "font_size": 11, "border": 1, "num_format": "0.00"})
    ws = wb.add_worksheet("Đánh giá")
    ev, sheet = d["ev"], d["sheet"]
    heads = ["STT", "Họ và tên", "Chức vụ"] + [t for _, t in COUNTS] + [t for _, t in SCORES] + [
        "Điểm chất lượng của Trưởng phòng", "Mức xếp loại đề xuất", "Nhận xét của Trưởng phòng", "Ý kiến của người được đánh giá"]
    last = len(heads) - 1
    ws.merge_range(0, 0, 0, last, f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG CHỨC – {d['period'].label.upper()}", f.title)
    ws.merge_range(1, 0, 1, last, f"{ev.unit.name} – phiên bản {ev.version} – {d['state']} – bộ tiêu chí "
                   f"phiên bản {sheet.get('scheme_version', ev.scheme.version)}", f.sub)
    # two header rows: groups, then columns
    top = 3
    ws.merge_range(top, 0, top + 1, 0, heads[0], f.head)
    ws.merge_range(top, 1, top + 1, 1, heads[1], f.head)
    ws.merge_range(top, 2, top + 1, 2, heads[2], f.head)
    c0 = 3
    ws.merge_range(top, c0, top, c0 + len(COUNTS) - 1, "Nhiệm vụ, sản phẩm trong kỳ", f.head)
    c1 = c0 + len(COUNTS)
    ws.merge_range(top, c1, top, c1 + len(SCORES) - 1, "Điểm theo tiêu chí", f.head)
    for i, h in enumerate(heads[c0:], c0):
        if i >= c1 + len(SCORES):
            ws.merge_range(top, i, top + 1, i, h, f.head)
        else:
            ws.write(top + 1, i, h, f.head)
    r = top + 2
    for k, p in enumerate(sheet["people"]):
        ws.write_number(r, 0, k + 1, f.num)
        ws.write_string(r, 1, p["name"], f.text)
        ws.write_string(r, 2, p["title"] or "", f.text)
        for i, (key, _) in enumerate(COUNTS, c0):
            if key in ("lead", "cooperating", "assignee"):
                value = (p["roles"].get(key) or {}).get("assigned", 0)
            else:
                value = p["figures"][key]
            ws.write_number(r, i, value, f.num)
        for i, (key, _) in enumerate(SCORES, c1):
            v = p["score"][key]
            if v is None:
                ws.write_string(r, i, "—", f.text)
            else:
                ws.write_number(r, i, v, dec)
        i = c1 + len(SCORES)
        if p["quality"] is None:
            ws.write_string(r, i, "—", f.text)
        else:
            ws.write_number(r, i, p["quality"], f.num)
        ws.write_string(r, i + 1, p["score"]["rating_label"], f.text)
        ws.write_string(r, i + 2, p["head_comment"] or "", f.text)
        ws.write_string(r, i + 3, p["person_comment"] or "", f.text)
        r += 1
    ws.freeze_panes(top + 2, 2)
    ws.autofilter(top + 1, 0, max(r - 1, top + 1), last)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 18)
    ws.set_column(c0, c1 + len(SCORES), 10)
    ws.set_column(c1 + len(SCORES) + 1, last, 28)
    corrected = [(p["name"], k, c) for p in sheet["people"] for k, c in p["corrections"].items()]
    if corrected:
        r += 1
        ws.write_string(r, 1, "Số liệu đã sửa (giá trị tính từ dữ liệu → giá trị sửa, lý do)", f.text_bold)
        for name, key, c in corrected:
            r += 1
            ws.write_string(r, 1, name, f.text)
            ws.write_string(r, 2, dict(COUNTS).get(key, key), f.text)
            ws.write_number(r, 3, c["computed"], f.num)
            ws.write_number(r, 4, c["value"], f.num)
            ws.write_string(r, 5, c["reason"], f.text)
    wb.close()
    return out.getvalue()


def filename(d: dict) -> str:
    return f"danh-gia-{d['ev'].unit.code.lower()}-{d['period'].key}-v{d['ev'].version}.xlsx"
