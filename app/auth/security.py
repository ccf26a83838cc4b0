"""Stronger local accounts: the password policy, the forced change of an initial or reset
password, and the TOTP second factor with recovery codes."""
from __future__ import annotations

import base64

import pyotp
import segno
from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import services as audit
from app.auth import sessions
from app.auth.services import LoginRefused, hash_password
from app.clock import now
from app.domain import passwords
from app.extensions import db
from app.models import RecoveryCode, User

ISSUER = "Cổng KSTT"


def check_policy(password: str, user: User | None = None, username: str = "", full_name: str = "") -> list[str]:
    return passwords.password_problems(
        password, username or (user.username if user else ""), full_name or (user.full_name if user else ""),
        current_app.config["PASSWORD_MIN_LENGTH"])


def totp_required(user: User) -> bool:
    return user.role in current_app.config["TOTP_REQUIRED_ROLES"]


def needs_setup(user: User) -> str | None:
    """What a logged-in user must do before anything else: 'password' or 'totp' (or None)."""
    if user.must_change_password and user.auth_source == "local":
        return "password"
    if totp_required(user) and not user.totp_enabled_at:
        return "totp"
    return None


def reset_password(admin: User, target: User) -> str:
    """A temporary password for `target` (shown once to the admin); every session of theirs ends
    and the first login asks for a new one."""
    if target.auth_source != "local":
        raise LoginRefused("Tài khoản thư mục đổi mật khẩu trong thư mục của tỉnh.")
    temp = passwords.temporary_password()
    target.password_hash = hash_password(temp)
    target.must_change_password = True
    audit.record("user_changed", f"Đặt lại mật khẩu của {target.username} (mật khẩu tạm)", actor=admin,
                 object_type="user", object_id=target.id, commit=False)
    audit.mark_recorded()
    db.session.commit()
    sessions.end_all(target.id, "password", keep_current=target.id == admin.id)
    return temp


# ---- TOTP --------------------------------------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32()


def provisioning(user: User, secret: str) -> tuple[str, str]:
    """(otpauth URI, QR code as a data: URI of an SVG) for an authenticator app."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_data_uri(scale=4)
    return uri, svg


def _valid_code(secret: str, code: str) -> bool:
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    return len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def enable_totp(user: User, secret: str, code: str) -> list[str]:
    """Turn the second factor on once the user proved their app has `secret`; the recovery codes
    are returned to be shown once."""
    if not _valid_code(secret, code):
        raise LoginRefused("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và nhập mã đang hiển thị.")
    user.totp_secret = secret
    user.totp_enabled_at = now()
    codes = _replace_recovery_codes(user)
    audit.record("user_changed", "Bật xác thực hai bước", actor=user, object_type="user", object_id=user.id,
                 commit=False)
    audit.mark_recorded()
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    codes = passwords.recovery_codes()
    method = current_app.config["PASSWORD_HASH_METHOD"]
    for c in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=generate_password_hash(c, method=method),
                                    created_at=now()))
    return codes


def disable_totp(actor: User, user: User) -> None:
    """Turn the second factor off (the user, or the admin for a lost phone); where the role
    requires it, the next login asks to set it up again."""
    user.totp_secret = None
    user.totp_enabled_at = None
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    audit.record("user_changed", f"Tắt xác thực hai bước của {user.username}", actor=actor, object_type="user",
                 object_id=user.id, commit=False)
    audit.mark_recorded()
    db.session.commit()
    if actor.id != user.id:
        sessions.end_all(user.id, "admin")


def verify_second_factor(user: User, code: str) -> bool:
    """A current TOTP code, or an unused recovery code (then used up)."""
    if user.totp_secret and _valid_code(user.totp_secret, code):
        return True
    typed = (code or "").strip().lower()
    if "-" not in typed and len(typed) == 8:
        typed = typed[:4] + "-" + typed[4:]
    for rc in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                            RecoveryCode.used_at.is_(None))):
        if check_password_hash(rc.code_hash, typed):
            rc.used_at = now()
            audit.record("user_changed", "Đăng nhập bằng mã khôi phục", actor=user, object_type="user",
                         object_id=user.id, commit=False)
            return True
    return False


def remaining_recovery_codes(user: User) -> int:
    return len(list(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))))


def check_second_factor(user: User, code: str, ip: str) -> None:
    """The login's second step: counted and limited like a password (LoginRefused if refused)."""
    from app.auth.services import check_account_lock
    from app.models import LoginAttempt
    check_account_lock(user.username, ip)
    ok = verify_second_factor(user, code)
    db.session.add(LoginAttempt(username=user.username, ip=ip, success=ok, created_at=now()))
    if ok:
        user.last_login_at = now()
        audit.record("login_ok", "Đăng nhập (xác thực hai bước)", actor=user, object_type="user",
                     object_id=user.id, commit=False)
    else:
        audit.record("login_failed", "Mã xác thực hai bước không đúng", username=user.username,
                     detail={"reason": "totp"}, commit=False)
    db.session.commit()
    if not ok:
        raise LoginRefused("Mã xác thực không đúng hoặc đã hết hạn.")
