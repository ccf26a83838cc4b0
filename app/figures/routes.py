from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user, login_required
from io import BytesIO

from app import access
from app.clock import today
from app.domain.formatting import vn_number
from app.domain.periods import make_period, parse_period_key, quarter_of, recent_periods
from app.exports.report_xlsx import figures_template
from app.figures import services
from app.figures.forms import FigureForm, ImportForm, OverdueForm
from app.reportforms import services as reportforms
from app.web import go, page

bp = Blueprint("figures", __name__, url_prefix="/figures")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _periods():
    """Recent quarters, then the half-years and the year of the current quarter."""
    year = quarter_of(today()).year
    return recent_periods(today(), 6) + [make_period("half", year, 1), make_period("half", year, 2),
                                         make_period("year", year)]


def _period(key: str):
    try:
        return parse_period_key(key)
    except ValueError:
        abort(404)


@bp.get("/")
@login_required
def index():
    return redirect(url_for("figures.overview", key=quarter_of(today()).key))


@bp.get("/<key>")
@login_required
def overview(key: str):
    period = _period(key)
    ov = services.overview(current_user, period)
    if len(ov.rows) == 0 and not access.sees_everything(current_user):
        abort(403)
    return page("figures/overview.html", ov=ov, periods=_periods(),
                can_import=access.can_manage_figures(current_user), import_form=ImportForm())


def _entries(period, fs, posted=None):
    """Each other form of the period for the page: its inputs (as typed when refused) and totals."""
    out = []
    for spec, keys in services.entry_forms(period):
        current = reportforms.values_of(fs, spec)
        entry = {"spec": spec, "inputs": keys, "totals": current, "errors": [], "fields": {},
                 "raw": {k: vn_number(current[k]) for k in keys}}
        if posted and posted["slug"] == spec.slug:
            entry.update(raw={k: posted["raw"].get(k, "") for k in keys}, errors=posted["errors"],
                         fields=posted["fields"])
        out.append(entry)
    return out


def _render_unit(period, unit, fs, form=None, overdue_form=None, errors=None, status=200,
                 ask_confirmation=False, posted=None):
    if form is None:
        form = FigureForm(obj=fs) if fs else FigureForm()
    state = fs.state if fs else None
    return page("figures/unit.html", status=status, period=period, unit=unit, fs=fs, form=form,
                overdue_form=overdue_form or OverdueForm(), errors=errors or [],
                totals=services.dossiers(fs), missing=services.missing_of(fs),
                ask_confirmation=ask_confirmation, entries=_entries(period, fs, posted),
                can_edit=access.can_edit_figure_set(current_user, unit.id, state),
                can_send=access.can_send_figure_set(current_user, unit.id, state))


@bp.get("/<key>/<int:unit_id>")
@login_required
def unit(key: str, unit_id: int):
    period = _period(key)
    unit, fs = services.load(current_user, unit_id, period)
    return _render_unit(period, unit, fs)


@bp.post("/<key>/<int:unit_id>")
@login_required
def save(key: str, unit_id: int):
    period = _period(key)
    unit, fs = services.load(current_user, unit_id, period)
    form = FigureForm()
    if not form.validate():
        return _render_unit(period, unit, fs, form=form, status=400)
    values = {k: getattr(form, k).data or 0 for k in services.FIELDS}
    typed = {k: getattr(form, k).data for k in services.TOTALS}
    try:
        services.save(current_user, unit_id, period, values, typed, form.note.data,
                      confirm_missing=form.confirm_missing.data)
    except services.FiguresError as e:
        unit, fs = services.load(current_user, unit_id, period)
        return _render_unit(period, unit, fs, form=form, errors=e.errors, status=400,
                            ask_confirmation=e.needs_confirmation)
    flash("Đã lưu số liệu.", "success")
    return go("figures.unit", key=key, unit_id=unit_id)


@bp.post("/<key>/<int:unit_id>/forms/<slug>")
@login_required
def save_form(key: str, unit_id: int, slug: str):
    period = _period(key)
    try:
        services.save_form_values(current_user, unit_id, period, slug, request.form)
    except services.FiguresError as e:
        unit, fs = services.load(current_user, unit_id, period)
        posted = {"slug": slug, "raw": request.form, "errors": e.errors, "fields": e.fields}
        return _render_unit(period, unit, fs, status=400, posted=posted)
    flash("Đã lưu số liệu.", "success")
    return go("figures.unit", key=key, unit_id=unit_id)


@bp.post("/<key>/<int:unit_id>/send")
@login_required
def send(key: str, unit_id: int):
    period = _period(key)
    # The send button sits in the figure form: the figures in the fields are sent, not the last save.
    form = FigureForm() if any(k in request.form for k in services.FIELDS) else None
    if form is not None and not form.validate():
        unit, fs = services.load(current_user, unit_id, period)
        return _render_unit(period, unit, fs, form=form, status=400)
    try:
        if form is None:
            services.send(current_user, unit_id, period)
        else:
            services.send(current_user, unit_id, period,
                          {k: getattr(form, k).data or 0 for k in services.FIELDS},
                          {k: getattr(form, k).data for k in services.TOTALS}, form.note.data)
    except services.FiguresError as e:
        unit, fs = services.load(current_user, unit_id, period)
        return _render_unit(period, unit, fs, form=form, errors=e.errors, status=400)
    flash("Đã gửi số liệu cho Văn phòng Sở.", "success")
    return go("figures.unit", key=key, unit_id=unit_id)


@bp.post("/<key>/<int:unit_id>/overdue")
@login_required
def add_overdue(key: str, unit_id: int):
    period = _period(key)
    _, fs = services.load(current_user, unit_id, period)
    if not access.can_edit_figure_set(current_user, unit_id, fs.state if fs else None):
        abort(403)  # before reading the form: readers get no 400 page with the entry form
    form = OverdueForm()
    try:
        if not form.validate():
            raise services.FiguresError([])
        services.add_overdue_case(current_user, unit_id, period, form.dossier_code.data,
                                  form.procedure_name.data, form.explanation.data)
    except services.FiguresError as e:
        unit, fs = services.load(current_user, unit_id, period)
        return _render_unit(period, unit, fs, overdue_form=form, errors=e.errors, status=400)
    flash("Đã thêm giải trình hồ sơ quá hạn.", "success")
    return go("figures.unit", key=key, unit_id=unit_id)


@bp.post("/<key>/<int:unit_id>/overdue/<int:case_id>/delete")
@login_required
def remove_overdue(key: str, unit_id: int, case_id: int):
    services.remove_overdue_case(current_user, unit_id, _period(key), case_id)
    flash("Đã xóa giải trình.", "success")
    return go("figures.unit", key=key, unit_id=unit_id)


@bp.get("/<key>/template.xlsx")
@login_required
def template(key: str):
    period = _period(key)
    if not access.can_manage_figures(current_user):
        abort(403)
    data = figures_template(services.TEMPLATE_COLUMNS, services.template_rows(current_user), period.label,
                            services.template_forms(period))
    return send_file(BytesIO(data), mimetype=XLSX, as_attachment=True,
                     download_name=f"mau-so-lieu-{period.key}.xlsx")


@bp.post("/<key>/import")
@login_required
def import_file(key: str):
    period = _period(key)
    if not access.can_manage_figures(current_user):
        abort(403)
    form = ImportForm()
    errors: list[str] = []
    ask_confirmation = False
    if form.validate():
        try:
            count = services.import_xlsx(current_user, period, form.file.data.read(),
                                         confirm_missing=form.confirm_missing.data)
        except services.FiguresError as e:
            errors = e.errors
            ask_confirmation = e.needs_confirmation
        else:
            flash(f"Đã nhập số liệu của {count} đơn vị.", "success")
            return go("figures.overview", key=key)
    ov = services.overview(current_user, period)
    return page("figures/overview.html", status=400, ov=ov, periods=_periods(),
                can_import=True, import_form=form, import_errors=errors,
                ask_confirmation=ask_confirmation)
