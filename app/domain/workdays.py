"""The working-day calendar: weekends, Vietnamese public holidays and the year's swapped days.

Built from the `holidays` package (always with language="vi") plus the administrator's
overrides, because the government decides compensatory days off (nghỉ bù) and make-up
Saturdays (làm bù) each year. Pure: no Flask, no database.

Convention for `working_days_between(a, b)`: the number of working days in the half-open
interval (a, b] when b > a, negated when b < a, 0 when a == b. So with a task due Friday
20/05/2022 and today Monday 23/05/2022 (21 and 22 are the weekend),
`working_days_between(due, today) == 1`: overdue by one working day; and the days left before a
due date are `working_days_between(today, due)`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_pkg

COUNTRY = "VN"


@lru_cache(maxsize=None)
def _public_holidays(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """A year's public holidays and make-up Saturdays from the `holidays` package. Computing
    them (lunar calendar) costs tens of milliseconds a year and they never change within a
    process, so they are computed once per year; admin overrides stay per calendar."""
    h = holidays_pkg.country_holidays(COUNTRY, years=year, language="vi")
    return dict(h.items()), frozenset(d for d in getattr(h, "weekend_workdays", ()) if d.year == year)


def _weekdays_through(d: date) -> int:
    """Monday–Friday days from 01/01/0001 (a Monday) to d inclusive."""
    o = d.toordinal()
    return (o // 7) * 5 + min(o % 7, 5)


@dataclass
class WorkCalendar:
    """Working days = Monday–Friday minus public holidays and extra days off, plus extra
    working days (make-up Saturdays). `extra_off` and `extra_work` map a date to a note."""
    extra_off: Mapping[date, str] = field(default_factory=dict)
    extra_work: Mapping[date, str] = field(default_factory=dict)
    _years: set[int] = field(default_factory=set, init=False, repr=False)
    _holidays: dict[date, str] = field(default_factory=dict, init=False, repr=False)
    _weekend_work: set[date] = field(default_factory=set, init=False, repr=False)
    _exceptions: list[date] = field(default_factory=list, init=False, repr=False)
    _corrections: list[int] = field(default_factory=lambda: [0], init=False, repr=False)
    _exceptions_key: int = field(default=-1, init=False, repr=False)

    def _load(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        days_off, weekend_work = _public_holidays(year)
        self._holidays.update(days_off)
        self._weekend_work.update(weekend_work)

    def holiday_name(self, d: date) -> str | None:
        """Why a day is off (holiday or admin's note), None for an ordinary day."""
        self._load(d.year)
        if d in self.extra_work:
            return None
        if d in self.extra_off:
            return self.extra_off[d] or "Ngày nghỉ"
        return self._holidays.get(d)

    def is_working_day(self, d: date) -> bool:
        self._load(d.year)
        if d in self.extra_work:
            return True
        if d in self.extra_off or d in self._holidays:
            return False
        if d in self._weekend_work:
            return True
        return d.weekday() < 5

    def is_makeup_day(self, d: date) -> bool:
        """A weekend day that is worked (làm bù)."""
        return d.weekday() >= 5 and self.is_working_day(d)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        d += timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def previous_working_day(self, d: date) -> date:
        d -= timedelta(days=1)
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def on_or_after(self, d: date) -> date:
        """d itself when it is a working day, else the next one."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def on_or_before(self, d: date) -> date:
        return d if self.is_working_day(d) else self.previous_working_day(d)

    def add_working_days(self, d: date, n: int) -> date:
        """The date n working days after d (d itself not counted); n < 0 goes back;
        n == 0 returns d unchanged."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            d += timedelta(days=step)
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b], negative when b < a (see the module docstring).

        Closed form: Monday–Friday days counted arithmetically, then corrected on the few
        exception days (holidays, days off, make-up days) inside the interval, so the cost does
        not grow with the distance (overdue lists span years)."""
        if a == b:
            return 0
        if b < a:
            return -self.working_days_between(b, a)
        for year in range(a.year, b.year + 1):
            self._load(year)
        exceptions = self._exception_days()
        # Corrections of the exception days in (a, b]: a difference of two prefix sums.
        lo, hi = bisect_right(exceptions, a), bisect_right(exceptions, b)
        return _weekdays_through(b) - _weekdays_through(a) + self._corrections[hi] - self._corrections[lo]

    def _exception_days(self) -> list[date]:
        """Every day whose status may differ from its weekday's, sorted (rebuilt as years
        load), with `_corrections[i]`: the working days they add (make-up days) or remove
        (holidays on weekdays) among the first i of them."""
        key = len(self._years)
        if self._exceptions_key != key:
            self._exceptions = sorted(set(self._holidays) | set(self.extra_off)
                                      | set(self.extra_work) | self._weekend_work)
            self._corrections = [0]
            for d in self._exceptions:
                self._corrections.append(self._corrections[-1] + int(self.is_working_day(d))
                                         - int(d.weekday() < 5))
            self._exceptions_key = key
        return self._exceptions

    def month_days(self, year: int, month: int) -> list[list[date | None]]:
        """Weeks (Monday first) of a month for a calendar grid; None pads outside days."""
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        weeks: list[list[date | None]] = []
        week: list[date | None] = [None] * first.weekday()
        d = first
        while d < nxt:
            week.append(d)
            if len(week) == 7:
                weeks.append(week)
                week = []
            d += timedelta(days=1)
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        return weeks


def build_calendar(overrides: Iterable[tuple[date, str, str]] = ()) -> WorkCalendar:
    """overrides: (day, kind 'off'|'work', note)."""
    off: dict[date, str] = {}
    work: dict[date, str] = {}
    for day, kind, note in overrides:
        (off if kind == "off" else work)[day] = note or ""
    return WorkCalendar(extra_off=off, extra_work=work)
