"""Builders for review tests: a plan with a review task, its submission, the demo catalog."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.text import fold
from app.extensions import db
from app.models import Plan, Procedure, Submission, Task, TaskAssignee
from app.models.review import ProcedureReview


def make_procedure(code: str, name: str, level: str = "Cấp xã", days: int | None = 20, **kw) -> Procedure:
    p = Procedure(code=code, name=name, name_folded=fold(name), level=level,
                  processing_days=Decimal(days) if days is not None else None, **kw)
    db.session.add(p)
    return p


def make_review_task(world, unit=None, state: str = "draft", procedures=(), plan: Plan | None = None,
                     assign=None) -> Task:
    unit = unit or world.div_a
    if plan is None:
        plan = Plan(number="19/KH-SLĐTBXH", title="Kế hoạch rà soát, đánh giá TTHC năm 2022", year=2022,
                    kind="review", state="issued", created_by_id=world.office_user.id,
                    issued_on=date(2022, 2, 21), time_cut_target=Decimal(30))
        db.session.add(plan)
    task = Task(plan=plan, content="Rà soát, đề xuất cắt giảm thời hạn giải quyết TTHC cấp xã",
                lead_unit_id=unit.id, due_text="Trước ngày 05/4/2022", due_on=date(2022, 4, 5))
    task.submission = Submission(state=state)
    db.session.add(task)
    db.session.flush()
    for n, p in enumerate(procedures, start=1):
        db.session.add(ProcedureReview(task_id=task.id, procedure_id=p.id, position=n,
                                       current_days=p.processing_days))
    for user in (assign if assign is not None else [world.staff_a]):
        db.session.add(TaskAssignee(task_id=task.id, user_id=user.id, assigned_by_id=world.head_a.id))
    db.session.commit()
    return task


def set_state(task: Task, state: str) -> None:
    """Stand-in for the submission workflow (app/submissions) until it is merged."""
    task.submission.state = state
    db.session.commit()
