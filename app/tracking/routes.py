from flask import Blueprint, current_app, request
from flask_login import current_user, login_required

from app.clock import today
from app.tracking import services
from app.web import Pager, page, page_number

bp = Blueprint("tracking", __name__)


def _year(default: int | None) -> int | None:
    """`year` absent: the page's default; empty: every year; else that year."""
    raw = request.args.get("year")
    if raw is None:
        return default
    return int(raw) if raw.isdigit() else None


def _filters(default_due: str | None, default_year: int | None) -> services.TaskFilters:
    a = request.args
    return services.TaskFilters(
        plan_id=a.get("plan_id", type=int), unit_id=a.get("unit_id", type=int),
        state=a.get("state") or None, q=a.get("q") or None,
        due=a.get("due", default_due) or None, mine=a.get("mine") == "1", here=a.get("here") == "1",
        # A plan chosen (e.g. from the plan's page) brings its own year.
        year=_year(None if a.get("plan_id") else default_year))


def _list(template: str, default_due: str | None, default_year: int | None):
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    f = _filters(default_due, default_year)
    rows, total = services.list_tasks(current_user, f, (p - 1) * per, per)
    return page(template, block="rows", rows=rows, pager=Pager(p, per, total), f=f,
                choices=services.filter_choices(current_user, f.year), args=request.args,
                soon_days=services.due_soon_days())


@bp.get("/tasks/")
@login_required
def tasks():
    # This year's plans by default (plans are yearly); "Tất cả các năm" lists every year.
    return _list("tracking/tasks.html", None, today().year)


@bp.get("/overdue")
@login_required
def overdue():
    # Late work of any year is still late: no year by default.
    return _list("tracking/overdue.html", "attention", None)
