"""Builders for plans and tasks in tests (through the models, dated relative to the pinned day)."""
from __future__ import annotations

from datetime import date

from app.clock import now
from app.extensions import db
from app.models import Plan, Submission, Task, TaskAssignee


def make_plan(world, state: str = "issued", number: str = "19/KH-SLĐTBXH", year: int = 2022,
              tasks: list[dict] | None = None) -> Plan:
    plan = Plan(number=number, title="Rà soát, đánh giá thủ tục hành chính năm 2022", year=year,
                kind="review", state=state, created_by_id=world.office_user.id,
                issued_on=date(2022, 2, 25), created_at=now(), updated_at=now())
    db.session.add(plan)
    db.session.flush()
    for i, spec in enumerate(tasks if tasks is not None else [{}], start=1):
        add_task(world, plan, position=i, **spec)
    db.session.commit()
    return plan


def add_task(world, plan: Plan, position: int = 1, content: str | None = None, lead=None,
             cooperating=(), due_on: date | None = date(2022, 6, 15), state: str = "draft",
             assignees=None, result_text: str = "") -> Task:
    lead = lead or world.div_a
    task = Task(plan_id=plan.id, position=position, content=content or f"Nhiệm vụ {position}",
                lead_unit_id=lead.id, due_on=due_on, due_text=None, created_at=now())
    task.cooperating_units = list(cooperating)
    db.session.add(task)
    db.session.flush()
    if plan.state == "issued":
        db.session.add(Submission(task_id=task.id, state=state, result_text=result_text,
                                  updated_at=now(),
                                  accepted_at=now() if state == "accepted" else None))
    if assignees is None:
        assignees = [world.staff_a] if lead is world.div_a else []
    for u in assignees:
        db.session.add(TaskAssignee(task_id=task.id, user_id=u.id, assigned_by_id=world.head_a.id))
    db.session.flush()
    return task
