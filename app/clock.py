"""The one clock of the portal: services ask it for today/now so tests and the demo can pin time."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import current_app, has_app_context


def today() -> date:
    pinned = current_app.config.get("PORTAL_TODAY") if has_app_context() else None
    if pinned:
        return date.fromisoformat(pinned) if isinstance(pinned, str) else pinned
    return date.today()


def now() -> datetime:
    """Naive timestamp for storage; on a pinned day it keeps the real time of day."""
    real = datetime.now(timezone.utc).replace(tzinfo=None)
    return datetime.combine(today(), real.time())
