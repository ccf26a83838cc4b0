from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required

from app import access
from app.clock import today
from app.domain import workflow as wf
from app.domain.formatting import parse_vn_date, vn_date
from app.domain.periods import quarter_of
from app.exports import report_docx, report_xlsx
from app.jobs import pdf
from app.exports.report_docx import annexes_of, header_spans
from app.reports import drafting, services
from app.sendup import services as sendup
from app.reports.forms import EditForm, MoveForm, OpenForm
from app.web import go, page

bp = Blueprint("reports", __name__, url_prefix="/reports")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _index(form=None, error=None, status=200):
    reports = services.list_reports(current_user)
    if form is None:
        form = OpenForm(data={"year": today().year, "kind": "quarter",
                              "number": quarter_of(today()).number})
    form.plan_id.choices = [(0, "—")] + services.plan_choices(current_user)
    return page("reports/index.html", status=status, reports=reports, form=form, error=error,
                can_open=access.can_open_report(current_user), label=wf.REPORT.label,
                sendup_label=wf.REPORT_SENDUP.label,
                period_of=services.period_of)


@bp.get("/")
@login_required
def index():
    return _index()


@bp.post("/open")
@login_required
def open_report():
    if not access.can_open_report(current_user):
        abort(403)
    form = OpenForm()
    if not form.validate():
        return _index(form, status=400)
    try:
        report = services.open_report(current_user, form.kind.data, form.year.data, form.number.data,
                                      form.plan_id.data or None)
    except services.ReportError as e:
        return _index(form, e.message, 400)
    flash("Đã mở dự thảo báo cáo, số liệu được lấy từ dữ liệu của cổng.", "success")
    return go("reports.view", report_id=report.id)


def _view(report, move_form=None, error=None, status=200):
    doc = services.document(report)
    move_form = move_form or MoveForm(data={"number": "", "issued_on": vn_date(today())})
    if report.state == "pending":
        move_form.number.choices = services.number_choices(report, today().year)
    return page("reports/view.html", status=status, report=report, doc=doc, annexes_of=annexes_of, header_spans=header_spans,
                paragraphs=drafting.paragraphs, move_form=move_form,
                transitions=access.available_report_transitions(current_user, report),
                can_edit=access.can_edit_report(current_user, report),
                can_new_version=access.can_new_report_version(current_user, report),
                label=wf.REPORT.label, error=error, sendup=sendup.panel(current_user, report),
                issued_pdf=pdf.issued_file("report", report) if report.state == "issued" else None)


@bp.get("/<int:report_id>")
@login_required
def view(report_id: int):
    return _view(services.get_report(current_user, report_id))


def _edit_page(report, form, error=None, sections=None, status=200):
    return page("reports/edit.html", status=status, report=report, form=form, error=error,
                sections=sections or report.sections, results=services.results_to_cite(report),
                max_quoted=drafting.MAX_QUOTED_RESULTS)


def _editable(report_id: int):
    report = services.get_report(current_user, report_id)
    if not access.can_edit_report(current_user, report):
        abort(403)
    return report


@bp.get("/<int:report_id>/edit")
@login_required
def edit(report_id: int):
    report = _editable(report_id)
    form = EditForm(data={"title": report.title, "basis": report.basis, "number": report.number,
                          "recipients": report.recipients, "lock_version": report.lock_version})
    return _edit_page(report, form)


@bp.post("/<int:report_id>/edit")
@login_required
def save(report_id: int):
    report = _editable(report_id)
    form = EditForm()
    typed = [dict(s, heading=request.form.get(f"heading-{s['key']}", s["heading"]),
                  text=request.form.get(f"text-{s['key']}", s.get("text") or ""))
             for s in report.sections]
    if not form.validate():
        return _edit_page(report, form, sections=typed, status=400)
    try:
        lock = int(form.lock_version.data or 0)
    except ValueError:
        lock = 0
    try:
        services.update_report(current_user, report, services.Edit(
            title=form.title.data, basis=form.basis.data or "", number=form.number.data or "",
            recipients=form.recipients.data or "", sections=typed, lock_version=lock))
    except services.ReportError as e:
        if e.field in ("number", "title"):
            getattr(form, e.field).errors = [e.message]
            return _edit_page(report, form, sections=typed, status=400)
        return _edit_page(report, form, e.message, sections=typed, status=409)
    flash("Đã lưu báo cáo.", "success")
    return go("reports.view", report_id=report.id)


@bp.post("/<int:report_id>/move/<name>")
@login_required
def move(report_id: int, name: str):
    report = services.get_report(current_user, report_id)
    form = MoveForm()
    issued_on = None
    if form.issued_on.data:
        issued_on = parse_vn_date(form.issued_on.data)
        if issued_on is None:
            return _view(report, form, "Ngày ban hành phải có dạng dd/mm/yyyy.", 400)
    if wf.REPORT.transition(name) is None:
        abort(404)
    if not any(t.name == name for t in access.available_report_transitions(current_user, report)) \
            and report.state in wf.REPORT.transition(name).sources:
        abort(403)
    try:
        services.transition(current_user, report, name, form.comment.data, form.number.data, issued_on,
                            confirm_gaps=request.form.get("confirm_gaps") == "1")
    except services.ReportError as e:
        report = services.get_report(current_user, report_id)
        return _view(report, form, e.message, 400)
    flash({"submit": "Đã trình Lãnh đạo.", "return": "Đã trả lại Văn phòng.",
           "issue": "Đã duyệt, ban hành báo cáo."}[name], "success")
    return go("reports.view", report_id=report.id)


@bp.post("/<int:report_id>/new-version")
@login_required
def new_version(report_id: int):
    report = services.get_report(current_user, report_id)
    fresh = services.new_version(current_user, report)
    flash(f"Đã mở phiên bản {fresh.version} từ báo cáo đã ban hành.", "success")
    return go("reports.view", report_id=fresh.id)


def _download(report_id: int, exporter, mimetype: str):
    """The report's document (frozen snapshot once issued) through one exporter module."""
    from app.jobs import exports
    from app.jobs.routes import deliver
    report = services.get_report(current_user, report_id)
    fmt = "docx" if exporter is report_docx else "xlsx"
    job = exports.report_job(current_user, report, fmt, services.document(report))
    return deliver(job, f"Báo cáo {services.period_of(report).label} ({fmt.upper()})")


@bp.get("/<int:report_id>/report.docx")
@login_required
def docx(report_id: int):
    return _download(report_id, report_docx, DOCX)


@bp.get("/<int:report_id>/report.xlsx")
@login_required
def xlsx(report_id: int):
    return _download(report_id, report_xlsx, XLSX)
