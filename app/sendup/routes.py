"""Routes of the send-up: an agency sends its issued report to UBND tỉnh; the province office
returns or accepts it, records reporting requests, follows who reported, reminds, and
consolidates (page, DOCX, XLSX). Thin: every rule is in services and app/access.py."""
from __future__ import annotations


from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required

from app import access
from app.clock import today
from app.domain import workflow as wf
from app.domain.formatting import vn_date
from app.domain.periods import quarter_of
from app.exports import province_docx, province_xlsx
from app.reports import services as reports
from app.sendup import services
from app.sendup.forms import MoveForm, RequestForm
from app.web import go, page

bp = Blueprint("sendup", __name__, url_prefix="/province")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.post("/report/<int:report_id>/<name>")
@login_required
def move(report_id: int, name: str):
    """Gửi UBND tỉnh (the agency), Trả lại / Tiếp nhận (the province office)."""
    report = reports.get_report(current_user, report_id)
    t = wf.REPORT_SENDUP.transition(name)
    if t is None:
        abort(404)
    if not access.sendup_actors(current_user, report) & t.actors:
        abort(403)
    form = MoveForm()
    try:
        services.move(current_user, report, name, form.comment.data)
    except services.SendupError as e:
        from app.reports.routes import _view  # the report page, with the refusal on top
        return _view(reports.get_report(current_user, report_id), error=e.message, status=409)
    flash({"send_up": "Đã gửi báo cáo lên UBND tỉnh.", "province_return": "Đã trả lại báo cáo cho cơ quan.",
           "province_accept": "Đã tiếp nhận báo cáo."}[name], "success")
    return go("reports.view", report_id=report.id)


def _requests_page(form=None, error=None, status=200):
    reqs = services.list_requests(current_user)
    if form is None:
        targets = services.default_targets(current_user.agency)
        form = RequestForm(data={"kind": "quarter", "number_in_year": quarter_of(today()).number,
                                 "year": today().year, "letter_date": vn_date(today()),
                                 "time_cut_target": str(targets["time_cut"]),
                                 "cost_cut_target": str(targets["cost_cut"])})
    return page("sendup/requests.html", status=status, requests=reqs, form=form, error=error,
                can_manage=access.can_manage_province_reporting(current_user), period_of=services.period_of)


@bp.get("/requests")
@login_required
def requests():
    return _requests_page()


@bp.post("/requests")
@login_required
def create_request():
    if not access.can_manage_province_reporting(current_user):
        abort(403)
    form = RequestForm()
    if not form.validate():
        return _requests_page(form, status=400)
    try:
        req = services.create_request(current_user, services.NewRequest(
            kind=form.kind.data, number_in_year=form.number_in_year.data, year=form.year.data,
            number=form.number.data, letter_date=form.letter_date.data, deadline=form.deadline.data,
            subject=form.subject.data or "", time_cut_target=form.time_cut_target.data or "",
            cost_cut_target=form.cost_cut_target.data or ""))
    except services.SendupError as e:
        if e.field and hasattr(form, e.field):
            getattr(form, e.field).errors = [e.message]
            return _requests_page(form, status=400)
        return _requests_page(form, e.message, 400)
    flash("Đã ghi nhận yêu cầu báo cáo.", "success")
    return go("sendup.status", request_id=req.id)


def _status_page(req, error=None, status=200):
    rows = services.status_rows(req)
    return page("sendup/status.html", "rows", status=status, req=req, period=services.period_of(req), rows=rows,
                summary=services.summary(rows), reminders=services.recent_reminders(req), error=error,
                can_manage=access.can_manage_province_reporting(current_user))


@bp.get("/requests/<int:request_id>")
@login_required
def status(request_id: int):
    return _status_page(services.get_request(current_user, request_id))


@bp.post("/requests/<int:request_id>/remind")
@login_required
def remind(request_id: int):
    req = services.get_request(current_user, request_id)
    if not access.can_manage_province_reporting(current_user):
        abort(403)
    raw = (request.form.get("agency_id") or "").strip()
    if raw and not raw.isdigit():
        abort(404)
    try:
        n = services.remind(current_user, req, int(raw) if raw else None)
    except services.SendupError as e:
        return _status_page(req, e.message, 400)
    flash(f"Đã gửi nhắc nhở tới {n} cơ quan.", "success")
    return go("sendup.status", request_id=req.id)


@bp.get("/requests/<int:request_id>/consolidation")
@login_required
def consolidation(request_id: int):
    req = services.get_request(current_user, request_id)
    return page("sendup/consolidation.html", req=req, doc=services.consolidation(req))


def _download(request_id: int, exporter, mimetype: str):
    req = services.get_request(current_user, request_id)
    doc = services.consolidation(req)
    if doc["total"] is None:
        return page("sendup/consolidation.html", status=409, req=req, doc=doc,
                    error="Số liệu của các cơ quan chưa khớp nên chưa tổng hợp được; chưa thể tải báo cáo.")
    from app.jobs import exports
    from app.jobs.routes import deliver
    fmt = "docx" if exporter is province_docx else "xlsx"
    return deliver(exports.consolidation_job(current_user, req, fmt, doc),
                   f"Báo cáo tổng hợp toàn tỉnh ({fmt.upper()})")


@bp.get("/requests/<int:request_id>/consolidation.docx")
@login_required
def consolidation_docx(request_id: int):
    return _download(request_id, province_docx, DOCX)


@bp.get("/requests/<int:request_id>/consolidation.xlsx")
@login_required
def consolidation_xlsx(request_id: int):
    return _download(request_id, province_xlsx, XLSX)
