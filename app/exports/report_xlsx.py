"""Every table of the consolidated report as XLSX: the official forms (Biểu II.06a/VPCP/KSTT,
II.07b ...) with the merged headers of their data, the catalog, review and feedback figures
and the overdue explanations.
Numbers are numbers; each formula carries its computed value (a reader without Excel sees it).

Built from the document dict of app.reports.services.document(); no queries here."""
from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from app.exports.report_docx import annexes_of, header_spans
from app.domain import metrics
from app.reports.drafting import PROPOSALS, exact_ratio


class _Formats:
    def __init__(self, wb):
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 13, "align": "center"})
        self.sub = wb.add_format({**base, "italic": True, "align": "center"})
        self.head = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True,
                                   "border": 1, "bg_color": "#E7EEF7"})
        self.numbering = wb.add_format({**base, "italic": True, "align": "center", "border": 1})
        self.text = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.num = wb.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.num_bold = wb.add_format({**base, "border": 1, "num_format": "#,##0", "bold": True})
        self.pct = wb.add_format({**base, "border": 1, "num_format": "0.00%"})
        self.text_bold = wb.add_format({**base, "border": 1, "bold": True})


def _annex(wb, f: _Formats, d: dict, form: dict) -> None:
    """One official table (its columns, merged headers, a row per unit, the total row)."""
    ws = wb.add_worksheet(form["sheet"])
    cols = form["columns"]
    last = len(cols) - 1
    ws.merge_range(0, 0, 0, last, f"Biểu số {form['code']}", f.title)
    ws.merge_range(1, 0, 1, last, form["title"].upper(), f.title)
    ws.merge_range(2, 0, 2, last, f"Kỳ báo cáo: {d['period']['short']} (từ ngày "
                   f"{d['period']['start']} đến ngày {d['period']['end']})", f.sub)
    top = 4
    depth = max(len(c["headers"]) for c in cols)
    for r0, c0, r1, c1, text in header_spans(cols):
        if (r0, c0) == (r1, c1):
            ws.write(top + r0, c0, text, f.head)
        else:
            ws.merge_range(top + r0, c0, top + r1, c1, text, f.head)
    for i in range(len(cols)):
        ws.write(top + depth, i, f"({i + 1})", f.numbering)
    first = top + depth + 1
    index = {c["key"]: i for i, c in enumerate(cols)}
    units = form["rows"]
    for k, row in enumerate(units):
        r = first + k
        for i, c in enumerate(cols):
            if c["key"] == "stt":
                ws.write_number(r, i, k + 1, f.num)
            elif c["key"] == "unit":
                ws.write_string(r, i, row["unit"], f.text)
            elif c.get("sum_of"):
                refs = "+".join(xl_rowcol_to_cell(r, index[p]) for p in c["sum_of"])
                ws.write_formula(r, i, f"={refs}", f.num_bold, row[c["key"]])
            else:
                ws.write_number(r, i, row[c["key"]], f.num)
    total_row = first + len(units)
    ws.write(total_row, index.get("stt", 0), "", f.text_bold)
    ws.write_string(total_row, index["unit"], "Tổng cộng", f.text_bold)
    for i, c in enumerate(cols):
        if c["key"] in ("stt", "unit"):
            continue
        value = form["total"][c["key"]]
        if units:
            rng = f"{xl_rowcol_to_cell(first, i)}:{xl_rowcol_to_cell(total_row - 1, i)}"
            ws.write_formula(total_row, i, f"=SUM({rng})", f.num_bold, value)
        else:
            ws.write_number(total_row, i, value, f.num_bold)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 34)
    ws.set_column(2, last, 12)
    ws.set_row(top + depth - 1, 45)
    ws.freeze_panes(first, 2)
    ws.autofilter(top + depth, 0, total_row - 1 if units else top + depth, last)


def _pairs(wb, f: _Formats, name: str, title: str, rows: list[tuple[str, object]]) -> None:
    ws = wb.add_worksheet(name)
    ws.merge_range(0, 0, 0, 1, title, f.title)
    ws.write_row(2, 0, ["Chỉ tiêu", "Số lượng"], f.head)
    for k, (label, value) in enumerate(rows, 3):
        ws.write_string(k, 0, label, f.text)
        if isinstance(value, str):  # "—" (a ratio of nothing) or a verdict against a target
            ws.write_string(k, 1, value, f.text)
        elif isinstance(value, float) and label.startswith("Tỷ lệ"):
            ws.write_number(k, 1, value, f.pct)
        else:
            ws.write_number(k, 1, value or 0, f.num)
    ws.set_column(0, 0, 62)
    ws.set_column(1, 1, 14)
    ws.freeze_panes(3, 0)


def _feedback(wb, f: _Formats, d: dict) -> None:
    ws = wb.add_worksheet("Phản ánh, kiến nghị")
    ws.merge_range(0, 0, 0, 4, f"Tiếp nhận, xử lý phản ánh, kiến nghị {d['period']['label']}", f.title)
    ws.write_row(2, 0, ["STT", "Đơn vị", "Đã tiếp nhận", "Đã xử lý", "Đang xử lý"], f.head)
    units = d["figures"]["units"]
    for k, u in enumerate(units):
        r = 3 + k
        ws.write_number(r, 0, k + 1, f.num)
        ws.write_string(r, 1, u["unit"], f.text)
        ws.write_number(r, 2, u["feedback_received"], f.num)
        ws.write_number(r, 3, u["feedback_handled"], f.num)
        ws.write_formula(r, 4, f"=C{r + 1}-D{r + 1}", f.num,
                         u["feedback_received"] - u["feedback_handled"])
    tr = 3 + len(units)
    fb = d["figures"]["feedback"]
    ws.write(tr, 0, "", f.text_bold)
    ws.write_string(tr, 1, "Tổng cộng", f.text_bold)
    for i, v in ((2, fb["received"]), (3, fb["handled"]), (4, fb["received"] - fb["handled"])):
        col = "CDE"[i - 2]
        if units:
            ws.write_formula(tr, i, f"=SUM({col}4:{col}{tr})", f.num_bold, v)
        else:
            ws.write_number(tr, i, v, f.num_bold)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 4, 14)
    ws.freeze_panes(3, 0)


def _overdue(wb, f: _Formats, d: dict) -> None:
    ws = wb.add_worksheet("Hồ sơ quá hạn")
    ws.merge_range(0, 0, 0, 4, "Hồ sơ quá hạn và giải trình của Thủ trưởng đơn vị", f.title)
    ws.write_row(2, 0, ["STT", "Đơn vị", "Mã hồ sơ", "Thủ tục hành chính", "Giải trình"], f.head)
    for k, c in enumerate(d["figures"]["overdue"]):
        ws.write_number(3 + k, 0, k + 1, f.num)
        ws.write_row(3 + k, 1, [c["unit"], c["dossier_code"], c["procedure_name"], c["explanation"]],
                     f.text)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 4, 45)
    ws.freeze_panes(3, 0)


def catalog_rows(c: dict) -> list[tuple[str, object]]:
    return [
        ("Tổng số TTHC được công bố", c.get("published", 0)),
        ("Số TTHC được công khai", c.get("public", c.get("published", 0))),
        ("Tổng số TTHC thuộc thẩm quyền giải quyết", c.get("total", c.get("published", 0))),
        ("Số TTHC do Trung ương quy định", c.get("central", 0)),
        ("Số TTHC do địa phương quy định", c.get("local", 0)),
        ("Số TTHC thực hiện theo cơ chế một cửa", c.get("one_stop", 0)),
        ("Số TTHC thực hiện theo cơ chế một cửa liên thông", c.get("interconnected", 0)),
        ("Số TTHC thực hiện qua dịch vụ bưu chính công ích", c.get("postal", 0)),
        ("Số TTHC thực hiện qua dịch vụ công trực tuyến", c.get("online_total", 0)),
        ("Trong đó: mức độ 3 (trực tuyến một phần)", c.get("online_partial", 0)),
        ("Trong đó: mức độ 4 (trực tuyến toàn trình)", c.get("online_full", 0)),
    ]


def review_rows(r: dict) -> list[tuple[str, object]]:
    rows = [
        ("Số TTHC đã rà soát, đánh giá", r.get("reviewed", 0)),
        ("Tổng thời hạn giải quyết hiện hành (ngày)", r.get("days_current", 0)),
        ("Tổng thời hạn giải quyết đề xuất (ngày)", r.get("days_proposed", 0)),
        ("Số ngày cắt giảm", r.get("days_cut", 0)),
        ("Tỷ lệ cắt giảm thời hạn", _ratio(r.get("cut_ratio"))),
    ]
    rows += [(f"Đề xuất {label}", (r.get("proposals") or {}).get(k, 0)) for k, label in PROPOSALS.items()]
    rows += [
        ("Chi phí tuân thủ trước đơn giản hóa (đồng/năm)", r.get("cost_before", 0)),
        ("Chi phí tuân thủ sau đơn giản hóa (đồng/năm)", r.get("cost_after", 0)),
        ("Chi phí tiết kiệm (đồng/năm)", r.get("cost_saving", 0)),
        ("Tỷ lệ cắt giảm chi phí", _ratio(r.get("cost_ratio"))),
    ]
    targets = r.get("targets") or {}
    for label, key, part, whole in (("thời hạn", "time_cut", "days_cut", "days_current"),
                                    ("chi phí tuân thủ", "cost_cut", "cost_saving", "cost_before")):
        if targets.get(key) is not None:
            c = metrics.check_target(exact_ratio(r.get(part), r.get(whole)), Decimal(str(targets[key])))
            rows.append((f"So với chỉ tiêu cắt giảm {label} ({c.target_text})",
                         c.text if c.hidden_miss else c.verdict))
    return rows


def _ratio(value) -> float | str:
    return "—" if value is None else float(value)


def build(d: dict) -> bytes:
    out = BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    f = _Formats(wb)
    for form in annexes_of(d):
        _annex(wb, f, d, form)
    _pairs(wb, f, "Công bố, công khai TTHC", f"Công bố, công khai TTHC {d['period']['label']}",
           catalog_rows(d["figures"]["catalog"]))
    _pairs(wb, f, "Rà soát, đơn giản hóa", f"Rà soát, đơn giản hóa TTHC {d['period']['label']}",
           review_rows(d["figures"]["review"]))
    _feedback(wb, f, d)
    _overdue(wb, f, d)
    wb.close()
    return out.getvalue()


def _form_template_sheet(wb, f: _Formats, form: dict, rows: list[dict]) -> None:
    """One more form's sheet of the import template: a row per unit, its columns from the
    form's data (`columns`: [(key, label, sum_of or None)]), totals as formulas."""
    ws = wb.add_worksheet(form["sheet"])
    keys = ["unit_code", "unit_name"] + [k for k, _, _ in form["columns"]]
    ws.write_row(0, 0, ["Mã đơn vị", "Tên đơn vị"] + [label for _, label, _ in form["columns"]], f.head)
    for r, row in enumerate(rows, 1):
        ws.write_string(r, 0, row["unit_code"], f.text)
        ws.write_string(r, 1, row["unit_name"], f.text)
        for i, (k, _, sum_of) in enumerate(form["columns"], 2):
            if sum_of:
                refs = "+".join(xl_rowcol_to_cell(r, keys.index(p)) for p in sum_of)
                ws.write_formula(r, i, f"={refs}", f.num_bold, 0)
            else:
                ws.write_number(r, i, 0, f.num)
    ws.set_row(0, 60)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 40)
    ws.set_column(2, len(keys) - 1, 14)
    ws.freeze_panes(1, 2)


def filename(d: dict) -> str:
    number = (d.get("number") or "du-thao").split("/")[0]
    return f"bieu-kstt-{d['period']['key']}-{number}-v{d['version']}.xlsx"


def figures_template(columns: list[tuple[str, str]], rows: list[dict], period_label: str,
                     forms: list[dict] | None = None) -> bytes:
    """The import template: one row per unit; parts to fill in, totals as formulas that the
    portal checks against the parts (a typed total that disagrees is refused)."""
    out = BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    f = _Formats(wb)
    ws = wb.add_worksheet("Số liệu")
    keys = [k for k, _ in columns]
    ws.write_row(0, 0, [label for _, label in columns], f.head)
    sums = {"received": ["carried_over", "received_online", "received_direct"],
            "resolved": ["resolved_early", "resolved_on_time", "resolved_late"],
            "pending": ["pending_in_time", "pending_late"]}
    for r, row in enumerate(rows, 1):
        for i, k in enumerate(keys):
            if k in ("unit_code", "unit_name"):
                ws.write_string(r, i, row[k], f.text)
            elif k in sums:
                refs = "+".join(xl_rowcol_to_cell(r, keys.index(p)) for p in sums[k])
                ws.write_formula(r, i, f"={refs}", f.num_bold, 0)
            else:
                ws.write_number(r, i, 0, f.num)
    ws.set_row(0, 48)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 40)
    ws.set_column(2, len(keys) - 1, 13)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(1, len(rows)), len(keys) - 1)
    for form in forms or []:
        _form_template_sheet(wb, f, form, rows)
    notes = wb.add_worksheet("Hướng dẫn")
    notes.write(0, 0, f"Số liệu {period_label}, theo Biểu II.06a/VPCP/KSTT. Nhập các cột chi tiết; "
                      "các cột tổng được tính bằng công thức và phải khớp với chi tiết.")
    for k, form in enumerate(forms or [], 1):
        notes.write(k, 0, f"Trang “{form['sheet']}”: Biểu số {form['code']} – {form['title']}.")
    wb.close()
    return out.getvalue()
