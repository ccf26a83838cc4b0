"""Deadline phrases as plans write them ("Trước ngày 05/4/2022", "Quý III/2024", "Hàng quý,
năm", "Thường xuyên", "Lần 1: Trước 30/11/2023; Lần 2: ...") turned into due dates, keeping
the original words. Pure: no Flask, no database.

The rule is "never a silent wrong date": a phrase is accepted only when the WHOLE phrase
matches one of the grammars below; anything else comes back with needs_date=True and a reason
so that a person sets the date.

Conventions:
- "Trước ngày D" / "Xong trước ngày D": due on D (the department reads it as "by D").
- "Tháng M/Y": the last day of the month; "Quý Q/Y": the last day of the quarter;
  "Năm Y" / "Trong năm Y": 31/12/Y.
- Several dated parts ("Lần 1: ...; Lần 2: ...", "- Cấp huyện: ... - Cấp tỉnh: ..."): kind
  "multi", one labelled due date per part; the task's own due date is the last one.
- "Hàng tháng / Hàng quý / Hàng năm": kind "recurring"; the due dates are per period, from
  the office-configured report days (`period_instances`).
- "Thường xuyên": kind "continuous", no due date and none needed.
- "Sau khi ... ban hành ...": kind "event", needs a date once the event happens.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from app.domain.text import fold_char

KINDS = {
    "date": "Ngày cụ thể",
    "period": "Trong tháng / quý / năm",
    "multi": "Nhiều mốc",
    "recurring": "Định kỳ",
    "continuous": "Thường xuyên",
    "event": "Theo sự kiện",
    "unknown": "Chưa xác định",
}

RECURRENCES = {"monthly": "Hàng tháng", "quarterly": "Hàng quý", "yearly": "Hàng năm"}

# Office-configurable (stored in the settings table); these are the defaults.
DEFAULT_REPORT_DAYS: dict[str, dict[str, int]] = {
    "monthly": {"day": 25},
    "quarterly": {"month_of_quarter": 3, "day": 15},
    "yearly": {"month": 12, "day": 15},
}

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Due:
    on: date
    label: str | None = None


@dataclass
class DeadlineParse:
    text: str
    kind: str
    dues: list[Due] = field(default_factory=list)
    recurrence: tuple[str, ...] = ()
    needs_date: bool = False
    reason: str | None = None

    @property
    def due_on(self) -> date | None:
        """The task's own due date: the single date, or the last of several parts."""
        return max((d.on for d in self.dues), default=None)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


# ---- text normalisation -------------------------------------------------------------------

def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u00a0", " ").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip()


def _fold(text: str) -> str:
    """Accent-free lower case with the SAME length as `text`, so spans map back."""
    return "".join(fold_char(c) for c in text)


# ---- grammars (on folded text) -------------------------------------------------------------

_DMY = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_LONG = r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})"
_DATE_PREFIX = r"(?:(?:xong|hoan thanh|hoan thien|truoc|cham nhat|chậm nhat|han|den|trong|vao|la)\s+)*(?:ngay\s+)?"
RE_DATE = re.compile(rf"^{_DATE_PREFIX}(?:{_DMY}|{_LONG})\.?$")
RE_MONTH = re.compile(r"^(?:(?:xong|hoan thanh|trong|truoc|cuoi)\s+)*thang (\d{1,2})\s*(?:/|-|nam)\s*(\d{4})\.?$")
RE_QUARTER = re.compile(r"^(?:(?:xong|hoan thanh|trong|truoc|cuoi)\s+)*quy (iv|iii|ii|i|[1-4])\s*(?:/|-|nam)\s*(\d{4})\.?$")
RE_YEAR = re.compile(r"^(?:(?:xong|hoan thanh|trong|ca|cuoi)\s+)*nam (\d{4})\.?$")
RE_RECURRING = re.compile(r"^(?:dinh ky\s+)?hang (thang|quy|nam)((?:\s*(?:,|va|/|-)\s*(?:hang\s+)?(?:thang|quy|nam))*)\.?$")
RE_CONTINUOUS = re.compile(r"^(thuong xuyen|lien tuc|hang ngay)(?:\s*,?\s*lien tuc)?\.?$")
RE_EVENT = re.compile(r"^(ngay\s+)?(sau khi|khi|ngay khi|theo)\b")
RE_PART_LABEL = re.compile(r"^(.{1,40}?)\s*:\s*(.+)$")
_REC_WORD = {"thang": "monthly", "quy": "quarterly", "nam": "yearly"}


def _make_date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _single(folded: str) -> tuple[str, date | None, str | None]:
    """(kind, date, error) for a phrase that names one due date, kind '' when no grammar fits."""
    m = RE_DATE.match(folded)
    if m:
        g = m.groups()
        parts = g[0:3] if g[0] else g[3:6]
        d = _make_date(*parts)
        if d is None:
            return "unknown", None, "Ngày không hợp lệ."
        return "date", d, None
    m = RE_MONTH.match(folded)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return "unknown", None, "Tháng không hợp lệ."
        return "period", _month_end(year, month), None
    m = RE_QUARTER.match(folded)
    if m:
        q, year = ROMAN[m.group(1)], int(m.group(2))
        return "period", _month_end(year, q * 3), None
    m = RE_YEAR.match(folded)
    if m:
        return "period", date(int(m.group(1)), 12, 31), None
    return "", None, None


def _split_parts(text: str) -> list[str]:
    """Split "- A: x - B: y" and "A: x; B: y" into parts (dashes only as bullets)."""
    pieces = re.split(r";|(?:^|\s)-\s+|\n", text)
    return [p.strip(" ,.;") for p in pieces if p.strip(" ,.;-")]


def parse_deadline(text: str | None, context_year: int | None = None) -> DeadlineParse:
    original = (text or "").strip()
    clean = _clean(original)
    folded = _fold(clean)
    if not clean:
        return DeadlineParse(original, "unknown", needs_date=True, reason="Chưa ghi thời hạn.")

    kind, d, error = _single(folded)
    if kind in ("date", "period"):
        return DeadlineParse(original, kind, [Due(d)])
    if kind == "unknown":
        return DeadlineParse(original, "unknown", needs_date=True, reason=error)

    m = RE_RECURRING.match(folded)
    if m:
        words = [m.group(1)] + re.findall(r"thang|quy|nam", m.group(2) or "")
        rec = tuple(dict.fromkeys(_REC_WORD[w] for w in words))
        order = ("monthly", "quarterly", "yearly")
        return DeadlineParse(original, "recurring", recurrence=tuple(r for r in order if r in rec))

    if RE_CONTINUOUS.match(folded):
        return DeadlineParse(original, "continuous")

    if RE_EVENT.match(folded):
        return DeadlineParse(original, "event", needs_date=True,
                             reason="Thời hạn phụ thuộc một sự kiện; cần đặt ngày khi sự kiện xảy ra.")

    parts = _split_parts(clean)
    if len(parts) > 1:
        dues: list[Due] = []
        for part in parts:
            lm = RE_PART_LABEL.match(part)
            label, phrase = (lm.group(1).strip(" -"), lm.group(2)) if lm else (None, part)
            pkind, pd, _ = _single(_fold(phrase))
            if pkind not in ("date", "period") or pd is None:
                return DeadlineParse(original, "unknown", needs_date=True,
                                     reason=f"Không hiểu mốc “{part}”.")
            dues.append(Due(pd, label or f"Mốc {len(dues) + 1}"))
        return DeadlineParse(original, "multi", dues)

    # "trước ngày 10/11" without a year: only with a known plan year.
    m = re.match(rf"^{_DATE_PREFIX}(\d{{1,2}})\s*/\s*(\d{{1,2}})\.?$", folded)
    if m:
        if context_year is None:
            return DeadlineParse(original, "unknown", needs_date=True,
                                 reason="Thiếu năm; cần xác định năm của kế hoạch.")
        d = _make_date(m.group(1), m.group(2), str(context_year))
        if d is not None:
            return DeadlineParse(original, "date", [Due(d)])
    return DeadlineParse(original, "unknown", needs_date=True,
                         reason="Không nhận dạng được thời hạn; cần nhập ngày.")


# ---- recurring periods ---------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodInstance:
    recurrence: str
    label: str      # "Tháng 03/2022", "Quý I/2022", "Năm 2022", "Quý IV và năm 2022"
    due_on: date
    covers: tuple[str, ...] = ()    # the separate periods' labels a combined instance stands for


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


def report_due(recurrence: str, year: int, index: int, rules: dict | None = None) -> date:
    """The report day of one period: month index 1..12, quarter 1..4, year (index ignored)."""
    r = {**DEFAULT_REPORT_DAYS.get(recurrence, {}), **((rules or {}).get(recurrence) or {})}
    if recurrence == "monthly":
        return _clamped(year, index, r["day"])
    if recurrence == "quarterly":
        month = (index - 1) * 3 + min(max(r["month_of_quarter"], 1), 3)
        return _clamped(year, month, r["day"])
    if recurrence == "yearly":
        return _clamped(year, min(max(r["month"], 1), 12), r["day"])
    raise ValueError(recurrence)


def period_instances(recurrence: tuple[str, ...] | list[str], start: date, until: date,
                     rules: dict | None = None) -> list[PeriodInstance]:
    """Every period instance whose report day falls in [start, until], oldest first.

    "Hàng quý, năm": the fourth quarter ends with the year and a department reports them
    together ("báo cáo quý IV và năm"), so they are ONE instance, "Quý IV và năm 2022", due on
    the year's report day, instead of two tasks for the same work on the same day."""
    out: list[PeriodInstance] = []
    both = "quarterly" in recurrence and "yearly" in recurrence
    for year in range(start.year, until.year + 1):
        for rec in recurrence:
            covers: tuple[str, ...] = ()
            if rec == "monthly":
                items = [(f"Tháng {m:02d}/{year}", report_due(rec, year, m, rules)) for m in range(1, 13)]
            elif rec == "quarterly":
                items = [(f"Quý {ROMAN_OUT[q]}/{year}", report_due(rec, year, q, rules))
                         for q in range(1, 4 if both else 5)]
            elif rec == "yearly":
                if both:
                    covers = (f"Quý {ROMAN_OUT[4]}/{year}", f"Năm {year}")
                    items = [(f"Quý {ROMAN_OUT[4]} và năm {year}", report_due(rec, year, 0, rules))]
                else:
                    items = [(f"Năm {year}", report_due(rec, year, 0, rules))]
            else:
                continue
            out.extend(PeriodInstance(rec, label, d, covers) for label, d in items if start <= d <= until)
    out.sort(key=lambda p: (p.due_on, p.recurrence))
    return out


# ---- stage budgets ---------------------------------------------------------------------------

RE_BUDGET = re.compile(r"^(.{2,80}?)\s*:\s*(\d{1,3})\s*ngay(?: lam viec)?\.?$")
RE_TOTAL = re.compile(r"(\d{1,3})\s*ngay")


def parse_stage_budgets(text: str) -> tuple[int | None, list[tuple[str, int]]]:
    """'thời gian thực hiện 05 ngày; trong đó: Phòng chuyên môn: 03 ngày; Văn phòng Sở: 02 ngày'
    -> (5, [('Phòng chuyên môn', 3), ('Văn phòng Sở', 2)]). Raises ValueError with a reason
    when a part is not 'name: N ngày' or the parts do not add up to the total."""
    clean = _clean(text)
    if not clean:
        raise ValueError("Nhập các bước, ví dụ: Phòng chuyên môn: 03 ngày; Văn phòng Sở: 02 ngày.")
    k = _fold(clean).find("trong do")
    head, rest = (clean[:k], clean[k + len("trong do"):]) if k >= 0 else (clean, "")
    total = None
    if rest:
        m = RE_TOTAL.search(_fold(head))
        total = int(m.group(1)) if m else None
        clean = rest.lstrip(" :")
    parts = [p.strip(" ;,.") for p in re.split(r";|\n", clean) if p.strip(" ;,.")]
    stages = []
    for p in parts:
        m = RE_BUDGET.match(_fold(p))
        if not m:
            raise ValueError(f"Không hiểu bước “{p}” (cần dạng: Tên bước: N ngày).")
        stages.append((p[:len(m.group(1))].strip(), int(m.group(2))))
    if total is not None and sum(d for _, d in stages) != total:
        raise ValueError(f"Tổng các bước ({sum(d for _, d in stages)} ngày) khác tổng thời gian ({total} ngày).")
    return total, stages
