"""The deadlines demo hook, run by the real `flask demo` loader."""
from datetime import date

from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.models import Task, TaskExplanation, TaskStage


def test_demo_adds_recurring_stages_and_explanation(ctx, app):
    app.config["PORTAL_TODAY"] = "2022-06-10"
    load_demo(reset=True)
    parent = db.session.scalar(select(Task).where(Task.due_text == "Hàng quý, năm"))
    children = db.session.scalars(select(Task).where(Task.parent_id == parent.id)
                                  .order_by(Task.due_on, Task.id)).all()
    assert [c.period_label for c in children] == ["Quý I/2022", "Quý II/2022", "Quý III/2022",
                                                  "Quý IV và năm 2022"]  # issue 17 item 9d
    assert all(c.submission.state == "draft" for c in children)
    stages = db.session.scalars(select(TaskStage).order_by(TaskStage.position)).all()
    assert [(s.name, s.due_on) for s in stages] == [("Phòng chuyên môn", date(2022, 6, 23)),
                                                    ("Văn phòng Sở", date(2022, 6, 27))]
    assert db.session.scalar(select(db.func.count(TaskExplanation.id))) == 1
