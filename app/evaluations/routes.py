"""Routes of evaluations (issue 15): the sheets list, a unit's sheet (the head's review), one
person's results with the tasks behind each figure, the head's marks and corrections, the
person's comment, the moves, the XLSX and DOCX, the on-time dashboard and the scheme versions.
Thin: every rule is in services and app/access.py."""
from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import Blueprint, abort, flash, request, send_file
from flask_login import current_user, login_required

from app import access
from app.clock import today
from app.domain import evaluation as de
from app.domain import workflow as wf
from app.evaluations import services
from app.evaluations.forms import CommentForm, CorrectionForm, MarkForm, MoveForm, OpenForm, SchemeForm
from app.exports import evaluation_docx, evaluation_xlsx
from app.web import Pager, go, page, page_number

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 25


def _index(form=None, status=200):
    units = services.openable_units(current_user)
    if form is None:
        t = today()
        form = OpenForm(data={"kind": "month", "number": t.month, "year": t.year,
                              "unit_id": current_user.unit_id})
    form.unit_id.choices = [(u.id, u.name) for u in units]
    return page("evaluations/index.html", status=status, form=form, can_open=bool(units),
                sheets=[ev for ev in services.list_evaluations(current_user)
                        if access.can_view_evaluation(current_user, ev)],
                mine=services.my_evaluations(current_user), period_of=services.period_of, label=wf.EVALUATION.label)


@bp.get("/")
@login_required
def index():
    return _index()


@bp.post("/")
@login_required
def open_period():
    if not access.can_open_evaluation(current_user):
        abort(403)
    form = OpenForm()
    form.unit_id.choices = [(u.id, u.name) for u in services.openable_units(current_user)]
    if not form.validate():
        return _index(form, 400)
    if not access.can_open_evaluation(current_user, form.unit_id.data):
        abort(403)
    number = form.number.data or 0
    if form.kind.data != "year" and not number:
        form.number.errors = ["Nhập tháng (1–12) hoặc quý (1–4)."]
        return _index(form, 400)
    try:
        ev = services.open_evaluation(current_user, form.unit_id.data, form.kind.data, form.year.data, number)
    except services.EvaluationError as e:
        form.number.errors = [e.message]
        return _index(form, 400)
    return go("evaluations.view", evaluation_id=ev.id)


def _sheet_or_403(evaluation_id: int):
    ev = services.get_evaluation(current_user, evaluation_id)
    if not access.can_view_evaluation(current_user, ev):
        abort(403)
    return ev


def _view(ev, error=None, status=200):
    sheet = services.sheet(ev)
    return page("evaluations/view.html", status=status, ev=ev, sheet=sheet, period=services.period_of(ev),
                ref=date.fromisoformat(sheet["ref"]),
                error=error, moves=access.available_evaluation_transitions(current_user, ev),
                versions=services.versions(ev), label=wf.EVALUATION.label, figures=de.FIGURES, roles=de.ROLES)


@bp.get("/<int:evaluation_id>")
@login_required
def view(evaluation_id: int):
    return _view(_sheet_or_403(evaluation_id))


def _person_or_403(evaluation_id: int, user_id: int):
    ev = services.get_evaluation(current_user, evaluation_id)
    person = services.get_person(ev, user_id)
    if not access.can_view_person_evaluation(current_user, ev, person):
        abort(403)
    return ev, person


def _person_page(ev, person, mark_form=None, correction_form=None, comment_form=None, error=None, status=200):
    row = services.person_row(ev, person)
    if mark_form is None:
        mark_form = MarkForm(data={"quality": row["quality"], "head_comment": row["head_comment"]})
    return page("evaluations/person.html", status=status, ev=ev, person=person, row=row,
                period=services.period_of(ev), figures=de.FIGURES, roles=de.ROLES, error=error,
                history=services.correction_history(ev, person), mark_form=mark_form,
                correction_form=correction_form or CorrectionForm(),
                comment_form=comment_form or CommentForm(data={"comment": row["person_comment"]}),
                can_mark=access.can_mark_evaluation(current_user, ev),
                can_comment=access.can_comment_own_evaluation(current_user, ev, person),
                can_view_sheet=access.can_view_evaluation(current_user, ev), label=wf.EVALUATION.label)


@bp.get("/<int:evaluation_id>/people/<int:user_id>")
@login_required
def person(evaluation_id: int, user_id: int):
    return _person_page(*_person_or_403(evaluation_id, user_id))


@bp.get("/<int:evaluation_id>/people/<int:user_id>/tasks")
@login_required
def figure_tasks(evaluation_id: int, user_id: int):
    ev, person = _person_or_403(evaluation_id, user_id)
    figure = request.args.get("figure", "assigned")
    role = request.args.get("role") or None
    pager = Pager(page_number(), PER_PAGE, 0)
    tasks, total = services.figure_tasks(ev, person, figure, role, pager.offset, PER_PAGE)
    pager.total = total
    return page("evaluations/tasks.html", "rows", ev=ev, person=person, period=services.period_of(ev), tasks=tasks,
                pager=pager, figure=figure, role=role, figures=de.FIGURES, roles=de.ROLES)


@bp.post("/<int:evaluation_id>/people/<int:user_id>/mark")
@login_required
def mark(evaluation_id: int, user_id: int):
    ev, person = _person_or_403(evaluation_id, user_id)
    if "unit_head" not in access.evaluation_actors(current_user, ev):
        abort(403)
    form = MarkForm()
    if not form.validate():
        return _person_page(ev, person, mark_form=form, status=400)
    try:
        services.save_mark(current_user, ev, person, form.quality.data, form.head_comment.data or "")
    except services.EvaluationError as e:
        if e.field == "quality":
            form.quality.errors = [e.message]
            return _person_page(ev, person, mark_form=form, status=400)
        return _person_page(ev, person, mark_form=form, error=e.message, status=409)
    flash(f"Đã lưu điểm chất lượng và nhận xét cho {person.full_name}.", "success")
    return go("evaluations.person", evaluation_id=ev.id, user_id=person.id)


@bp.post("/<int:evaluation_id>/people/<int:user_id>/correct")
@login_required
def correct(evaluation_id: int, user_id: int):
    ev, person = _person_or_403(evaluation_id, user_id)
    if "unit_head" not in access.evaluation_actors(current_user, ev):
        abort(403)
    form = CorrectionForm()
    if not form.validate():
        return _person_page(ev, person, correction_form=form, status=400)
    try:
        services.correct(current_user, ev, person, form.figure.data, form.value.data, form.reason.data)
    except services.EvaluationError as e:
        if e.field and hasattr(form, e.field):
            getattr(form, e.field).errors = [e.message]
            return _person_page(ev, person, correction_form=form, status=400)
        return _person_page(ev, person, correction_form=form, error=e.message, status=409)
    flash("Đã sửa số liệu; số liệu tính từ dữ liệu được giữ bên cạnh.", "success")
    return go("evaluations.person", evaluation_id=ev.id, user_id=person.id)


@bp.post("/<int:evaluation_id>/people/<int:user_id>/comment")
@login_required
def comment(evaluation_id: int, user_id: int):
    ev, person = _person_or_403(evaluation_id, user_id)
    if current_user.id != person.id:
        abort(403)
    form = CommentForm()
    if not form.validate():
        return _person_page(ev, person, comment_form=form, status=400)
    try:
        services.person_comment(current_user, ev, person, form.comment.data)
    except services.EvaluationError as e:
        return _person_page(ev, person, comment_form=form, error=e.message, status=409)
    flash("Đã gửi ý kiến của bạn.", "success")
    return go("evaluations.person", evaluation_id=ev.id, user_id=person.id)


@bp.post("/<int:evaluation_id>/move/<name>")
@login_required
def move(evaluation_id: int, name: str):
    ev = _sheet_or_403(evaluation_id)
    t = wf.EVALUATION.transition(name) or wf.EVALUATION_VERSIONS.transition(name)
    if t is None:
        abort(404)
    form = MoveForm()
    try:
        result = services.move(current_user, ev, name, form.comment.data)
    except services.EvaluationError as e:
        return _view(ev, error=e.message, status=409)
    flash({"propose": "Đã gửi đề xuất kết quả lên Lãnh đạo.", "return": "Đã trả lại Trưởng phòng.",
           "confirm": "Đã xác nhận kết quả đánh giá.", "close": "Đã khóa sổ kỳ đánh giá.",
           "reopen": f"Đã mở lại kỳ đánh giá (phiên bản {result.version})."}[name], "success")
    return go("evaluations.view", evaluation_id=result.id)


@bp.get("/<int:evaluation_id>/unit.xlsx")
@login_required
def unit_xlsx(evaluation_id: int):
    ev = _sheet_or_403(evaluation_id)
    doc = {"ev": ev, "period": services.period_of(ev), "sheet": services.sheet(ev), "state": wf.EVALUATION.label(ev.state)}
    return send_file(BytesIO(evaluation_xlsx.build(doc)), mimetype=XLSX, as_attachment=True,
                     download_name=evaluation_xlsx.filename(doc))


@bp.get("/<int:evaluation_id>/people/<int:user_id>/summary.docx")
@login_required
def person_docx(evaluation_id: int, user_id: int):
    ev, person = _person_or_403(evaluation_id, user_id)
    doc = {"ev": ev, "period": services.period_of(ev), "row": services.person_row(ev, person), "person": person,
           "state": wf.EVALUATION.label(ev.state)}
    return send_file(BytesIO(evaluation_docx.build(doc)), mimetype=DOCX, as_attachment=True,
                     download_name=evaluation_docx.filename(doc))


@bp.get("/dashboard")
@login_required
def dashboard():
    if not access.can_view_evaluation_dashboard(current_user):
        abort(403)
    try:
        year = int(request.args.get("year") or today().year)
    except ValueError:
        year = today().year
    if not 2000 <= year <= 2100:
        year = today().year
    return page("evaluations/dashboard.html", d=services.dashboard(current_user, year))


def _schemes_page(form=None, values=None, errors=None, status=200):
    rows = services.schemes(current_user)
    latest = rows[0].weights if rows else de.DEFAULT_WEIGHTS
    if values is None:
        values = {path: str(de.field_value(latest, path)).replace(".", ",") for path, *_ in de.SCHEME_FIELDS}
    return page("evaluations/schemes.html", status=status, schemes=rows, form=form or SchemeForm(),
                fields=de.SCHEME_FIELDS, values=values, errors=errors or {}, field_value=de.field_value)


@bp.get("/schemes")
@login_required
def schemes():
    if not access.can_manage_evaluation_schemes(current_user):
        abort(403)
    return _schemes_page()


@bp.post("/schemes")
@login_required
def create_scheme():
    if not access.can_manage_evaluation_schemes(current_user):
        abort(403)
    form = SchemeForm()
    values = {path: request.form.get(path, "") for path, *_ in de.SCHEME_FIELDS}
    if not form.validate():
        return _schemes_page(form, values, status=400)
    try:
        s = services.create_scheme(current_user, form.name.data, form.valid_from.data, form.description.data or "",
                                   values)
    except services.EvaluationError as e:
        return _schemes_page(form, values, e.field, status=400)
    flash(f"Đã tạo phiên bản {s.version} của bộ tiêu chí, áp dụng từ {form.valid_from.raw_data[0]}.", "success")
    return go("evaluations.schemes")
