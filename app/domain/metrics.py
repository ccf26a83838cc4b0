"""Review arithmetic: time cut (cắt giảm thời hạn) and compliance cost (Standard Cost Model).

Pure functions on Decimal with half-up rounding, as people round by hand (59,375 -> 59,38 %).
Bad input raises MetricError whose message a user can read (in Vietnamese).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

ZERO = Decimal(0)
_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


class MetricError(ValueError):
    """A figure that cannot be computed; `message` is shown next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_number(text: str | int | float | Decimal | None, label: str = "Giá trị",
                 allow_negative: bool = False) -> Decimal | None:
    """'2,5' or '2.5' -> Decimal('2.5'); '25.000' -> 25000 (dots grouping thousands, as written in
    Vietnamese); blank -> None; text or a negative figure -> MetricError."""
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        value = Decimal(str(text))
    else:
        raw = str(text).strip().replace(" ", "")
        if not raw:
            return None
        if "," in raw and "." in raw:  # 1.234,5 (Vietnamese) -> 1234.5
            raw = raw.replace(".", "").replace(",", ".")
        elif _THOUSANDS.fullmatch(raw):  # 25.000 or 1.234.567
            raw = raw.replace(".", "")
        else:
            raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise MetricError(f"{label} phải là số (ví dụ 12 hoặc 2,5).") from None
    if not value.is_finite():
        raise MetricError(f"{label} phải là số (ví dụ 12 hoặc 2,5).")
    if value < 0 and not allow_negative:
        raise MetricError(f"{label} không được âm.")
    return value


def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole, or None when the whole is blank or zero (a percentage of nothing)."""
    if part is None or whole is None or Decimal(whole) == 0:
        return None
    return Decimal(part) / Decimal(whole)


def round_percent(r: Decimal | None, decimals: int = 2) -> Decimal | None:
    """0.59375 -> Decimal('59.38')."""
    if r is None:
        return None
    return (Decimal(r) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def target_met(r: Decimal | None, target_percent: Decimal | int | None) -> bool | None:
    """Compare the rounded percentage with a target in percent; None when either is unknown."""
    if r is None or target_percent is None:
        return None
    return round_percent(r) >= Decimal(target_percent)


# ---- time cut ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TimeCut:
    current: Decimal
    proposed: Decimal
    cut: Decimal
    ratio: Decimal | None  # cut / current


def time_cut(current: Decimal | None, proposed: Decimal | None) -> TimeCut:
    """Days cut for one procedure; refuses blanks, negatives and a proposal above the current time."""
    if current is None:
        raise MetricError("Chưa nhập thời hạn hiện hành (ngày làm việc).")
    if proposed is None:
        raise MetricError("Chưa nhập thời hạn đề xuất (ngày làm việc).")
    current, proposed = Decimal(current), Decimal(proposed)
    if current < 0 or proposed < 0:
        raise MetricError("Số ngày không được âm.")
    if proposed > current:
        raise MetricError("Thời hạn đề xuất không được lớn hơn thời hạn hiện hành.")
    cut = current - proposed
    return TimeCut(current, proposed, cut, ratio(cut, current))


def total_time_cut(pairs: Iterable[tuple[Decimal | None, Decimal | None]]) -> TimeCut:
    """Σcut / Σcurrent over the procedures whose both figures are filled in (others are skipped)."""
    cur = prop = ZERO
    for c, p in pairs:
        if c is None or p is None:
            continue
        cur += Decimal(c)
        prop += Decimal(p)
    cut = cur - prop
    return TimeCut(cur, prop, cut, ratio(cut, cur))


# ---- compliance cost (Standard Cost Model, Thông tư 02/2017 Điều 27) --------------------

@dataclass(frozen=True)
class CostRow:
    hours: Decimal | None = None            # time spent per dossier
    income_per_hour: Decimal | None = None  # thu nhập bình quân / giờ
    fees: Decimal | None = None             # phí, lệ phí
    other: Decimal | None = None            # chi phí khác
    per_year: Decimal | None = None         # số hồ sơ / năm


def _d(v: Decimal | None) -> Decimal:
    return ZERO if v is None else Decimal(v)


def row_cost(row: CostRow) -> Decimal:
    """(hours × income/hour + fees + other) × dossiers per year; blanks count as zero."""
    return (_d(row.hours) * _d(row.income_per_hour) + _d(row.fees) + _d(row.other)) * _d(row.per_year)


def procedure_cost(rows: Iterable[CostRow]) -> Decimal:
    return sum((row_cost(r) for r in rows), ZERO)


@dataclass(frozen=True)
class CostSaving:
    before: Decimal
    after: Decimal
    saving: Decimal
    ratio: Decimal | None  # saving / before; None when nothing was costed before


def cost_saving(before: Decimal, after: Decimal) -> CostSaving:
    before, after = Decimal(before), Decimal(after)
    saving = before - after
    return CostSaving(before, after, saving, ratio(saving, before))


def total_cost_saving(items: Iterable[CostSaving]) -> CostSaving:
    before = after = ZERO
    for s in items:
        before += s.before
        after += s.after
    return cost_saving(before, after)


def simplified_share(simplified: int, total: int) -> Decimal | None:
    """Share of procedures simplified (amended, replaced or abolished) among those reviewed."""
    return ratio(simplified, total)


# ---- burn-down -----------------------------------------------------------------------------

def burndown_months(open_by_day: Iterable[tuple[date, int]], year: int) -> list[tuple[str, int, int]]:
    """(month "05/2022", open tasks due that month, open tasks due after it) for EVERY month
    from January to December of the plan year, widened to any month the open work falls in;
    a month without work is on the axis with 0, so the chart's time scale stays even.
    Empty when nothing is open."""
    per_month: dict[tuple[int, int], int] = {}
    for day, n in open_by_day:
        per_month[(day.year, day.month)] = per_month.get((day.year, day.month), 0) + n
    if not per_month:
        return []
    first = min(min(per_month), (year, 1))
    last = max(max(per_month), (year, 12))
    remaining = sum(per_month.values())
    out = []
    y, m = first
    while (y, m) <= last:
        due = per_month.get((y, m), 0)
        remaining -= due
        out.append((f"{m:02d}/{y}", due, remaining))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
