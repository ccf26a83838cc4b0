"""Following the work: task lists, overdue and due-soon, per-unit progress (aggregated in SQL)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from app import access
from app.calendar.services import get_calendar
from app.clock import today
from app.deadlines.services import due_status
from app.domain import workflow as wf
from app.extensions import db
from app.models import Plan, Submission, Task, TaskAssignee, Unit, User


@dataclass
class TaskFilters:
    plan_id: int | None = None
    unit_id: int | None = None
    state: str | None = None
    q: str | None = None
    due: str | None = None          # "overdue" | "soon" | None
    mine: bool = False


@dataclass
class TaskRow:
    task: Task
    state: str
    days_left: int | None           # negative: days overdue


def due_soon_days() -> int:
    return current_app.config["DUE_SOON_DAYS"]


def days_left(start: date, due: date) -> int:
    """Working days from start to the due date; negative when overdue (the deadlines feature's
    rule, so a deadline that fell on a day off is overdue the day after too)."""
    return due_status(due, None, start, get_calendar(), due_soon_days()).days_left


def soon_cutoff(start: date) -> date:
    return get_calendar().add_working_days(start, due_soon_days())


def _base(user: User, with_submission: bool = True) -> Select:
    q = select(Task).join(Task.plan)
    if with_submission:
        q = q.join(Task.submission)
    return q.where(access.visible_tasks_filter(user, plan_joined=True))


def _count(user: User, f: TaskFilters) -> int:
    # Every task of an issued plan has its submission (made on issue), so the count joins it
    # only when a filter reads it: the planner then starts from the unit's tasks.
    needs_submission = bool(f.due) or f.state in wf.SUBMISSION.states
    q = _apply(_base(user, with_submission=needs_submission), user, f)
    return db.session.scalar(select(func.count()).select_from(q.with_only_columns(Task.id).subquery())) or 0


def _apply(q: Select, user: User, f: TaskFilters) -> Select:
    t0 = today()
    if f.plan_id:
        q = q.where(Task.plan_id == f.plan_id)
    if f.unit_id:
        q = q.where(Task.lead_unit_id == f.unit_id)
    if f.state in wf.SUBMISSION.states:
        q = q.where(Submission.state == f.state)
    if f.q:
        q = q.where(Task.content.ilike(f"%{f.q.strip()}%"))
    if f.mine:
        q = q.where(Task.id.in_(select(TaskAssignee.task_id).where(TaskAssignee.user_id == user.id)))
    open_ = Submission.state != "accepted"
    if f.due == "overdue":
        q = q.where(open_, Task.due_on < t0)
    elif f.due == "soon":
        q = q.where(open_, Task.due_on >= t0, Task.due_on <= soon_cutoff(t0))
    elif f.due == "attention":
        q = q.where(open_, Task.due_on <= soon_cutoff(t0))
    return q


def list_tasks(user: User, f: TaskFilters, offset: int, limit: int) -> tuple[list[TaskRow], int]:
    q = _apply(_base(user), user, f)
    total = _count(user, f)
    tasks = db.session.scalars(
        q.options(contains_eager(Task.plan), contains_eager(Task.submission),
                  selectinload(Task.lead_unit), selectinload(Task.cooperating_units),
                  selectinload(Task.assignees))
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id).offset(offset).limit(limit)).unique()
    t0 = today()
    rows = []
    for t in tasks:
        state = t.submission.state
        left = None
        if t.due_on and state != "accepted":
            left = days_left(t0, t.due_on)
        rows.append(TaskRow(t, state, left))
    return rows, total


def filter_choices(user: User) -> dict:
    plans = db.session.execute(select(Plan.id, Plan.number).where(
        access.visible_plans_filter(user), Plan.state == "issued").order_by(Plan.year.desc(), Plan.id.desc())).all()
    units = db.session.execute(select(Unit.id, Unit.name).where(Unit.active.is_(True))
                               .order_by(Unit.sort_order, Unit.name)).all()
    if not access.sees_everything(user):
        units = [u for u in units if u.id == user.unit_id]
    return {"plans": plans, "units": units, "states": wf.SUBMISSION.states}


def unit_progress(user: User, plan_id: int | None = None, year: int | None = None) -> list[dict]:
    """Per lead unit: tasks, accepted on time, accepted late, open, overdue — one GROUP BY."""
    t0 = today()
    accepted = Submission.state == "accepted"
    accepted_day = func.date(Submission.accepted_at)
    late = accepted & Task.due_on.is_not(None) & (accepted_day > func.date(Task.due_on))
    q = (select(Unit.id, Unit.name, func.count(Task.id),
                func.sum(case((accepted & ~late, 1), else_=0)),
                func.sum(case((late, 1), else_=0)),
                func.sum(case((~accepted, 1), else_=0)),
                func.sum(case((~accepted & (Task.due_on < t0), 1), else_=0)))
         .select_from(Task).join(Task.plan).join(Task.submission).join(Unit, Unit.id == Task.lead_unit_id)
         .where(access.visible_tasks_filter(user, plan_joined=True))
         .group_by(Unit.id, Unit.name, Unit.sort_order).order_by(Unit.sort_order, Unit.name))
    if plan_id:
        q = q.where(Task.plan_id == plan_id)
    if year:
        q = q.where(Plan.year == year)
    out = []
    for uid, name, n, on_time, late_n, open_n, overdue in db.session.execute(q):
        on_time, late_n = int(on_time or 0), int(late_n or 0)
        done = on_time + late_n
        out.append({"unit_id": uid, "unit": name, "tasks": n, "on_time": on_time, "late": late_n,
                    "open": int(open_n or 0), "overdue": int(overdue or 0),
                    "done_ratio": (done / n) if n else None})
    return out


def counts(user: User, f: TaskFilters) -> int:
    return _count(user, f)
