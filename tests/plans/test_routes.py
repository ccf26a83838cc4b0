import io
import re

import openpyxl

from app.extensions import db
from app.models import Notification, Plan, PlanEvent, Submission, Task
from tests.conftest import login
from tests.factories import make_plan

PLAN_FORM = {"number": "19/KH-SLĐTBXH", "issued_on": "25/02/2022",
             "title": "Rà soát, đánh giá thủ tục hành chính năm 2022",
             "basis": "Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022", "year": "2022",
             "kind": "review", "targets": "Cắt giảm ít nhất 30%"}


def test_office_creates_plan(client, world):
    login(client, world.office_user)
    r = client.post("/plans/new", data=PLAN_FORM)
    assert r.status_code == 302
    plan = db.session.scalar(db.select(Plan))
    assert plan.number == "19/KH-SLĐTBXH" and plan.state == "draft"
    assert plan.issued_on.isoformat() == "2022-02-25"
    assert db.session.scalar(db.select(PlanEvent.action)) == "create"


def test_plan_validation_keeps_input(client, world):
    login(client, world.office_user)
    r = client.post("/plans/new", data={**PLAN_FORM, "title": "", "issued_on": "32/13/2022"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Nhập tiêu đề kế hoạch." in body
    assert "Ngày không hợp lệ" in body
    assert 'value="32/13/2022"' in body and 'value="19/KH-SLĐTBXH"' in body
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 0


def test_only_office_creates_plans(client, world):
    for user in (world.staff_a, world.head_a, world.leader, world.admin):
        login(client, user)
        assert client.get("/plans/new").status_code == 403
        assert client.post("/plans/new", data=PLAN_FORM).status_code == 403


def test_add_task_and_validation(client, world):
    plan = make_plan(world, state="draft", tasks=[])
    login(client, world.office_user)
    r = client.post(f"/plans/{plan.id}/tasks", data={
        "content": "", "lead_unit_id": "0", "due_on": "abc", "due_text": "Trước ngày 05/4/2022"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Nhập nội dung nhiệm vụ." in body and "Ngày không hợp lệ" in body
    assert 'value="Trước ngày 05/4/2022"' in body
    r = client.post(f"/plans/{plan.id}/tasks", data={
        "content": "Rà soát TTHC lĩnh vực bảo trợ xã hội", "lead_unit_id": str(world.div_a.id),
        "cooperating_unit_ids": [str(world.div_b.id), str(world.local.id)],
        "due_on": "15/06/2022", "due_text": "Trước ngày 15/6/2022", "product": "Báo cáo"})
    assert r.status_code == 302
    task = db.session.scalar(db.select(Task))
    assert task.lead_unit_id == world.div_a.id
    assert {u.id for u in task.cooperating_units} == {world.div_b.id, world.local.id}
    assert task.due_on.isoformat() == "2022-06-15"


def test_lead_cannot_also_cooperate(client, world):
    plan = make_plan(world, state="draft", tasks=[])
    login(client, world.office_user)
    r = client.post(f"/plans/{plan.id}/tasks", data={
        "content": "X", "lead_unit_id": str(world.div_a.id), "cooperating_unit_ids": [str(world.div_a.id)]})
    assert r.status_code == 400
    assert "không đồng thời là đơn vị phối hợp" in r.get_data(as_text=True)


def test_edit_and_delete_task_records_history(client, world):
    plan = make_plan(world, state="draft")
    task = plan.tasks[0]
    login(client, world.office_user)
    assert client.get(f"/plans/{plan.id}/tasks/{task.id}/edit").status_code == 200
    r = client.post(f"/plans/{plan.id}/tasks/{task.id}/edit", data={
        "content": "Nội dung mới", "lead_unit_id": str(world.div_b.id), "due_on": "30/06/2022"})
    assert r.status_code == 302
    db.session.refresh(task)
    assert task.content == "Nội dung mới" and task.lead_unit_id == world.div_b.id
    events = db.session.scalars(db.select(PlanEvent.comment).where(PlanEvent.action == "task_edit")).all()
    assert any("Nhiệm vụ 1" in e and "Nội dung mới" in e for e in events)
    assert client.post(f"/plans/{plan.id}/tasks/{task.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Task.id))) == 0


def test_plan_workflow_submit_return_issue(client, world):
    plan = make_plan(world, state="draft", tasks=[{"lead": world.div_a, "cooperating": [world.div_b]}])
    login(client, world.office_user)
    assert client.post(f"/plans/{plan.id}/transition/submit").status_code == 302
    db.session.refresh(plan)
    assert plan.state == "pending"
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == world.leader.id))
    # office cannot issue its own plan
    r = client.post(f"/plans/{plan.id}/transition/issue")
    assert r.status_code == 409 and "không có quyền" in r.get_data(as_text=True)
    login(client, world.leader)
    r = client.post(f"/plans/{plan.id}/transition/return", data={"comment": ""})
    assert r.status_code == 409 and "cần ghi rõ lý do" in r.get_data(as_text=True)
    assert client.post(f"/plans/{plan.id}/transition/return", data={"comment": "Bổ sung mục tiêu"}).status_code == 302
    db.session.refresh(plan)
    assert plan.state == "draft"
    login(client, world.office_user)
    client.post(f"/plans/{plan.id}/transition/submit")
    login(client, world.leader)
    assert client.post(f"/plans/{plan.id}/transition/issue").status_code == 302
    db.session.refresh(plan)
    assert plan.state == "issued"
    sub = db.session.scalar(db.select(Submission))
    assert sub is not None and sub.state == "draft"
    notified = set(db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "plan_issued")))
    assert world.head_a.id in notified and world.head_b.id in notified
    history = [e.action for e in plan.events]
    assert history == ["submit", "return", "submit", "issue"]


def test_empty_plan_cannot_be_submitted(client, world):
    plan = make_plan(world, state="draft", tasks=[])
    db.session.execute(db.delete(Task))
    db.session.commit()
    login(client, world.office_user)
    r = client.post(f"/plans/{plan.id}/transition/submit")
    assert r.status_code == 409 and "chưa có nhiệm vụ" in r.get_data(as_text=True)


def test_issued_plan_cannot_be_edited(client, world):
    plan = make_plan(world, state="issued")
    login(client, world.office_user)
    assert client.get(f"/plans/{plan.id}/edit").status_code == 403
    assert client.post(f"/plans/{plan.id}/tasks", data={"content": "x", "lead_unit_id": world.div_a.id}).status_code == 403


def test_units_see_only_issued_plans_with_their_tasks(client, world):
    draft = make_plan(world, state="draft", number="1/KH-DRAFT")
    issued_a = make_plan(world, state="issued", number="2/KH-A", tasks=[{"lead": world.div_a}])
    issued_b = make_plan(world, state="issued", number="3/KH-B", tasks=[{"lead": world.div_b}])
    login(client, world.staff_a)
    body = client.get("/plans/").get_data(as_text=True)
    assert "2/KH-A" in body and "3/KH-B" not in body and "1/KH-DRAFT" not in body
    assert client.get(f"/plans/{draft.id}").status_code == 404
    assert client.get(f"/plans/{issued_b.id}").status_code == 404
    assert client.get(f"/plans/{issued_a.id}").status_code == 200
    login(client, world.leader)
    body = client.get("/plans/").get_data(as_text=True)
    assert all(n in body for n in ("1/KH-DRAFT", "2/KH-A", "3/KH-B"))


def test_cooperating_unit_sees_plan(client, world):
    plan = make_plan(world, tasks=[{"lead": world.div_a, "cooperating": [world.div_b]}])
    login(client, world.staff_b)
    assert client.get(f"/plans/{plan.id}").status_code == 200


def test_plan_list_filter_fragment(client, world):
    make_plan(world, number="2/KH-A", year=2022)
    make_plan(world, number="7/KH-X", year=2023)
    login(client, world.office_user)
    r = client.get("/plans/?year=2023", headers={"HX-Request": "true", "HX-Target": "rows"})
    body = r.get_data(as_text=True)
    assert "7/KH-X" in body and "2/KH-A" not in body
    assert "<html" not in body  # only the rows block
    assert "HX-Request" in r.headers.get("Vary", "")


def test_tracker_xlsx(client, world):
    plan = make_plan(world, tasks=[
        {"content": "Rà soát BTXH", "lead": world.div_a, "cooperating": [world.div_b], "state": "accepted",
         "result_text": "Đã rà soát 03 TTHC"},
        {"content": "Rà soát LĐVL", "lead": world.div_b, "state": "draft"},
    ])
    login(client, world.staff_a)
    assert client.get(f"/plans/{plan.id}/tracker.xlsx").status_code == 403
    login(client, world.office_user)
    r = client.get(f"/plans/{plan.id}/tracker.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    ws = wb["Theo dõi nhiệm vụ"]
    assert ws["A2"].value == "BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ"
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref.startswith("A5")
    assert [c.value for c in ws[5]][:3] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"]
    assert ws["B6"].value == "Rà soát BTXH" and ws["D6"].value == world.div_b.name
    assert ws["G6"].value == "Hoàn thành" and ws["K6"].value == "Đã rà soát 03 TTHC"
    assert ws["F6"].value.date().isoformat() == "2022-06-15"
    assert ws["J7"].value == 0  # due 15/06, today 20/05: not late
    s = wb["Tổng hợp theo đơn vị"]
    assert s["A5"].value == world.div_a.name and s["B5"].value == 1 and s["C5"].value == 1
    assert s["A7"].value == "Tổng cộng" and s["B7"].value == "=SUM(B5:B6)"


def test_plan_page_paginates_tasks(client, world):
    plan = make_plan(world, tasks=[{"content": f"Nhiệm vụ thứ {i:03d}"} for i in range(1, 61)])
    login(client, world.office_user)
    body = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Nhiệm vụ (60)" in body and "Trang 1/2" in body
    assert "Nhiệm vụ thứ 050" in body and "Nhiệm vụ thứ 051" not in body
    r = client.get(f"/plans/{plan.id}?page=2", headers={"HX-Request": "true", "HX-Target": "plan-body"})
    body = r.get_data(as_text=True)
    assert "Nhiệm vụ thứ 051" in body and "<html" not in body and "<td>51</td>" in body
    # the tracker still holds every task
    rows = openpyxl.load_workbook(io.BytesIO(client.get(f"/plans/{plan.id}/tracker.xlsx").data))["Theo dõi nhiệm vụ"]
    assert rows.max_row == 5 + 60


def test_plan_number_used_in_the_year_is_refused_next_to_the_field(client, world):
    """Issue 17 item 9g: a plan number (number and symbol, so the agency is part of it) is used
    once a year; written with other spaces, case or accents it is the same number."""
    from app.domain.text import document_number_key
    assert document_number_key(" 19 / kh – SLĐTBXH ") == document_number_key("19/KH-SLĐTBXH") == "19/kh-sldtbxh"
    assert document_number_key("Số 19/KH-SLĐTBXH") == "19/kh-sldtbxh"
    make_plan(world, state="issued", number="19/KH-SLĐTBXH", year=2022)
    login(client, world.office_user)
    r = client.post("/plans/new", data={**PLAN_FORM, "number": "19/kh - SLĐTBXH"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and 'value="19/kh - SLĐTBXH"' in body
    tag = re.search(r'<input[^>]*id="number"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in tag and 'id="number-error"' in body
    assert "đã được dùng cho kế hoạch năm 2022" in body
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 1
    # the same number another year, or another agency's symbol, is a different plan number
    assert client.post("/plans/new", data={**PLAN_FORM, "year": "2023"}).status_code == 302
    assert client.post("/plans/new", data={**PLAN_FORM, "number": "19/KH-UBND"}).status_code == 302
    # editing a plan into another's number is refused too; keeping its own number is not
    other = db.session.scalar(db.select(Plan).where(Plan.number == "19/KH-UBND"))
    r = client.post(f"/plans/{other.id}/edit", data={**PLAN_FORM})
    assert r.status_code == 400 and "đã được dùng" in r.get_data(as_text=True)
    assert client.post(f"/plans/{other.id}/edit", data={**PLAN_FORM, "number": "19/KH-UBND",
                                                         "title": "Tiêu đề mới"}).status_code == 302
