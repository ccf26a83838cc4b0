"""Dashboard figures, aggregated in SQL (GROUP BY) over the issued plans of one year.

Definitions (domain.md §7): a task with a due date is *on time* when accepted on or before it,
*late* when accepted after it, *overdue* when past it and not accepted, *open* otherwise.
On-time rate = on time / (on time + late + overdue), the tasks whose outcome is known.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import case, func, select

from app import access
from app.extensions import db
from app.models import Plan, Submission, Task, Unit, User


@dataclass
class UnitRow:
    unit: str
    total: int
    on_time: int
    late: int
    overdue: int
    open: int

    @property
    def rate(self) -> float | None:
        known = self.on_time + self.late + self.overdue
        return self.on_time / known if known else None


@dataclass
class PlanRow:
    number: str
    title: str
    total: int
    accepted: int
    overdue: int

    @property
    def progress(self) -> float | None:
        return self.accepted / self.total if self.total else None


@dataclass
class BurnRow:
    month: str          # "05/2022"
    due: int            # open tasks due that month
    remaining: int      # open tasks still due after that month


@dataclass
class Dashboard:
    year: int
    on: date
    units: list[UnitRow]
    plans: list[PlanRow]
    burndown: list[BurnRow]
    years: list[int]

    @property
    def totals(self) -> UnitRow:
        return UnitRow("Tổng", *(sum(getattr(u, f) for u in self.units)
                                 for f in ("total", "on_time", "late", "overdue", "open")))


def _accepted_day():
    return func.date(Submission.accepted_at)


def dashboard(user: User, year: int, on: date) -> Dashboard:
    if not access.can_view_dashboard(user):
        abort(403)
    accepted = Submission.state == "accepted"
    base = (select(Task).join(Plan, Task.plan_id == Plan.id)
            .outerjoin(Submission, Submission.task_id == Task.id)
            .where(Plan.state == "issued", Plan.year == year))
    dated = Task.due_on.is_not(None)
    on_time = case((accepted & (_accepted_day() <= Task.due_on), 1), else_=0)
    late = case((accepted & (_accepted_day() > Task.due_on), 1), else_=0)
    overdue = case((~func.coalesce(accepted, False) & (Task.due_on < on), 1), else_=0)
    still_open = case((~func.coalesce(accepted, False) & (Task.due_on >= on), 1), else_=0)

    unit_rows = db.session.execute(
        base.with_only_columns(Unit.name, func.count(Task.id), func.sum(on_time), func.sum(late),
                               func.sum(overdue), func.sum(still_open))
        .join(Unit, Unit.id == Task.lead_unit_id).where(dated)
        .group_by(Unit.id, Unit.name, Unit.sort_order).order_by(Unit.sort_order, Unit.name)).all()
    units = [UnitRow(r[0], r[1], int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
             for r in unit_rows]

    # Every task that carries work (recurring parents are templates: their instances count).
    child = db.aliased(Task)
    has_children = select(child.id).where(child.parent_id == Task.id).exists()
    plan_rows = db.session.execute(
        base.with_only_columns(Plan.number, Plan.title, func.count(Task.id),
                               func.sum(case((accepted, 1), else_=0)),
                               func.sum(case((~func.coalesce(accepted, False) & dated & (Task.due_on < on), 1), else_=0)))
        .where(~has_children)
        .group_by(Plan.id, Plan.number, Plan.title).order_by(Plan.number)).all()
    plans = [PlanRow(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0)) for r in plan_rows]

    open_by_day = db.session.execute(
        base.with_only_columns(Task.due_on, func.count(Task.id))
        .where(dated, ~func.coalesce(accepted, False))
        .group_by(Task.due_on).order_by(Task.due_on)).all()
    months: OrderedDict[str, int] = OrderedDict()
    for day, n in open_by_day:
        key = f"{day.month:02d}/{day.year}"
        months[key] = months.get(key, 0) + n
    remaining = sum(months.values())
    burndown = []
    for key, n in months.items():
        remaining -= n
        burndown.append(BurnRow(key, n, remaining))

    years = sorted(set(db.session.scalars(select(Plan.year).where(Plan.state == "issued").distinct()))
                   | {year}, reverse=True)
    return Dashboard(year, on, units, plans, burndown, years)
