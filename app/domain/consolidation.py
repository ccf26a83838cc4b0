"""The province's consolidated figures from its agencies' reports (issue 10, layer E): pure
functions, no database. A set that does not add up blocks the total and names the agency and
the figure; time-cut and compliance-cost totals are measured against the provincial targets."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.domain.checks import DOSSIER_PARTS, Dossiers, check_dossiers, cut_ratio


@dataclass(frozen=True)
class AgencyFigures:
    """What one agency sent up for a period: its Biểu II.06a parts (and the totals as printed,
    if any), its time cut (days before / after) and compliance cost (before / after)."""
    agency: str
    dossiers: Mapping[str, int | None]
    days_current: Decimal | int = 0
    days_proposed: Decimal | int = 0
    cost_before: Decimal | int = 0
    cost_after: Decimal | int = 0
    sent_on: date | None = None


@dataclass
class Consolidated:
    rows: list[tuple[str, Dossiers]] = field(default_factory=list)
    total: Dossiers | None = None       # None while any agency's set does not add up
    problems: list[str] = field(default_factory=list)  # "Sở Y tế: Đã giải quyết (...) phải bằng ..."
    days_current: Decimal = Decimal(0)
    days_proposed: Decimal = Decimal(0)
    cost_before: Decimal = Decimal(0)
    cost_after: Decimal = Decimal(0)

    @property
    def time_cut_ratio(self) -> float | None:
        return cut_ratio(float(self.days_current), float(self.days_proposed))

    @property
    def cost_cut_ratio(self) -> float | None:
        return cut_ratio(float(self.cost_before), float(self.cost_after))

    def meets(self, time_target_pct: float | None, cost_target_pct: float | None) -> dict[str, bool | None]:
        """Whether the cuts reach the targets in percent (seed 003: 20 / 20); None: no target
        or nothing to measure."""
        def ok(ratio, target):
            return None if ratio is None or target is None else ratio * 100 >= float(target)
        return {"time": ok(self.time_cut_ratio, time_target_pct), "cost": ok(self.cost_cut_ratio, cost_target_pct)}


_TOTALS = ("received", "received_new", "resolved", "pending")


def consolidate(sets: Sequence[AgencyFigures]) -> Consolidated:
    """Sum the agencies' figures. Each agency's set is checked as a unit's is (checks.py);
    a failing set is named with its agency and keeps the province total from being given."""
    out = Consolidated()
    total = Dossiers()
    for s in sets:
        d = Dossiers.from_mapping({k: s.dossiers.get(k) for k in DOSSIER_PARTS})
        typed = {k: s.dossiers.get(k) for k in _TOTALS if s.dossiers.get(k) is not None}
        errors = check_dossiers(d, **typed)
        out.problems += [f"{s.agency}: {e}" for e in errors]
        out.rows.append((s.agency, d))
        total = total + d
        out.days_current += Decimal(s.days_current or 0)
        out.days_proposed += Decimal(s.days_proposed or 0)
        out.cost_before += Decimal(s.cost_before or 0)
        out.cost_after += Decimal(s.cost_after or 0)
    out.total = None if out.problems else total
    return out


def reporting_status(expected: Sequence[str], sent: Mapping[str, date], deadline: date,
                     today: date) -> dict[str, list[str]]:
    """Who reported on time, late, or not yet for a period (the requesting letter's deadline,
    seed 001's "2445/VP-TTPVHCC ... đôn đốc"); `sent` maps an agency to the day it sent up."""
    on_time, late, missing, overdue = [], [], [], []
    for agency in expected:
        day = sent.get(agency)
        if day is None:
            (overdue if today > deadline else missing).append(agency)
        elif day <= deadline:
            on_time.append(agency)
        else:
            late.append(agency)
    return {"on_time": on_time, "late": late, "missing": missing, "overdue": overdue}


@dataclass(frozen=True)
class SendupStatus:
    key: str            # missing / overdue / on_time / late / returned / accepted
    label: str          # "Gửi muộn 3 ngày"
    late_days: int = 0  # days past the deadline (sent late, or still not sent)
    remindable: bool = False   # not (validly) sent yet: a reminder makes sense
    is_late: bool = False      # highlighted; part of "remind all late ones"


def sendup_status(state: str | None, first_sent: date | None, deadline: date, today: date) -> SendupStatus:
    """One agency's standing on the province's request: `state` is its latest sent report's
    send-up state (None: nothing sent), `first_sent` the day it first sent one for the period
    (a return does not make an agency late that sent on time)."""
    if state is None or first_sent is None:
        if today > deadline:
            days = (today - deadline).days
            return SendupStatus("overdue", f"Chưa gửi (quá hạn {days} ngày)", days, True, True)
        return SendupStatus("missing", "Chưa gửi", 0, True, False)
    late = max(0, (first_sent - deadline).days)
    if state == "returned":
        return SendupStatus("returned", "Bị trả lại", late, True, today > deadline)
    if state == "accepted":
        return SendupStatus("accepted", "Đã tiếp nhận" + (f" (gửi muộn {late} ngày)" if late else ""), late)
    if late:
        return SendupStatus("late", f"Gửi muộn {late} ngày", late)
    return SendupStatus("on_time", "Đã gửi đúng hạn", 0)
