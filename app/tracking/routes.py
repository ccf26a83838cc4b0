from flask import Blueprint, current_app, request
from flask_login import current_user, login_required

from app.tracking import services
from app.web import Pager, page, page_number

bp = Blueprint("tracking", __name__)


def _filters(default_due: str | None = None) -> services.TaskFilters:
    a = request.args
    return services.TaskFilters(
        plan_id=a.get("plan_id", type=int), unit_id=a.get("unit_id", type=int),
        state=a.get("state") or None, q=a.get("q") or None,
        due=a.get("due", default_due) or None, mine=a.get("mine") == "1")


def _list(template: str, default_due: str | None):
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    f = _filters(default_due)
    rows, total = services.list_tasks(current_user, f, (p - 1) * per, per)
    return page(template, block="rows", rows=rows, pager=Pager(p, per, total), f=f,
                choices=services.filter_choices(current_user), args=request.args,
                soon_days=services.due_soon_days())


@bp.get("/tasks/")
@login_required
def tasks():
    return _list("tracking/tasks.html", None)


@bp.get("/overdue")
@login_required
def overdue():
    return _list("tracking/overdue.html", "attention")
