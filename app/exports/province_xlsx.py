"""The province's consolidated figures as XLSX: the per-agency Biểu II.06a with its total row,
then the time-cut and compliance-cost figures per agency against the provincial targets, and
who has not reported. Numbers are numbers; formulas carry their computed values.

Built from app.sendup.services.consolidation(); no queries here."""
from __future__ import annotations

from io import BytesIO

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from app.exports.province_docx import annex
from app.exports.report_xlsx import _Formats, _annex


def _cuts(wb, f: _Formats, d: dict) -> None:
    ws = wb.add_worksheet("Cắt giảm")
    heads = ["STT", "Cơ quan, đơn vị", "Thời gian hiện tại (ngày)", "Thời gian đề xuất (ngày)",
             "Chi phí trước (đồng/năm)", "Chi phí sau (đồng/năm)"]
    keys = ["days_current", "days_proposed", "cost_before", "cost_after"]
    ws.merge_range(0, 0, 0, len(heads) - 1, f"CẮT GIẢM THỜI GIAN VÀ CHI PHÍ TUÂN THỦ – {d['period']['label'].upper()}",
                   f.title)
    ws.write_row(2, 0, heads, f.head)
    first = 3
    for k, row in enumerate(d["rows"]):
        ws.write_number(first + k, 0, k + 1, f.num)
        ws.write_string(first + k, 1, row["unit"], f.text)
        for i, key in enumerate(keys, 2):
            ws.write_number(first + k, i, row[key], f.num)
    total = first + len(d["rows"])
    ws.write(total, 0, "", f.text_bold)
    ws.write_string(total, 1, "Tổng cộng", f.text_bold)
    values = [d["time"]["current"], d["time"]["proposed"], d["cost"]["before"], d["cost"]["after"]]
    for i, value in enumerate(values, 2):
        if d["rows"]:
            rng = f"{xl_rowcol_to_cell(first, i)}:{xl_rowcol_to_cell(total - 1, i)}"
            ws.write_formula(total, i, f"=SUM({rng})", f.num_bold, value)
        else:
            ws.write_number(total, i, value, f.num_bold)
    r = total + 2
    for label, part in (("thời gian giải quyết", d["time"]), ("chi phí tuân thủ", d["cost"])):
        ws.write_string(r, 1, f"Tỷ lệ cắt giảm {label}", f.text)
        if part["ratio"] is None:
            ws.write_string(r, 2, "—", f.text)
        else:
            ws.write_number(r, 2, part["ratio"], f.pct)
        if part["target"] is not None:
            ws.write_string(r, 3, f"Chỉ tiêu {part['target']:g} %", f.text)
            ws.write_string(r, 4, "Đạt" if part["met"] else ("Chưa đạt" if part["met"] is False else "—"), f.text)
        r += 1
    if d["missing"]:
        r += 1
        ws.write_string(r, 1, "Chưa gửi báo cáo / đang hoàn thiện", f.text_bold)
        for m in d["missing"]:
            r += 1
            ws.write_string(r, 1, m["agency"], f.text)
            ws.write_string(r, 2, m["status"], f.text)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 5, 18)
    ws.freeze_panes(3, 2)


def build(d: dict) -> bytes:
    out = BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    f = _Formats(wb)
    _annex(wb, f, d, {**annex(d), "sheet": "Biểu II.06a"})
    _cuts(wb, f, d)
    wb.close()
    return out.getvalue()


def filename(d: dict) -> str:
    return f"tong-hop-tinh-{d['period']['key']}.xlsx"
