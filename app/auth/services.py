"""Authentication use cases: password hashing, login with a database-backed rate limit."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import services as audit
from app.auth import directory, sessions
from app.clock import now
from app.extensions import db
from app.models import DirectoryMapping, LoginAttempt, User

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


def check_account_lock(username: str, ip: str) -> None:
    """LoginRefused (locked) once an account had LOGIN_MAX_FAILURES failures in the window: the
    password step and the second-factor step share this one lock."""
    cfg = current_app.config
    if account_failures(username) >= cfg["LOGIN_MAX_FAILURES"]:
        log.warning("login blocked (account rate limit) user=%s ip=%s", username, ip)
        audit.record("login_failed", "Đăng nhập bị chặn: tài khoản sai quá số lần cho phép", username=username,
                     detail={"reason": "account_rate_limit"})
        raise LoginRefused(
            f"Tài khoản này đã đăng nhập sai quá {cfg['LOGIN_MAX_FAILURES']} lần. "
            f"Vui lòng thử lại sau {cfg['LOGIN_WINDOW_MINUTES']} phút.", locked=True)


def authenticate(username: str, password: str, ip: str) -> User:
    """Return the user or raise LoginRefused; every attempt is recorded and logged.

    The lock is per account. The address limit is much higher and only catches a flood across
    many user names: a refused (locked) try is not recorded, so one account adds at most
    LOGIN_MAX_FAILURES to its address and never locks its colleagues behind the same NAT."""
    # Control characters (a NUL byte above all, which PostgreSQL refuses in text) are no part of a
    # user name: such a name is refused before it reaches a query, the log or the directory.
    typed = username or ""
    username = "".join(ch for ch in typed if ch >= " " and ch != "\x7f").strip().lower()
    if username != typed.strip().lower():  # a name with control characters is nobody's
        db.session.add(LoginAttempt(username=username, ip=ip, success=False, created_at=now()))
        db.session.commit()
        raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
    cfg = current_app.config
    minutes = cfg["LOGIN_WINDOW_MINUTES"]
    check_account_lock(username, ip)
    if address_failures(ip) >= cfg["LOGIN_IP_MAX_FAILURES"]:
        log.warning("login blocked (address rate limit) user=%s ip=%s", username, ip)
        audit.record("login_failed", "Đăng nhập bị chặn: quá nhiều lần sai từ địa chỉ mạng này", username=username,
                     detail={"reason": "address_rate_limit"})
        raise LoginRefused(
            f"Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. "
            f"Vui lòng thử lại sau {minutes} phút.", locked=True)
    user = db.session.scalar(select(User).where(func.lower(User.username) == username))
    refusal = "Tên đăng nhập hoặc mật khẩu không đúng."
    if user is not None and user.auth_source == "local":
        ok = user.active and check_password_hash(user.password_hash, password)
    else:
        try:
            user = _directory_login(username, password, user)
        except DirectoryUnavailable as e:
            audit.record("login_failed", f"Đăng nhập không thành công: {e.reason}", username=username,
                         detail={"reason": "directory_unavailable"})
            raise
        except LoginRefused as e:
            ok, refusal = False, e.reason
        else:
            ok = bool(user is not None and user.active)
    db.session.add(LoginAttempt(username=username, ip=ip, success=ok, created_at=now()))
    if ok:
        user.last_login_at = now()
        how = "thư mục" if user.auth_source == "directory" else "tài khoản nội bộ"
        if user.totp_enabled_at:
            audit.record("login_password_ok", f"Mật khẩu đúng ({how}), chờ mã xác thực hai bước",
                         actor=user, object_type="user", object_id=user.id, commit=False)
        else:
            audit.record("login_ok", f"Đăng nhập ({how})", actor=user, object_type="user", object_id=user.id,
                         commit=False)
    else:
        audit.record("login_failed", f"Đăng nhập không thành công: {refusal}", username=username,
                     detail={"reason": refusal}, commit=False)
    db.session.commit()
    if not ok:
        log.warning("login failed user=%s ip=%s", username, ip)
        raise LoginRefused(refusal)
    log.info("login ok user=%s ip=%s", username, ip)
    return user


UNMAPPED = ("Tài khoản thư mục của bạn chưa được gán đơn vị và vai trò trong cổng. "
            "Liên hệ quản trị để được cấp quyền.")


class DirectoryUnavailable(LoginRefused):
    """The directory did not answer: not the user's failure, so not counted against them."""


def _directory_login(username: str, password: str, user: User | None) -> User | None:
    """The portal user for a directory login (created or brought up to date from the directory
    and the admin's group mappings), None without a directory; LoginRefused with the reason."""
    settings = directory.DirectorySettings.from_config(current_app.config)
    if settings is None:
        return None
    try:
        identity = directory.authenticate(settings, username, password)
    except directory.DirectoryError as e:
        if e.kind == "unavailable":
            log.error("directory unavailable: %s", e.detail)
            raise DirectoryUnavailable(e.reason) from e
        raise LoginRefused(e.reason) from e
    mappings = list(db.session.scalars(select(DirectoryMapping).where(DirectoryMapping.active.is_(True))))
    mapping = directory.pick_mapping(identity.groups, mappings)
    if mapping is None:
        log.warning("directory user without a mapped group user=%s groups=%s", username, sorted(identity.groups))
        raise LoginRefused(UNMAPPED)
    if user is None:
        user = User(username=identity.username, password_hash="!directory", auth_source="directory",
                    active=True, created_at=now())
        db.session.add(user)
    elif (user.unit_id, user.role) != (mapping.unit_id, mapping.role):
        log.info("directory moved user=%s unit %s->%s role %s->%s", username, user.unit_id,
                 mapping.unit_id, user.role, mapping.role)
        sessions.end_all(user.id, "moved")  # other browsers keep no rights of the old place
    # The directory is the source of truth for who the person is and where they work.
    user.full_name = identity.full_name
    user.email = identity.email
    user.title = mapping.title or identity.title
    user.unit_id = mapping.unit_id
    user.role = mapping.role
    user.directory_dn = identity.dn
    return user


DIRECTORY_PASSWORD = "Mật khẩu của tài khoản thư mục được đổi trong thư mục của tỉnh, không đổi ở cổng."


def change_password(user: User, current: str, new: str) -> None:
    if user.auth_source != "local":
        raise LoginRefused(DIRECTORY_PASSWORD)
    if not check_password_hash(user.password_hash, current):
        raise LoginRefused("Mật khẩu hiện tại không đúng.")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    audit.record("user_changed", "Đổi mật khẩu", actor=user, object_type="user", object_id=user.id, commit=False)
    audit.mark_recorded()
    db.session.commit()
    sessions.end_all(user.id, "password", keep_current=True)


def password_matches(user: User, password: str) -> bool:
    return user.auth_source == "local" and check_password_hash(user.password_hash, password or "")
