"""Forms beyond Biểu II.06a, driven by their data: Biểu II.07b entered, imported and annexed to the
report (page, XLSX, DOCX); a later version added as data changes them without code."""
from io import BytesIO

from docx import Document
from openpyxl import load_workbook

from app.extensions import db
from app.models import FigureEvent, FigureSet, ReportForm
from app.reportforms.services import definition
from app.exports import report_docx, report_xlsx
from app.reports import services as reports

SLUG = "ii-07b-vpcp-kstt"
GOOD = {"fb_carried_over": "1", "fb_new": "3.237", "fb_regulation": "3.000", "fb_behaviour": "238",
        "fb_handled_regulation": "2.990", "fb_handled_behaviour": "238", "fb_pending_regulation": "10",
        "fb_pending_behaviour": "0", "fb_published": "1.000"}


def url(unit, key="2022-q2", tail=""):
    return f"/figures/{key}/{unit.id}{tail}"


def test_unit_page_shows_ii07b_entry_built_from_its_data(world, as_user):
    c = as_user(world.staff_a)
    body = c.get(url(world.div_a)).get_data(as_text=True)
    assert "Biểu số II.07b/VPCP/KSTT" in body and f'action="/figures/2022-q2/{world.div_a.id}/forms/{SLUG}"' in body
    assert 'name="fb_regulation"' in body and "Tiếp nhận về quy định hành chính" in body
    assert 'name="fb_received"' not in body  # a total is computed, not typed


def test_ii07b_figures_saved_as_typed_with_history(world, as_user):
    c = as_user(world.staff_a)
    r = c.post(url(world.div_a, tail=f"/forms/{SLUG}"), data=GOOD)
    assert r.status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert fs.state == "draft" and fs.form_values["II.07b/VPCP/KSTT"]["fb_new"] == 3237
    assert fs.received_online == 0  # Biểu II.06a untouched
    body = c.get(url(world.div_a)).get_data(as_text=True)
    assert 'value="3.237"' in body and "3.238" in body  # shown back as typed; the total computed
    c.post(url(world.div_a, tail=f"/forms/{SLUG}"), data=GOOD | {"fb_published": "999"})
    ev = db.session.scalars(db.select(FigureEvent).order_by(FigureEvent.id)).all()[-1]
    assert ev.action == "save_form"
    assert ev.changes == {"Biểu II.07b – số đã xử lý được công khai": [1000, 999]}


def test_ii07b_inconsistent_or_not_numbers_refused_and_input_kept(world, as_user):
    c = as_user(world.staff_a)
    r = c.post(url(world.div_a, tail=f"/forms/{SLUG}"), data=GOOD | {"fb_behaviour": "237"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert ("Tổng số phản ánh, kiến nghị đã tiếp nhận (3.238) phải bằng tiếp nhận về quy định hành chính "
            "+ tiếp nhận về hành vi hành chính (3.000 + 237 = 3.237)") in body
    assert 'value="237"' in body and 'value="3.237"' in body
    r = c.post(url(world.div_a, tail=f"/forms/{SLUG}"), data=GOOD | {"fb_new": "ba"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="ba"' in body
    assert "“mới tiếp nhận trong kỳ” phải là số nguyên không âm (ví dụ 3.238), đang là “ba”." in body
    assert 'id="ii-07b-vpcp-kstt-fb_new-error"' in body
    assert db.session.scalar(db.select(FigureSet)) is None


def test_sent_figures_are_closed_to_the_unit(world, as_user):
    db.session.add(FigureSet(unit_id=world.div_a.id, period_key="2022-q2", state="sent"))
    db.session.commit()
    c = as_user(world.staff_a)
    assert c.post(url(world.div_a, tail=f"/forms/{SLUG}"), data=GOOD).status_code == 403
    assert c.post(url(world.div_a, tail="/forms/no-such-form"), data=GOOD).status_code in (403, 404)
    office = as_user(world.office_user)
    assert office.post(url(world.div_a, tail="/forms/no-such-form"), data=GOOD).status_code == 404


def test_template_has_an_ii07b_sheet_and_import_reads_it_by_header(world, as_user):
    c = as_user(world.office_user)
    wb = load_workbook(BytesIO(c.get("/figures/2022-q2/template.xlsx").data))
    assert wb.sheetnames[:2] == ["Số liệu", "Biểu II.07b"]
    ws = wb["Biểu II.07b"]
    headers = [cell.value for cell in ws[1]]
    assert headers[:3] == ["Mã đơn vị", "Tên đơn vị", "Tiếp nhận về quy định hành chính"]
    total_col = headers.index("Tổng số phản ánh, kiến nghị đã tiếp nhận") + 1
    assert ws.cell(2, total_col).value.startswith("=")
    # fill it in another column order, as a clerk may rearrange it
    codes = [ws.cell(i, 1).value for i in range(2, ws.max_row + 1)]
    from openpyxl import Workbook
    out = Workbook()
    main = out.active
    main.title = "Số liệu"
    main.append(["Mã đơn vị", "Tên đơn vị"])
    main.append(["BTXH", "x", 2, 0, 1, 1, 2, 0, 2, 0, 0, 0, 0, 0, 0])
    extra = out.create_sheet("Biểu II.07b")
    cols = ["Mã đơn vị", "Số đã xử lý được công khai", "Mới tiếp nhận trong kỳ", "Từ kỳ trước chuyển qua",
            "Tiếp nhận về quy định hành chính", "Tiếp nhận về hành vi hành chính",
            "Đã xử lý về quy định hành chính", "Đã xử lý về hành vi hành chính",
            "Đang xử lý về quy định hành chính", "Đang xử lý về hành vi hành chính",
            "Tổng số phản ánh, kiến nghị đã tiếp nhận"]
    extra.append(cols)
    extra.append(["BTXH", 1, "4", 0, 3, 1, 2, 1, 1, 0, 4])
    extra.append(["LDVL", 2, 1, 0, 1, 0, 1, 0, 0, 0, 1])  # publishes more than it handled
    data = BytesIO()
    out.save(data)
    data.seek(0)
    assert "BTXH" in codes
    r = c.post("/figures/2022-q2/import", data={"file": (data, "so-lieu.xlsx")},
               content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert ("Trang “Biểu II.07b”, dòng 3 (Phòng Lao động, Việc làm – Bảo hiểm xã hội): Số đã xử lý được "
            "công khai (2) vượt quá đã xử lý (1)") in body
    assert db.session.scalar(db.select(FigureSet)) is None  # refused whole
    extra.delete_rows(3)
    data = BytesIO()
    out.save(data)
    data.seek(0)
    r = c.post("/figures/2022-q2/import", data={"file": (data, "so-lieu.xlsx")},
               content_type="multipart/form-data")
    assert r.status_code == 302
    fs = db.session.scalar(db.select(FigureSet).where(FigureSet.unit_id == world.div_a.id))
    assert fs.received_online == 1 and fs.form_values["II.07b/VPCP/KSTT"] == {
        "fb_regulation": 3, "fb_behaviour": 1, "fb_carried_over": 0, "fb_new": 4, "fb_handled_regulation": 2,
        "fb_handled_behaviour": 1, "fb_pending_regulation": 1, "fb_pending_behaviour": 0, "fb_published": 1}


def _sent(unit, feedback=(0, 0), **ii07b):
    fs = FigureSet(unit_id=unit.id, period_key="2022-q2", state="sent", received_online=3,
                   resolved_on_time=3, feedback_received=feedback[0], feedback_handled=feedback[1],
                   form_values={"II.07b/VPCP/KSTT": ii07b})
    db.session.add(fs)
    db.session.commit()


def test_report_annexes_ii07b_on_page_xlsx_and_docx(world, as_user):
    _sent(world.div_a, (4, 3), fb_new=4, fb_regulation=3, fb_behaviour=1, fb_handled_regulation=3,
          fb_pending_behaviour=1, fb_published=2)
    _sent(world.div_b, (1, 1), fb_carried_over=1, fb_behaviour=1, fb_handled_behaviour=1)
    report = reports.open_report(world.office_user, "quarter", 2022, 2)
    d = reports.document(report)
    codes = [a["code"] for a in d["annexes"]]
    assert codes == ["II.06a/VPCP/KSTT", "II.07b/VPCP/KSTT"]
    ii07b = d["annexes"][1]
    assert ii07b["total"]["fb_received"] == 5 and ii07b["total"]["fb_handled"] == 4
    assert [r["fb_received"] for r in ii07b["rows"]] == [4, 1]
    assert d["problems"] == []
    feedback = next(s for s in d["sections"] if s["figures"] == "feedback")
    assert "(Có biểu số II.07b/VPCP/KSTT kèm theo)" in feedback["figure_lines"]
    page = as_user(world.office_user).get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Biểu số II.07b/VPCP/KSTT (phụ lục)" in page and 'id="annex-2"' in page
    ws = load_workbook(BytesIO(report_xlsx.build(d)), data_only=True)["Biểu II.07b"]
    assert ws["A1"].value == "Biểu số II.07b/VPCP/KSTT"
    assert ws["C5"].value == "Số phản ánh, kiến nghị được tiếp nhận" and "C5:G5" in ws.merged_cells
    assert ws["C10"].value == 1 and ws["C11"].value == 5  # second unit's total, then the total row
    annex = Document(BytesIO(report_docx.build(d))).tables[3]
    assert len(annex.columns) == 14 and annex.cell(0, 2).text == "Số phản ánh, kiến nghị được tiếp nhận"
    assert [c.text for c in annex.rows[-1].cells][1:4] == ["Tổng cộng", "5", "3"]


def test_a_new_version_added_as_data_changes_entry_template_and_report(world, as_user):
    """Thông tư 5/2025/TT-VPCP (from 15/02/2026): one more column, no code change."""
    data = definition("II.07b/VPCP/KSTT", 1)
    cols = data["columns"] + [{"key": "fb_online", "headers": ["Tiếp nhận trực tuyến", None, None],
                               "label": "tiếp nhận trên Cổng dịch vụ công"}]
    db.session.add(ReportForm(code=data["code"], version=2, title=data["title"], columns=cols,
                              legal_basis="Thông tư 5/2025/TT-VPCP", checks=data["checks"] + [
                                  {"rule": "within", "whole": "fb_received", "parts": ["fb_online"]}],
                              options=data["options"], valid_from=__import__("datetime").date(2026, 2, 15)))
    db.session.commit()
    c = as_user(world.staff_a)
    assert 'name="fb_online"' not in c.get(url(world.div_a, "2025-q4")).get_data(as_text=True)
    assert 'name="fb_online"' in c.get(url(world.div_a, "2026-q1")).get_data(as_text=True)
    r = c.post(url(world.div_a, "2026-q1", f"/forms/{SLUG}"), data={"fb_new": "1", "fb_regulation": "1",
                                                                      "fb_pending_regulation": "1",
                                                                      "fb_online": "2"})
    assert r.status_code == 400
    assert "Tiếp nhận trên Cổng dịch vụ công (2) vượt quá tổng số phản ánh, kiến nghị đã tiếp nhận (1)" in \
        r.get_data(as_text=True)
    office = as_user(world.office_user)
    wb = load_workbook(BytesIO(office.get("/figures/2026-q1/template.xlsx").data))
    assert "Tiếp nhận trên Cổng dịch vụ công" in [cell.value for cell in wb["Biểu II.07b"][1]]
    report = reports.open_report(world.office_user, "quarter", 2026, 1)
    annex = reports.document(report)["annexes"][1]
    assert (annex["version"], len(annex["columns"])) == (2, 15)


def test_cli_loads_a_form_version_from_its_json(app, world, tmp_path):
    import json
    data = definition("II.07b/VPCP/KSTT", 1) | {"version": 3, "valid_from": "2026-02-15",
                                                 "legal_basis": "Thông tư 5/2025/TT-VPCP"}
    path = tmp_path / "ii07b_v3.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    runner = app.test_cli_runner()
    r = runner.invoke(args=["report-forms", "load", str(path)])
    assert r.exit_code == 0 and "Đã thêm Biểu II.07b/VPCP/KSTT phiên bản 3." in r.output
    r = runner.invoke(args=["report-forms", "load", str(path)])
    assert r.exit_code != 0 and "đã có" in r.output  # a version is never rewritten
    path.write_text(json.dumps(data | {"version": 4, "checks": [{"rule": "sum", "total": "nope",
                                                                 "parts": []}]}), "utf-8")
    r = runner.invoke(args=["report-forms", "load", str(path)])
    assert r.exit_code != 0 and "Không nạp được biểu" in r.output
    r = runner.invoke(args=["report-forms", "list"])
    assert "II.07b/VPCP/KSTT       v3   15/02/2026 → —" in r.output


def test_the_feedback_figures_of_both_forms_agree(world, as_user):
    """Biểu II.07b's received and handled totals are the unit's feedback figures: saving the form
    sets them (in the history), the other entry form may not contradict them, nor may a report."""
    c = as_user(world.staff_a)
    assert c.post(url(world.div_a, tail=f"/forms/{SLUG}"), data=GOOD).status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert (fs.feedback_received, fs.feedback_handled) == (3238, 3228)
    r = c.post(url(world.div_a), data={"feedback_received": "5", "feedback_handled": "3"})
    assert r.status_code == 400
    assert ("Phản ánh, kiến nghị đã tiếp nhận (5) phải bằng tổng số phản ánh, kiến nghị đã tiếp nhận của "
            "Biểu II.07b/VPCP/KSTT (3.238)") in r.get_data(as_text=True)
    _sent(world.div_b, (2, 0), fb_new=1, fb_behaviour=1, fb_pending_behaviour=1)
    report = reports.open_report(world.office_user, "quarter", 2022, 2)
    problems = reports.document(report)["problems"]
    assert ("Phòng Lao động, Việc làm – Bảo hiểm xã hội: Phản ánh, kiến nghị đã tiếp nhận (2) phải bằng "
            "tổng số phản ánh, kiến nghị đã tiếp nhận của Biểu II.07b/VPCP/KSTT (1)") in problems
