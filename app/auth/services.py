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
    def __init__(self, reason: str, locked: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.locked = locked  # refused by the rate limit, not by the password (429)


def _failures_since(*where) -> int:
    since = now() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.success.is_(False), LoginAttempt.created_at >= since, *where)) or 0


def account_failures(username: str) -> int:
    return _failures_since(LoginAttempt.username == username)


def address_failures(ip: str) -> int:
    return _failures_since(LoginAttempt.ip == ip)


def authenticate(username: str, password: str, ip: str) -> User:
    """Return the user or raise LoginRefused; every attempt is recorded and logged.

    The lock is per account. The address limit is much higher and only catches a flood across
    many user names: a refused (locked) try is not recorded, so one account adds at most
    LOGIN_MAX_FAILURES to its address and never locks its colleagues behind the same NAT."""
    username = (username or "").strip().lower()
    cfg = current_app.config
    minutes = cfg["LOGIN_WINDOW_MINUTES"]
    if account_failures(username) >= cfg["LOGIN_MAX_FAILURES"]:
        log.warning("login blocked (account rate limit) user=%s ip=%s", username, ip)
        raise LoginRefused(
            f"Tài khoản này đã đăng nhập sai quá {cfg['LOGIN_MAX_FAILURES']} lần. "
            f"Vui lòng thử lại sau {minutes} phút.", locked=True)
    if address_failures(ip) >= cfg["LOGIN_IP_MAX_FAILURES"]:
        log.warning("login blocked (address rate limit) user=%s ip=%s", username, ip)
        raise LoginRefused(
            f"Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. "
            f"Vui lòng thử lại sau {minutes} phút.", locked=True)
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
