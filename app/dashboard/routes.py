from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from app.clock import today
from app.dashboard import charts, services
from app.exports.dashboard import PARTS
from app.web import page

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def _year() -> int:
    try:
        return int(request.args.get("year", ""))
    except ValueError:
        return today().year


@bp.get("/")
@login_required
def index():
    d = services.dashboard(current_user, _year(), today())
    c = charts.COLORS
    unit_labels = [u.unit for u in d.units]
    svg = {
        "units": charts.stacked_bars("Nhiệm vụ theo đơn vị chủ trì", unit_labels, [
            ("Đúng hạn", c["on_time"], [u.on_time for u in d.units]),
            ("Trễ hạn", c["late"], [u.late for u in d.units]),
            ("Quá hạn", c["overdue"], [u.overdue for u in d.units]),
            ("Chưa đến hạn", c["open"], [u.open for u in d.units])]),
        "plans": charts.percent_bars("Tiến độ kế hoạch (đã hoàn thành / tổng)",
                                     [p.number for p in d.plans], [p.progress for p in d.plans]),
        "burndown": charts.burndown("Nhiệm vụ còn mở theo tháng đến hạn", [b.month for b in d.burndown],
                                    [b.due for b in d.burndown], [b.remaining for b in d.burndown]),
    }
    return page("dashboard/index.html", block="body", d=d, svg=svg)


@bp.get("/<part>.xlsx")
@login_required
def export(part: str):
    if part not in PARTS and part != "all":
        abort(404)
    from app import access
    from app.jobs import exports
    from app.jobs.routes import deliver
    if not access.can_view_dashboard(current_user):
        abort(403)
    return deliver(exports.dashboard_job(current_user, part, _year()), "Bảng tổng quan (XLSX)")
