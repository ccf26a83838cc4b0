"""The sidebar: one entry per feature, shown to the roles that can use it, and the role's
work counters (việc cần làm, chờ duyệt, quá hạn)."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app import access

# (endpoint, label, who sees it)
MENU = [
    ("home.index", "Trang chủ", lambda u: True),
    ("plans.index", "Kế hoạch", lambda u: True),
    ("tracking.tasks", "Nhiệm vụ", lambda u: True),
    ("tracking.overdue", "Quá hạn", lambda u: True),
    ("dashboard.index", "Tổng quan", access.can_view_dashboard),
    ("province.index", "Toàn tỉnh", access.can_view_province_dashboard),
    ("calendar.index", "Lịch làm việc", access.can_view_calendar),
    ("figures.index", "Số liệu", lambda u: access.sees_everything(u) or access.enters_own_figures(u)),
    ("reports.index", "Báo cáo", access.can_view_reports),
    ("sendup.requests", "Báo cáo các cơ quan", access.can_view_province_reporting),
    ("register.index", "Sổ văn bản đi", access.can_view_register),
    ("signing.verify", "Kiểm tra chữ ký số", access.can_verify_signatures),
    ("catalog.index", "Danh mục TTHC", access.can_view_catalog),
    ("reviews.index", "Rà soát TTHC", lambda u: True),
    ("evaluations.index", "Đánh giá, xếp loại", lambda u: True),
    ("delegations.index", "Ủy quyền", lambda u: access.can_delegate(u) or access.is_admin(u)),
    ("org.units", "Quản trị", access.is_admin),
]

# Bootstrap Icons per entry; an entry added to MENU without one gets a plain dot.
ICONS = {
    "home.index": "bi-house-door", "plans.index": "bi-journal-text", "tracking.tasks": "bi-list-check",
    "tracking.overdue": "bi-alarm", "dashboard.index": "bi-bar-chart-line",
    "calendar.index": "bi-calendar3", "figures.index": "bi-table", "reports.index": "bi-file-earmark-text",
    "catalog.index": "bi-collection", "reviews.index": "bi-clipboard-check", "org.units": "bi-gear",
    "province.index": "bi-trophy", "sendup.requests": "bi-inboxes", "delegations.index": "bi-person-check",
    "evaluations.index": "bi-award",
    "register.index": "bi-journal-bookmark", "signing.verify": "bi-patch-check",
}


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    here = request.endpoint or ""
    items = []
    for endpoint, label, visible in MENU:
        if endpoint in current_app.view_functions and visible(current_user):
            prefix = endpoint.split(".")[0] + "."
            items.append({"url": url_for(endpoint), "label": label, "icon": ICONS.get(endpoint, "bi-dot"),
                          "active": here == endpoint or (here.startswith(prefix) and endpoint.endswith(".index"))})
    return items


def work_counters() -> list[dict]:
    """The role's queues with their sizes: one COUNT each (the home page's own counts); the
    base template asks once per page. On an error page whose transaction failed they are left out."""
    if not current_user.is_authenticated:
        return []
    try:
        return _counters(current_user)
    except SQLAlchemyError:
        from app.extensions import db
        db.session.rollback()
        return []


# The three queues in the order shown; what each holds for a role comes from access.work_queues.
QUEUES = [("todo", "Việc cần làm", "bi-inbox", "primary"),
          ("approval", "Chờ duyệt", "bi-hourglass-split", "warning"),
          ("overdue", "Quá hạn", "bi-exclamation-triangle", "danger")]


def _counters(user) -> list[dict]:
    from app.home import services as home
    from app.tracking.services import TaskFilters, counts

    queues = access.work_queues(user)
    out = []
    for key, label, icon, tone in QUEUES:
        q = queues.get(key)
        if q is None:
            continue
        if "plan_state" in q:
            n = home.plans_count(q["plan_state"])
            url = url_for("plans.index", state=q["plan_state"])
        else:
            args = {k: v for k, v in q.items() if k != "own_unit"}
            if q.get("own_unit"):
                args["unit_id"] = user.unit_id
            n = counts(user, TaskFilters(unit_id=args.get("unit_id"), state=args.get("state"),
                                         due=args.get("due"), mine=args.get("mine") == "1",
                                         here=args.get("here") == "1"))
            endpoint = "tracking.overdue" if args.get("due") == "overdue" else "tracking.tasks"
            url = url_for(endpoint, year="", **args)
        out.append({"key": key, "label": label, "icon": icon, "tone": tone, "count": n, "url": url})
    return out
