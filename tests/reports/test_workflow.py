"""Report states, the freeze at issue, new versions, and the request routes around them."""
from datetime import date

import pytest

from app.domain import workflow as wf
from app.extensions import db
from app.models import FigureSet, Notification, Report, ReportEvent
from app.models.register import RegisterEntry
from app.register import services as register
from app.reports import services, sources
from tests.reports.helpers import demo_units


def _sent_set(unit, key="2022-q2", **values):
    base = dict(received_online=10, received_direct=20, carried_over=5, resolved_early=3,
                resolved_on_time=20, resolved_late=2, pending_in_time=8, pending_late=2)
    fs = FigureSet(unit_id=unit.id, period_key=key, state="sent", **(base | values))
    db.session.add(fs)
    db.session.commit()
    return fs


def _open(client):
    return client.post("/reports/open", data={"kind": "quarter", "number": 2, "year": 2022})


def test_report_workflow_table():
    allowed = {(t.name, s, t.target) for t in wf.REPORT.transitions for s in t.sources}
    assert allowed == {("submit", "draft", "pending"), ("issue", "pending", "issued"),
                       ("return", "pending", "draft")}
    with pytest.raises(wf.TransitionRefused, match="cần ghi rõ lý do"):
        wf.move(wf.REPORT, "pending", "return", {"leader"}, "")
    with pytest.raises(wf.TransitionRefused, match="không có quyền"):
        wf.move(wf.REPORT, "pending", "issue", {"office"})
    with pytest.raises(wf.TransitionRefused, match="đang ở trạng thái “Đã ban hành”"):
        wf.move(wf.REPORT, "issued", "return", {"leader"}, "x")


def test_office_opens_edits_submits_leader_returns_and_issues(world, as_user):
    _sent_set(world.div_a)
    c = as_user(world.office_user)
    r = _open(c)
    assert r.status_code == 302
    report = db.session.scalar(db.select(Report))
    assert report.period_key == "2022-q2" and report.state == "draft"
    page = c.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH" in page and "III. PHƯƠNG HƯỚNG" in page
    assert "Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo 35" in page
    # edit a narrative section
    form = {"title": report.title, "basis": "Căn cứ mới.", "number": "", "recipients": "Lưu: VT.",
            "lock_version": report.lock_version, "heading-I.2": "2. Công tác đôn đốc",
            "text-I.2": "Đoạn một.\n- Ý thứ nhất\n+ Ý con **đậm**"}
    assert c.post(f"/reports/{report.id}/edit", data=form).status_code == 302
    db.session.refresh(report)
    sec = next(s for s in report.sections if s["key"] == "I.2")
    assert sec["text"] == "Đoạn một.\n- Ý thứ nhất\n+ Ý con **đậm**"
    page = c.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "<strong>đậm</strong>" in page and "Căn cứ mới." in page
    # a stale second writer is refused, and what was typed is kept
    r = c.post(f"/reports/{report.id}/edit", data=form | {"text-I.2": "Bản cũ của tôi"})
    assert r.status_code == 409 and "Bản cũ của tôi" in r.get_data(as_text=True)
    assert c.post(f"/reports/{report.id}/move/submit").status_code == 302
    db.session.refresh(report)
    assert report.state == "pending"
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == world.leader.id))
    # office cannot issue; leader must give a reason to return
    assert c.post(f"/reports/{report.id}/move/issue", data={"number": "5/BC-SLĐTBXH"}).status_code == 403
    c = as_user(world.leader)
    r = c.post(f"/reports/{report.id}/move/return", data={"comment": ""})
    assert r.status_code == 400 and "cần ghi rõ lý do" in r.get_data(as_text=True)
    assert c.post(f"/reports/{report.id}/move/return", data={"comment": "Bổ sung mục 6"}).status_code == 302
    db.session.refresh(report)
    assert report.state == "draft"
    c = as_user(world.office_user)
    c.post(f"/reports/{report.id}/move/submit")
    c = as_user(world.leader)
    # The number comes from the register (sổ văn bản đi): a typed number that is neither the
    # register's next nor a reserved one is refused, and nothing is taken from the register.
    r = c.post(f"/reports/{report.id}/move/issue", data={"number": "5/BC-SLĐTBXH", "issued_on": "15/06/2022",
                                                          "confirm_gaps": "1"})
    assert r.status_code == 400 and "do sổ văn bản đi cấp" in r.get_data(as_text=True)
    r = c.post(f"/reports/{report.id}/move/issue", data={"number": "abc", "issued_on": "15/06/2022"})
    assert r.status_code == 400 and "phải có dạng" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(RegisterEntry)) == 0
    # Numbers 1..119 of 2022 were given on paper before the portal: the register goes on at 120.
    register.set_opening(None, report.agency, 2022, "BC", 119)
    r = c.post(f"/reports/{report.id}/move/issue",
               data={"number": "120/BC-SLĐTBXH", "issued_on": "15/06/2022", "confirm_gaps": "1"})
    assert r.status_code == 302
    db.session.refresh(report)
    assert (report.state, report.number, report.issued_on) == ("issued", "120/BC-SLĐTBXH", date(2022, 6, 15))
    entry = db.session.scalar(db.select(RegisterEntry))
    assert (entry.symbol, entry.state, entry.doc_kind, entry.doc_id, entry.issued_by_id) == (
        "120/BC-SLĐTBXH", "issued", "report", report.id, world.leader.id)
    actions = [e.action for e in db.session.scalars(db.select(ReportEvent).order_by(ReportEvent.id))]
    assert actions == ["create", "edit", "submit", "return", "submit", "issue"]
    assert report.events[3].comment == "Bổ sung mục 6"


def test_issued_report_is_frozen_and_a_new_version_reads_live_data(world, as_user):
    fs = _sent_set(world.div_a)
    office = world.office_user
    report = services.open_report(office, "quarter", 2022, 2)
    services.transition(office, report, "submit")
    register.set_opening(None, report.agency, 2022, "BC", 6)
    services.transition(world.leader, report, "issue", number="7/BC-SLĐTBXH", confirm_gaps=True)
    frozen = services.document(report)
    assert frozen["figures"]["dossiers"]["received"] == 35
    assert frozen["place_date"] == "Lạng Sơn, ngày 20 tháng 5 năm 2022"
    # later data changes never alter the issued report
    fs.received_online, fs.pending_in_time = 110, 108
    db.session.commit()
    text_before = [s["text"] for s in frozen["sections"]]
    doc = services.document(db.session.get(Report, report.id))
    assert doc["figures"]["dossiers"]["received"] == 35
    assert [s["text"] for s in doc["sections"]] == text_before
    c = as_user(world.office_user)
    assert c.get(f"/reports/{report.id}/edit").status_code == 403
    assert "35" in c.get(f"/reports/{report.id}").get_data(as_text=True)
    r = c.post(f"/reports/{report.id}/new-version")
    assert r.status_code == 302
    fresh = db.session.scalar(db.select(Report).where(Report.previous_id == report.id))
    assert (fresh.version, fresh.state, fresh.snapshot) == (2, "draft", None)
    assert services.document(fresh)["figures"]["dossiers"]["received"] == 135


def test_cannot_open_a_second_draft_for_the_same_period(world, as_user):
    c = as_user(world.office_user)
    _open(c)
    r = _open(c)
    assert r.status_code == 400 and "Đã có dự thảo báo cáo quý II năm 2022" in r.get_data(as_text=True)
    r = c.post("/reports/open", data={"kind": "half", "number": 3, "year": 2022})
    assert r.status_code == 400 and "6 tháng đầu năm (1) hoặc cuối năm (2)" in r.get_data(as_text=True)


def test_edit_validation_keeps_input(world, as_user):
    c = as_user(world.office_user)
    _open(c)
    report = db.session.scalar(db.select(Report))
    r = c.post(f"/reports/{report.id}/edit", data={
        "title": "", "number": "số sai", "lock_version": report.lock_version,
        "text-I.2": "Nội dung tôi vừa gõ"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Nhập trích yếu" in body and "Nội dung tôi vừa gõ" in body
    r = c.post(f"/reports/{report.id}/edit", data={
        "title": "Tên", "number": "số sai", "lock_version": report.lock_version})
    assert r.status_code == 400 and "Số ký hiệu phải có dạng 113/BC-SLĐTBXH" in r.get_data(as_text=True)


def test_catalog_fallback_counts_procedures(world, monkeypatch):
    import sys

    from app.models import Procedure
    monkeypatch.setitem(sys.modules, "app.catalog.services", None)  # before the catalog merge
    db.session.add_all([Procedure(code="1.1", name="Thủ tục A", set_by="central", one_stop=True,
                                  online_service="full"),
                        Procedure(code="1.2", name="Thủ tục B", set_by="local", internal=True)])
    db.session.commit()
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    c = services.document(report)["figures"]["catalog"]
    assert (c["published"], c["central"], c["one_stop"], c["online_full"], c["internal"]) == (1, 1, 1, 1, 1)


def test_issue_refused_when_catalog_parts_exceed_whole(world, monkeypatch):
    # seed 001 as printed: "109 do Trung ương quy định, 109 do địa phương quy định" of 109
    printed = dict(published=109, one_stop=56, interconnected=33, postal=98, online_total=109,
                   online_partial=30, online_full=47, central=109, local=109, internal=0, by_level={})
    monkeypatch.setattr(sources, "catalog_counts", lambda *agency: printed)
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    services.transition(world.office_user, report, "submit")
    with pytest.raises(services.ReportError) as e:
        services.transition(world.leader, report, "issue")
    assert "(109 + 109 = 218) vượt quá tổng số TTHC thuộc thẩm quyền (109)" in e.value.message
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert (report.state, report.snapshot, report.number) == ("pending", None, None)
    # the refused issue gave no number: the register's next is still 1
    assert db.session.scalar(db.select(db.func.count()).select_from(RegisterEntry)) == 0


@pytest.mark.parametrize("who", ["head_a", "staff_a", "local_user"])
def test_units_cannot_see_reports(world, as_user, who):
    c = as_user(getattr(world, who))
    assert c.get("/reports/").status_code == 403
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    assert c.get(f"/reports/{report.id}").status_code == 404
    assert c.get(f"/reports/{report.id}/report.docx").status_code == 404
    assert c.post("/reports/open", data={"kind": "quarter", "number": 1, "year": 2022}).status_code == 403


def test_leader_cannot_edit_or_open(world, as_user):
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    c = as_user(world.leader)
    assert c.get("/reports/").status_code == 200
    assert c.get(f"/reports/{report.id}/edit").status_code == 403
    assert c.post("/reports/open", data={"kind": "quarter", "number": 1, "year": 2022}).status_code == 403
    assert c.post(f"/reports/{report.id}/move/submit").status_code == 403
    assert c.post(f"/reports/{report.id}/new-version").status_code == 403
    assert c.post(f"/reports/{report.id}/move/nope").status_code == 404


def test_downloads(world, as_user):
    demo_units(world)
    _sent_set(world.div_a)
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    c = as_user(world.leader)
    r = c.get(f"/reports/{report.id}/report.docx")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    assert "bao-cao-kstt-2022-q2-du-thao-v1.docx" in r.headers["Content-Disposition"]
    r = c.get(f"/reports/{report.id}/report.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")


def test_report_on_a_plan_counts_its_year_and_its_accepted_results(world, as_user):
    from datetime import datetime

    from app.models import Plan, Submission, Task
    plan = Plan(number="19/KH-SLĐTBXH", title="Rà soát, đánh giá TTHC năm 2022", year=2022,
                kind="review", state="issued", created_by_id=world.office_user.id)
    task = Task(plan=plan, content="Rà soát 03 TTHC cấp Sở", lead_unit_id=world.div_a.id)
    task.submission = Submission(state="accepted", result_text="Đã rà soát 03 TTHC.",
                                 accepted_at=datetime(2022, 5, 2, 9))
    db.session.add(plan)
    db.session.commit()
    _sent_set(world.div_a, key="2022-y")
    c = as_user(world.office_user)
    r = c.post("/reports/open", data={"kind": "plan", "number": 1, "year": 2022, "plan_id": 0})
    assert r.status_code == 400 and "Chọn kế hoạch đã ban hành" in r.get_data(as_text=True)
    assert "19/KH-SLĐTBXH – Rà soát" in c.get("/reports/").get_data(as_text=True)
    r = c.post("/reports/open", data={"kind": "plan", "number": 1, "year": 2022, "plan_id": plan.id})
    assert r.status_code == 302
    report = db.session.scalar(db.select(Report))
    assert report.plan_id == plan.id and report.title.startswith("Kết quả thực hiện Kế hoạch số 19/KH")
    doc = services.document(report)
    assert doc["figures"]["dossiers"]["received"] == 35
    sec = next(s for s in doc["sections"] if s["key"] == "II.3")
    assert "- Phòng Bảo trợ xã hội – Trẻ em (Rà soát 03 TTHC cấp Sở): Đã rà soát 03 TTHC." in sec["text"]


def test_leader_home_lists_reports_waiting_for_approval(world, as_user):
    """Issue 17 item 9c: the Director's home lists the reports waiting for approval, each with
    its link and the approval action (the report page with its approval dialog open)."""
    _sent_set(world.div_a)
    c = as_user(world.office_user)
    _open(c)
    report = db.session.scalar(db.select(Report))
    c = as_user(world.leader)
    assert "Báo cáo chờ duyệt" not in c.get("/").get_data(as_text=True)  # a draft does not wait
    c = as_user(world.office_user)
    assert c.post(f"/reports/{report.id}/move/submit").status_code == 302
    c = as_user(world.leader)
    home = c.get("/").get_data(as_text=True)
    assert "Báo cáo chờ duyệt" in home and report.title in home
    assert f'href="/reports/{report.id}"' in home
    assert f'href="/reports/{report.id}?act=issue"' in home and "Duyệt, ban hành" in home
    page = c.get(f"/reports/{report.id}?act=issue").get_data(as_text=True)
    assert '<dialog id="dlg-issue" open' in page and '<dialog id="dlg-return" class="app-dialog">' in page
    # the office sees that it waits, without the leader's action
    home = as_user(world.office_user).get("/").get_data(as_text=True)
    assert "Báo cáo chờ duyệt" in home and "?act=issue" not in home


def test_many_accepted_results_can_still_be_seen_and_cited_one_by_one(world, as_user):
    """Issue 14 item 9: past MAX_QUOTED_RESULTS the draft counts results per unit; each result is
    still listed per unit in the editor (with an insert action) and in an appendix of the
    page and the DOCX."""
    import io
    from datetime import datetime

    from docx import Document

    from app.models import Plan, Submission, Task
    from app.reports import drafting
    plan = Plan(number="19/KH-SLĐTBXH", title="Kế hoạch KSTT năm 2022", year=2022, kind="review",
                state="issued", created_by_id=world.office_user.id)
    db.session.add(plan)
    many = drafting.MAX_QUOTED_RESULTS + 5
    for i in range(many):
        task = Task(plan=plan, content=f"Nhiệm vụ số {i + 1}", position=i,
                    lead_unit_id=(world.div_a if i % 2 else world.div_b).id)
        task.submission = Submission(state="accepted", result_text=f"Kết quả riêng {i + 1}.",
                                     accepted_at=datetime(2022, 4, 1 + i % 20, 9))
        db.session.add(task)
    db.session.commit()
    c = as_user(world.office_user)
    assert _open(c).status_code == 302
    report = db.session.scalar(db.select(Report))
    sec = next(s for s in report.sections if s["key"] == "II.3")
    assert "Nhiệm vụ số 7" not in sec["text"]  # the draft counts them per unit
    view = c.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="results-annex"' in view
    assert all(f"Kết quả riêng {i + 1}." in view for i in range(many))
    edit = c.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert f"Kết quả các đơn vị trong kỳ ({many})" in edit
    assert ('data-insert-into="text-II-3" data-insert-text="- Phòng Bảo trợ xã hội – Trẻ em '
            '(Nhiệm vụ số 2): Kết quả riêng 2."') in edit
    docx = Document(io.BytesIO(c.get(f"/reports/{report.id}/report.docx").data))
    annex = docx.tables[-1]
    cells = [cell.text for row in annex.rows for cell in row.cells]
    assert cells[:3] == ["STT", "Nhiệm vụ", "Kết quả thực hiện"]
    assert all(f"Kết quả riêng {i + 1}." in cells for i in range(many))
    assert "Phòng Bảo trợ xã hội – Trẻ em (17 nhiệm vụ)" in cells
    texts = [p.text for p in docx.paragraphs]
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ ĐƯỢC TIẾP NHẬN TRONG KỲ" in texts


def test_few_accepted_results_are_quoted_without_an_appendix(world, as_user):
    from datetime import datetime

    from app.models import Plan, Submission, Task
    plan = Plan(number="19/KH-SLĐTBXH", title="Kế hoạch KSTT năm 2022", year=2022, kind="review",
                state="issued", created_by_id=world.office_user.id)
    task = Task(plan=plan, content="Rà soát 03 TTHC cấp Sở", lead_unit_id=world.div_a.id)
    task.submission = Submission(state="accepted", result_text="Đã rà soát 03 TTHC.",
                                 accepted_at=datetime(2022, 5, 2, 9))
    db.session.add(plan)
    db.session.commit()
    c = as_user(world.office_user)
    _open(c)
    report = db.session.scalar(db.select(Report))
    assert 'id="results-annex"' not in c.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Kết quả các đơn vị trong kỳ (1)" in c.get(f"/reports/{report.id}/edit").get_data(as_text=True)
