"""XLSX of a plan's review results: one sheet per form (time cut, 02/RS-KSTT, compliance cost),
with totals and whether the plan's targets are met. Built from reviews.services.PlanReview."""
from __future__ import annotations

import io
from typing import Callable

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell as cell

from app.domain import metrics
from app.domain.numbers import format_vn_number
from app.exports import write_header
from app.models.review import PROPOSALS, REVIEW_CRITERIA, REVIEW_PARTS

YES_NO = {"yes": "Có", "no": "Không", "": ""}


def _verdict(ratio, target) -> str:
    """'Đạt' / 'Chưa đạt' on the exact value; '29,995 % — chưa đạt 30 %' when the cell's two
    decimals would show the target as reached."""
    c = metrics.check_target(ratio, target)
    return c.text if c.hidden_miss else c.verdict


def _target(value) -> str:
    return "chưa đặt" if value is None else f"{format_vn_number(value)} %"


def plan_review_xlsx(pr, parts_of: Callable) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 12, "border": 1, "valign": "top", "text_wrap": True}
    f = {
        "title": wb.add_format({"font_name": "Times New Roman", "bold": True, "font_size": 13}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#DCE6F1"}),
        "text": wb.add_format(base),
        "num": wb.add_format({**base, "num_format": "#,##0.##"}),
        "pct": wb.add_format({**base, "num_format": "0.00%"}),
        "bnum": wb.add_format({**base, "bold": True, "num_format": "#,##0.##"}),
        "bpct": wb.add_format({**base, "bold": True, "num_format": "0.00%"}),
        "btext": wb.add_format({**base, "bold": True}),
    }
    task_unit = {t.id: t.lead_unit.name for t in pr.tasks}
    _time_sheet(wb, f, pr, task_unit)
    _form_sheet(wb, f, pr, parts_of, task_unit)
    _cost_sheet(wb, f, pr)
    wb.close()
    return buf.getvalue()


def _figures(ws, f, row: int, col: int, before, after, diff, ratio, sum_from: int | None = None) -> None:
    """before | after | before - after | ratio, from `col`: numbers on a procedure's row, SUM formulas
    on the total row (sum_from = first data row). Each formula carries its computed value."""
    num, pct = (f["num"], f["pct"]) if sum_from is None else (f["bnum"], f["bpct"])
    for c, v in ((col, before), (col + 1, after)):
        if sum_from is None:
            ws.write_number(row, c, float(v), num)
        elif row > sum_from:
            ws.write_formula(row, c, f"=SUM({cell(sum_from, c)}:{cell(row - 1, c)})", num, float(v))
        else:
            ws.write_number(row, c, 0, num)
    a, b = cell(row, col), cell(row, col + 1)
    ws.write_formula(row, col + 2, f"={a}-{b}", num, float(diff))
    ws.write_formula(row, col + 3, f'=IF({a}=0,"",{cell(row, col + 2)}/{a})', pct,
                     float(ratio) if ratio is not None else "")


def _header(ws, f, title: str, plan, headers: list[tuple[str, int]]) -> int:
    ws.write(0, 0, title, f["title"])
    ws.write(1, 0, f"Kế hoạch số {plan.number}: {plan.title}", f["title"])
    write_header(ws, 3, headers, f["head"])
    ws.freeze_panes(4, 0)
    return 4


def _time_sheet(wb, f, pr, task_unit) -> None:
    ws = wb.add_worksheet("Cắt giảm thời hạn")
    row = _header(ws, f, "KẾT QUẢ RÀ SOÁT, CẮT GIẢM THỜI HẠN GIẢI QUYẾT TTHC", pr.plan, [
        ("STT", 5), ("Mã TTHC", 12), ("Tên thủ tục hành chính", 50), ("Cấp thực hiện", 12),
        ("Đơn vị chủ trì", 28), ("Thời hạn hiện hành (ngày)", 12), ("Thời hạn đề xuất (ngày)", 12),
        ("Số ngày cắt giảm", 12), ("Tỷ lệ cắt giảm", 12), ("Lý do", 40)])
    first = row
    timed = [r for r in pr.reviews if r.current_days and r.proposed_days is not None]
    for n, r in enumerate(timed, start=1):
        try:
            cut = metrics.time_cut(r.current_days, r.proposed_days)
        except metrics.MetricError:  # 0 -> 0 days saved before it was refused: nothing cut
            continue
        ws.write_number(row, 0, n, f["num"])
        ws.write(row, 1, r.procedure.code, f["text"])
        ws.write(row, 2, r.procedure.name, f["text"])
        ws.write(row, 3, r.procedure.level or "", f["text"])
        ws.write(row, 4, task_unit[r.task_id], f["text"])
        _figures(ws, f, row, 5, cut.current, cut.proposed, cut.cut, cut.ratio)
        ws.write(row, 9, r.cut_reason or "", f["text"])
        row += 1
    t = pr.totals
    ws.merge_range(row, 0, row, 4, f"Tổng cộng ({t.timed} TTHC)", f["btext"])
    _figures(ws, f, row, 5, t.days_current, t.days_proposed, t.days_cut, t.cut_ratio, sum_from=first)
    ws.write(row, 9, "", f["text"])
    row += 2
    for line in pr.units:
        ws.write(row, 2, f"Đơn vị: {line.unit.name}", f["text"])
        ws.write_number(row, 5, float(line.totals.days_current), f["num"])
        ws.write_number(row, 6, float(line.totals.days_proposed), f["num"])
        ws.write_number(row, 7, float(line.totals.days_cut), f["num"])
        if line.totals.cut_ratio is not None:
            ws.write_number(row, 8, float(line.totals.cut_ratio), f["pct"])
        row += 1
    target = pr.plan.time_cut_target
    ws.write(row + 1, 2, f"Chỉ tiêu cắt giảm thời hạn tối thiểu: {_target(target)}", f["btext"])
    ws.write(row + 1, 8, _verdict(t.cut_ratio, target), f["btext"])


def _form_sheet(wb, f, pr, parts_of, task_unit) -> None:
    ws = wb.add_worksheet("Phiếu 02-RS-KSTT")
    ws.write(0, 0, "KẾT QUẢ RÀ SOÁT, ĐÁNH GIÁ TTHC (Biểu mẫu 02/RS-KSTT, Thông tư 02/2017/TT-VPCP)", f["title"])
    ws.write(1, 0, f"Kế hoạch số {pr.plan.number}: {pr.plan.title}", f["title"])
    fixed = [("STT", 5), ("Mã TTHC", 12), ("Tên thủ tục hành chính", 45), ("Đơn vị chủ trì", 24)]
    for c, (h, w) in enumerate(fixed):
        ws.merge_range(3, c, 4, c, h, f["head"])
        ws.set_column(c, c, w)
    col = len(fixed)
    for key, label in REVIEW_PARTS.items():
        ws.merge_range(3, col, 3, col + len(REVIEW_CRITERIA), label, f["head"])
        for i, crit in enumerate([*REVIEW_CRITERIA.values(), "Lý do"]):
            ws.write(4, col + i, crit, f["head"])
        ws.set_column(col, col + len(REVIEW_CRITERIA) - 1, 9)
        ws.set_column(col + len(REVIEW_CRITERIA), col + len(REVIEW_CRITERIA), 24)
        col += len(REVIEW_CRITERIA) + 1
    tail = [("Phương án đề xuất", 16), ("Nội dung, lý do", 30), ("Văn bản, điều khoản cần sửa", 30),
            ("Kiến nghị thực thi", 30)]
    for i, (h, w) in enumerate(tail):
        ws.merge_range(3, col + i, 4, col + i, h, f["head"])
        ws.set_column(col + i, col + i, w)
    ws.freeze_panes(5, 3)
    row = 5
    for n, r in enumerate(pr.reviews, start=1):
        ws.write_number(row, 0, n, f["num"])
        ws.write(row, 1, r.procedure.code, f["text"])
        ws.write(row, 2, r.procedure.name, f["text"])
        ws.write(row, 3, task_unit[r.task_id], f["text"])
        parts = parts_of(r)
        c = len(fixed)
        for key in REVIEW_PARTS:
            entry = parts.get(key, {})
            for crit in REVIEW_CRITERIA:
                ws.write(row, c, YES_NO.get(entry.get(crit, ""), ""), f["text"])
                c += 1
            ws.write(row, c, entry.get("reason", ""), f["text"])
            c += 1
        for v in (PROPOSALS.get(r.proposal or "", ""), r.proposal_detail, r.legal_change, r.recommendation):
            ws.write(row, c, v or "", f["text"])
            c += 1
        row += 1
    row += 1
    ws.write(row, 2, f"Tổng số TTHC rà soát: {pr.totals.reviewed}", f["btext"])
    for key, label in PROPOSALS.items():
        row += 1
        ws.write(row, 2, label, f["text"])
        ws.write_number(row, 3, pr.totals.proposals[key], f["num"])


def _cost_sheet(wb, f, pr) -> None:
    ws = wb.add_worksheet("Chi phí tuân thủ")
    row = _header(ws, f, "CHI PHÍ TUÂN THỦ TTHC TRƯỚC VÀ SAU ĐƠN GIẢN HÓA (đồng/năm)", pr.plan, [
        ("STT", 5), ("Mã TTHC", 12), ("Tên thủ tục hành chính", 50), ("Chi phí trước", 18),
        ("Chi phí sau", 18), ("Chi phí tiết kiệm", 18), ("Tỷ lệ cắt giảm", 12)])
    first = row
    costed = [r for r in pr.reviews if r.id in pr.costs]
    for n, r in enumerate(costed, start=1):
        s = pr.costs[r.id]
        ws.write_number(row, 0, n, f["num"])
        ws.write(row, 1, r.procedure.code, f["text"])
        ws.write(row, 2, r.procedure.name, f["text"])
        _figures(ws, f, row, 3, s.before, s.after, s.saving, s.ratio)
        row += 1
    t = pr.totals
    ws.merge_range(row, 0, row, 2, f"Tổng cộng ({t.costed} TTHC)", f["btext"])
    _figures(ws, f, row, 3, t.cost_before, t.cost_after, t.cost_saving, t.cost_ratio, sum_from=first)
    row += 2
    ws.write(row, 2, f"Chỉ tiêu cắt giảm chi phí tuân thủ tối thiểu: {_target(pr.plan.cost_cut_target)}", f["btext"])
    ws.write(row, 6, _verdict(t.cost_ratio, pr.plan.cost_cut_target), f["btext"])
    row += 1
    ws.write(row, 2, f"TTHC được đơn giản hóa: {t.simplified}/{t.reviewed}; chỉ tiêu tối thiểu: "
                     f"{_target(pr.plan.simplified_target)}", f["btext"])
    if t.simplified_ratio is not None:
        ws.write_number(row, 5, float(t.simplified_ratio), f["pct"])
    ws.write(row, 6, _verdict(t.simplified_ratio, pr.plan.simplified_target), f["btext"])
