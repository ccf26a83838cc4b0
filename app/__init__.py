"""Application factory: config, extensions, blueprints, CLI, error pages."""
from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError

from app.extensions import csrf, db, htmx, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Feature packages; each has routes.py exposing `bp`.
FEATURES = [
    "auth",
    "evaluations",
    "audit",
    "home",
    "org",
    "plans",
    "submissions",
    "delegations",
    "tracking",
    "notifications",
    "calendar",
    "deadlines",
    "planimport",
    "dashboard",
    "province",
    "figures",
    "reports",
    "sendup",
    "catalog",
    "reviews",
    "register",
    "signing",
    "jobs",
]


def create_app(config_object: object | str = "config.Config", overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(Path(__file__).resolve().parent / "static"),
    )
    app.config.from_object(config_object)
    if overrides:
        app.config.update(overrides)
    _check_production(app)
    _configure_logging(app)
    from app.ops import production; production.apply(app)  # proxy headers, HSTS

    from app.ops import maintenance; maintenance.register(app)  # first: before any hook reads the DB

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import flash, redirect
        from flask_login import login_url
        from app.web import session_lost
        lost = session_lost("login")
        if lost is not None:
            return lost
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url(login_manager.login_view, next_url=request.url))

    from app import models  # noqa: F401  (register models on the metadata)

    @login_manager.user_loader
    def load_user(user_id: str):
        from app.auth import sessions  # server-side: an ended session loads nobody
        return sessions.load(user_id)

    for name in FEATURES:
        module = importlib.import_module(f"app.{name}.routes")
        app.register_blueprint(module.bp)

    from app import cli, web
    cli.register(app)
    web.register(app)
    _register_errors(app)
    return app


def _check_production(app: Flask) -> None:
    from config import DEFAULT_SECRET
    if app.config.get("ENV_NAME") == "production" and app.config["SECRET_KEY"] == DEFAULT_SECRET:
        raise RuntimeError("SECRET_KEY must be set in production (PORTAL_ENV=production).")


def _configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    portal = logging.getLogger("portal")
    if not portal.handlers:
        portal.addHandler(handler)
    portal.setLevel(logging.INFO)


def _register_errors(app: Flask) -> None:
    messages = {
        400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
        403: ("Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
        404: ("Không tìm thấy", "Trang hoặc văn bản bạn tìm không tồn tại hoặc bạn không được xem."),
        409: ("Xung đột dữ liệu", "Văn bản đã được người khác thay đổi. Vui lòng tải lại trang."),
        413: ("Tệp quá lớn", "Tệp đính kèm vượt quá dung lượng cho phép."),
        500: ("Lỗi hệ thống", "Đã có lỗi xảy ra. Không có dữ liệu nào bị ghi dở; vui lòng thử lại."),
        503: ("Tạm thời không phục vụ", "Cơ sở dữ liệu tạm thời không truy cập được. Vui lòng thử lại sau."),
    }

    def render(code: int, detail: str | None = None):
        title, text = messages[code]
        return render_template("errors/error.html", code=code, title=title,
                               text=detail or text), code

    def handler(e):
        code = getattr(e, "code", 500) or 500
        if code not in messages:
            code = 500
        # abort(403, "lý do") carries our own Vietnamese reason; Werkzeug's defaults are English.
        custom = getattr(e, "description", None)
        default = getattr(type(e), "description", None)
        return render(code, custom if isinstance(custom, str) and custom != default else None)

    for code in messages:
        app.register_error_handler(code, handler)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        from app.web import session_lost
        lost = session_lost("csrf")
        if lost is not None:
            return lost
        return render_template("errors/error.html", code=400, title="Phiên làm việc hết hạn",
                               text="Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Vui lòng tải lại trang và thử lại."), 400

    from sqlalchemy.exc import OperationalError

    @app.errorhandler(OperationalError)
    def db_down(e):
        db.session.rollback()
        app.logger.exception("database error on %s", request.path)
        # The error page must not need the database (loading the user would fail again).
        g._login_user = login_manager.anonymous_user()
        return render(503)
