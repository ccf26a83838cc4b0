"""Calendar use cases: the request's WorkCalendar (holidays + overrides), the month grid,
adding/removing an override, and the office-configured report days."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, g
from sqlalchemy import select

from app import access
from app.clock import now
from app.domain.deadlines import DEFAULT_REPORT_DAYS
from app.domain.workdays import WorkCalendar, build_calendar
from app.extensions import db
from app.models import CalendarDay, Setting, User

REPORT_DAYS_KEY = "report_days"


def load_calendar() -> WorkCalendar:
    """A fresh calendar from the database (CLI and services without a request)."""
    rows = db.session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.note)).all()
    return build_calendar((r.day, r.kind, r.note) for r in rows)


def get_calendar() -> WorkCalendar:
    """The working-day calendar, built once per request (cached in flask.g)."""
    cal = g.get("_work_calendar")
    if cal is None:
        cal = g._work_calendar = load_calendar()
    return cal


def _forget() -> None:
    g.pop("_work_calendar", None)


@dataclass
class DayCell:
    day: date
    working: bool
    name: str | None
    override: CalendarDay | None
    weekend: bool
    today: bool


def month_view(user: User, year: int, month: int, today: date) -> tuple[list[list[DayCell | None]], list[CalendarDay]]:
    if not access.can_view_calendar(user):
        abort(403)
    cal = get_calendar()
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1)
    overrides = list(db.session.scalars(select(CalendarDay).where(
        CalendarDay.day >= first, CalendarDay.day < last).order_by(CalendarDay.day)))
    by_day = {o.day: o for o in overrides}
    weeks = [[DayCell(d, cal.is_working_day(d), cal.holiday_name(d), by_day.get(d),
                      d.weekday() >= 5, d == today) if d else None for d in week]
             for week in cal.month_days(year, month)]
    return weeks, overrides


def set_day(user: User, day: date, kind: str, note: str) -> CalendarDay:
    if not access.can_manage_calendar(user):
        abort(403)
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        row = CalendarDay(day=day)
        db.session.add(row)
    row.kind, row.note, row.created_by_id, row.created_at = kind, note.strip(), user.id, now()
    db.session.commit()
    _forget()
    return row


def remove_day(user: User, day: date) -> None:
    if not access.can_manage_calendar(user):
        abort(403)
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        abort(404)
    db.session.delete(row)
    db.session.commit()
    _forget()


def report_days() -> dict[str, dict[str, int]]:
    """The report day rules of recurring tasks (defaults overlaid by the office's setting)."""
    row = db.session.get(Setting, REPORT_DAYS_KEY)
    stored = row.value if row else {}
    return {k: {**v, **(stored.get(k) or {})} for k, v in DEFAULT_REPORT_DAYS.items()}


def save_report_days(user: User, rules: dict[str, dict[str, int]]) -> None:
    if not access.can_edit_report_days(user):
        abort(403)
    row = db.session.get(Setting, REPORT_DAYS_KEY)
    if row is None:
        row = Setting(key=REPORT_DAYS_KEY, value={})
        db.session.add(row)
    row.value, row.updated_by_id, row.updated_at = rules, user.id, now()
    db.session.commit()
