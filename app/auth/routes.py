from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, flash, g, jsonify, render_template, request, session
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from app.audit import services as audit
from app.auth import security, services, sessions
from app.auth.forms import ChangePasswordForm, LoginForm, OtpForm, TotpConfirmForm, TotpDisableForm
from app.clock import now
from app.extensions import db
from app.models import User
from app.web import go, page, safe_next

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
            audit.mark_recorded()  # authenticate() recorded the login
            if user.totp_enabled_at:
                if _relogin():  # the dialog has no second step: log in on the login page
                    return _session_state(400, error="Tài khoản dùng xác thực hai bước: hãy đăng nhập lại "
                                                     "ở một thẻ khác, rồi bấm gửi lại tại đây.")
                # The password was right; the session holds only who is half-way in, for a while.
                session["mfa"] = {"uid": user.id, "at": now().isoformat(), "next": request.args.get("next")}
                return go("auth.login_otp")
            if _relogin():
                login_user(user)
                sessions.start(user)
                return _session_state()  # the token of the new session, for the page's forms
            return _complete_login(user, request.args.get("next"))
    status = 200 if error is None and not form.errors else 400
    if locked:
        status = 429
    if _relogin():
        message = error or " ".join(e for errs in form.errors.values() for e in errs) \
            or "Đăng nhập không thành công."
        return _session_state(status if status != 200 else 400, error=message)
    return render_template("auth/login.html", form=form, error=error), status


def _complete_login(user, next_url):
    login_user(user)
    sessions.start(user)
    flash(f"Xin chào {user.full_name}.", "success")
    return go(safe_next(next_url, "/"))


MFA_MINUTES = 5


@bp.route("/login/otp", methods=["GET", "POST"])
def login_otp():
    pending = session.get("mfa") or {}
    started = pending.get("at")
    if not pending.get("uid") or not started:
        abort(404)  # no password step before it: there is no second step to answer
    if now() - datetime.fromisoformat(started) > timedelta(minutes=MFA_MINUTES):
        session.pop("mfa", None)
        flash("Phiên xác thực đã hết hạn, vui lòng đăng nhập lại.", "warning")
        return go("auth.login")
    user = db.session.get(User, pending["uid"])
    form = OtpForm()
    error = None
    if user is None or not user.active:
        session.pop("mfa", None)
        return go("auth.login")
    if form.validate_on_submit():
        try:
            security.check_second_factor(user, form.code.data, request.remote_addr or "?")
        except services.LoginRefused as e:
            error = e.reason
        else:
            next_url = pending.get("next")
            session.clear()
            audit.mark_recorded()
            return _complete_login(user, next_url)
    status = 200 if error is None and not form.errors else 400
    if error and "quá" in error:
        status = 429
    return render_template("auth/otp.html", form=form, error=error, user=user), status


@bp.before_app_request
def finish_account_setup():
    """An initial or reset password must be changed, and a role that requires the second factor
    must set it up, before any other page opens."""
    if not current_user.is_authenticated or request.endpoint in SETUP_ENDPOINTS or not request.endpoint:
        return None
    need = security.needs_setup(current_user)
    if need == "password":
        flash("Bạn cần đổi mật khẩu ban đầu (hoặc mật khẩu được đặt lại) trước khi tiếp tục.", "warning")
        return go("auth.password")
    if need == "totp":
        flash("Vai trò của bạn yêu cầu xác thực hai bước: hãy cài đặt trước khi tiếp tục.", "warning")
        return go("auth.totp")
    return None


SETUP_ENDPOINTS = {"static", "auth.password", "auth.logout", "auth.login", "auth.login_otp", "auth.totp",
                   "auth.totp_confirm"}


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end_current("logout")
    audit.record("logout", "Đăng xuất", object_type="user", object_id=current_user.id)
    audit.mark_recorded()
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return go("auth.login")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if current_user.auth_source != "local":
        # The directory owns this password; the portal neither checks nor stores it.
        if request.method == "POST":
            form.current.errors = [services.DIRECTORY_PASSWORD]
    elif form.validate_on_submit():
        problems = security.check_policy(form.new.data, current_user)
        if form.new.data == form.current.data:
            problems.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
        if problems:
            form.new.errors = list(form.new.errors) + problems
        else:
            try:
                services.change_password(current_user, form.current.data, form.new.data)
            except services.LoginRefused as e:
                form.current.errors.append(e.reason)
            else:
                flash("Đã đổi mật khẩu.", "success")
                return go("home.index")
    return render_template("auth/password.html", form=form, forced=current_user.must_change_password,
                           min_length=current_app.config["PASSWORD_MIN_LENGTH"]), (400 if form.errors else 200)


@bp.route("/account/totp", methods=["GET"])
@login_required
def totp():
    """The second factor: on (with how many recovery codes are left) or the steps to set it up."""
    ctx = {"required": security.totp_required(current_user), "enabled": bool(current_user.totp_enabled_at),
           "disable_form": TotpDisableForm()}
    if current_user.totp_enabled_at:
        ctx["remaining"] = security.remaining_recovery_codes(current_user)
    else:
        secret = session.get("totp_pending") or security.new_secret()
        session["totp_pending"] = secret
        ctx["uri"], ctx["qr"] = security.provisioning(current_user, secret)
        ctx["secret"] = secret
        ctx["form"] = TotpConfirmForm()
    return render_template("auth/totp.html", **ctx)


@bp.post("/account/totp/confirm")
@login_required
def totp_confirm():
    form = TotpConfirmForm()
    secret = session.get("totp_pending")
    if secret and form.validate_on_submit() and not current_user.totp_enabled_at:
        try:
            codes = security.enable_totp(current_user, secret, form.code.data)
        except services.LoginRefused as e:
            form.code.errors.append(e.reason)
        else:
            session.pop("totp_pending", None)
            resp = page("auth/recovery_codes.html", codes=codes)
            resp.headers["Cache-Control"] = "no-store"
            return resp
    if not secret:
        return go("auth.totp")
    uri, qr = security.provisioning(current_user, secret)
    return render_template("auth/totp.html", required=security.totp_required(current_user), enabled=False,
                           uri=uri, qr=qr, secret=secret, form=form, disable_form=TotpDisableForm()), 400


@bp.post("/account/totp/disable")
@login_required
def totp_disable():
    form = TotpDisableForm()
    if security.totp_required(current_user):
        flash("Vai trò của bạn bắt buộc xác thực hai bước, không tắt được.", "danger")
    elif not form.validate_on_submit() or not services.password_matches(current_user, form.password.data):
        flash("Mật khẩu không đúng: chưa tắt xác thực hai bước.", "danger")
    else:
        security.disable_totp(current_user, current_user)
        flash("Đã tắt xác thực hai bước.", "success")
    return go("auth.totp")


@bp.get("/account/sessions")
@login_required
def my_sessions():
    return page("auth/sessions.html", rows=sessions.open_sessions(current_user.id),
                current=sessions.current_id(), device=sessions.device_label)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    if session_id == sessions.current_id():
        flash("Đây là phiên đang dùng: hãy dùng “Đăng xuất”.", "warning")
    elif sessions.end_one(current_user, session_id):
        flash("Đã kết thúc phiên đăng nhập.", "success")
    else:
        abort(404)
    return go("auth.my_sessions")


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    n = sessions.end_all(current_user.id, "by_user", keep_current=True)
    flash(f"Đã kết thúc {n} phiên khác." if n else "Không có phiên nào khác.", "success")
    return go("auth.my_sessions")
