"""Stages with working-day budgets (seed 002) and their lateness."""
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import TaskStage

BUDGETS = "thời gian thực hiện 05 ngày; trong đó: Phòng chuyên môn: 03 ngày; Văn phòng Sở: 02 ngày"


def test_office_plans_stages_in_working_days(world, as_user, task_factory, app):
    t = task_factory(date(2024, 5, 20))
    c = as_user(world.office_user)
    r = c.post(f"/tasks/{t.id}/stages", data={"budgets": BUDGETS, "start": "26/04/2024"})
    assert r.status_code == 302
    stages = db.session.scalars(select(TaskStage).order_by(TaskStage.position)).all()
    # 27–28 weekend, 29/4, 30/4, 1/5 off; 2/5, 3/5, Saturday 4/5 (làm bù) -> 04/05; then 6/5, 7/5.
    assert [(s.name, s.budget_days, s.due_on, s.unit_id) for s in stages] == [
        ("Phòng chuyên môn", 3, date(2024, 5, 4), None),
        ("Văn phòng Sở", 2, date(2024, 5, 7), world.office.id)]
    html = c.get(f"/tasks/{t.id}/explanations").get_data(as_text=True)
    assert "04/05/2024" in html and "07/05/2024" in html
    assert "stage-late\">" not in html  # today (20/05/2022) is before both stages


def test_stage_lateness_and_completion(world, as_user, task_factory, app):
    t = task_factory(date(2022, 5, 25))
    c = as_user(world.office_user)
    c.post(f"/tasks/{t.id}/stages", data={"budgets": "Phòng chuyên môn: 03 ngày; Văn phòng Sở: 02 ngày",
                                          "start": "10/05/2022"})
    first, second = db.session.scalars(select(TaskStage).order_by(TaskStage.position)).all()
    assert (first.due_on, second.due_on) == (date(2022, 5, 13), date(2022, 5, 17))
    html = c.get(f"/tasks/{t.id}/explanations").get_data(as_text=True)
    assert "Trễ 5 ngày làm việc" in html and "Trễ 3 ngày làm việc" in html  # today 20/05/2022
    assert as_user(world.head_b).post(f"/tasks/{t.id}/stages/{first.id}/done").status_code == 404
    assert as_user(world.staff_a).post(f"/tasks/{t.id}/stages/{first.id}/done").status_code == 403
    assert as_user(world.head_a).post(f"/tasks/{t.id}/stages/{first.id}/done").status_code == 302
    db.session.refresh(first)
    assert first.done_on == date(2022, 5, 20)


def test_bad_budgets_keep_the_input(world, as_user, task_factory):
    t = task_factory(date(2022, 5, 25))
    c = as_user(world.office_user)
    r = c.post(f"/tasks/{t.id}/stages", data={"budgets": "Phòng chuyên môn ba ngày", "start": "10/05/2022"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Không hiểu bước" in html and 'value="Phòng chuyên môn ba ngày"' in html
    r = c.post(f"/tasks/{t.id}/stages", data={"budgets": BUDGETS, "start": "hôm qua"})
    assert r.status_code == 400 and "Ngày bắt đầu không hợp lệ" in r.get_data(as_text=True)
    assert as_user(world.head_a).post(f"/tasks/{t.id}/stages", data={"budgets": BUDGETS, "start": "10/05/2022"}).status_code == 403
    assert db.session.scalar(select(TaskStage.id)) is None
