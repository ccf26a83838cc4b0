"""Explanations (giải trình) of overdue tasks: the lead unit's head writes, office and
Director read."""
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Notification, TaskExplanation


def test_head_explains_an_overdue_task(world, as_user, task_factory):
    t = task_factory(date(2022, 5, 10))
    c = as_user(world.head_a)
    page = c.get(f"/tasks/{t.id}/explanations").get_data(as_text=True)
    assert "Quá hạn 8 ngày" in page and "Gửi giải trình" in page  # 11..20/05: 8 working days
    r = c.post(f"/tasks/{t.id}/explanations", data={"text": "Chờ số liệu của UBND huyện."})
    assert r.status_code == 302
    row = db.session.scalar(select(TaskExplanation))
    assert (row.task_id, row.author_id, row.text) == (t.id, world.head_a.id, "Chờ số liệu của UBND huyện.")
    notified = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "explanation")))
    assert notified == {world.office_user.id, world.leader.id}
    for reader in (world.office_user, world.leader):
        html = as_user(reader).get(f"/tasks/{t.id}/explanations").get_data(as_text=True)
        assert "Chờ số liệu của UBND huyện." in html and "Trần Trưởng A" in html
        assert "Gửi giải trình" not in html


def test_empty_explanation_is_refused_with_a_message(world, as_user, task_factory):
    t = task_factory(date(2022, 5, 10))
    r = as_user(world.head_a).post(f"/tasks/{t.id}/explanations", data={"text": "   "})
    assert r.status_code == 400 and "Nhập nội dung giải trình." in r.get_data(as_text=True)
    assert db.session.scalar(select(TaskExplanation.id)) is None


def test_who_may_explain(world, as_user, task_factory):
    overdue = task_factory(date(2022, 5, 10))
    on_time = task_factory(date(2022, 5, 30), plan=overdue.plan)
    accepted = task_factory(date(2022, 5, 10), plan=overdue.plan, state="accepted",
                            accepted_on=date(2022, 5, 12))
    data = {"text": "Lý do"}
    assert as_user(world.staff_a).post(f"/tasks/{overdue.id}/explanations", data=data).status_code == 403
    assert as_user(world.office_user).post(f"/tasks/{overdue.id}/explanations", data=data).status_code == 403
    assert as_user(world.head_b).post(f"/tasks/{overdue.id}/explanations", data=data).status_code == 404
    assert as_user(world.head_b).get(f"/tasks/{overdue.id}/explanations").status_code == 404
    assert as_user(world.head_a).post(f"/tasks/{on_time.id}/explanations", data=data).status_code == 403
    assert as_user(world.head_a).post(f"/tasks/{accepted.id}/explanations", data=data).status_code == 403
    html = as_user(world.head_a).get(f"/tasks/{accepted.id}/explanations").get_data(as_text=True)
    assert "Hoàn thành trễ hạn" in html
    assert db.session.scalar(select(TaskExplanation.id)) is None


def test_panel_on_the_task_page(world, as_user, task_factory):
    """submissions/task.html includes the panel with only `task` in its context."""
    t = task_factory(date(2022, 5, 10))
    c = as_user(world.head_a)
    html = c.get(f"/tasks/{t.id}").get_data(as_text=True)
    assert "Giải trình quá hạn" in html and "Gửi giải trình" in html
    assert f'name="next" value="/tasks/{t.id}"' in html
    r = c.post(f"/tasks/{t.id}/explanations", data={"text": "Đang chờ số liệu", "next": f"/tasks/{t.id}"})
    assert r.headers["Location"].endswith(f"/tasks/{t.id}")
    r = c.post(f"/tasks/{t.id}/explanations", data={"text": "x", "next": "https://evil.example/"})
    assert r.headers["Location"].endswith(f"/tasks/{t.id}/explanations")
    assert "Đang chờ số liệu" in as_user(world.office_user).get(f"/tasks/{t.id}").get_data(as_text=True)
    # The lead unit's staff reads it but does not write; another unit does not see the task.
    html = as_user(world.staff_a).get(f"/tasks/{t.id}").get_data(as_text=True)
    assert "Đang chờ số liệu" in html and "Gửi giải trình" not in html
    assert as_user(world.staff_b).get(f"/tasks/{t.id}").status_code == 404
