"""The main pages and downloads that the query-count test and the benchmark visit.

Paths, not endpoints: a page that is not routed yet (a feature not merged) is skipped with a
note, so adding a feature only means adding or checking a line here. `{plan_id}` is the
largest issued plan of the data set, `{task_id}` a task of it, `{report_id}` the latest report
(the draft of the last quarter in gen-data, recomputed from the figures on every view).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str
    roles: tuple[str, ...] = ("admin", "leader", "office", "head", "staff", "local")


MAIN_PAGES = [
    PageSpec("home", "/"),
    PageSpec("plans", "/plans/"),
    PageSpec("plan", "/plans/{plan_id}", ("leader", "office", "head")),
    PageSpec("tasks", "/tasks/"),
    PageSpec("overdue", "/overdue", ("leader", "office", "head", "staff", "local")),
    PageSpec("task", "/tasks/{task_id}", ("office", "head", "staff")),
    PageSpec("notifications", "/notifications/"),
    PageSpec("users (admin)", "/admin/users", ("admin",)),
    PageSpec("dashboard", "/dashboard/", ("leader", "office")),
    PageSpec("province", "/province/", ("leader", "office")),
    PageSpec("bell", "/notifications/bell", ("staff",)),
    PageSpec("catalog search", "/catalog/?q=tro+cap", ("office", "head", "staff")),
    # The live search boxes (issue 16): tasks this year and every year, plans.
    PageSpec("task search", "/tasks/?q=bao+tro", ("office", "head")),
    PageSpec("task search (all years)", "/tasks/?q=bao+tro&year=", ("office", "head")),
    PageSpec("plan search", "/plans/?q=kiem+soat", ("office", "head")),
    PageSpec("reports", "/reports/", ("office", "leader")),
    PageSpec("report draft", "/reports/{report_id}", ("office", "leader")),
    PageSpec("delegations", "/delegations/", ("admin", "leader", "head", "staff")),
    # Evaluations (issue 15): a unit's running month (computed live) and one person's page.
    PageSpec("evaluations", "/evaluations/", ("admin", "leader", "head", "staff")),
    PageSpec("evaluation sheet", "/evaluations/{evaluation_id}", ("leader", "head")),
    PageSpec("evaluation person", "/evaluations/{evaluation_id}/people/{person_id}", ("leader", "head", "staff")),
    PageSpec("evaluation dashboard", "/evaluations/dashboard", ("leader", "office")),
]

# The province's own office and leader (gen-data with several agencies): every agency ranked,
# and the drill-down into the last agency (what the province gave it).
PROVINCE_PAGES = [
    PageSpec("province (all agencies)", "/province/", ("leader", "office")),
    PageSpec("province drill-down", "/province/agencies/{agency_id}", ("leader", "office")),
    # the latest reporting request: who reported, and the consolidation of every agency's report
    PageSpec("request status", "/province/requests/{request_id}", ("leader", "office")),
    PageSpec("consolidation", "/province/requests/{request_id}/consolidation", ("leader", "office")),
]
# The province office's downloads of the consolidated report (every agency's figures).
PROVINCE_DOWNLOADS = [
    PageSpec("consolidated DOCX", "/province/requests/{request_id}/consolidation.docx", ("office",)),
    PageSpec("consolidated XLSX", "/province/requests/{request_id}/consolidation.xlsx", ("office",)),
]

DOWNLOADS = [
    PageSpec("plan XLSX (largest plan)", "/plans/{plan_id}/tracker.xlsx", ("office",)),
    PageSpec("dashboard XLSX (all parts)", "/dashboard/all.xlsx", ("office",)),
    PageSpec("province ranking XLSX", "/province/ranking.xlsx", ("office",)),
    PageSpec("review XLSX (largest plan)", "/reviews/plan/{plan_id}/export.xlsx", ("office",)),
    PageSpec("evaluation XLSX (a unit's month)", "/evaluations/{evaluation_id}/unit.xlsx", ("head",)),
    PageSpec("report DOCX", "/reports/{report_id}/report.docx", ("office",)),
]


def routable(app: Flask, path: str) -> bool:
    """Is there a GET route for this concrete path?"""
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?")[0], method="GET")
    except RequestRedirect:
        return True
    except (NotFound, MethodNotAllowed):
        return False
    return True


def sample_ids() -> dict[str, int]:
    """Ids to put in the paths: the largest issued plan, one of its tasks, the latest report
    (of the fixed accounts' agency), the last agency (the province's drill-down) and the
    province's latest reporting request."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Contribution, Plan, Report, Submission, Task, Unit, User
    from app.ops.gendata import ACCOUNTS
    # The fixed accounts' agency (the first one when gen-data made several).
    agency_id = db.session.scalar(select(Unit.agency_id).join(User, User.unit_id == Unit.id)
                                  .where(User.username == ACCOUNTS["office"]))
    mine = [Plan.agency_id == agency_id] if agency_id is not None else []
    n = func.count(Task.id)
    plan_id = db.session.execute(
        select(Task.plan_id).join(Plan).where(Plan.state == "issued", *mine)
        .group_by(Task.plan_id).order_by(n.desc(), Task.plan_id).limit(1)).scalar()
    # A task of the fixed head's and staff's unit that has everything a task page shows
    # (history, cooperating units, a contribution), so every role opens the same full page.
    btxh = select(func.min(Task.id)).join(Unit, Unit.id == Task.lead_unit_id).join(Submission) \
        .where(Task.plan_id == plan_id, Unit.code == "BTXH")
    task_id = (db.session.scalar(btxh.join(Contribution, Contribution.task_id == Task.id))
               or db.session.scalar(btxh)
               or db.session.scalar(select(func.min(Task.id)).where(Task.plan_id == plan_id)))
    report_id = db.session.scalar(select(Report.id).where(
        *([Report.agency_id == agency_id] if agency_id is not None else [])).order_by(
        Report.period_key.desc(), Report.version.desc(), Report.id.desc()).limit(1))
    from app.models import Agency, Evaluation, ReportingRequest
    last_agency = db.session.scalar(select(func.max(Agency.id)).where(Agency.kind != "province"))
    request_id = db.session.scalar(select(ReportingRequest.id).order_by(ReportingRequest.period_key.desc())
                                   .limit(1))
    # The fixed staff's unit's latest month (the running one in gen-data and the demo).
    staff = db.session.execute(select(User.id, User.unit_id).where(User.username == ACCOUNTS["staff"])).first()
    evaluation_id = db.session.scalar(select(Evaluation.id).where(
        Evaluation.unit_id == staff.unit_id, Evaluation.kind == "month", Evaluation.current.is_(True))
        .order_by(Evaluation.starts_on.desc()).limit(1)) if staff else None
    return {"plan_id": plan_id or 0, "task_id": task_id or 0, "report_id": report_id or 0,
            "agency_id": last_agency or 0, "request_id": request_id or 0,
            "evaluation_id": evaluation_id or 0, "person_id": staff.id if staff else 0}


def concrete(spec: PageSpec, ids: dict[str, int]) -> str:
    return spec.path.format(**ids)


def available(app: Flask, spec: PageSpec, ids: dict[str, int]) -> bool:
    """Routed, and the data set has the objects its path names (an id of 0 means none)."""
    needed = re.findall(r"{(\w+)}", spec.path)
    return all(ids.get(k) for k in needed) and routable(app, concrete(spec, ids))


# Every full page a person opens from the menu, per role: what the accessibility test and
# scripts/screenshots.sh visit (the bell is a fragment, covered inside every page).
UI_PAGES = [
    PageSpec("home", "/"),
    PageSpec("plans", "/plans/"),
    PageSpec("plan", "/plans/{plan_id}", ("leader", "office", "head", "staff")),
    PageSpec("tasks", "/tasks/"),
    PageSpec("task", "/tasks/{task_id}", ("leader", "office", "head", "staff")),
    PageSpec("overdue", "/overdue", ("leader", "office", "head", "staff", "local")),
    PageSpec("notifications", "/notifications/"),
    PageSpec("dashboard", "/dashboard/", ("leader", "office", "admin")),
    PageSpec("figures", "/figures/", ("leader", "office", "head", "staff", "local")),
    PageSpec("reports", "/reports/", ("leader", "office")),
    PageSpec("report", "/reports/{report_id}", ("leader", "office")),
    PageSpec("catalog", "/catalog/", ("leader", "office", "head", "staff", "local")),
    PageSpec("reviews", "/reviews/"),
    PageSpec("new plan", "/plans/new", ("office",)),
    PageSpec("users", "/admin/users", ("admin",)),
    PageSpec("units", "/admin/units", ("admin",)),
    PageSpec("calendar", "/calendar/", ("admin",)),
    PageSpec("password", "/account/password", ("staff",)),
    PageSpec("delegations", "/delegations/", ("head", "leader", "admin")),
    PageSpec("evaluations", "/evaluations/", ("head", "staff", "leader", "admin")),
    PageSpec("evaluation sheet", "/evaluations/{evaluation_id}", ("head", "leader")),
    PageSpec("evaluation person", "/evaluations/{evaluation_id}/people/{person_id}", ("staff",)),
    PageSpec("evaluation dashboard", "/evaluations/dashboard", ("leader",)),
    PageSpec("evaluation schemes", "/evaluations/schemes", ("admin",)),
    PageSpec("register", "/register/", ("office", "leader")),
    PageSpec("verify signature", "/signatures/verify", ("staff", "leader")),
    PageSpec("signing certificates", "/admin/signing", ("admin",)),
    # The province's own pages (UI account keys, not roles: a Sở's office has no such page).
    PageSpec("province reports", "/province/requests", ("province-office", "province-leader")),
    PageSpec("province", "/province/", ("province-office", "province-leader", "leader")),
]


# The demo accounts the accessibility test and scripts/screenshots.sh log in as: key → (user
# name, role whose pages it opens). The province's accounts open the pages without an id in
# their path (the sample ids are the department's objects, which other agencies never see).
UI_ACCOUNTS = {
    "admin": ("admin", "admin"), "leader": ("giamdoc", "leader"), "office": ("vanphong", "office"),
    "head": ("tp_btxh", "head"), "staff": ("cv_btxh", "staff"), "local": ("dm_tpls", "local"),
    "province-office": ("kstt_tinh", "office"), "province-leader": ("chutich", "leader"),
    "commune-office": ("vp_dongkinh", "office"),
}
OTHER_AGENCY = {"province-office", "province-leader", "commune-office"}


def ui_pages_for(key: str) -> list[PageSpec]:
    """The main pages one UI account opens."""
    role = UI_ACCOUNTS[key][1]
    return [s for s in UI_PAGES if (role in s.roles or key in s.roles)
            and not (key in OTHER_AGENCY and "{" in s.path)]

