from flask import Blueprint, current_app, flash, request
from flask_login import current_user, login_required

from app.org import services
from app.org.forms import UnitForm, UserForm
from app.web import Pager, go, page, page_number

bp = Blueprint("org", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def only_admins():
    services.require_admin(current_user)


@bp.get("/units")
def units():
    return page("org/units.html", units=services.list_units(current_user), counts=services.unit_user_counts(current_user))


def _unit_form(unit=None) -> UnitForm:
    form = UnitForm(obj=unit)
    form.parent_id.choices = [(0, "— Không —")] + [
        (u.id, u.name) for u in services.list_units(current_user) if unit is None or u.id != unit.id]
    return form


@bp.route("/units/new", methods=["GET", "POST"], endpoint="unit_new")
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"], endpoint="unit_edit")
def unit_form(unit_id: int | None = None):
    unit = services.get_unit(unit_id, current_user) if unit_id else None
    form = _unit_form(unit)
    if form.validate_on_submit():
        try:
            services.save_unit(current_user, unit, {
                "name": form.name.data.strip(), "code": form.code.data.strip().upper(),
                "kind": form.kind.data, "parent_id": form.parent_id.data,
                "sort_order": form.sort_order.data or 100, "active": form.active.data})
        except services.Duplicate as e:
            getattr(form, e.field).errors.append(e.message)
        else:
            flash("Đã lưu đơn vị.", "success")
            return go("org.units")
    return page("org/unit_form.html", form=form, unit=unit, status=400 if form.errors else 200)


@bp.get("/users")
def users():
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    rows, total = services.list_users(request.args.get("q") or None,
                                      request.args.get("unit_id", type=int), (p - 1) * per, per,
                                      user=current_user)
    return page("org/users.html", block="rows", users=rows, pager=Pager(p, per, total),
                units=services.list_units(current_user), args=request.args)


@bp.route("/users/new", methods=["GET", "POST"], endpoint="user_new")
@bp.route("/users/<int:user_id>", methods=["GET", "POST"], endpoint="user_edit")
def user_form(user_id: int | None = None):
    target = services.get_user(user_id, current_user) if user_id else None
    form = UserForm(obj=target)
    if target is not None and request.method == "GET":
        form.password.data = ""
    form.unit_id.choices = [(u.id, u.name) for u in services.list_units(current_user)]
    if form.validate_on_submit():
        try:
            services.save_user(current_user, target, {
                "username": form.username.data.strip().lower(), "full_name": form.full_name.data.strip(),
                "title": form.title.data or None, "email": form.email.data or None,
                "unit_id": form.unit_id.data, "role": form.role.data, "active": form.active.data,
                "password": form.password.data or None})
        except services.Duplicate as e:
            getattr(form, e.field).errors.append(e.message)
        else:
            flash("Đã lưu người dùng.", "success")
            return go("org.users")
    return page("org/user_form.html", form=form, target=target, status=400 if form.errors else 200)
