"""Province dashboard arithmetic: rates, the review rounds of seed 003, reporting slots and
ranking. Pure functions (no Flask, no database): the services aggregate in SQL, these say
what the numbers mean.

- On-time rate: tasks accepted on or before their due date / tasks accepted (issued plans of
  the selected year).
- Reporting punctuality: of the year's reporting slots whose deadline has passed, how many
  had a report issued by that deadline. A slot is a quarter; the 6-month report stands for
  quarter II and the annual report for quarter IV ("báo cáo quý II và 6 tháng", "quý IV và năm").
- Review progress (Kế hoạch rà soát TTHC nội bộ, seed 003): share of the agency's internal
  procedures reviewed (a review accepted by the office) by each round's deadline, against
  the round's target (≥ 50 % by 30/11/2023, 100 % by 30/11/2024).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date


def rate(part: int | None, whole: int | None) -> float | None:
    """part / whole, None when there is nothing to divide by."""
    if not whole:
        return None
    return (part or 0) / whole


# ---- review rounds (seed 003) ----------------------------------------------------------------

@dataclass(frozen=True)
class ReviewRound:
    number: int
    deadline: date
    target: float       # share of the internal procedures to have reviewed by the deadline

    @property
    def label(self) -> str:
        return f"Lần {self.number} (≥ {round(self.target * 100)} % trước {self.deadline:%d/%m/%Y})"


REVIEW_ROUNDS = (ReviewRound(1, date(2023, 11, 30), 0.5), ReviewRound(2, date(2024, 11, 30), 1.0))

ROUND_STATES = {
    "met": "Đạt",
    "missed": "Không đạt",
    "on_track": "Đang thực hiện",
    "behind": "Chưa đạt",
    "none": "Không có TTHC nội bộ",
}


@dataclass(frozen=True)
class RoundProgress:
    round: ReviewRound
    reviewed: int
    total: int
    state: str          # a key of ROUND_STATES

    @property
    def share(self) -> float | None:
        return rate(self.reviewed, self.total)

    @property
    def state_label(self) -> str:
        return ROUND_STATES[self.state]


def round_progress(rnd: ReviewRound, reviewed: int, total: int, on: date) -> RoundProgress:
    """How an agency stands on one round: `reviewed` counts reviews accepted by the round's
    deadline (or by `on`, before it). Met once the target is reached (even early); missed
    when the deadline passed below it; before the deadline, "on_track" when at least half
    the target is reached, "behind" otherwise."""
    if total <= 0:
        return RoundProgress(rnd, reviewed, total, "none")
    share = reviewed / total
    if share + 1e-9 >= rnd.target:
        return RoundProgress(rnd, reviewed, total, "met")
    if on > rnd.deadline:
        return RoundProgress(rnd, reviewed, total, "missed")
    return RoundProgress(rnd, reviewed, total, "on_track" if share + 1e-9 >= rnd.target / 2 else "behind")


# ---- reporting slots -------------------------------------------------------------------------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class ReportSlot:
    quarter: int
    keys: tuple[str, ...]   # report period keys that fill the slot (app.domain.periods keys)
    deadline: date

    @property
    def label(self) -> str:
        return f"Quý {ROMAN[self.quarter]}"


def report_slots(year: int, deadline_of: Callable[[int], date]) -> list[ReportSlot]:
    """The four reporting slots of a year; `deadline_of(quarter)` is the office's report day
    (app.domain.deadlines.report_due with the configured report days)."""
    extra = {2: (f"{year}-h1",), 4: (f"{year}-h2", f"{year}-y")}
    return [ReportSlot(q, (f"{year}-q{q}", *extra.get(q, ())), deadline_of(q)) for q in range(1, 5)]


def due_slots(slots: Sequence[ReportSlot], on: date) -> list[ReportSlot]:
    """Slots whose deadline has passed (a report due today still has today)."""
    return [s for s in slots if s.deadline < on]


def punctual(first_issued: dict[int, date | None], slots: Sequence[ReportSlot], on: date) -> tuple[int, int]:
    """(on time, due): `first_issued` maps a quarter to the first day a report filling it was
    issued (sent). Counted over the slots already due. The province dashboard counts the same
    rule in SQL for every agency at once (app.province.services.reporting_punctuality)."""
    due = due_slots(slots, on)
    on_time = sum(1 for s in due if first_issued.get(s.quarter) is not None
                  and first_issued[s.quarter] <= s.deadline)
    return on_time, len(due)


# ---- ranking ---------------------------------------------------------------------------------

SORTS = {
    "on_time": "Tỷ lệ đúng hạn",
    "overdue": "Nhiệm vụ quá hạn",
    "punctuality": "Báo cáo đúng hạn",
    "round1": "Rà soát lần 1",
    "round2": "Rà soát lần 2",
    "name": "Cơ quan",
}
# The natural direction of each column: the best first (few overdue tasks are better).
DEFAULT_DESC = {"on_time": True, "overdue": False, "punctuality": True, "round1": True,
                "round2": True, "name": False}
DEFAULT_SORT = "on_time"


def parse_sort(key: str | None, direction: str | None = None) -> tuple[str, bool]:
    """(column, descending) from the query string, in the tables' convention (_macros.th_sort):
    "key" ascending, "-key" descending; `direction` ("asc"/"desc") overrides. No column (or
    an unknown one): the default column in its natural direction (the best first)."""
    desc = None
    if key and key.startswith("-"):
        key, desc = key[1:], True
    elif key in SORTS:
        desc = False
    if key not in SORTS:
        key, desc = DEFAULT_SORT, DEFAULT_DESC[DEFAULT_SORT]
    if direction in ("asc", "desc"):
        desc = direction == "desc"
    return key, desc


def sort_param(key: str, desc: bool) -> str:
    """The query string's value for a column and direction (the inverse of parse_sort)."""
    return f"-{key}" if desc else key


def ranks(values: Sequence[float | int | None]) -> list[int | None]:
    """Competition ranks ("1, 2, 2, 4") of values already in ranking order; an agency without
    a value (nothing to measure) gets no rank."""
    out: list[int | None] = []
    previous: object = object()
    rank = 0
    for i, v in enumerate(values, start=1):
        if v is None:
            out.append(None)
            continue
        if v != previous:
            rank = i
            previous = v
        out.append(rank)
    return out
