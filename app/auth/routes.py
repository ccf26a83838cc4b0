from flask import Blueprint, flash, render_template, request, session
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm
from app.web import go, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return go(safe_next(request.args.get("next"), "/"))
    form = LoginForm()
    error, locked = None, False
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data,
                                         request.remote_addr or "?")
        except services.LoginRefused as e:
            error, locked = e.reason, e.locked
        else:
            session.clear()  # a fresh session on login: no fixation
            login_user(user)
            flash(f"Xin chào {user.full_name}.", "success")
            return go(safe_next(request.args.get("next"), "/"))
    status = 200 if error is None and not form.errors else 400
    if locked:
        status = 429
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return go("auth.login")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except services.LoginRefused as e:
            form.current.errors.append(e.reason)
        else:
            flash("Đã đổi mật khẩu.", "success")
            return go("home.index")
    return render_template("auth/password.html", form=form), (400 if form.errors else 200)
