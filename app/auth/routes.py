from flask import Blueprint, current_app, flash, g, jsonify, render_template, request, session
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from app.auth import services
from app.auth.forms import ChangePasswordForm, LoginForm
from app.web import go, safe_next

bp = Blueprint("auth", __name__)


def _relogin() -> bool:
    """The log-in-again dialog (static/js/app.js) posts over fetch and wants JSON, not a page."""
    return request.headers.get("X-Relogin") == "1"


def _session_state(status: int = 200, **extra):
    # generate_csrf caches its token for the request; after session.clear() that token's secret
    # is gone from the session, so a new one is made for the new session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    resp = jsonify(authenticated=current_user.is_authenticated, csrf_token=generate_csrf(), **extra)
    resp.status_code = status
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/session")
def session_state():
    """Whether the browser is still logged in, and a CSRF token bound to its current session."""
    return _session_state()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        if _relogin():
            return _session_state()
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
            if _relogin():
                return _session_state()  # the token of the new session, for the page's forms
            flash(f"Xin chào {user.full_name}.", "success")
            return go(safe_next(request.args.get("next"), "/"))
    status = 200 if error is None and not form.errors else 400
    if locked:
        status = 429
    if _relogin():
        message = error or " ".join(e for errs in form.errors.values() for e in errs) \
            or "Đăng nhập không thành công."
        return _session_state(status if status != 200 else 400, error=message)
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
