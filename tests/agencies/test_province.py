"""Provincial roles: the province office's plan gives tasks to agencies (through each agency's
office); the lead agency answers (office drafts, leader approves, province office accepts or
returns) or cascades the task into its own plan, whose progress the province sees."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Plan, Submission, Task
from tests.conftest import login, make_agency, make_unit, make_user
from tests.security.matrix_fixtures import build_x


@dataclass
class Province:
    agency: object
    office: object      # đầu mối KSTT, Văn phòng UBND tỉnh
    leader: object      # Chủ tịch UBND tỉnh
    plan: Plan
    task: Task          # led by agency A's office, agency X's office cooperates


@pytest.fixture
def province(world) -> Province:
    x = build_x()
    ubnd = make_agency("Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh", "UBND", kind="province",
                       order=1, header="ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    ubnd.settings = {"header_name": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "parent_header": ""}
    ld = make_unit("Lãnh đạo UBND tỉnh", "LD", "leadership", 1, agency=ubnd)
    ks = make_unit("Phòng Kiểm soát TTHC", "KSTT", "office", 2, agency=ubnd)
    office = make_user("vp_ubnd", "office", ks, "Đầu Mối Tỉnh")
    leader = make_user("chutich", "leader", ld, "Chủ Tịch Tỉnh", "Chủ tịch")
    db.session.flush()
    plan = Plan(agency_id=ubnd.id, number="28/KH-UBND", title="Rà soát, đánh giá thủ tục hành chính năm 2022",
                year=2022, kind="review", state="issued", issued_on=date(2022, 2, 11),
                issued_agency_name=ubnd.name, created_by_id=office.id)
    db.session.add(plan)
    db.session.flush()
    task = Task(plan_id=plan.id, position=1, content="Rà soát TTHC lĩnh vực lao động",
                lead_unit_id=world.office.id, due_text="Trước ngày 15/6/2022", due_on=date(2022, 6, 15))
    task.cooperating_units = [x.office_unit]
    db.session.add(task)
    db.session.flush()
    db.session.add(Submission(task_id=task.id, state="draft", result_text="KQ-TINH-NHAP"))
    db.session.commit()
    p = Province(ubnd, office, leader, plan, task)
    p.x = x
    return p


def test_the_task_reaches_the_lead_and_cooperating_agencies_only(world, province, client):
    t = province.task
    for user, code in ((world.office_user, 200), (world.leader, 200), (province.x.office, 200),
                       (province.office, 200), (world.staff_a, 404), (world.head_b, 404),
                       (province.x.staff, 404)):
        login(client, user)
        assert client.get(f"/tasks/{t.id}").status_code == code, user.username
    login(client, world.office_user)
    assert "Rà soát TTHC lĩnh vực lao động" in client.get("/tasks/?year=").get_data(as_text=True)
    login(client, world.staff_a)
    assert "Rà soát TTHC lĩnh vực lao động" not in client.get("/tasks/?year=").get_data(as_text=True)


def test_agency_answers_leader_approves_province_accepts(world, province, client):
    t = province.task
    login(client, province.office)   # the province never reads the agency's draft
    assert "KQ-TINH-NHAP" not in client.get(f"/tasks/{t.id}").get_data(as_text=True)
    login(client, world.office_user)
    sub = db.session.scalar(select(Submission).where(Submission.task_id == t.id))
    resp = client.post(f"/tasks/{t.id}/result", data={"result_text": "Đã rà soát 3 TTHC.",
                                                      "version": sub.version})
    assert resp.status_code in (200, 302)
    assert client.post(f"/tasks/{t.id}/transition/submit").status_code in (200, 302)
    # the province office cannot accept what the agency's leader has not approved
    login(client, province.office)
    client.post(f"/tasks/{t.id}/transition/accept")
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).state == "submitted"
    login(client, world.leader)
    assert client.post(f"/tasks/{t.id}/transition/approve").status_code in (200, 302)
    login(client, province.x.office)  # a cooperating agency is no approver
    client.post(f"/tasks/{t.id}/transition/office_return", data={"comment": "x"})
    login(client, province.office)
    page = client.get(f"/tasks/{t.id}").get_data(as_text=True)
    assert "Đã rà soát 3 TTHC." in page
    resp = client.post(f"/tasks/{t.id}/transition/office_return", data={"comment": ""})
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).state == "approved"   # a return needs its reason
    client.post(f"/tasks/{t.id}/transition/accept")
    db.session.expire_all()
    assert db.session.get(Submission, sub.id).state == "accepted"


def test_the_lead_agency_cascades_and_the_province_sees_progress(world, province, client):
    t = province.task
    login(client, province.x.office)   # cooperating, not lead: may not cascade
    assert client.post(f"/plans/cascade/{t.id}").status_code == 403
    login(client, world.office_user)
    assert "Lập kế hoạch triển khai" in client.get(f"/tasks/{t.id}").get_data(as_text=True)
    resp = client.post(f"/plans/cascade/{t.id}")
    assert resp.status_code == 302
    plan = db.session.scalar(select(Plan).where(Plan.agency_id == world.agency.id, Plan.state == "draft"))
    assert plan.basis.startswith("Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022 của Ủy ban nhân dân tỉnh")
    assert client.post(f"/plans/cascade/{t.id}").headers["Location"].endswith(f"/plans/{plan.id}")
    linked = db.session.scalar(select(Task).where(Task.plan_id == plan.id))
    assert linked.source_task_id == t.id and linked.lead_unit_id == world.office.id
    # the province office sees no draft plan of the agency, and no progress yet
    login(client, province.office)
    assert client.get(f"/plans/{plan.id}").status_code == 404
    assert "Chưa có kế hoạch triển khai nào được ban hành" in client.get(f"/tasks/{t.id}").get_data(as_text=True)
    # the agency gives the task to a division, issues the plan; the division's result is accepted
    linked.lead_unit_id = world.div_a.id
    db.session.commit()
    login(client, world.office_user)
    client.post(f"/plans/{plan.id}/edit", data={"number": "19/KH-SLĐTBXH", "title": plan.title,
                                                 "year": "2022", "kind": "review", "basis": plan.basis})
    client.post(f"/plans/{plan.id}/transition/submit")
    login(client, world.leader)
    client.post(f"/plans/{plan.id}/transition/issue")
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).state == "issued"
    sub = db.session.scalar(select(Submission).where(Submission.task_id == linked.id))
    sub.state = "accepted"
    db.session.commit()
    login(client, province.office)
    page = client.get(f"/tasks/{t.id}").get_data(as_text=True)
    assert "1 kế hoạch triển khai, 1 nhiệm vụ" in page and "đã hoàn thành 1 (100,00 %)" in page


def test_waiting_for_the_office_means_for_this_agencys_office(world, province, client, app):
    """A result the lead agency's leader approved waits for the province office, which accepts
    it: it is in the province office's queue (home list and sidebar), not in the queue of the
    cooperating agency's office (which still sees the task) nor of the lead agency's office."""
    from app.models import Submission
    from app.navigation import work_counters
    sub = db.session.scalar(select(Submission).where(Submission.task_id == province.task.id))
    sub.state = "approved"
    db.session.commit()

    def queue(user) -> tuple[bool, int]:
        login(client, user)
        body = client.get("/").get_data(as_text=True)
        section = body.split('id="home-to_accept"')[1].split("</section>")[0]
        listed = "Rà soát TTHC lĩnh vực lao động" in section
        todo = client.get("/tasks/?state=approved&here=1&year=").get_data(as_text=True)
        assert listed == ("Rà soát TTHC lĩnh vực lao động" in todo), user.username
        with app.test_request_context("/"):
            from flask_login import login_user
            login_user(db.session.get(type(user), user.id))
            n = next(c["count"] for c in work_counters() if c["key"] == "todo")
        return listed, n

    assert queue(province.office) == (True, 1)
    assert queue(province.x.office) == (False, 0)
    assert queue(world.office_user) == (False, 0)
    # the cooperating agency's office still finds it among the tasks it follows
    login(client, province.x.office)
    body = client.get("/tasks/?state=approved&year=").get_data(as_text=True)
    assert "Rà soát TTHC lĩnh vực lao động" in body
    # another agency's unit is named by its agency ("Văn phòng Sở" of which Sở?)
    row = body.split("Rà soát TTHC lĩnh vực lao động")[-1].split("</tr>")[0]
    assert world.agency.short_name in row and world.office.name not in row
    login(client, world.office_user)
    row = client.get("/tasks/?year=").get_data(as_text=True).split("Rà soát TTHC lĩnh vực lao động")[-1].split("</tr>")[0]
    assert world.office.name in row


def test_the_holder_names_the_lead_agency_and_the_province_office(world, province, client):
    """The task page's "Đang ở" names who holds a province task by its agencies, never
    "Văn phòng Sở": the lead agency answers and approves, the province's office accepts."""
    sub = db.session.scalar(select(Submission).where(Submission.task_id == province.task.id))
    login(client, world.office_user)

    def holder() -> str:
        page = client.get(f"/tasks/{province.task.id}").get_data(as_text=True)
        return page.split('id="holder">')[1].split("</div>")[0]

    assert holder() == f"{world.agency.short_name} (chưa giao chuyên viên)"
    sub.state = "submitted"
    db.session.commit()
    assert holder() == f"Lãnh đạo {world.agency.short_name}"
    sub.state = "approved"
    db.session.commit()
    assert holder() == "Phòng Kiểm soát TTHC (đầu mối kiểm soát TTHC)"
    assert "Văn phòng Sở" not in holder()


def test_the_province_plan_opens_for_the_overseers_of_agencies_given_a_task(world, province, client):
    """Its lead agency's leader (who approves the answer) and the cooperating agency's leader
    open the province's plan; an agency given nothing, and any agency's divisions, do not."""
    from tests.sendup.helpers import third_agency
    other, other_office = third_agency()
    for user, code in ((world.leader, 200), (world.office_user, 200), (province.x.leader, 200),
                       (province.leader, 200), (other_office, 404), (world.head_a, 404),
                       (province.x.staff, 404)):
        login(client, user)
        assert client.get(f"/plans/{province.plan.id}").status_code == code, user.username
