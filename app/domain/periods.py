"""Reporting periods: which days a quarterly, half-year or yearly report counts.

Official reports count from the 15th of the month before the period to the 14th of its
last month (quarter II/2022: 15/03/2022 – 14/06/2022).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PERIOD_KINDS = {"quarter": "Quý", "half": "6 tháng", "year": "Năm", "plan": "Theo kế hoạch"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
CUTOFF_DAY = 14  # last counted day of the period's last month


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int  # quarter 1–4; half 1–2; 0 for a year or a plan
    start: date
    end: date

    @property
    def key(self) -> str:
        """Stable text key used in URLs and to match figure sets: 2022-q2, 2022-h1, 2022-y."""
        return period_key(self.kind, self.year, self.number)

    @property
    def label(self) -> str:
        """'quý II năm 2022', '6 tháng đầu năm 2022', 'năm 2022'."""
        if self.kind == "quarter":
            return f"quý {ROMAN[self.number]} năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    @property
    def short_label(self) -> str:
        """'Quý II/2022', '6 tháng đầu năm 2022', 'Năm 2022'."""
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.number]}/{self.year}"
        text = self.label
        return text[0].upper() + text[1:]


def period_key(kind: str, year: int, number: int = 0) -> str:
    letter = {"quarter": "q", "half": "h", "year": "y", "plan": "p"}[kind]
    return f"{year}-{letter}{number if kind in ('quarter', 'half') else ''}"


def _month_start(year: int, month: int) -> date:
    """The 15th of the month before `month` (month may be 1: then December of year-1)."""
    if month == 1:
        return date(year - 1, 12, CUTOFF_DAY + 1)
    return date(year, month - 1, CUTOFF_DAY + 1)


def make_period(kind: str, year: int, number: int = 0) -> Period:
    """Build a period; raises ValueError for an impossible one (quarter 5, half 3...)."""
    if not 1900 < year < 3000:
        raise ValueError("Năm không hợp lệ.")
    if kind == "quarter":
        if number not in ROMAN:
            raise ValueError("Quý phải từ I đến IV.")
        first, last = 3 * number - 2, 3 * number
    elif kind == "half":
        if number not in (1, 2):
            raise ValueError("6 tháng đầu năm (1) hoặc cuối năm (2).")
        first, last = 6 * number - 5, 6 * number
    elif kind in ("year", "plan"):
        number, first, last = 0, 1, 12
    else:
        raise ValueError("Loại kỳ báo cáo không hợp lệ.")
    return Period(kind, year, number, _month_start(year, first), date(year, last, CUTOFF_DAY))


def parse_period_key(key: str) -> Period:
    """'2022-q2' -> Period(quarter II 2022). Raises ValueError for anything else."""
    try:
        year_text, rest = (key or "").split("-", 1)
        year = int(year_text)
        kind = {"q": "quarter", "h": "half", "y": "year", "p": "plan"}[rest[:1]]
        number = int(rest[1:]) if kind in ("quarter", "half") else 0
    except (ValueError, KeyError, IndexError):
        raise ValueError("Kỳ báo cáo không hợp lệ.") from None
    return make_period(kind, year, number)


def quarter_of(day: date) -> Period:
    """The quarterly report whose window holds `day` (16/06/2022 already counts for quarter III)."""
    for year in (day.year, day.year + 1):
        for q in range(1, 5):
            p = make_period("quarter", year, q)
            if p.start <= day <= p.end:
                return p
    raise AssertionError("unreachable: quarter windows cover the whole year")  # pragma: no cover


def quarters_of(period: Period) -> list[Period]:
    """The quarters whose figure sets make up a period: units enter figures per quarter, so a
    6-month report sums two quarters and a yearly (or plan) report four."""
    if period.kind == "quarter":
        return [period]
    numbers = {1: (1, 2), 2: (3, 4)}[period.number] if period.kind == "half" else (1, 2, 3, 4)
    return [make_period("quarter", period.year, q) for q in numbers]


def recent_periods(day: date, count: int = 6) -> list[Period]:
    """The current quarter and the ones before it, newest first (for pickers)."""
    p = quarter_of(day)
    out = []
    year, q = p.year, p.number
    for _ in range(count):
        out.append(make_period("quarter", year, q))
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return out
