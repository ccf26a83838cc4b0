"""Audit log use cases: record an event, list and filter them, prune past the retention period.

Nothing here updates or deletes an entry except `prune`, run by the operator from the command
line (`flask audit-prune`) for the retention period set in AUDIT_RETENTION_DAYS.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import delete, func, select

from app.clock import now
from app.extensions import db
from app.models import AuditEvent, User

log = logging.getLogger("portal.audit")

ACTIONS = {
    "login_ok": "Đăng nhập",
    "login_failed": "Đăng nhập không thành công",
    "login_password_ok": "Mật khẩu đúng, chờ xác thực hai bước",
    "logout": "Đăng xuất",
    "session_ended": "Kết thúc phiên đăng nhập",
    "user_changed": "Thay đổi người dùng",
    "change": "Thao tác ghi",
    "denied": "Bị từ chối",
    "download": "Tải tệp",
    "backup": "Sao lưu",
    "restore": "Khôi phục",
    "prune": "Xóa nhật ký quá hạn lưu",
}

# Form fields worth keeping with a change (what was decided and why); never passwords or files.
KEPT_FIELDS = ("comment", "reason", "action", "number", "state", "role", "unit_id", "active", "user_ids",
               "due_text", "due_on", "q")


def record(action: str, summary: str, *, actor: User | None = None, username: str | None = None,
           object_type: str | None = None, object_id=None, detail: dict | None = None,
           status: int | None = None, commit: bool = True) -> AuditEvent:
    """Append one event. Within a request the address and, by default, the logged-in user are
    taken from it."""
    ip = None
    if has_request_context():
        ip = (request.remote_addr or "?")[:64]
        if actor is None:
            from flask_login import current_user
            if current_user and current_user.is_authenticated:
                actor = current_user
    ev = AuditEvent(created_at=now(), actor_id=actor.id if actor is not None else None,
                    username=(username or (actor.username if actor is not None else None) or None),
                    action=action, object_type=object_type,
                    object_id=str(object_id) if object_id is not None else None,
                    summary=summary[:500], status=status,
                    detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None, ip=ip)
    db.session.add(ev)
    if commit:
        db.session.commit()
    return ev


@dataclass
class AuditFilter:
    who: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: date | None = None
    until: date | None = None
    # The reading administrator's agency: each agency's administrator reads what its own
    # people did (and failed log-ins to its accounts), never another agency's trail. Attempts
    # with a name no account has concern the whole deployment: every administrator sees them.
    agency_of: User | None = None

    def conditions(self) -> list:
        c = []
        if self.agency_of is not None:
            from app import access
            agency_users = access.agency_users_filter(self.agency_of)
            name = func.lower(AuditEvent.username)
            c.append(AuditEvent.actor_id.in_(select(User.id).where(agency_users))
                     | (AuditEvent.actor_id.is_(None)
                        & (AuditEvent.username.is_(None)
                           | name.in_(select(func.lower(User.username)).where(agency_users))
                           | name.not_in(select(func.lower(User.username))))))
        if self.who:
            c.append(func.lower(AuditEvent.username) == self.who.strip().lower())
        if self.action:
            c.append(AuditEvent.action == self.action)
        if self.object_type:
            c.append(AuditEvent.object_type == self.object_type)
        if self.object_id:
            c.append(AuditEvent.object_id == self.object_id.strip())
        if self.since:
            c.append(AuditEvent.created_at >= datetime.combine(self.since, time.min))
        if self.until:
            c.append(AuditEvent.created_at < datetime.combine(self.until + timedelta(days=1), time.min))
        return c


def list_events(f: AuditFilter, offset: int, limit: int) -> tuple[list[AuditEvent], int]:
    cond = f.conditions()
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*cond)) or 0
    rows = list(db.session.scalars(select(AuditEvent).where(*cond)
                                   .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                                   .offset(offset).limit(limit)))
    return rows, total


EXPORT_LIMIT = 50_000


def export_events(f: AuditFilter) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(*f.conditions())
                                   .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
                                   .limit(EXPORT_LIMIT)))


def object_types() -> list[str]:
    """The object types a filter offers (names of kinds, the same for every agency)."""
    return [t for t in db.session.scalars(select(AuditEvent.object_type).distinct()) if t]


def prune(days: int | None = None) -> int:
    """Delete entries older than the retention period (AUDIT_RETENTION_DAYS; 0 keeps all)."""
    days = current_app.config["AUDIT_RETENTION_DAYS"] if days is None else days
    if not days:
        return 0
    cutoff = now() - timedelta(days=days)
    n = db.session.execute(delete(AuditEvent).where(AuditEvent.created_at < cutoff)).rowcount
    record("prune", f"Xóa {n} mục nhật ký cũ hơn {days} ngày", detail={"before": cutoff.isoformat()},
           commit=False)
    db.session.commit()
    return n


# ---- the request hook: every write and every download, whatever the feature --------------------

def _object_of(view_args: dict) -> tuple[str | None, str | None]:
    """('task', '12') from a route's arguments (the first *_id, else a key or token)."""
    for k, v in view_args.items():
        if k.endswith("_id"):
            return k[:-3], str(v)
    for k in ("key", "token", "name"):
        if k in view_args:
            return k, str(view_args[k])
    return None, None


def _kept_form() -> dict:
    kept = {}
    for k in KEPT_FIELDS:
        values = request.form.getlist(k)
        if values:
            kept[k] = values if len(values) > 1 else values[0][:500]
    return kept


def mark_recorded() -> None:
    """This request recorded its own, more precise event: the hook below adds none."""
    if has_request_context():
        request.environ["portal.audited"] = True


def after_request(resp):
    """Record writes by logged-in users (and refusals of them) and every file sent as a download,
    unless the request called `mark_recorded()`."""
    from flask_login import current_user
    try:
        if request.environ.get("portal.audited") or request.endpoint in (None, "static"):
            return resp
        user = current_user if current_user and current_user.is_authenticated else None
        view_args = dict(request.view_args or {})
        otype, oid = _object_of(view_args)
        disposition = resp.headers.get("Content-Disposition", "")
        if request.method == "GET" and "attachment" in disposition and resp.status_code == 200:
            filename = disposition.split("filename=")[-1].strip('"') if "filename=" in disposition else ""
            record("download", f"Tải {filename or request.path}", actor=user, object_type=otype, object_id=oid,
                   detail={"endpoint": request.endpoint, "path": request.path, "filter": request.args.to_dict(flat=False),
                           "file": filename}, status=resp.status_code)
        elif request.method in ("POST", "PUT", "PATCH", "DELETE") and user is not None:
            refused = resp.status_code in (401, 403, 404, 409)
            record("denied" if refused else "change",
                   f"{'Bị từ chối: ' if refused else ''}{request.endpoint}" + (f" ({otype} {oid})" if otype else ""),
                   actor=user, object_type=otype, object_id=oid,
                   detail={"endpoint": request.endpoint, "path": request.path, **view_args, **_kept_form()},
                   status=resp.status_code)
    except Exception:  # the log must never turn a done action into an error page
        db.session.rollback()
        log.exception("audit record failed for %s", request.path)
    return resp
