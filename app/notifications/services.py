"""In-app notifications: other features call notify(); the bell reads unread counts."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from app.clock import now
from app.extensions import db
from app.models import Notification, User


def notify(users: Iterable[User], kind: str, text: str, url: str | None = None,
           exclude: User | None = None) -> None:
    """Queue a notification for each user (caller commits with its own change)."""
    seen: set[int] = set()
    for u in users:
        if u is None or u.id in seen or (exclude is not None and u.id == exclude.id) or not u.active:
            continue
        seen.add(u.id)
        db.session.add(Notification(user_id=u.id, kind=kind, text=text[:500], url=url,
                                    created_at=now()))


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user: User, offset: int, limit: int) -> tuple[list[Notification], int]:
    q = select(Notification).where(Notification.user_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = db.session.scalars(q.order_by(Notification.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), total


def mark_read(user: User, notification_id: int | None = None) -> None:
    stmt = update(Notification).where(Notification.user_id == user.id,
                                      Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    db.session.execute(stmt.values(read_at=now()))
    db.session.commit()


def users_with(role: str | tuple[str, ...], unit_id: int | None = None,
               agency_id: int | None = None) -> list[User]:
    """Active users in a role, of one unit or of one agency (an agency's office and leaders
    hear only of their own agency's work)."""
    from app.models import Unit
    roles = (role,) if isinstance(role, str) else role
    q = select(User).where(User.role.in_(roles), User.active.is_(True))
    if unit_id is not None:
        q = q.where(User.unit_id == unit_id)
    if agency_id is not None:
        q = q.where(User.unit_id.in_(select(Unit.id).where(Unit.agency_id == agency_id)))
    return list(db.session.scalars(q))
