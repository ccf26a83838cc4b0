"""Recurring tasks: one instance per period, each with its own draft submission; reruns add
nothing; the office's report days decide the due dates."""
from datetime import date

from sqlalchemy import select

from app.calendar.services import save_report_days
from app.deadlines.services import generate_instances
from app.extensions import db
from app.models import Submission, Task
from tests.deadlines.conftest import make_task


def test_generate_instances_is_idempotent(world, app):
    parent = make_task(world, None, due_text="Hàng quý, năm", content="Báo cáo kiểm soát TTHC",
                       coop=[world.div_b])
    with app.test_request_context():
        created = generate_instances(parent, until=date(2022, 6, 30))
        db.session.commit()
        assert [(c.period_label, c.due_on) for c in created] == [
            ("Quý I/2022", date(2022, 3, 15)), ("Quý II/2022", date(2022, 6, 15))]
        assert generate_instances(parent, until=date(2022, 6, 30)) == []
        later = generate_instances(parent, until=date(2022, 12, 31))
        db.session.commit()
    # issue 17 item 9d: the fourth quarter and the year are one instance
    assert [(c.period_label, c.due_on) for c in later] == [("Quý III/2022", date(2022, 9, 15)),
                                                           ("Quý IV và năm 2022", date(2022, 12, 15))]
    children = db.session.scalars(select(Task).where(Task.parent_id == parent.id)).all()
    assert len(children) == 4
    assert all(c.submission.state == "draft" and c.lead_unit_id == world.div_a.id
               and [u.id for u in c.cooperating_units] == [world.div_b.id] for c in children)
    assert db.session.scalar(select(db.func.count(Submission.id))) == 5


def test_instances_made_before_the_merge_are_not_doubled(world, app):
    """A plan whose Q4 or year instance exists (made before issue 17) gets no combined copy."""
    parent = make_task(world, None, due_text="Hàng quý, năm", content="Báo cáo kiểm soát TTHC")
    db.session.add(Task(plan=parent.plan, content=parent.content, lead_unit_id=parent.lead_unit_id,
                        parent_id=parent.id, period_label="Năm 2022", due_on=date(2022, 12, 15)))
    db.session.commit()
    with app.test_request_context():
        created = generate_instances(parent, until=date(2022, 12, 31))
    assert [c.period_label for c in created] == ["Quý I/2022", "Quý II/2022", "Quý III/2022"]


def test_instances_are_labelled_on_the_plan_and_task_pages(world, app, client):
    from tests.conftest import login
    parent = make_task(world, None, due_text="Hàng quý, năm", content="Báo cáo kiểm soát TTHC")
    with app.test_request_context():
        generate_instances(parent, until=date(2022, 12, 31))
        db.session.commit()
    login(client, world.office_user)
    page = client.get(f"/plans/{parent.plan_id}").get_data(as_text=True)
    for label in ("Quý I/2022", "Quý II/2022", "Quý III/2022", "Quý IV và năm 2022"):
        assert f'<span class="badge period">{label}</span>' in page, label
    rows = client.get("/tasks/?q=kiem+soat").get_data(as_text=True)
    assert '<span class="badge period">Quý II/2022</span>' in rows
    child = db.session.scalar(select(Task).where(Task.period_label == "Quý II/2022"))
    body = client.get(f"/tasks/{child.id}").get_data(as_text=True)
    assert "Kỳ báo cáo: <strong>Quý II/2022</strong>" in body


def test_report_days_setting_moves_the_due_dates(world, app):
    save_report_days(world.office_user, {"monthly": {"day": 5}, "quarterly": {"month_of_quarter": 3, "day": 15},
                                         "yearly": {"month": 12, "day": 15}})
    parent = make_task(world, None, due_text="Hàng tháng", content="Thống kê danh mục TTHC")
    with app.test_request_context():
        created = generate_instances(parent, until=date(2022, 3, 31))
    assert [(c.period_label, c.due_on) for c in created] == [
        ("Tháng 01/2022", date(2022, 1, 5)), ("Tháng 02/2022", date(2022, 2, 5)),
        ("Tháng 03/2022", date(2022, 3, 5))]


def test_not_recurring_yields_nothing(world, app):
    t = make_task(world, date(2022, 5, 10))
    with app.test_request_context():
        assert generate_instances(t, until=date(2022, 12, 31)) == []
