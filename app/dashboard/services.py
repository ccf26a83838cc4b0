"""Dashboard figures, aggregated in SQL (GROUP BY) over the issued plans of one year.

Definitions (domain.md §7): a task with a due date is *on time* when accepted on or before it,
*late* when accepted after it, *overdue* when past it and not accepted, *open* otherwise.
On-time rate = on time / (on time + late + overdue), the tasks whose outcome is known.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from app import access
from app.domain.metrics import burndown_months
from app.extensions import db
from app.models import Plan, Task, Unit, User


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


def dashboard(user: User, year: int, on: date, scope: list | None = None) -> Dashboard:
    """`scope`: conditions on Task replacing "the viewer's agency's tasks" (the province
    dashboard's drill-down: the province's tasks given to one agency; the caller checked access)."""
    if not access.can_view_dashboard(user):
        abort(403)
    # The tasks' own work columns (migration 0008_work): one covering index answers a year.
    accepted = Task.work_state == "accepted"
    still_open_ = Task.work_state != "accepted"
    # The viewer's agency only (tasks.agency_id, migration 0011_province).
    in_year = [*(scope or [Task.agency_id == user.agency_id]), Task.plan_year == year,
               Task.work_state.is_not(None)]
    dated = Task.due_on.is_not(None)
    on_time = case((accepted & (Task.accepted_on <= Task.due_on), 1), else_=0)
    late = case((accepted & (Task.accepted_on > Task.due_on), 1), else_=0)
    overdue = case((still_open_ & (Task.due_on < on), 1), else_=0)
    still_open = case((still_open_ & (Task.due_on >= on), 1), else_=0)

    per_unit = (select(Task.lead_unit_id.label("unit_id"), func.count().label("n"),
                       func.sum(on_time).label("on_time"), func.sum(late).label("late"),
                       func.sum(overdue).label("overdue"), func.sum(still_open).label("open"))
                .where(*in_year, dated).group_by(Task.lead_unit_id).subquery())
    unit_rows = db.session.execute(
        select(Unit.name, per_unit.c.n, per_unit.c.on_time, per_unit.c.late, per_unit.c.overdue,
               per_unit.c.open).join(per_unit, per_unit.c.unit_id == Unit.id)
        .order_by(Unit.sort_order, Unit.name)).all()
    units = [UnitRow(r[0], r[1], int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
             for r in unit_rows]

    # Every task that carries work (recurring parents are templates: their instances count).
    parents = select(Task.parent_id).where(*in_year, Task.parent_id.is_not(None))  # same index
    # Read plan by plan (the tasks' plan index, one range per plan of the year): grouped by
    # plan over the whole year, SQLite walked the plan index over every year's tasks to avoid
    # a sort (29 ms at medium size, a full scan at 2× province size).
    year_plans = select(Plan.id).where(Plan.year == year, Plan.state == "issued")
    if scope is None:
        year_plans = year_plans.where(Plan.agency_id == user.agency_id)
    by_plan = [*in_year, Task.plan_id.in_(year_plans)]
    if scope is None:
        # A parent and its instances share their plan, so agency and year: "a parent of a task
        # of the year" is "has an instance carrying work", one probe of the parent index per
        # task of the year (NOT IN listed every instance of every year first).
        child = aliased(Task)
        not_parent = ~select(child.id).where(child.parent_id == Task.id, child.work_state.is_not(None)).exists()
    else:
        not_parent = Task.id.not_in(parents)
    per_plan = (select(Task.plan_id, func.count().label("n"),
                       func.sum(case((accepted, 1), else_=0)).label("done"),
                       func.sum(case((still_open_ & dated & (Task.due_on < on), 1), else_=0)).label("late"))
                .where(*by_plan, not_parent).group_by(Task.plan_id).subquery())
    plan_rows = db.session.execute(
        select(Plan.number, Plan.title, per_plan.c.n, per_plan.c.done, per_plan.c.late)
        .join(per_plan, per_plan.c.plan_id == Plan.id).order_by(Plan.number)).all()
    plans = [PlanRow(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0)) for r in plan_rows]

    open_by_day = db.session.execute(
        select(Task.due_on, func.count()).where(*in_year, dated, still_open_)
        .group_by(Task.due_on).order_by(Task.due_on)).all()
    burndown = [BurnRow(*row) for row in burndown_months(open_by_day, year)]

    years = sorted(set(db.session.scalars(select(Plan.year).where(
        Plan.state == "issued", Plan.agency_id == user.agency_id).distinct())) | {year}, reverse=True)
    return Dashboard(year, on, units, plans, burndown, years)
