"""Importing the seed 002, 003 and 004 tables: pasted, as XLSX and as DOCX."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.deadlines import parse_deadline
from app.domain.plantable import parse_table
from app.extensions import db
from app.models import Plan, Submission, Task, TaskStage
from tests.conftest import login
from tests.planimport.conftest import docx_bytes, seed_rows, seed_text, xlsx_bytes

EVENT_PHRASES = {
    "Sau khi UBND tỉnh ban hành KH kiểm soát TTHC 2022 của tỉnh",
    "Ngay sau khi Quyết định công bố được ban hành",
}


@pytest.mark.parametrize("n", ["002", "003", "004"])
def test_every_phrase_of_every_seed_table_parses_or_needs_a_date(n):
    table = parse_table(seed_rows(n))
    for t in table.tasks:
        p = parse_deadline(t.due)
        if t.due in EVENT_PHRASES:
            assert p.kind == "event" and p.needs_date
        else:
            assert not p.needs_date, (t.due, p.reason)
            assert p.kind in ("date", "period", "multi", "recurring", "continuous")
            if p.kind in ("date", "period", "multi"):
                # The date written in the phrase is the date computed (never a silent shift).
                for d in p.dues:
                    assert str(d.on.year) in t.due


def _token(resp) -> str:
    loc = resp.headers["Location"]
    return re.search(r"/plans/import/([0-9a-f]{32})$", loc).group(1)


def _paste(client, n):
    resp = client.post("/plans/import/", data={"text": seed_text(n)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return _token(resp)


def _upload(client, data: bytes, filename: str) -> str:
    resp = client.post("/plans/import/", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    return _token(resp)


def _confirm(client, token, **extra):
    data = {"number": "01/KH-TEST", "title": "Kế hoạch nhập thử", "year": "2022", "kind": "reform"}
    data.update(extra)
    return client.post(f"/plans/import/{token}", data=data)


def test_seed004_pasted_previews_then_imports(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _paste(client, "004")
    assert db.session.scalar(select(Plan.id)) is None  # nothing saved before confirming
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert html.count('class="task-row') == 22
    assert "I. Cải cách thể chế" in html and "V. Xây dựng Chính quyền điện tử, Chính quyền số" in html
    assert "31/03/2022" in html                            # Tháng 03/2022
    assert "Thời hạn phụ thuộc một sự kiện" in html        # the one phrase without a date
    assert "Nhiều đơn vị chủ trì “Thanh tra + Văn phòng Sở”" in html

    resp = _confirm(client, token)
    assert resp.status_code == 302
    plan = db.session.scalar(select(Plan))
    assert (plan.state, plan.number, plan.year, plan.created_by_id) == ("draft", "01/KH-TEST", 2022, office.id)
    top = [t for t in plan.tasks if t.parent_id is None]
    assert len(top) == 22
    # A draft plan's tasks carry no work (issue 17.1): their submissions come with the issue.
    assert db.session.scalar(select(db.func.count(Submission.id))) == 0

    first = top[0]
    assert (first.group_label, first.due_text, first.due_on, first.lead_unit.code) == (
        "I. Cải cách thể chế", "Tháng 03/2022", date(2022, 3, 31), "VP")
    assert {u.code for u in first.cooperating_units} == {"TTRA", "LDVL", "NCC", "BTXH"}
    merged = next(t for t in top if t.content.startswith("Thực hiện cơ chế một cửa"))
    assert merged.content.endswith("tại Trung tâm Phục vụ hành chính công tỉnh")
    assert merged.lead_unit.code == "VP"  # "Các phòng chuyên môn thuộc Sở": the office coordinates
    inspect = next(t for t in top if t.content.startswith("Thanh tra, kiểm tra"))
    assert inspect.lead_unit.code == "TTRA" and "VP" in {u.code for u in inspect.cooperating_units}
    event = next(t for t in top if t.due_text in EVENT_PHRASES)
    assert event.due_on is None
    autonomy = next(t for t in top if t.content.startswith("Xây dựng phương án tự chủ"))
    assert autonomy.lead_unit.code == "TTDVVL"  # "Đơn vị trực thuộc Sở"

    # "Hàng quý, năm": one instance per quarter and one for the year.
    report = next(t for t in top if t.content == "Thực hiện báo cáo CCHC năm 2022")
    children = sorted((t for t in plan.tasks if t.parent_id == report.id), key=lambda t: (t.due_on, t.id))
    assert [(c.period_label, c.due_on) for c in children] == [
        ("Quý I/2022", date(2022, 3, 15)), ("Quý II/2022", date(2022, 6, 15)),
        ("Quý III/2022", date(2022, 9, 15)), ("Quý IV/2022", date(2022, 12, 15)),
        ("Năm 2022", date(2022, 12, 15))]
    assert len(plan.tasks) == 22 + 4 * 5
    # Issuing gives every task and instance its draft submission.
    plan_id = plan.id
    # Two event-bound tasks have no date: the office confirms it has seen them (issue 17.4).
    assert client.post(f"/plans/{plan_id}/transition/submit", data={}).status_code == 409
    assert client.post(f"/plans/{plan_id}/transition/submit", data={"confirm_undated": "1"}).status_code == 302
    login(client, "giamdoc")
    assert client.post(f"/plans/{plan_id}/transition/issue", data={}).status_code in (200, 302)
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Submission.id))) == 22 + 4 * 5
    assert {s.state for s in db.session.scalars(select(Submission))} == {"draft"}


def test_seed003_from_docx_with_rounds_as_stages(lai_chau, client):
    units, office, _ = lai_chau
    login(client, office)
    token = _upload(client, docx_bytes(seed_rows("003")), "phu-luc.docx")
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert html.count('class="task-row') == 11
    assert "Lần 1: <span class=\"due\">30/11/2023</span>" in html
    assert _confirm(client, token, year="2022").status_code == 302
    rounds = db.session.scalar(select(Task).where(Task.content.like("Tổ chức, thực hiện rà soát các TTHC%")))
    assert rounds.due_on == date(2024, 11, 30)
    assert [(s.name, s.due_on) for s in rounds.stages] == [("Lần 1", date(2023, 11, 30)), ("Lần 2", date(2024, 11, 30))]
    levels = db.session.scalar(select(Task).where(Task.content.like("Tổ chức điền biểu mẫu%")))
    assert [(s.name, s.due_on) for s in levels.stages] == [("Cấp huyện", date(2023, 1, 10)), ("Cấp tỉnh", date(2023, 1, 15))]
    assert levels.lead_unit.code == "VPUBND"
    assert {u.code for u in levels.cooperating_units} == {"SNV", "STP", "TAMDUONG", "TPLC"}
    assert db.session.scalar(select(db.func.count(TaskStage.id))) == 10


def test_seed002_from_xlsx(bac_giang, client):
    units, office, _ = bac_giang
    login(client, office)
    token = _upload(client, xlsx_bytes(seed_rows("002")), "phu-luc.xlsx")
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert html.count('class="task-row') == 10
    assert "III. Cải cách thủ tục hành chính / A. Công tác truyền truyền về TTHC" in html
    assert "Không khớp" not in html
    assert _confirm(client, token, year="2024").status_code == 302
    by = {t.content[:25]: t for t in db.session.scalars(select(Task))}
    dialog = next(t for k, t in by.items() if k.startswith("Tổ chức đối thoại"))
    assert (dialog.lead_unit.code, dialog.due_on) == ("VLATLD", date(2024, 9, 30))
    assert {u.code for u in dialog.cooperating_units} == {"VP", "KHTC"}
    review = next(t for k, t in by.items() if k.startswith("Thực hiện rà soát, đánh"))
    assert review.lead_unit.code == "LDVL" and "NCC" in {u.code for u in review.cooperating_units}
    assert next(t for k, t in by.items() if k.startswith("Đề án chi trả")).due_on == date(2024, 6, 30)


def test_seed004_docx_with_merged_section_cells(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _upload(client, docx_bytes(seed_rows("004"), merge_first_column=True), "kh.docx")
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert html.count('class="task-row') == 22
    assert html.count('class="group-row"') == 6


def test_confirm_errors_keep_the_choices(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _paste(client, "004")
    vp = units["VP"].id
    resp = client.post(f"/plans/import/{token}", data={
        "number": "", "title": "Kế hoạch giữ lại", "year": "2022", "kind": "reform",
        "due_5": "31/02/2022", "lead_0": str(units["NCC"].id)})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Nhập số, ký hiệu kế hoạch." in html and "Ngày không hợp lệ (dd/mm/yyyy)." in html
    assert 'value="Kế hoạch giữ lại"' in html and 'value="31/02/2022"' in html
    assert f'<option value="{units["NCC"].id}" selected>' in html
    assert db.session.scalar(select(Plan.id)) is None
    # The office sets the date of the event phrase once known.
    resp = _confirm(client, token, due_5="15/07/2022", lead_0=str(vp))
    assert resp.status_code == 302
    event = db.session.scalar(select(Task).where(Task.due_text.like("Sau khi UBND%")))
    assert event.due_on == date(2022, 7, 15)


def test_unknown_unit_must_be_chosen(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    text = "STT\tNội dung nhiệm vụ\tThời gian thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\n" \
           "1\tViệc thử\tTrước ngày 05/4/2022\tPhòng Không Tồn Tại\tVăn phòng Sở\n"
    token = _token(client.post("/plans/import/", data={"text": text}))
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert "Không khớp đơn vị chủ trì “Phòng Không Tồn Tại”" in html
    resp = _confirm(client, token)
    assert resp.status_code == 400 and "Chọn đơn vị chủ trì." in resp.get_data(as_text=True)
    assert _confirm(client, token, lead_0=str(units["NCC"].id)).status_code == 302
    t = db.session.scalar(select(Task))
    assert (t.lead_unit.code, t.due_on) == ("NCC", date(2022, 4, 5))


def test_bad_sources(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    r = client.post("/plans/import/", data={"file": (io.BytesIO(b"%PDF-1.4"), "x.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "Chỉ nhận tệp .docx hoặc .xlsx." in r.get_data(as_text=True)
    r = client.post("/plans/import/", data={"file": (io.BytesIO(b"not a zip"), "x.docx")},
                    content_type="multipart/form-data")
    assert r.status_code == 400
    r = client.post("/plans/import/", data={"text": "một dòng\tkhông phải bảng"})
    assert r.status_code == 400 and "Không tìm thấy dòng tiêu đề" in r.get_data(as_text=True)
    assert "một dòng" in r.get_data(as_text=True)
    r = client.post("/plans/import/", data={"text": ""})
    assert r.status_code == 400 and "Chọn tệp hoặc dán bảng" in r.get_data(as_text=True)


def test_only_the_office_imports(thai_binh, client):
    units, office, other = thai_binh
    for name in ("truongphong", "giamdoc"):
        login(client, name)
        assert client.get("/plans/import/").status_code == 403
        assert client.post("/plans/import/", data={"text": seed_text("004")}).status_code == 403
    login(client, office)
    token = _paste(client, "004")
    login(client, other)  # another office user cannot open someone else's preview
    assert client.get(f"/plans/import/{token}").status_code == 404
    assert client.get("/plans/import/../../etc").status_code == 404
    login(client, "truongphong")
    assert client.get(f"/plans/import/{token}").status_code == 403


def test_stale_previews_are_dropped(thai_binh, client, app):
    import os
    from pathlib import Path
    units, office, _ = thai_binh
    login(client, office)
    old = _paste(client, "004")
    path = Path(app.config["UPLOAD_FOLDER"]) / "planimport" / f"{old}.json"
    os.utime(path, (0, 0))
    _paste(client, "004")
    assert not path.exists()
    assert client.get(f"/plans/import/{old}").status_code == 404
