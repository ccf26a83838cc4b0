"""Demo data of the deadlines feature, on top of the core demo (plan 19/KH-SLĐTBXH): a recurring
quarterly report with its instances, stages with working-day budgets, and an explanation of an
overdue task."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.calendar.services import load_calendar
from app.deadlines.services import generate_instances
from app.domain.formatting import utc_of_local
from app.extensions import db
from app.models import Plan, Submission, Task, TaskExplanation, TaskStage, Unit, User


def load(today: date) -> None:
    plan = db.session.scalar(select(Plan).where(Plan.number == "19/KH-SLĐTBXH"))
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    users = {u.username: u for u in db.session.scalars(select(User))}
    if plan is None or "VP" not in units:
        return
    report = Task(plan=plan, position=900, group_label="4. Tổng hợp của Văn phòng Sở",
                  content="Báo cáo kết quả thực hiện công tác kiểm soát TTHC",
                  lead_unit=units["VP"], due_text="Hàng quý, năm",
                  product="Báo cáo quý, năm gửi UBND tỉnh")
    report.cooperating_units = [u for c, u in units.items() if u.kind == "division"]
    report.submission = Submission(state="draft")
    db.session.add(report)
    db.session.flush()
    generate_instances(report, until=date(plan.year, 12, 31))

    # Seed 002's rule: 05 working days, of which the division 03 and the office 02.
    final = db.session.scalar(select(Task).where(Task.plan_id == plan.id,
                                                 Task.content.like("Tổng hợp Báo cáo kết quả rà soát%")))
    if final is not None and not final.stages:
        cal = load_calendar()
        start = date(2022, 6, 20)
        first = cal.add_working_days(start, 3)
        db.session.add_all([
            TaskStage(task=final, position=1, name="Phòng chuyên môn", budget_days=3, due_on=first),
            TaskStage(task=final, position=2, name="Văn phòng Sở", unit_id=units["VP"].id,
                      budget_days=2, due_on=cal.add_working_days(first, 2))])

    overdue = db.session.scalar(select(Task).where(Task.plan_id == plan.id,
                                                   Task.lead_unit_id == units["CAOLOC"].id))
    author = users.get("dm_caoloc")
    if overdue is not None and author is not None and overdue.due_on and overdue.due_on < today:
        db.session.add(TaskExplanation(
            task_id=overdue.id, author_id=author.id,
            text=("UBND huyện đã tổng hợp kết quả rà soát của 23 xã, thị trấn và phê duyệt ngày "
                  "30/5/2022; chậm gửi do chờ ý kiến của 02 xã về thành phần hồ sơ."),
            created_at=utc_of_local(today, 8, 30)))
