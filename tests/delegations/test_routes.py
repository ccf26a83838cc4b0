"""Delegation (ủy quyền): the page, its checks, and the rights it gives (and stops giving)."""
from datetime import date
from io import BytesIO

from docx import Document

from app.extensions import db
from app.models import (AuditEvent, Delegation, Notification, PlanEvent, ReportEvent, Submission,
                        SubmissionEvent)
from tests.conftest import login, make_user
from tests.factories import make_plan
from tests.register.helpers import make_next


def _task(world, state="submitted", plan_number="19/KH-SLĐTBXH"):
    plan = make_plan(world, number=plan_number, tasks=[{"lead": world.div_a, "state": state,
                                                        "result_text": "Đã rà soát 03 TTHC"}])
    return plan, plan.tasks[0]


def _delegate(world, delegator, delegate, start=date(2022, 5, 16), end=date(2022, 5, 31), kind="unit_head",
              plan_id=None, revoked=False):
    d = Delegation(delegator_id=delegator.id, delegate_id=delegate.id, kind=kind, unit_id=delegator.unit_id,
                   plan_id=plan_id, starts_on=start, ends_on=end, created_by_id=delegator.id)
    if revoked:
        d.revoked_at, d.revoked_by_id = date(2022, 5, 18), delegator.id
    db.session.add(d)
    db.session.commit()
    return d


def _state(task):
    db.session.expire_all()
    return db.session.scalar(db.select(Submission.state).where(Submission.task_id == task.id))


def _form(delegate, start="20/05/2022", end="31/05/2022", plan_id="0", reason="Đi công tác"):
    return {"delegate_id": str(delegate.id if hasattr(delegate, "id") else delegate), "starts_on": start,
            "ends_on": end, "plan_id": plan_id, "reason": reason}


# ---- the page ---------------------------------------------------------------------------------

def test_head_delegates_to_a_member_of_the_unit(client, world):
    login(client, world.head_a)
    page = client.get("/delegations/").get_data(as_text=True)
    assert "Ủy quyền mới" in page and "Đỗ Chuyên A2" in page
    assert "Vũ Chuyên B" not in page          # another unit's staff is not offered
    r = client.post("/delegations/", data=_form(world.staff_a2))
    assert r.status_code == 302
    d = db.session.scalar(db.select(Delegation))
    assert (d.delegator_id, d.delegate_id, d.kind, d.unit_id) == (world.head_a.id, world.staff_a2.id,
                                                                  "unit_head", world.div_a.id)
    assert (d.starts_on, d.ends_on, d.reason) == (date(2022, 5, 20), date(2022, 5, 31), "Đi công tác")
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == world.staff_a2.id))
    assert "ủy quyền cho bạn" in note.text and "20/05/2022 – 31/05/2022" in note.text
    audit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "delegation_created"))
    assert audit is not None and str(audit.object_id) == str(d.id)
    page = client.get("/delegations/").get_data(as_text=True)
    assert "Đang hiệu lực" in page and "20/05/2022 – 31/05/2022" in page
    # the delegate sees it received, without a form to delegate further
    login(client, world.staff_a2)
    page = client.get("/delegations/").get_data(as_text=True)
    assert "Trần Trưởng A" in page and "Ủy quyền mới" not in page


def test_validation_is_next_to_the_field_and_keeps_what_was_typed(client, world):
    login(client, world.head_a)
    r = client.post("/delegations/", data=_form(world.staff_a2, start="25/05/2022", end="24/05/2022"))
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in body and 'value="24/05/2022"' in body
    r = client.post("/delegations/", data=_form(world.staff_a2, start="32/05/2022"))
    assert r.status_code == 400 and "dd/mm/yyyy" in r.get_data(as_text=True)
    assert 'value="32/05/2022"' in r.get_data(as_text=True)
    r = client.post("/delegations/", data=_form(world.staff_b))
    assert r.status_code == 400 and "cùng đơn vị của bạn" in r.get_data(as_text=True)
    r = client.post("/delegations/", data=_form(world.head_a))   # oneself
    assert r.status_code == 400
    r = client.post("/delegations/", data=_form(0))
    assert r.status_code == 400 and "Chọn người được ủy quyền." in r.get_data(as_text=True)
    r = client.post("/delegations/", data=_form(world.staff_a2, start="01/05/2022", end="10/05/2022"))
    assert r.status_code == 400 and "Ngày kết thúc đã qua" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0
    # overlapping an active delegation to somebody else
    assert client.post("/delegations/", data=_form(world.staff_a2)).status_code == 302
    r = client.post("/delegations/", data=_form(world.staff_a, start="25/05/2022", end="05/06/2022"))
    assert r.status_code == 400 and "Trùng thời gian với ủy quyền đang có cho Đỗ Chuyên A2" in r.get_data(as_text=True)
    # after it ends, another may follow
    assert client.post("/delegations/", data=_form(world.staff_a, start="01/06/2022",
                                                   end="05/06/2022")).status_code == 302


def test_only_heads_and_leaders_delegate(client, world):
    for who in (world.staff_a, world.office_user, world.admin):
        login(client, who)
        assert client.post("/delegations/", data=_form(world.staff_a2)).status_code == 403
    assert db.session.scalar(db.select(db.func.count(Delegation.id))) == 0
    login(client, world.leader)
    page = client.get("/delegations/").get_data(as_text=True)
    assert "Lê Chuyên A" not in page            # a leader delegates within the leadership only


def test_revoke_by_the_delegator_or_the_admin_only(client, world):
    d = _delegate(world, world.head_a, world.staff_a2)
    for who in (world.staff_a, world.head_b, world.staff_a2):
        login(client, who)
        assert client.post(f"/delegations/{d.id}/revoke").status_code in (403, 404)
    login(client, world.admin)
    page = client.get("/delegations/").get_data(as_text=True)
    assert "Các ủy quyền trong cơ quan" in page and "Đỗ Chuyên A2" in page
    login(client, world.head_a)
    assert client.post(f"/delegations/{d.id}/revoke").status_code == 302
    db.session.expire_all()
    assert d.revoked_at is not None and d.revoked_by_id == world.head_a.id
    assert "Đã thu hồi" in client.get("/delegations/").get_data(as_text=True)
    assert client.post(f"/delegations/{d.id}/revoke").status_code == 403   # once only
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "delegation_revoked"))
    d2 = _delegate(world, world.head_a, world.staff_a2, start=date(2022, 6, 1), end=date(2022, 6, 5))
    login(client, world.admin)
    assert client.post(f"/delegations/{d2.id}/revoke").status_code == 302


# ---- what a delegation gives ----------------------------------------------------------------------

def test_the_delegate_approves_recorded_on_behalf_of_the_head(client, world):
    plan, task = _task(world)
    login(client, world.staff_a2)
    r = client.post(f"/tasks/{task.id}/transition/approve")
    assert r.status_code == 409 and "không có quyền" in r.get_data(as_text=True)
    _delegate(world, world.head_a, world.staff_a2)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Duyệt, gửi Văn phòng" in page
    assert client.post(f"/tasks/{task.id}/transition/approve").status_code == 302
    assert _state(task) == "approved"
    ev = db.session.scalar(db.select(SubmissionEvent).where(SubmissionEvent.action == "approve"))
    assert (ev.actor_id, ev.on_behalf_of_id) == (world.staff_a2.id, world.head_a.id)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Đỗ Chuyên A2, thay mặt Trần Trưởng A" in page
    # both hear of it
    for u in (world.head_a, world.staff_a2):
        texts = list(db.session.scalars(db.select(Notification.text).where(Notification.user_id == u.id)))
        assert any("thay mặt Trần Trưởng A" in t for t in texts), (u.username, texts)
    # approval only: the delegate does not assign work nor explain overdue tasks
    r = client.post(f"/tasks/{task.id}/assign", data={"user_ids": [world.staff_a2.id]})
    assert r.status_code == 403


def test_the_delegate_hears_of_results_waiting(client, world):
    plan, task = _task(world, state="draft")
    _delegate(world, world.head_a, world.staff_a2)
    login(client, world.staff_a)
    assert client.post(f"/tasks/{task.id}/transition/submit").status_code == 302
    texts = list(db.session.scalars(db.select(Notification.text).where(Notification.user_id == world.staff_a2.id)))
    assert any(t.startswith("Chờ duyệt") for t in texts)


def test_expired_upcoming_revoked_or_other_plan_gives_nothing(client, world):
    plan, task = _task(world)
    other, _ = _task(world, plan_number="20/KH-SLĐTBXH")
    _delegate(world, world.head_a, world.staff_a2, date(2022, 5, 1), date(2022, 5, 19))      # expired
    _delegate(world, world.head_a, world.staff_a2, date(2022, 5, 21), date(2022, 5, 30))     # upcoming
    _delegate(world, world.head_a, world.staff_a2, revoked=True)
    _delegate(world, world.head_a, world.staff_a2, plan_id=other.id)                         # other plan
    _delegate(world, world.head_b, world.staff_b)                                            # other unit
    for who in (world.staff_a2, world.staff_b):
        login(client, who)
        r = client.post(f"/tasks/{task.id}/transition/approve")
        assert r.status_code in (404, 409), who.username
    assert _state(task) == "submitted"
    # ends today: still active (inclusive)
    _delegate(world, world.head_a, world.staff_a2, date(2022, 5, 20), date(2022, 5, 20), plan_id=plan.id)
    login(client, world.staff_a2)
    assert client.post(f"/tasks/{task.id}/transition/approve").status_code == 302
    assert _state(task) == "approved"


def test_a_delegate_moved_to_another_unit_loses_the_right(client, world):
    plan, task = _task(world)
    _delegate(world, world.head_a, world.staff_a2)
    world.staff_a2.unit_id = world.div_b.id
    db.session.commit()
    login(client, world.staff_a2)
    assert client.post(f"/tasks/{task.id}/transition/approve").status_code in (404, 409)
    assert _state(task) == "submitted"


def test_standing_approval_set_by_the_admin(client, world):
    plan, task = _task(world)
    login(client, world.admin)
    r = client.post(f"/admin/users/{world.staff_a2.id}", data={
        "username": "cv_btxh2", "full_name": "Đỗ Chuyên A2", "title": "Phó trưởng phòng",
        "unit_id": world.div_a.id, "role": "staff", "active": "y", "standing_approval": "y"})
    assert r.status_code == 302
    db.session.expire_all()
    assert world.staff_a2.standing_approval is True
    login(client, world.staff_a2)
    assert client.post(f"/tasks/{task.id}/transition/approve").status_code == 302
    ev = db.session.scalar(db.select(SubmissionEvent).where(SubmissionEvent.action == "approve"))
    assert ev.on_behalf_of_id is None   # in their own (standing) right
    # not in another unit
    _, other_task = _task(world, plan_number="21/KH-SLĐTBXH")
    other_task.lead_unit_id = world.div_b.id
    db.session.commit()
    r = client.post(f"/tasks/{other_task.id}/transition/approve")
    assert r.status_code in (404, 409)


# ---- leadership: plans and the report's signature ---------------------------------------------------

def _pgd(world):
    u = make_user("pgd", "leader", world.leadership, "Nguyễn Phó Giám", "Phó Giám đốc")
    db.session.commit()
    return u


def _pending_report(world):
    from app.reports import services as reports
    r = reports.open_report(world.office_user, "quarter", 2022, 1)
    reports.transition(world.office_user, r, "submit")
    return r


def _signature_lines(client, report_id):
    resp = client.get(f"/reports/{report_id}/report.docx")
    assert resp.status_code == 200
    d = Document(BytesIO(resp.get_data()))
    cell = d.tables[-1].rows[0].cells[1] if d.tables else None
    texts = []
    for t in d.tables:
        for row in t.rows:
            for c in row.cells:
                texts += [p.text for p in c.paragraphs if p.text.strip()]
    return texts


def _issue(client, report_id):
    return client.post(f"/reports/{report_id}/move/issue", data={
        "number": "", "issued_on": "20/05/2022", "confirm_gaps": "1"})   # the register's next number


def test_the_director_signs_in_own_right(client, world):
    r = _pending_report(world)
    login(client, world.leader)
    assert _issue(client, r.id).status_code == 302
    lines = _signature_lines(client, r.id)
    assert "GIÁM ĐỐC" in lines and not any(x.startswith(("KT.", "TUQ.")) for x in lines)


def test_a_deputy_under_delegation_signs_kt_giam_doc(client, world):
    pgd = _pgd(world)
    r = _pending_report(world)
    login(client, world.leader)
    assert client.post("/delegations/", data=_form(pgd, reason="Nghỉ phép")).status_code == 302
    login(client, pgd)
    assert _issue(client, r.id).status_code == 302
    ev = db.session.scalar(db.select(ReportEvent).where(ReportEvent.action == "issue"))
    assert (ev.actor_id, ev.on_behalf_of_id) == (pgd.id, world.leader.id)
    assert "Nguyễn Phó Giám, thay mặt Phạm Đức Huân" in client.get(f"/reports/{r.id}").get_data(as_text=True)
    lines = _signature_lines(client, r.id)
    i = lines.index("KT. GIÁM ĐỐC")
    assert lines[i + 1] == "PHÓ GIÁM ĐỐC" and lines[i + 2] == "Nguyễn Phó Giám"


def test_a_leadership_member_under_delegation_issues_a_plan(client, world):
    """A non-leader of the leadership (a secretary) holds the leader's approval only while
    delegated: reads the waiting plan, issues it, recorded on behalf of the Director; signs TUQ."""
    sec = make_user("thuky", "staff", world.leadership, "Lý Thư Ký", "Chánh Văn phòng")
    plan = make_plan(world, state="pending", number="30/KH-SLĐTBXH")
    make_next(world.agency, 2022, "30/KH-SLĐTBXH")   # the register is at 29: the plan keeps 30
    login(client, sec)
    assert client.get(f"/plans/{plan.id}").status_code == 404
    d = _delegate(world, world.leader, sec, kind="leader", plan_id=plan.id)
    assert client.get(f"/plans/{plan.id}").status_code == 200
    assert client.post(f"/plans/{plan.id}/transition/issue").status_code == 302
    db.session.expire_all()
    assert plan.state == "issued"
    ev = db.session.scalar(db.select(PlanEvent).where(PlanEvent.action == "issue"))
    assert (ev.actor_id, ev.on_behalf_of_id) == (sec.id, world.leader.id)
    login(client, world.office_user)
    assert "Lý Thư Ký, thay mặt Phạm Đức Huân" in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    texts = list(db.session.scalars(db.select(Notification.text).where(Notification.user_id == world.leader.id)))
    assert any("Lý Thư Ký, thay mặt Phạm Đức Huân" in t and "30/KH-SLĐTBXH" in t for t in texts)
    login(client, sec)
    # the delegation was for that plan: the report is not theirs to issue
    r = _pending_report(world)
    assert _issue(client, r.id).status_code in (403, 404, 409)
    d.plan_id = None
    db.session.commit()
    assert _issue(client, r.id).status_code == 302
    lines = _signature_lines(client, r.id)
    i = lines.index("TUQ. GIÁM ĐỐC")
    assert lines[i + 1] == "CHÁNH VĂN PHÒNG" and lines[i + 2] == "Lý Thư Ký"


def test_expired_leader_delegation_gives_nothing(client, world):
    sec = make_user("thuky", "staff", world.leadership, "Lý Thư Ký", "Chánh Văn phòng")
    plan = make_plan(world, state="pending", number="30/KH-SLĐTBXH")
    _delegate(world, world.leader, sec, date(2022, 5, 1), date(2022, 5, 19), kind="leader")
    login(client, sec)
    assert client.get(f"/plans/{plan.id}").status_code == 404
    assert client.post(f"/plans/{plan.id}/transition/issue").status_code in (403, 404, 409)
    db.session.expire_all()
    assert plan.state == "pending"


def test_the_delegates_home_lists_what_waits_for_approval(client, world):
    plan, task = _task(world)
    login(client, world.staff_a2)
    assert "thay Trưởng phòng" not in client.get("/").get_data(as_text=True)
    _delegate(world, world.head_a, world.staff_a2)
    page = client.get("/").get_data(as_text=True)
    assert "Chờ tôi duyệt (thay Trưởng phòng)" in page and task.content in page


def test_a_leaders_delegate_hears_of_a_report_waiting(client, world):
    sec = make_user("thuky", "staff", world.leadership, "Lý Thư Ký", "Chánh Văn phòng")
    _delegate(world, world.leader, sec, kind="leader")
    r = _pending_report(world)
    texts = list(db.session.scalars(db.select(Notification.text).where(Notification.user_id == sec.id)))
    assert any("trình Lãnh đạo duyệt" in t for t in texts)
    login(client, sec)
    assert client.get(f"/reports/{r.id}").status_code == 200
    assert client.get("/reports/").status_code in (403, 404)   # the list stays the overseers'


def test_the_demo_deputy_approves_for_the_head_of_btxh(app, client):
    from app.demo import DEMO_PASSWORD, load_demo
    from app.models import Task, User
    with app.app_context():
        load_demo(reset=True)
        pp = db.session.scalar(db.select(User).where(User.username == "pp_btxh"))
        task = db.session.scalar(db.select(Task).join(Submission).where(
            Submission.state == "submitted", Task.lead_unit_id == pp.unit_id))
        assert task is not None, "the demo has a BTXH result waiting for approval"
        task_id = task.id
    login(client, "pp_btxh", DEMO_PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Chờ tôi duyệt (thay Trưởng phòng)" in page
    assert client.post(f"/tasks/{task_id}/transition/approve").status_code == 302
    assert "Lành Thị Thảo, thay mặt Đinh Thị Lan" in client.get(f"/tasks/{task_id}").get_data(as_text=True)
