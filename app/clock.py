"""The one clock of the portal: services ask it for today/now so tests and the demo can pin time.

now() is naive UTC (what is stored); today() is the calendar day in Vietnam (deadlines, report
dates, reminders), whatever the server's own time zone."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from flask import current_app, has_app_context

from app.domain.formatting import LOCAL_TZ, local_date


def _setting(name: str):
    return current_app.config.get(name) if has_app_context() else None


def _pinned_day() -> date | None:
    pinned = _setting("PORTAL_TODAY")
    if pinned:
        return date.fromisoformat(pinned) if isinstance(pinned, str) else pinned
    return None


def _fixed_now() -> datetime | None:
    """PORTAL_NOW: a fixed UTC instant (ISO), for tests that need a given time of day."""
    fixed = _setting("PORTAL_NOW")
    if fixed:
        return datetime.fromisoformat(fixed) if isinstance(fixed, str) else fixed
    return None


def today() -> date:
    pinned = _pinned_day()
    if pinned:
        return pinned
    return local_date(now())


def now() -> datetime:
    """Naive UTC timestamp for storage; on a pinned day it keeps the real time of day."""
    fixed = _fixed_now()
    if fixed:
        return fixed
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    pinned = _pinned_day()
    if pinned is None:
        return real
    # Capped so that the pinned day is the stored UTC day and the Vietnamese day alike (after
    # 17:00 UTC it is already tomorrow in Vietnam): demo and tests stay on their day.
    offset = LOCAL_TZ.utcoffset(datetime.combine(pinned, time())) or timedelta()
    latest = (datetime.combine(pinned, time()) + timedelta(days=1) - offset
              - timedelta(seconds=1)).time()
    return datetime.combine(pinned, min(real.time(), latest))
