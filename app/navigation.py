"""The top menu: one entry per feature, shown to the roles that can use it."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

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
    ("catalog.index", "Danh mục TTHC", access.can_view_catalog),
    ("reviews.index", "Rà soát TTHC", lambda u: True),
    ("org.units", "Quản trị", access.is_admin),
]


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    here = request.endpoint or ""
    items = []
    for endpoint, label, visible in MENU:
        if endpoint in current_app.view_functions and visible(current_user):
            prefix = endpoint.split(".")[0] + "."
            items.append({"url": url_for(endpoint), "label": label,
                          "active": here == endpoint or (here.startswith(prefix) and endpoint.endswith(".index"))})
    return items
