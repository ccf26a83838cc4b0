"""Scoring a civil servant's period from the recorded work (issue 15). Pure: no Flask, no database.

The services count, per person and per role (lead / cooperating / assignee), the tasks due in
the period in five buckets (done on time, done late, overdue, not yet due) plus the returns for
rework, each also weighted by the scheme (role x priority x difficulty). This module turns
those figures, the head's corrections and quality mark, and a scheme version (versioned data,
never code) into three criteria (quantity, quality, progress), a score over 100 and a rating.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

PERIOD_KINDS = {"month": "Tháng", "quarter": "Quý", "year": "Năm"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ROLES = {"lead": "Chủ trì", "cooperating": "Phối hợp", "assignee": "Được giao (chuyên viên)"}
# A task's priority and difficulty (tasks.priority / tasks.difficulty; "" is stored as NULL = normal).
PRIORITIES = {"": "Bình thường", "high": "Cao", "urgent": "Khẩn"}
DIFFICULTIES = {"": "Bình thường", "hard": "Khó", "very_hard": "Rất khó"}

# The figures of a person or a unit, in display order. "late_days": working days late, summed.
FIGURES = {
    "assigned": "Được giao",
    "on_time": "Hoàn thành đúng hạn",
    "late": "Hoàn thành chậm",
    "late_days": "Số ngày làm việc chậm",
    "not_done": "Chưa hoàn thành",
    "overdue": "Chưa hoàn thành, quá hạn",
    "returned": "Bị trả lại làm lại",
}
# The figures a head may correct (the others follow from them).
CORRECTABLE = ("assigned", "on_time", "late", "late_days", "overdue", "returned")
# The buckets a task falls in on the reference day (a figure's tasks are one bucket or more).
BUCKETS = ("on_time", "late", "overdue", "open")
FIGURE_BUCKETS = {"assigned": BUCKETS, "on_time": ("on_time",), "late": ("late",), "late_days": ("late",),
                  "not_done": ("overdue", "open"), "overdue": ("overdue",), "returned": BUCKETS}

# ---- periods ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvalPeriod:
    kind: str
    year: int
    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN[self.number]}/{self.year}"
        return f"Năm {self.year}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.kind[0]}{self.number if self.kind != 'year' else ''}"


def make_period(kind: str, year: int, number: int = 0) -> EvalPeriod:
    """Calendar periods (a civil servant's month is the calendar month, unlike the reporting
    windows of app/domain/periods.py). Raises ValueError with a Vietnamese message."""
    if not 2000 <= year <= 2100:
        raise ValueError("Năm không hợp lệ.")
    if kind == "month":
        if not 1 <= number <= 12:
            raise ValueError("Tháng phải từ 1 đến 12.")
        return EvalPeriod(kind, year, number, date(year, number, 1),
                          date(year, number, calendar.monthrange(year, number)[1]))
    if kind == "quarter":
        if number not in ROMAN:
            raise ValueError("Quý phải từ I đến IV.")
        last = 3 * number
        return EvalPeriod(kind, year, number, date(year, last - 2, 1),
                          date(year, last, calendar.monthrange(year, last)[1]))
    if kind == "year":
        return EvalPeriod(kind, year, 0, date(year, 1, 1), date(year, 12, 31))
    raise ValueError("Loại kỳ đánh giá không hợp lệ.")


def bucket_of(due_on: date, accepted_on: date | None, ref: date) -> str:
    """Where a task due on `due_on` stands on `ref` (the period's end, or today if earlier):
    done on time / done late (accepted after the due day) / overdue (not accepted by `ref` and
    due before it) / open (not accepted, not yet due). The SQL in the services says the same."""
    if accepted_on is not None and accepted_on <= ref:
        return "on_time" if accepted_on <= due_on else "late"
    return "overdue" if due_on < ref else "open"

# ---- schemes ------------------------------------------------------------------------------------

# The defaults. Where each comes from (docs/evaluation.md says the same): the three criteria
# (quantity, quality, progress of tasks and products) and the four ratings are the structure of
# Nghị định 335/2025/NĐ-CP as the issue describes it; every NUMBER below is a starting value
# the agency must confirm against the decree's text (not available here), article by article.
DEFAULT_WEIGHTS: dict = {
    "roles": {"lead": 1.0, "assignee": 1.0, "cooperating": 0.5},
    "priority": {"normal": 1.0, "high": 1.5, "urgent": 2.0},
    "difficulty": {"normal": 1.0, "hard": 1.5, "very_hard": 2.0},
    "criteria": {"quantity": 0.3, "quality": 0.4, "progress": 0.3},
    "late_penalty_per_day": 0.1,     # share of a late task's credit lost per working day late
    "return_penalty": 10,            # quality points lost per return for rework (no head's mark)
    "bands": {"excellent": 90, "good": 70, "done": 50},
}
DEFAULT_DESCRIPTION = (
    "Cấu trúc theo Nghị định 335/2025/NĐ-CP: đánh giá theo số lượng, chất lượng, tiến độ thực hiện "
    "nhiệm vụ, sản phẩm; bốn mức xếp loại (Hoàn thành xuất sắc nhiệm vụ / Hoàn thành tốt nhiệm vụ / "
    "Hoàn thành nhiệm vụ / Không hoàn thành nhiệm vụ). Các trọng số và ngưỡng điểm là giá trị khởi đầu, "
    "cơ quan cần đối chiếu với văn bản Nghị định (điều, khoản: cần xác nhận) trước khi áp dụng.")

RATINGS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "done": "Hoàn thành nhiệm vụ",
    "failed": "Không hoàn thành nhiệm vụ",
}
NO_TASKS = "Không có nhiệm vụ đến hạn trong kỳ"

# The admin form's fields: (path in the JSON, label, min, max).
SCHEME_FIELDS: list[tuple[str, str, float, float]] = [
    ("roles.lead", "Hệ số vai trò: chủ trì", 0, 10),
    ("roles.assignee", "Hệ số vai trò: chuyên viên được giao", 0, 10),
    ("roles.cooperating", "Hệ số vai trò: phối hợp", 0, 10),
    ("priority.normal", "Hệ số ưu tiên: bình thường", 0, 10),
    ("priority.high", "Hệ số ưu tiên: cao", 0, 10),
    ("priority.urgent", "Hệ số ưu tiên: khẩn", 0, 10),
    ("difficulty.normal", "Hệ số độ khó: bình thường", 0, 10),
    ("difficulty.hard", "Hệ số độ khó: khó", 0, 10),
    ("difficulty.very_hard", "Hệ số độ khó: rất khó", 0, 10),
    ("criteria.quantity", "Tỷ trọng tiêu chí số lượng", 0, 1),
    ("criteria.quality", "Tỷ trọng tiêu chí chất lượng", 0, 1),
    ("criteria.progress", "Tỷ trọng tiêu chí tiến độ", 0, 1),
    ("late_penalty_per_day", "Mức giảm cho mỗi ngày làm việc chậm (0–1)", 0, 1),
    ("return_penalty", "Điểm chất lượng trừ cho mỗi lần bị trả lại", 0, 100),
    ("bands.excellent", "Điểm tối thiểu: Hoàn thành xuất sắc nhiệm vụ", 0, 100),
    ("bands.good", "Điểm tối thiểu: Hoàn thành tốt nhiệm vụ", 0, 100),
    ("bands.done", "Điểm tối thiểu: Hoàn thành nhiệm vụ", 0, 100),
]


def field_value(weights: dict, path: str):
    node = weights
    for part in path.split("."):
        node = node[part]
    return node


def scheme_from_fields(values: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The weights JSON from the form's texts ("1,5" or "1.5"), and errors per field path."""
    out: dict = {}
    errors: dict[str, str] = {}
    for path, label, lo, hi in SCHEME_FIELDS:
        raw = (values.get(path) or "").strip().replace(",", ".")
        try:
            v = float(Decimal(raw))
        except (InvalidOperation, ValueError):
            errors[path] = f"{label}: cần nhập một số."
            continue
        if not lo <= v <= hi:
            errors[path] = f"{label}: phải từ {lo:g} đến {hi:g}."
            continue
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = v
    if not errors:
        total = sum(out["criteria"].values())
        if abs(total - 1) > 1e-6:
            errors["criteria.quality"] = (f"Tổng tỷ trọng ba tiêu chí phải bằng 1 (đang là "
                                          f"{str(round(total, 4)).replace('.', ',')}).")
        b = out["bands"]
        if not b["excellent"] > b["good"] > b["done"]:
            errors["bands.good"] = "Ngưỡng điểm phải giảm dần: xuất sắc > tốt > hoàn thành."
    return out, errors


def task_weight(weights: dict, role: str, priority: str | None, difficulty: str | None) -> float:
    return (float(weights["roles"].get(role, 1)) * float(weights["priority"].get(priority or "normal", 1))
            * float(weights["difficulty"].get(difficulty or "normal", 1)))

# ---- scoring ------------------------------------------------------------------------------------

@dataclass
class Figures:
    """One person's (or unit's) counts, and the same weighted (role x priority x difficulty)."""
    counts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in FIGURES})
    weighted: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k in FIGURES})

    def add(self, bucket: str, n: int, w: float, late_days: int = 0, returned: int = 0) -> None:
        """`n` tasks of one bucket with total weight `w` (and their working days late)."""
        c, ww = self.counts, self.weighted
        c["assigned"] += n
        ww["assigned"] += w
        if bucket in ("on_time", "late", "overdue"):
            c[bucket] += n
            ww[bucket] += w
        if bucket in ("overdue", "open"):
            c["not_done"] += n
            ww["not_done"] += w
        if bucket == "late":
            c["late_days"] += late_days
            ww["late_days"] += late_days * (w / n if n else 1)
        c["returned"] += returned
        ww["returned"] += returned

    def corrected(self, corrections: dict[str, int]) -> Figures:
        """A copy with the head's corrections in force (weighted values scaled alike)."""
        out = Figures(dict(self.counts), dict(self.weighted))
        for fig, value in corrections.items():
            if fig not in CORRECTABLE:
                continue
            old = out.counts[fig]
            out.weighted[fig] = out.weighted[fig] * value / old if old else float(value)
            out.counts[fig] = value
        # "not done" is what remains of the tasks assigned once the done ones are counted
        # (the head corrects "assigned" itself when a task should not count at all)
        out.counts["not_done"] = max(0, out.counts["assigned"] - out.counts["on_time"] - out.counts["late"])
        out.weighted["not_done"] = max(0.0, out.weighted["assigned"] - out.weighted["on_time"] - out.weighted["late"])
        out.counts["overdue"] = min(out.counts["overdue"], out.counts["not_done"])
        out.weighted["overdue"] = min(out.weighted["overdue"], out.weighted["not_done"])
        return out


@dataclass(frozen=True)
class Score:
    quantity: float | None
    quality: float | None
    progress: float | None
    total: float | None
    rating: str | None          # key of RATINGS; None when nothing was due
    rating_label: str


def rate(total: float | None, weights: dict) -> tuple[str | None, str]:
    if total is None:
        return None, NO_TASKS
    b = weights["bands"]
    for key in ("excellent", "good", "done"):
        if total >= float(b[key]) - 1e-9:
            return key, RATINGS[key]
    return "failed", RATINGS["failed"]


def score(fig: Figures, weights: dict, quality_mark: int | None = None) -> Score:
    """Three criteria over 100 and their weighted total:
    - quantity: the share of the tasks due by the reference day that are done;
    - progress: on-time tasks count fully, late ones lose `late_penalty_per_day` of their
      credit per working day late (on average), overdue ones count nothing;
    - quality: the head's mark when given, else 100 minus `return_penalty` per return.
    Nothing due (only tasks not yet due, or none): no score, no rating."""
    w = fig.weighted
    due = w["on_time"] + w["late"] + w["overdue"]
    if due <= 0:
        return Score(None, None, None, None, *rate(None, weights))
    done = w["on_time"] + w["late"]
    quantity = 100 * done / due
    late_n = fig.counts["late"]
    avg_late = fig.counts["late_days"] / late_n if late_n else 0
    late_credit = w["late"] * max(0.0, 1 - float(weights["late_penalty_per_day"]) * avg_late)
    progress = 100 * (w["on_time"] + late_credit) / due
    if quality_mark is not None:
        quality = float(quality_mark)
    else:
        quality = max(0.0, 100 - float(weights["return_penalty"]) * fig.counts["returned"])
    c = weights["criteria"]
    total = (float(c["quantity"]) * quantity + float(c["quality"]) * quality
             + float(c["progress"]) * progress)
    total = round(total, 2)
    return Score(round(quantity, 2), round(quality, 2), round(progress, 2), total, *rate(total, weights))


def on_time_rate(on_time: int, late: int, overdue: int) -> float | None:
    """The dashboard's rate: on-time tasks over the tasks due (done or overdue)."""
    due = on_time + late + overdue
    return on_time / due if due else None
