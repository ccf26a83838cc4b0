import io

from flask import Blueprint, redirect, request, send_file, url_for
from flask_login import current_user, login_required

from app.clock import today
from app.dashboard import services as dashboard
from app.exports.province import ranking_xlsx
from app.province import services
from app.web import page

bp = Blueprint("province", __name__, url_prefix="/province")


def _year() -> int:
    try:
        return int(request.args.get("year", ""))
    except ValueError:
        return today().year


def _ranking():
    return services.province_dashboard(current_user, _year(), today(), request.args.get("sort"),
                                       request.args.get("dir"))


@bp.get("/")
@login_required
def index():
    return page("province/index.html", block="body", d=_ranking())


@bp.get("/ranking.xlsx")
@login_required
def export():
    d = _ranking()
    return send_file(io.BytesIO(ranking_xlsx(d)), as_attachment=True,
                     download_name=f"xep-hang-co-quan-{d.year}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/agencies/<int:agency_id>")
@login_required
def agency(agency_id: int):
    drill, agency = services.drill_down(current_user, agency_id)
    year = _year()
    if drill == "own":
        return redirect(url_for("dashboard.index", year=year))
    d = dashboard.dashboard(current_user, year, today(),
                            scope=services.assigned_conditions(current_user, agency.id))
    return page("province/agency.html", block="body", d=d, agency=agency)
