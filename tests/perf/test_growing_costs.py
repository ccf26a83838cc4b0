"""Issue 16, item 6: the rewritten queries (staff "my tasks", the dashboard's per-plan table)
give the same figures as the plain formulation, on generated data with recurring tasks."""
from __future__ import annotations

from sqlalchemy import case, func, select

from app.auth.services import hash_password
from app.clock import today
from app.dashboard.services import dashboard
from app.extensions import db
from app.models import Plan, Task, TaskAssignee, User
from app.ops.gendata import ACCOUNTS, PASSWORD, SCALES, generate
from app.tracking import services as tracking
from app.tracking.services import TaskFilters


def _gen() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        generate(conn, SCALES["small"], today(), hash_password(PASSWORD))


def test_dashboard_per_plan_as_the_plain_aggregate(app, ctx):
    _gen()
    office = db.session.scalar(select(User).where(User.username == ACCOUNTS["office"]))
    on = today()
    for year in (on.year - 1, on.year):
        got = {p.number + p.title: (p.total, p.accepted, p.overdue) for p in dashboard(office, year, on).plans}
        in_year = [Task.agency_id == office.agency_id, Task.plan_year == year, Task.work_state.is_not(None)]
        parents = select(Task.parent_id).where(*in_year, Task.parent_id.is_not(None))
        rows = db.session.execute(
            select(Plan.number, Plan.title, func.count(),
                   func.sum(case((Task.work_state == "accepted", 1), else_=0)),
                   func.sum(case(((Task.work_state != "accepted") & Task.due_on.is_not(None) & (Task.due_on < on), 1),
                                 else_=0)))
            .join(Plan, Plan.id == Task.plan_id).where(*in_year, Task.id.not_in(parents))
            .group_by(Plan.number, Plan.title, Plan.id)).all()
        expected = {n + t: (c, int(a or 0), int(o or 0)) for n, t, c, a, o in rows}
        assert got == expected and got, year
        assert db.session.scalar(select(func.count()).where(*in_year, Task.parent_id.is_not(None))) > 0


def test_my_tasks_counts_as_the_plain_membership(app, ctx):
    _gen()
    staff = db.session.scalar(select(User).where(User.username == ACCOUNTS["staff"]))
    mine = set(db.session.scalars(select(TaskAssignee.task_id).where(TaskAssignee.user_id == staff.id)))
    assert len(mine) > 20
    for f in (TaskFilters(mine=True, due="attention"), TaskFilters(mine=True, state="returned"),
              TaskFilters(mine=True, year=today().year), TaskFilters(mine=True, due="overdue"),
              TaskFilters(mine=True, due="soon")):
        plain = TaskFilters(**{**f.__dict__, "mine": False, "unit_id": staff.unit_id})
        ids = {r.id for r in tracking.list_tasks(staff, plain, 0, 100_000)[0]}
        assert tracking.counts(staff, f) == len(ids & mine), f
