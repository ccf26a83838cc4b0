"""Following the work: task lists, overdue and due-soon, per-unit progress (aggregated in SQL)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import case, exists, func, literal, select

from app import access
from app.calendar.services import get_calendar
from app.clock import today
from app.deadlines.services import due_status
from app.domain import workflow as wf
from app.extensions import db
from app.models import Agency, Plan, Task, TaskAssignee, Unit, User
from app.models.folded import matches
from app.models.org import unit_label, viewer_agency_id


@dataclass
class TaskFilters:
    plan_id: int | None = None
    unit_id: int | None = None
    state: str | None = None
    q: str | None = None
    due: str | None = None          # "overdue" | "soon" | "attention" | None
    mine: bool = False
    here: bool = False              # tasks of my own agency's plans: the ones my office accepts
    year: int | None = None         # the plan's year; None: every year


@dataclass
class TaskRow:
    """One line of a task list: plain values read in one query (no ORM objects to build)."""
    id: int
    content: str
    plan_id: int
    plan_number: str
    lead_unit: str
    due_on: date | None
    due_text: str | None
    state: str
    days_left: int | None           # negative: days overdue
    assignees: list[str]            # full names (empty in short rows)
    period_label: str | None = None # a recurring task's instance: "Quý I/2022"


def due_soon_days() -> int:
    return current_app.config["DUE_SOON_DAYS"]


def days_left(start: date, due: date) -> int:
    """Working days from start to the due date; negative when overdue (the deadlines feature's
    rule, so a deadline that fell on a day off is overdue the day after too)."""
    return due_status(due, None, start, get_calendar(), due_soon_days()).days_left


def soon_cutoff(start: date) -> date:
    return get_calendar().add_working_days(start, due_soon_days())


def _led_by(user: User, f: TaskFilters) -> int | None:
    """The lead unit filter; "my tasks" are in my own unit's led tasks (a head assigns only
    the tasks their unit leads: access.can_assign), which the lead unit's indexes answer."""
    return f.unit_id or (user.unit_id if f.mine else None)


def _conditions(user: User, f: TaskFilters) -> tuple[access.WorkConditions, list]:
    """The filter as conditions on the work columns (plan, state, year, due date: on the
    task row and in unit_tasks, migrations 0008/0009), and the other conditions on Task."""
    t0 = today()

    def work(c) -> list:
        conds = []
        if f.plan_id:
            conds.append(c.plan_id == f.plan_id)
        if f.year:
            conds.append(c.plan_year == f.year)
        if f.state in wf.SUBMISSION.states:
            conds.append(c.work_state == f.state)
        if f.due:
            conds.append(c.work_state != "accepted")
            if f.due == "overdue":
                conds.append(c.due_on < t0)
            elif f.due == "soon":
                conds += [c.due_on >= t0, c.due_on <= soon_cutoff(t0)]
            else:  # attention: overdue or due soon
                conds.append(c.due_on <= soon_cutoff(t0))
        return conds

    other = []  # the lead unit filter (f.unit_id) goes to access as `led_by`
    if f.q:
        other.append(matches(Task.content_folded, f.q))
    if f.here and user.unit is not None:
        # A commune that cooperates on a province task sees it, but the province office
        # accepts it: "waiting for the office" means for this agency's office.
        other.append(Task.agency_id == user.unit.agency_id)
    if f.mine:
        # EXISTS, not IN: a long-serving officer holds thousands of assignments, so the
        # probe follows the other filters' index instead of listing them all first. The
        # OFFSET keeps PostgreSQL from pulling the EXISTS up into a hash join that reads every
        # assignment of the officer's history (9 673 at department size) for the few open
        # tasks of the unit (it pulls up a plain EXISTS, and one with LIMIT, but not one with
        # OFFSET): it stays one probe of the (task_id, user_id) unique index per task in the
        # window (open work, or this year's), whatever the history.
        other.append(select(literal(1)).where(TaskAssignee.task_id == Task.id, TaskAssignee.user_id == user.id)
                     .limit(1).offset(0).exists())
    return work, other


def _scope(user: User, f: TaskFilters) -> access.TaskScope:
    work, other = _conditions(user, f)
    return access.visible_task_ids(user, *other, work=work, led_by=_led_by(user, f))


def _count(user: User, f: TaskFilters) -> int:
    """Counted over the ids in the one table that holds the scope (an index range)."""
    return db.session.scalar(select(func.count()).select_from(_scope(user, f).ids.subquery())) or 0


def list_tasks(user: User, f: TaskFilters, offset: int, limit: int,
               total: int | None = None, short: bool = False) -> tuple[list[TaskRow], int]:
    """One page of tasks and the total (pass `total` when already counted); `short` rows
    leave out the assignees (the home page's lists)."""
    if total is None:
        total = _count(user, f)
    # The page's ids first, in order, from the scope's own index; then those tasks' values
    # (the state is the task's own copy of its submission's, migration 0008_work).
    scope = _scope(user, f)
    due = scope.table.due_on
    if f.q:
        # A search's hits come from its text index (migration 0015_search_index), a few hundred
        # rows to sort; ordering by the bare column would let PostgreSQL walk the due-date index
        # over every task and filter each by the text instead. Same values, same order.
        due = func.coalesce(due, due)
    page = scope.ids.order_by(due.nulls_last(), scope.task_id).offset(offset).limit(limit)
    lines = db.session.execute(
        select(Task.id, Task.content, Task.plan_id, Plan.number, unit_label(user), Task.due_on, Task.due_text,
               Task.work_state, Task.period_label)
        .join(Plan, Plan.id == Task.plan_id).join(Unit, Unit.id == Task.lead_unit_id)
        .join(Agency, Agency.id == Unit.agency_id)
        .where(Task.id.in_(page.scalar_subquery()))
        .order_by(Task.due_on.nulls_last(), Task.id)).all()
    names: dict[int, list[str]] = {}
    if not short:
        for task_id, name in db.session.execute(
                select(TaskAssignee.task_id, User.full_name).join(User, User.id == TaskAssignee.user_id)
                .where(TaskAssignee.task_id.in_([line.id for line in lines])).order_by(User.full_name)):
            names.setdefault(task_id, []).append(name)
    t0 = today()
    rows = []
    for tid, content, plan_id, number, unit, due_on, due_text, state, period in lines:
        left = days_left(t0, due_on) if due_on and state != "accepted" else None
        rows.append(TaskRow(tid, content, plan_id, number, unit, due_on, due_text, state, left,
                            names.get(tid, []), period))
    return rows, total


def filter_choices(user: User, year: int | None = None) -> dict:
    """Plans (of the chosen year), units, states and years for the filter bar."""
    plans = db.session.execute(select(Plan.id, Plan.number).where(
        access.visible_plans_filter(user, year), Plan.state == "issued")
        .order_by(Plan.year.desc(), Plan.id.desc())).all()
    units = db.session.execute(select(Unit.id, Unit.name).where(Unit.active.is_(True),
                                                               access.agency_units_filter(user))
                               .order_by(Unit.sort_order, Unit.name)).all()
    if not access.sees_everything(user):
        units = [u for u in units if u.id == user.unit_id]
    years = sorted(set(db.session.scalars(select(Plan.year).where(
        Plan.state == "issued", access.visible_plans_filter(user)).distinct()))
                   | {today().year}, reverse=True)
    return {"plans": plans, "units": units, "states": wf.SUBMISSION.states, "years": years}


def unit_progress(user: User, plan_id: int | None = None, year: int | None = None) -> list[dict]:
    """Per lead unit: tasks, accepted on time, accepted late, open, overdue — one GROUP BY over
    the tasks' own columns (one covering index for a year), then the units' names."""
    t0 = today()
    accepted = Task.work_state == "accepted"
    late = accepted & Task.due_on.is_not(None) & (Task.accepted_on > Task.due_on)
    def work(c) -> list:
        return ([c.plan_id == plan_id] if plan_id else []) + ([c.plan_year == year] if year else [])

    agg = (select(Task.lead_unit_id.label("unit_id"), func.count().label("n"),
                  func.sum(case((accepted & ~late, 1), else_=0)).label("on_time"),
                  func.sum(case((late, 1), else_=0)).label("late"),
                  func.sum(case((~accepted, 1), else_=0)).label("open"),
                  func.sum(case((~accepted & (Task.due_on < t0), 1), else_=0)).label("overdue"))
           .where(access.visible_tasks_filter(user, work=work)).group_by(Task.lead_unit_id).subquery())
    mine = viewer_agency_id(user)
    q = (select(Unit.id, unit_label(user), agg.c.n, agg.c.on_time, agg.c.late, agg.c.open, agg.c.overdue)
         .join(agg, agg.c.unit_id == Unit.id).join(Agency, Agency.id == Unit.agency_id)
         # the user's own agency's units first, in their order; then other agencies'
         .order_by(case((Unit.agency_id == mine, 0), else_=1), Agency.sort_order, Unit.sort_order, Unit.name))
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
