"""Review arithmetic: time cut (cắt giảm thời hạn) and compliance cost (Standard Cost Model).

Pure functions on Decimal with half-up rounding, as people round by hand (59,375 -> 59,38 %).
Bad input raises MetricError whose message a user can read (in Vietnamese).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Iterable

from app.domain.formatting import vn_number
from app.domain.numbers import NumberError, format_vn_number, parse_vn_decimal

ZERO = Decimal(0)


class MetricError(ValueError):
    """A figure that cannot be computed; `message` is shown next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_number(text: str | int | float | Decimal | None, label: str = "Giá trị",
                 allow_negative: bool = False, max_decimals: int | None = None) -> Decimal | None:
    """A figure typed the Vietnamese way ('2,5', '25.000', '1.234,5'; rules in domain.numbers);
    blank -> None; text or a negative figure -> MetricError."""
    try:
        return parse_vn_decimal(text, label, allow_negative=allow_negative, max_decimals=max_decimals)
    except NumberError as e:
        raise MetricError(e.message) from None


# Quotients carry 60 significant digits rounded toward zero: a quotient is never above the exact
# fraction, so "at least the target" (a percentage with two decimals) holds for the quotient
# exactly when it holds for the fraction, and half-up display rounding of it is that of the fraction.
_QUOTIENT = Context(prec=60, rounding=ROUND_DOWN)


def ratio(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole, or None when the whole is blank or zero (a percentage of nothing is "—")."""
    if part is None or whole is None or Decimal(whole) == 0:
        return None
    return _QUOTIENT.divide(Decimal(part), Decimal(whole))


def round_percent(r: Decimal | None, decimals: int = 2) -> Decimal | None:
    """0.59375 -> Decimal('59.38') (for display only: targets compare the exact value)."""
    if r is None:
        return None
    return (Decimal(r) * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def target_met(r: Decimal | Fraction | None, target_percent: Decimal | int | None) -> bool | None:
    """Whether the exact ratio reaches a target in percent (29,995 % does not reach 30 %, though it
    is shown as 30,00 %); None when either is unknown."""
    if r is None or target_percent is None:
        return None
    return Fraction(r) * 100 >= Fraction(Decimal(target_percent))


@dataclass(frozen=True)
class TargetCheck:
    """A ratio against a target as every page, XLSX and DOCX says it."""
    ratio: Decimal | None
    target: Decimal | None
    met: bool | None
    percent: str        # "59,38 %"; more decimals when two would hide a miss ("29,995 %"); "—"
    hidden_miss: bool   # rounded to two decimals it would look like the target is reached

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "Chưa đặt chỉ tiêu"
        if self.met is None:
            return "Chưa xác định"
        return "Đạt" if self.met else "Chưa đạt"

    @property
    def target_text(self) -> str:
        return "" if self.target is None else f"{format_vn_number(self.target)} %"

    @property
    def text(self) -> str:
        """'59,38 % — đạt chỉ tiêu 30 %', '29,995 % — chưa đạt 30 %', '—'."""
        if self.target is None or self.met is None:
            return self.percent
        if self.hidden_miss:
            return f"{self.percent} — chưa đạt {self.target_text}"
        return f"{self.percent} — {'đạt' if self.met else 'chưa đạt'} chỉ tiêu {self.target_text}"


def _percent_text(r: Decimal, decimals: int = 2) -> str:
    return f"{vn_number(Decimal(r) * 100, decimals)} %"


def check_target(r: Decimal | None, target_percent: Decimal | int | None) -> TargetCheck:
    target = None if target_percent is None else Decimal(target_percent)
    met = target_met(r, target)
    if r is None:
        return TargetCheck(None, target, None, "—", False)
    hidden = met is False and round_percent(r) >= target
    shown = _percent_text(r)
    if hidden:
        # The fewest decimals that no longer round up to the target (29,995 %), at most six.
        for places in range(3, 7):
            if round_percent(r, places) < target:
                shown = _percent_text(r, places)
                break
        else:
            exact = (Decimal(r) * 100).quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
            shown = f"{vn_number(exact, 6)} %"
    return TargetCheck(Decimal(r), target, met, shown, hidden)


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
    if current == 0:
        # 0 -> 0 is no cut of anything: it would be previewed as "Cắt giảm 0 ngày" and counted.
        raise MetricError("Thời hạn hiện hành bằng 0 ngày: không có gì để cắt giảm. Nhập thời hạn "
                          "hiện hành lớn hơn 0, hoặc để trống cả hai ô nếu TTHC không quy định thời hạn.")
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
