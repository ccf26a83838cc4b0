from flask import Blueprint, current_app, flash, request
from flask_login import current_user, login_required

from app.org import services
from app.org.forms import DirectoryMappingForm, UnitForm, UserForm
from app.web import Pager, go, page, page_number
from app.auth import security, sessions
from app.auth.services import LoginRefused
from app.auth.directory import DirectorySettings

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
                "standing_approval": bool(form.standing_approval.data),
                "password": form.password.data or None})
        except services.Duplicate as e:
            getattr(form, e.field).errors.append(e.message)
        else:
            flash("Đã lưu người dùng.", "success")
            return go("org.users")
    open_sessions = sessions.open_sessions(target.id) if target else []
    return page("org/user_form.html", form=form, target=target, open_sessions=open_sessions,
                device=sessions.device_label, status=400 if form.errors else 200)


@bp.post("/users/<int:user_id>/sessions/end")
def user_sessions_end(user_id: int):
    n = services.end_sessions(current_user, services.get_user(user_id, current_user))
    flash(f"Đã kết thúc {n} phiên đăng nhập của người dùng." if n else "Người dùng không có phiên nào đang mở.",
          "success")
    return go("org.user_edit", user_id=user_id)


@bp.get("/directory")
def directory():
    settings = DirectorySettings.from_config(current_app.config)
    return page("org/directory.html", mappings=services.list_mappings(current_user), settings=settings)


@bp.route("/directory/new", methods=["GET", "POST"], endpoint="mapping_new")
@bp.route("/directory/<int:mapping_id>", methods=["GET", "POST"], endpoint="mapping_edit")
def mapping_form(mapping_id: int | None = None):
    mapping = services.get_mapping(mapping_id, current_user) if mapping_id else None
    form = DirectoryMappingForm(obj=mapping)
    form.unit_id.choices = [(u.id, u.name) for u in services.list_units(current_user)]
    if form.validate_on_submit():
        try:
            services.save_mapping(current_user, mapping, {
                "group_dn": form.group_dn.data, "unit_id": form.unit_id.data, "role": form.role.data,
                "title": (form.title.data or "").strip(), "priority": form.priority.data if form.priority.data is not None else 100,
                "active": form.active.data})
        except services.Duplicate as e:
            getattr(form, e.field).errors.append(e.message)
        else:
            flash("Đã lưu quy tắc gán nhóm thư mục.", "success")
            return go("org.directory")
    return page("org/mapping_form.html", form=form, mapping=mapping, status=400 if form.errors else 200)


@bp.post("/directory/<int:mapping_id>/delete")
def mapping_delete(mapping_id: int):
    services.delete_mapping(current_user, services.get_mapping(mapping_id, current_user))
    flash("Đã xóa quy tắc gán nhóm thư mục.", "success")
    return go("org.directory")


@bp.post("/users/<int:user_id>/reset-password")
def user_reset_password(user_id: int):
    target = services.get_user(user_id, current_user)
    try:
        temp = security.reset_password(current_user, target)
    except LoginRefused as e:
        flash(e.reason, "danger")
        return go("org.user_edit", user_id=user_id)
    resp = page("org/temp_password.html", target=target, temp=temp)
    resp.headers["Cache-Control"] = "no-store"  # shown once, never kept by a cache
    return resp


@bp.post("/users/<int:user_id>/reset-totp")
def user_reset_totp(user_id: int):
    target = services.get_user(user_id, current_user)
    security.disable_totp(current_user, target)
    flash(f"Đã tắt xác thực hai bước của {target.full_name}; người dùng cài đặt lại ở lần đăng nhập sau nếu vai trò bắt buộc.",
          "success")
    return go("org.user_edit", user_id=user_id)
