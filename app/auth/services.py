"""Authentication use cases: password hashing, login with a database-backed rate limit."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.clock import now
from app.extensions import db
from app.models import LoginAttempt, User

log = logging.getLogger("portal.auth")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class LoginRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def recent_failures(username: str, ip: str) -> int:
    since = now() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.success.is_(False), LoginAttempt.created_at >= since,
            (LoginAttempt.username == username) | (LoginAttempt.ip == ip))) or 0


def authenticate(username: str, password: str, ip: str) -> User:
    """Return the user or raise LoginRefused; every attempt is recorded and logged."""
    username = (username or "").strip().lower()
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    if recent_failures(username, ip) >= limit:
        log.warning("login blocked (rate limit) user=%s ip=%s", username, ip)
        raise LoginRefused(
            f"Đăng nhập sai quá {limit} lần. Vui lòng thử lại sau "
            f"{current_app.config['LOGIN_WINDOW_MINUTES']} phút.")
    user = db.session.scalar(select(User).where(func.lower(User.username) == username))
    ok = user is not None and user.active and check_password_hash(user.password_hash, password)
    db.session.add(LoginAttempt(username=username, ip=ip, success=ok, created_at=now()))
    if ok:
        user.last_login_at = now()
    db.session.commit()
    if not ok:
        log.warning("login failed user=%s ip=%s", username, ip)
        raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
    log.info("login ok user=%s ip=%s", username, ip)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise LoginRefused("Mật khẩu hiện tại không đúng.")
    user.password_hash = hash_password(new)
    db.session.commit()
