from datetime import date

from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required

from app import access
from app.domain.plantable import TableError
from app.planimport import forms, services
from app.plans.services import PlanNumberTaken, check_plan_number
from app.web import go, page

bp = Blueprint("planimport", __name__, url_prefix="/plans/import")


@bp.app_template_filter("isodate")
def isodate(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _guard():
    if not access.can_import_plan(current_user):
        abort(403)


@bp.get("/")
@login_required
def start():
    _guard()
    return page("planimport/start.html", form=forms.SourceForm())


@bp.post("/")
@login_required
def upload():
    _guard()
    form = forms.SourceForm()
    f = request.files.get("file")
    data = f.read() if f and f.filename else None
    try:
        rows = services.read_source(f.filename if f else None, data, form.text.data)
        token = services.build_preview(current_user, rows, f.filename if data else "bảng dán")
    except TableError as e:
        form.text.errors = list(form.text.errors) + [str(e)]
        return page("planimport/start.html", form=form, status=400)
    return go("planimport.preview", token=token)


def _render_preview(token, preview, form, errors=None, status=200):
    return page("planimport/preview.html", status=status, token=token, preview=preview, form=form,
                errors=errors or {}, units=services.unit_refs(current_user))


@bp.get("/<token>")
@login_required
def preview(token: str):
    data = services.load_preview(current_user, token)
    form = forms.ConfirmForm(data={"year": data["year"], "kind": "reform"})
    return _render_preview(token, data, form)


@bp.post("/<token>")
@login_required
def confirm(token: str):
    data = services.load_preview(current_user, token)
    form = forms.ConfirmForm()
    errors = services.apply_choices(data, request.form, current_user)
    valid = form.validate()
    if valid:
        try:
            check_plan_number(form.number.data, form.year.data, agency_id=current_user.agency_id)
        except PlanNumberTaken as e:
            form.number.errors = [e.message]
            valid = False
    if not valid or errors:
        return _render_preview(token, data, form, errors, 400)
    plan = services.confirm(current_user, token, data, form.number.data, form.title.data,
                            form.year.data, form.kind.data)
    flash(f"Đã tạo kế hoạch dự thảo {plan.number} với {len(data['tasks'])} nhiệm vụ.", "success")
    return go("planimport.done", plan_id=plan.id)


@bp.get("/done/<int:plan_id>")
@login_required
def done(plan_id: int):
    _guard()
    plan = services.imported_plan(current_user, plan_id)
    return page("planimport/done.html", plan=plan)
