"""Server-side sessions: a row per login that the server can end (logout, an admin, a change of
role, unit or password), so the next request with that browser's cookie is refused on every app
server. The signed cookie carries only a random token; the database keeps its hash."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.clock import now
from app.extensions import db
from app.models import Unit, User, UserSession

# Why a session ended, as the user and the admin read it.
END_REASONS = {
    "logout": "Đăng xuất",
    "by_user": "Người dùng tự kết thúc",
    "admin": "Quản trị kết thúc",
    "disabled": "Tài khoản bị khóa",
    "moved": "Đổi đơn vị hoặc vai trò",
    "password": "Đổi mật khẩu",
    "expired": "Hết hạn",
}
# last_seen_at is written at most this often per session (not on every request).
SEEN_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> UserSession:
    """A new session for `user` in this browser (call after login_user, in the same request)."""
    token = secrets.token_urlsafe(32)
    row = UserSession(token_hash=_hash(token), user_id=user.id, created_at=now(), last_seen_at=now(),
                      ip=(request.remote_addr or "?")[:64], user_agent=(request.user_agent.string or "")[:300])
    db.session.add(row)
    db.session.commit()
    session["sid"] = token
    g.user_session = (row.id, row.token_hash)
    return row


def load(user_id: str) -> User | None:
    """The user of this request's session, or None if the session was ended or has expired
    (one query; flask-login then treats the request as anonymous and asks to log in)."""
    token = session.get("sid")
    if not token or not str(user_id).isdigit():
        return None
    row = db.session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        # Every page shows the user's unit and agency (top bar, sidebar, scope): same query.
        .options(joinedload(User.unit).joinedload(Unit.agency))
        .where(UserSession.token_hash == _hash(token), UserSession.user_id == int(user_id),
               UserSession.ended_at.is_(None))).first()
    if row is None:
        return None
    us, user = row
    t = now()
    if us.created_at + current_app.config["PERMANENT_SESSION_LIFETIME"] < t:
        _end_where(UserSession.id == us.id, "expired")
        return None
    if t - us.last_seen_at >= SEEN_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == us.id).values(last_seen_at=t))
        db.session.commit()
    g.user_session = (us.id, us.token_hash)  # plain values: g can outlive the database session
    return user


def current_id() -> int | None:
    """This request's session row (g may outlive a request where a caller holds the app
    context, as tests do: it counts only if it is the one this cookie names)."""
    us, token = g.get("user_session"), session.get("sid")
    return us[0] if us is not None and token and us[1] == _hash(token) else None


def _end_where(condition, reason: str, user_id: int | None = None) -> int:
    n = db.session.execute(update(UserSession).where(condition, UserSession.ended_at.is_(None))
                           .values(ended_at=now(), ended_reason=reason)).rowcount
    if n and reason not in ("logout", "expired"):  # logout is recorded as such; expiry is no act
        from app.audit import services as audit
        audit.record("session_ended", f"Kết thúc {n} phiên đăng nhập: {END_REASONS.get(reason, reason)}",
                     object_type="user", object_id=user_id, detail={"reason": reason, "sessions": n},
                     commit=False)
    db.session.commit()
    return n


def end_current(reason: str = "logout") -> None:
    sid = current_id()
    if sid is not None:
        _end_where(UserSession.id == sid, reason)


def end_one(user: User, session_id: int, reason: str = "by_user") -> bool:
    """End one of `user`'s own sessions; False if it is not theirs (or already ended)."""
    return _end_where((UserSession.id == session_id) & (UserSession.user_id == user.id), reason, user.id) > 0


def end_all(user_id: int, reason: str, keep_current: bool = False) -> int:
    """End every open session of a user (all their browsers), optionally keeping this one."""
    cond = UserSession.user_id == user_id
    sid = current_id() if keep_current else None
    if sid is not None:
        cond = cond & (UserSession.id != sid)
    return _end_where(cond, reason, user_id)


def open_sessions(user_id: int) -> list[UserSession]:
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc()).limit(50)))


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("CocCoc", "Cốc Cốc"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def device_label(user_agent: str | None) -> str:
    """'Chrome trên Windows' from a User-Agent string (enough to tell one's own devices apart)."""
    ua = user_agent or ""
    browser = next((name for key, name in _BROWSERS if key in ua), None)
    system = next((name for key, name in _SYSTEMS if re.search(re.escape(key), ua)), None)
    if browser and system:
        return f"{browser} trên {system}"
    return browser or system or "Thiết bị không rõ"
