"""Province dashboard: agencies ranked by on-time rate, overdue tasks, reporting punctuality
and review progress per round (seed 003), in one SQL statement grouped by agency.

Every figure is an aggregate subquery GROUP BY agency joined to `agencies` and ordered in SQL,
so the page costs the same few queries whatever the number of agencies or tasks. Which
agencies a user sees and which of them they may open is decided by app.access.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import abort
from sqlalchemy import Float, case, cast, distinct, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from app import access
from app.domain import province as dom
from app.domain.deadlines import report_due
from app.extensions import db
from app.models import Agency, Plan, Procedure, ProcedureReview, Report, Task, Unit, User


@dataclass
class AgencyRow:
    id: int
    name: str
    kind: str
    accepted: int
    on_time: int
    overdue: int
    reports_on_time: int
    reports_due: int
    rounds: list[dom.RoundProgress]
    drill: str | None = None      # access.agency_drill_down: "own", "assigned" or None
    rank: int | None = None

    @property
    def on_time_rate(self) -> float | None:
        return dom.rate(self.on_time, self.accepted)

    @property
    def punctuality(self) -> float | None:
        return dom.rate(self.reports_on_time, self.reports_due)


@dataclass
class ProvinceDashboard:
    year: int
    on: date
    sort: str
    desc: bool
    province_wide: bool
    rows: list[AgencyRow]
    years: list[int]
    slots: list[dom.ReportSlot]
    rounds: tuple[dom.ReviewRound, ...] = dom.REVIEW_ROUNDS

    @property
    def current_sort(self) -> str:
        """The sort as the query string (and _macros.th_sort) writes it: "key" or "-key"."""
        return dom.sort_param(self.sort, self.desc)

    @property
    def due_slots(self) -> list[dom.ReportSlot]:
        return dom.due_slots(self.slots, self.on)


# ---- the figures, one subquery each ----------------------------------------------------------

def task_figures(year: int, on: date):
    """Per agency (the lead unit's: an agency's own plans, and the province's tasks given to
    it): tasks accepted, accepted on time, still open past their due date, of the issued plans
    of `year`. One range of ix_tasks_year_progress, grouped through the few units."""
    accepted = Task.work_state == "accepted"
    rows = (select(Unit.agency_id.label("agency_id"),
                   func.sum(case((accepted, 1), else_=0)).label("accepted"),
                   func.sum(case((accepted & (Task.accepted_on <= Task.due_on), 1), else_=0)).label("on_time"),
                   func.sum(case(((Task.work_state != "accepted") & (Task.due_on < on), 1), else_=0))
                   .label("overdue"))
            .select_from(Task).join(Unit, Unit.id == Task.lead_unit_id)
            .where(Task.plan_year == year, Task.work_state.is_not(None), Task.due_on.is_not(None))
            .group_by(Unit.agency_id))
    return rows.subquery("t")


def report_slots(year: int) -> list[dom.ReportSlot]:
    from app.calendar.services import report_days
    rules = report_days()
    return dom.report_slots(year, lambda q: report_due("yearly" if q == 4 else "quarterly", year, q, rules))


def _vn_day_end_utc(day: date) -> datetime:
    """The end of a Vietnamese calendar day (UTC+7) as the naive UTC instant storage uses."""
    return datetime.combine(day + timedelta(days=1), time(0)) - timedelta(hours=7)


def reporting_punctuality(slots: list[dom.ReportSlot], on: date):
    """Per agency: how many of the slots already due had a report by their deadline.

    THE one place that says when an agency reported: the first time a report of the period
    was sent up to UBND tỉnh (reports.sent_up_at; an issued report kept at the agency has not
    reached the province). The deadline is a Vietnamese day: sent before its midnight in
    Vietnam (17:00 UTC that day; storage is UTC) is on time."""
    due = dom.due_slots(slots, on)
    if not due:
        return select(Agency.id.label("agency_id"), literal(0).label("on_time")).where(Agency.id.is_(None)).subquery("r")
    quarter = case(*((Report.period_key.in_(s.keys), s.quarter) for s in due), else_=0)
    first = (select(Report.agency_id.label("agency_id"), quarter.label("quarter"),
                    func.min(Report.sent_up_at).label("first"))
             .where(Report.state == "issued", Report.sent_up_at.is_not(None),
                    Report.period_key.in_([k for s in due for k in s.keys]))
             .group_by(Report.agency_id, quarter).subquery("first_issued"))
    deadline = case(*((first.c.quarter == s.quarter, _vn_day_end_utc(s.deadline)) for s in due))
    return (select(first.c.agency_id, func.sum(case((first.c.first < deadline, 1), else_=0)).label("on_time"))
            .group_by(first.c.agency_id).subquery("r"))


def review_figures():
    """Per agency: its internal procedures in force, and how many of them had a review accepted
    by the office by each round's deadline (the review tasks may be the agency's or the
    province's: the procedure's agency counts)."""
    internal = (Procedure.internal.is_(True)) & (Procedure.status == "active")
    totals = (select(Procedure.agency_id.label("agency_id"), func.count().label("total"))
              .where(internal).group_by(Procedure.agency_id).subquery("p"))
    done = [func.count(distinct(case((Task.accepted_on <= r.deadline, ProcedureReview.procedure_id))))
            .label(f"round{r.number}") for r in dom.REVIEW_ROUNDS]
    reviewed = (select(Procedure.agency_id.label("agency_id"), *done)
                .select_from(ProcedureReview)
                .join(Task, Task.id == ProcedureReview.task_id)
                .join(Procedure, Procedure.id == ProcedureReview.procedure_id)
                .where(internal, Task.work_state == "accepted")
                .group_by(Procedure.agency_id).subquery("v"))
    return totals, reviewed


def _ratio(part, whole) -> ColumnElement:
    return cast(part, Float) / func.nullif(whole, 0)


def province_dashboard(user: User, year: int, on: date, sort: str | None = None,
                       direction: str | None = None) -> ProvinceDashboard:
    if not access.can_view_province_dashboard(user):
        abort(403)
    wide = access.is_province_overseer(user)
    sort, desc = dom.parse_sort(sort, direction)
    slots = report_slots(year)
    t = task_figures(year, on)
    r = reporting_punctuality(slots, on)
    p, v = review_figures()
    zero = lambda c: func.coalesce(c, 0)  # noqa: E731
    keys = {
        "on_time": _ratio(t.c.on_time, t.c.accepted),
        "overdue": zero(t.c.overdue),
        "punctuality": zero(r.c.on_time),
        "round1": _ratio(zero(v.c.round1), p.c.total),
        "round2": _ratio(zero(v.c.round2), p.c.total),
        "name": Agency.name,
    }
    key = keys[sort]
    if sort == "name":
        order = [Agency.name.desc() if desc else Agency.name.asc()]
    else:  # agencies with nothing to measure last, whatever the direction
        order = [key.is_(None), key.desc() if desc else key.asc(), Agency.sort_order, Agency.name]
    stmt = (select(Agency.id, Agency.name, Agency.kind, zero(t.c.accepted), zero(t.c.on_time),
                   zero(t.c.overdue), zero(r.c.on_time), zero(p.c.total), zero(v.c.round1),
                   zero(v.c.round2), key.label("sort_value"))
            .outerjoin(t, t.c.agency_id == Agency.id)
            .outerjoin(r, r.c.agency_id == Agency.id)
            .outerjoin(p, p.c.agency_id == Agency.id)
            .outerjoin(v, v.c.agency_id == Agency.id)
            .where(access.province_agencies_filter(user, wide))
            .order_by(*order))
    n_due = len(dom.due_slots(slots, on))
    rows = []
    for (aid, name, kind, accepted, on_time, overdue, rep_on_time, total, r1, r2,
         _sort_value) in db.session.execute(stmt):
        rounds = [dom.round_progress(rnd, int(n), int(total), on)
                  for rnd, n in zip(dom.REVIEW_ROUNDS, (r1, r2))]
        rows.append(AgencyRow(aid, name, kind, int(accepted), int(on_time), int(overdue), int(rep_on_time),
                              n_due, rounds, access.agency_drill_down(user, aid, wide)))
    values = {"on_time": lambda a: a.on_time_rate, "overdue": lambda a: a.overdue,
              "punctuality": lambda a: a.punctuality if n_due else None,
              "round1": lambda a: a.rounds[0].share, "round2": lambda a: a.rounds[1].share,
              "name": lambda a: None}[sort]
    if sort != "name":
        for row, rank in zip(rows, dom.ranks([values(a) for a in rows])):
            row.rank = rank
    years = sorted(set(db.session.scalars(select(Plan.year).where(Plan.state == "issued").distinct()))
                   | {year}, reverse=True)
    return ProvinceDashboard(year, on, sort, desc, wide, rows, years, slots)


def agency_or_404(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        abort(404)
    return agency


def drill_down(user: User, agency_id: int) -> tuple[str, Agency]:
    """What the user may open of an agency (access.agency_drill_down), refused otherwise."""
    if not access.can_view_province_dashboard(user):
        abort(403)
    agency = agency_or_404(agency_id)
    drill = access.agency_drill_down(user, agency.id)
    if drill is None or agency.kind == "province":
        abort(404)   # another agency's existence and figures are not the user's business
    return drill, agency


def assigned_conditions(user: User, agency_id: int) -> list[ColumnElement[bool]]:
    """The province's tasks given to one agency (led by one of its units): what a province
    overseer follows of it. Its own plans (drafts included) stay its own."""
    return [Task.agency_id == user.agency_id,
            Task.lead_unit_id.in_(select(Unit.id).where(Unit.agency_id == agency_id))]

