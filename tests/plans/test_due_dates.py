"""Issue 17.4: tasks added by hand get their due date from the deadline words, a plan with
undated tasks is submitted only after the office has seen them, and the office sets or
changes a deadline after issue (with a reason, in the task's history, the units told)."""
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Notification, PlanEvent, Submission, SubmissionEvent, Task
from app.tracking import services as tracking
from app.tracking.services import TaskFilters
from tests.conftest import login
from tests.factories import add_task, make_plan

EVENT = "Sau khi UBND tỉnh ban hành KH kiểm soát TTHC 2022 của tỉnh"


def _task_form(world, **extra):
    return {"content": "Rà soát TTHC lĩnh vực bảo trợ xã hội", "lead_unit_id": str(world.div_a.id), **extra}


def test_an_added_task_gets_its_date_from_the_words(client, world):
    plan = make_plan(world, state="draft", tasks=[])
    login(client, world.office_user)
    r = client.post(f"/plans/{plan.id}/tasks", data=_task_form(world, due_text="Quý III/2022"))
    assert r.status_code == 302
    task = db.session.scalar(select(Task))
    assert task.due_on == date(2022, 9, 30)
    # An edit of the words alone (the form still shows the old date) computes the new date.
    r = client.post(f"/plans/{plan.id}/tasks/{task.id}/edit",
                    data=_task_form(world, due_text="Trước ngày 05/4/2022", due_on="30/09/2022"))
    assert r.status_code == 302
    db.session.refresh(task)
    assert task.due_on == date(2022, 4, 5)
    # A typed date contradicting the words is refused next to the field, nothing typed is lost.
    r = client.post(f"/plans/{plan.id}/tasks/{task.id}/edit",
                    data=_task_form(world, due_text="Trước ngày 05/4/2022", due_on="15/04/2022"))
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Khác với thời gian thực hiện" in body
    assert 'value="15/04/2022"' in body and 'value="Trước ngày 05/4/2022"' in body
    db.session.refresh(task)
    assert task.due_on == date(2022, 4, 5)


def test_an_event_bound_task_stays_undated_and_says_why(client, world):
    plan = make_plan(world, state="draft", tasks=[])
    login(client, world.office_user)
    r = client.post(f"/plans/{plan.id}/tasks", data=_task_form(world, due_text=EVENT), follow_redirects=True)
    body = r.get_data(as_text=True)
    assert "chưa có hạn hoàn thành" in body and "sự kiện" in body
    assert db.session.scalar(select(Task.due_on)) is None


def test_an_added_recurring_task_gets_its_instances(client, world):
    plan = make_plan(world, state="draft", tasks=[])
    login(client, world.office_user)
    client.post(f"/plans/{plan.id}/tasks", data=_task_form(world, due_text="Hàng quý, năm"))
    parent = db.session.scalar(select(Task).where(Task.parent_id.is_(None)))
    children = db.session.scalars(select(Task).where(Task.parent_id == parent.id).order_by(Task.due_on, Task.id)).all()
    assert [(c.period_label, c.due_on) for c in children] == [
        ("Quý I/2022", date(2022, 3, 15)), ("Quý II/2022", date(2022, 6, 15)),
        ("Quý III/2022", date(2022, 9, 15)), ("Quý IV/2022", date(2022, 12, 15)),
        ("Năm 2022", date(2022, 12, 15))]
    assert db.session.scalar(select(db.func.count(Submission.id))) == 0  # a draft carries no work
    # In a draft, rewording re-derives the instances (no work to lose yet).
    client.post(f"/plans/{plan.id}/tasks/{parent.id}/edit", data=_task_form(world, due_text="Hàng tháng"))
    assert db.session.scalar(select(db.func.count(Task.id)).where(Task.parent_id == parent.id)) == 12


def test_submitting_a_plan_with_undated_tasks_needs_the_office_to_confirm(client, world):
    plan = make_plan(world, state="draft", tasks=[{"content": "Có hạn"}])
    add_task(world, plan, position=2, content="Chờ sự kiện", due_on=None)
    db.session.commit()
    task = db.session.scalar(select(Task).where(Task.content == "Chờ sự kiện"))
    task.due_text = EVENT
    db.session.commit()
    login(client, world.office_user)
    body = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "1 nhiệm vụ chưa có hạn hoàn thành" in body and "Chờ sự kiện" in body
    r = client.post(f"/plans/{plan.id}/transition/submit", data={})
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and "1 nhiệm vụ chưa có hạn hoàn thành" in body and "Chờ sự kiện" in body
    db.session.refresh(plan)
    assert plan.state == "draft"
    r = client.post(f"/plans/{plan.id}/transition/submit", data={"confirm_undated": "1"})
    assert r.status_code == 302
    db.session.refresh(plan)
    assert plan.state == "pending"
    comment = db.session.scalar(select(PlanEvent.comment).where(PlanEvent.action == "submit"))
    assert "1 nhiệm vụ chưa có hạn" in comment and "Chờ sự kiện" in comment


def test_the_office_sets_a_deadline_after_issue(client, world):
    plan = make_plan(world, tasks=[{"content": "Chờ sự kiện", "due_on": None,
                                    "cooperating": [world.div_b]}])
    task = db.session.scalar(select(Task))
    task.due_text = EVENT
    db.session.commit()
    login(client, world.office_user)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'action="/tasks/{task.id}/deadline"' in page
    # The reason is required; nothing changes without it and nothing typed is lost.
    r = client.post(f"/tasks/{task.id}/deadline", data={"due_on": "15/07/2022", "reason": ""})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Ghi lý do" in body and 'value="15/07/2022"' in body
    db.session.refresh(task)
    assert task.due_on is None
    r = client.post(f"/tasks/{task.id}/deadline", data={
        "due_text": EVENT, "due_on": "18/05/2022", "reason": "UBND tỉnh ban hành KH ngày 01/5/2022"})
    assert r.status_code == 302
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    assert task.due_on == date(2022, 5, 18)
    event = db.session.scalar(select(SubmissionEvent).where(SubmissionEvent.action == "deadline"))
    assert "UBND tỉnh ban hành KH ngày 01/5/2022" in event.comment and "18/05/2022" in event.comment
    assert db.session.scalar(select(PlanEvent).where(PlanEvent.action == "task_deadline")) is not None
    timeline = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Đổi hạn" in timeline and "UBND tỉnh ban hành KH ngày 01/5/2022" in timeline
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "deadline")))
    assert {world.head_a.id, world.staff_a.id, world.head_b.id} <= told
    assert world.office_user.id not in told
    # The overdue lists follow the new date (work columns and unit_tasks).
    assert tracking.counts(world.head_b, TaskFilters(due="overdue")) == 1
    assert tracking.counts(world.office_user, TaskFilters(due="overdue")) == 1


def test_only_the_office_changes_a_deadline_and_words_must_agree(client, world):
    plan = make_plan(world, tasks=[{"content": "Có hạn", "due_on": date(2022, 6, 30)}])
    task = db.session.scalar(select(Task))
    login(client, world.head_a)
    assert client.post(f"/tasks/{task.id}/deadline", data={"due_on": "15/07/2022", "reason": "x"}).status_code == 403
    login(client, world.office_user)
    r = client.post(f"/tasks/{task.id}/deadline", data={
        "due_text": "Trước ngày 30/6/2022", "due_on": "15/07/2022", "reason": "Lùi hạn"})
    assert r.status_code == 400 and "Khác với thời gian thực hiện" in r.get_data(as_text=True)
    r = client.post(f"/tasks/{task.id}/deadline", data={"due_text": "Quý III/2022", "reason": "Lùi hạn"})
    assert r.status_code == 302
    db.session.refresh(task)
    assert (task.due_text, task.due_on) == ("Quý III/2022", date(2022, 9, 30))
    assert plan.id


def test_after_issue_a_recurring_task_changes_one_instance_at_a_time(client, world, app):
    from app.deadlines.services import generate_instances
    plan = make_plan(world, tasks=[{"content": "Báo cáo quý", "due_on": None}])
    parent = db.session.scalar(select(Task))
    parent.due_text = "Hàng quý"
    with app.test_request_context():
        generate_instances(parent, until=date(2022, 12, 31))
    db.session.commit()
    q2 = db.session.scalar(select(Task).where(Task.period_label == "Quý II/2022"))
    q2.submission.result_text = "Đã gửi báo cáo quý II"
    db.session.commit()
    login(client, world.office_user)
    r = client.post(f"/tasks/{parent.id}/deadline", data={"due_text": "Hàng tháng", "reason": "Đổi kỳ"})
    assert r.status_code == 400 and "từng kỳ" in r.get_data(as_text=True)
    r = client.post(f"/tasks/{q2.id}/deadline", data={"due_on": "20/06/2022", "reason": "Lùi hạn quý II"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Task.id)).where(Task.parent_id == parent.id)) == 4
    q2 = db.session.scalar(select(Task).where(Task.period_label == "Quý II/2022"))
    assert q2.due_on == date(2022, 6, 20) and q2.submission.result_text == "Đã gửi báo cáo quý II"
