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
- "Hàng tháng / Hàng quý / Hàng năm" (also "hằng", "mỗi"): kind "recurring"; the due dates
  are per period, from the office-configured report days (`period_instances`). A phrase that
  names its own day ("Trước ngày 30/6 hằng năm", "Tháng 10 hàng năm" = 31/10, "Trước ngày 25
  hằng tháng", "Trước ngày 15 của tháng cuối quý") carries it in `report_days`.
- "6 tháng đầu năm Y" = 30/6/Y, "6 tháng cuối năm Y" = 31/12/Y; "Đến hết năm Y", "Hết quý Q".
- Year ranges ("Năm 2024 - 2025", "Giai đoạn 2021-2025"): kind "multi", one milestone on
  31/12 of each year, so the task is due at the end of the range (the result's `note` says so).
- Lists in one cell ("Quý I, II năm 2024", "Tháng 3, 6, 9 năm 2024", "Trước ngày 15/6 và
  15/12/2024"): kind "multi", one milestone each; a part without a year takes the next part's.
- "Từ tháng 3 đến tháng 6/2024": due at the end of the span.
- A part without a year ("Trước ngày 10/11", "Hết quý III", "6 tháng cuối năm") takes the
  plan's year only when the caller gives it (`context_year`), and the note says so.
- A trailing note in brackets ("Trước ngày 30/9/2024 (báo cáo kết quả)") is kept as a note;
  a bracket that speaks of time ("(trước ngày 15/9)", "(lần 1)") leaves the date to a person,
  except a recurring phrase's report day ("Hằng năm (trước ngày 30/6)").
- "Thường xuyên": kind "continuous", no due date and none needed.
- "Sau khi ... ban hành ...": kind "event", needs a date once the event happens.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

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
    # How the phrase was read, for the person checking it ("Giai đoạn 2024–2025: mỗi năm một
    # mốc ...", "Không ghi năm: lấy năm 2024 của kế hoạch.", "Ghi chú: báo cáo kết quả.").
    note: str | None = None
    # A recurring phrase's own report day ("trước ngày 30/6 hằng năm"), over the office's.
    report_days: dict[str, dict[str, int]] = field(default_factory=dict)
    # A date was completed with the plan's year (`context_year`).
    year_from_plan: bool = False

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
    text = text.replace("\u00a0", " ").replace("–", "-").replace("—", "-").replace("**", "")
    return re.sub(r"\s+", " ", text).strip(" .;,")


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower()


def _fold(text: str) -> str:
    """Accent-free lower case with the SAME length as `text`, so spans map back."""
    return "".join(_fold_char(c) for c in text)


# ---- grammars (on folded text) -------------------------------------------------------------

_DMY = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_LONG = r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})"
_DATE_PREFIX = (r"(?:(?:xong|hoan thanh|hoan thien|truoc|cham nhat|han|den het|het|den|trong|vao|la)\s+)*"
                r"(?:ngay\s+)?")
# Words before a month, a quarter or a half-year: "Xong trong", "Đến hết", "Cuối", "Chậm nhất".
_PERIOD_PREFIX = r"(?:(?:xong|hoan thanh|trong|truoc|cuoi|den het|het|den|vao|cham nhat)\s+)*"
# Before a year "trước" is left out on purpose: "trước năm 2025" may mean by the end of 2024.
_YEAR_PREFIX = r"(?:(?:xong|hoan thanh|trong|ca|cuoi|den het|het|den)\s+)*"
_YEAR_SUFFIX = r"(?:\s*(?:/|-|nam)\s*(\d{4}))"
RE_DATE = re.compile(rf"^{_DATE_PREFIX}(?:{_DMY}|{_LONG})\.?$")
RE_DAY_MONTH = re.compile(rf"^{_DATE_PREFIX}(?:(\d{{1,2}})\s*/\s*(\d{{1,2}})|ngay (\d{{1,2}}) thang (\d{{1,2}}))\.?$")
RE_MONTH = re.compile(rf"^{_PERIOD_PREFIX}thang (\d{{1,2}}){_YEAR_SUFFIX}?\.?$")
RE_QUARTER = re.compile(rf"^{_PERIOD_PREFIX}quy (iv|iii|ii|i|[1-4])\b{_YEAR_SUFFIX}?\.?$")
RE_HALF = re.compile(rf"^{_PERIOD_PREFIX}(?:(?:6|06|sau) thang|nua) (dau|cuoi) nam(?:\s*(?:/|-)?\s*(\d{{4}}))?\.?$")
RE_YEAR = re.compile(rf"^{_YEAR_PREFIX}nam (\d{{4}})\.?$")
# "Trong năm", "Hết năm", "Cuối năm": the plan's year (a prefix is required: "Năm" alone says nothing).
RE_THIS_YEAR = re.compile(r"^(?:(?:xong|hoan thanh|trong|ca|cuoi|den het|het|den)\s+)+nam\.?$")
RE_YEAR_RANGE = re.compile(r"^(?:(?:xong|hoan thanh|trong|thuc hien|ca)\s+)*(?:giai doan\s+)?(?:tu\s+)?"
                           r"(?:(?:cac )?nam\s+)?(\d{4})\s*(?:-|den|toi)\s*(?:nam\s+)?(\d{4})\.?$")
RE_RECURRING = re.compile(r"^(?:dinh ky\s+)?hang (thang|quy|nam)((?:\s*(?:,|va|/|-)\s*(?:hang\s+)?(?:thang|quy|nam))*)\.?$")
# A recurrence with its own report day, the day before or after the period word:
# "Trước ngày 30/6 hằng năm", "Tháng 10 hàng năm", "Hằng năm, trước ngày 30/6",
# "Trước ngày 25 hằng tháng", "Trước ngày 15 của tháng cuối mỗi quý".
_REC_WORD_RE = r"(?:dinh ky\s+)?(?:hang|moi) (thang|quy|nam)"
RE_REC_BEFORE = re.compile(rf"^{_REC_WORD_RE}\s*,?\s*(.+?)\.?$")
RE_REC_AFTER = re.compile(rf"^(.+?)\s*,?\s*(?:cua\s+)?{_REC_WORD_RE}\.?$")
_WHEN = r"(?:(?:xong|hoan thanh|truoc|cham nhat|han|vao|trong|den het|het|den|cuoi|la)\s+)*"
RE_REC_DAY_MONTH = re.compile(rf"^{_WHEN}(?:ngay\s+)?(?:(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})|(\d{{1,2}}) thang (\d{{1,2}}))$")
RE_REC_MONTH = re.compile(rf"^{_WHEN}thang (\d{{1,2}})$")
RE_REC_QUARTER = re.compile(rf"^{_WHEN}quy (iv|iii|ii|i|[1-4])$")
RE_REC_DAY = re.compile(rf"^{_WHEN}ngay (\d{{1,2}})$")
RE_REC_QUARTER_DAY = re.compile(rf"^{_WHEN}ngay (\d{{1,2}}) (?:cua )?thang (cuoi|dau)(?: (?:cua )?(?:moi )?quy)?$")
RE_CONTINUOUS = re.compile(r"^(thuong xuyen|lien tuc|hang ngay)(?:\s*,?\s*lien tuc)?\.?$")
RE_EVENT = re.compile(r"^(ngay\s+)?(sau khi|khi|ngay khi|theo)\b")
RE_PART_LABEL = re.compile(r"^(.{1,40}?)\s*:\s*(.+)$")
# "lần 1 trước ngày 31/12/2023" (seed 003 writes the rounds without a colon).
RE_ROUND_LABEL = re.compile(r"^((?:lan|dot|buoc|giai doan) \d{1,2})\s+(.+)$")
_REC_WORD = {"thang": "monthly", "quy": "quarterly", "nam": "yearly"}

MISSING_YEAR = "Thiếu năm; cần xác định năm của kế hoạch."
UNKNOWN = "Không nhận dạng được thời hạn; cần nhập ngày."
MAX_RANGE_YEARS = 10


@dataclass(frozen=True)
class _One:
    """One due date read from a phrase; `unit` says what the phrase named (for labels)."""
    kind: str           # "date" | "period"
    on: date
    unit: str           # "date" | "month" | "quarter" | "half" | "year"
    label: str
    year_given: bool


def _make_date(d: str, m: str, y: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _vn(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


class _Refused(Exception):
    """A phrase that fits a grammar but cannot be a date (31/02, tháng 13, no year)."""


def _one(folded: str, year: int | None) -> _One | None:
    """The single due date a whole phrase names; None when no grammar fits; _Refused when one
    fits but the date is impossible or the year is missing (and `year`, the plan's, unknown)."""
    def the_year(given: str | None) -> int:
        if given:
            return int(given)
        if year is None:
            raise _Refused(MISSING_YEAR)
        return year

    m = RE_DATE.match(folded)
    if m:
        g = m.groups()
        d = _make_date(*(g[0:3] if g[0] else g[3:6]))
        if d is None:
            raise _Refused("Ngày không hợp lệ.")
        return _One("date", d, "date", _vn(d), True)
    m = RE_DAY_MONTH.match(folded)
    if m:
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        y = the_year(None)
        d = _make_date(day, month, str(y))
        if d is None:
            raise _Refused("Ngày không hợp lệ.")
        return _One("date", d, "date", _vn(d), False)
    m = RE_MONTH.match(folded)
    if m:
        month = int(m.group(1))
        if not 1 <= month <= 12:
            raise _Refused("Tháng không hợp lệ.")
        y = the_year(m.group(2))
        return _One("period", _month_end(y, month), "month", f"Tháng {month:02d}/{y}", bool(m.group(2)))
    m = RE_QUARTER.match(folded)
    if m:
        q, y = ROMAN[m.group(1)], the_year(m.group(2))
        return _One("period", _month_end(y, q * 3), "quarter", f"Quý {ROMAN_OUT[q]}/{y}", bool(m.group(2)))
    m = RE_HALF.match(folded)
    if m:
        first = m.group(1) == "dau"
        y = the_year(m.group(2))
        return _One("period", date(y, 6, 30) if first else date(y, 12, 31), "half",
                    f"6 tháng {'đầu' if first else 'cuối'} năm {y}", bool(m.group(2)))
    m = RE_YEAR.match(folded)
    if m:
        y = int(m.group(1))
        return _One("period", date(y, 12, 31), "year", f"Năm {y}", True)
    if RE_THIS_YEAR.match(folded):
        y = the_year(None)
        return _One("period", date(y, 12, 31), "year", f"Năm {y}", False)
    return None


def _split_spans(folded: str, pattern: str) -> list[tuple[int, int]]:
    """Spans of the pieces between separators (same offsets in the clean and folded text)."""
    spans, pos = [], 0
    for m in re.finditer(pattern, folded):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(folded)))
    out = []
    for a, b in spans:
        piece = folded[a:b]
        lead = len(piece) - len(piece.lstrip(" ,.;-"))
        trail = len(piece) - len(piece.rstrip(" ,.;-"))
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return out


_PARTS = r";|(?:^|\s)-\s+|\n"        # "Lần 1: ...; Lần 2: ...", "- Cấp huyện: ... - Cấp tỉnh: ..."
_LIST = r"\s*,\s*|\s+va\s+|\s*&\s*"  # "Quý I, II năm 2024", "Tháng 6 và tháng 12/2024"
_BARE = re.compile(rf"^(?:\d{{1,2}}|iv|iii|ii|i){_YEAR_SUFFIX}?$")


def _several(clean: str, folded: str, pattern: str, year: int | None) -> DeadlineParse | None:
    """Several dated parts, each its own milestone. A part without a year takes the year of the
    next part that has one ("Trước ngày 15/6 và 15/12/2024"), else the plan's; the milestones
    must then come in order, or the reading is not safe. None when there is only one part."""
    spans = _split_spans(folded, pattern)
    if len(spans) < 2:
        return None
    parsed: list[tuple[str | None, str, str]] = []   # (label, clean phrase, folded phrase)
    unit_word = ""
    for a, b in spans:
        part, fpart = clean[a:b], folded[a:b]
        label = None
        lm = RE_PART_LABEL.match(part)
        rm = RE_ROUND_LABEL.match(fpart)
        if lm:
            label = lm.group(1).strip(" -")
            k = lm.start(2)
            part, fpart = part[k:], fpart[k:]
        elif rm:
            label = part[:rm.end(1)]
            label = label[:1].upper() + label[1:]
            k = rm.start(2)
            part, fpart = part[k:], fpart[k:]
        # "Tháng 3, 6, 9 năm 2024", "Quý I, II", "Năm 2024, 2025": a bare number continues the list.
        if unit_word and (_BARE.match(fpart) if unit_word != "nam " else re.match(r"^\d{4}$", fpart)):
            fpart = unit_word + fpart
        parsed.append((label, part, fpart))
        unit_word = next((w for w in ("thang ", "quy ", "nam ") if re.match(rf"^{_PERIOD_PREFIX}{w}", fpart)), "")
    ones: list[_One | None] = []
    for label, part, fpart in parsed:
        try:
            one = _one(fpart, None)
        except _Refused as e:
            if str(e) != MISSING_YEAR:
                return _unknown(f"Mốc “{part}”: {e}")
            one = None
        else:
            if one is None:
                return _unknown(f"Không hiểu mốc “{part}”.")
        ones.append(one)
    from_plan = False
    for i, one in enumerate(ones):
        if one is not None:
            continue
        later = next((o.on.year for o in ones[i + 1:] if o is not None and o.year_given), None)
        if later is None and year is None:
            return _unknown(f"Mốc “{parsed[i][1]}”: {MISSING_YEAR}")
        from_plan = from_plan or later is None
        ones[i] = _one(parsed[i][2], later if later is not None else year)
    if any(not o.year_given for o in ones) and any(a.on >= b.on for a, b in zip(ones, ones[1:])):
        return _unknown("Các mốc không ghi năm và không theo thứ tự; cần nhập ngày.")
    dues = [Due(o.on, label or (o.label if o.unit != "date" else f"Mốc {n}"))
            for n, ((label, _, _), o) in enumerate(zip(parsed, ones), start=1)]
    note = f"{len(dues)} mốc; hạn của nhiệm vụ là mốc cuối, {_vn(max(d.on for d in dues))}."
    if from_plan:
        note += f" Mốc không ghi năm lấy năm {year} của kế hoạch."
    return DeadlineParse(clean, "multi", dues, note=note, year_from_plan=from_plan)


def _year_range(folded: str) -> DeadlineParse | None:
    """"Năm 2024 - 2025", "Giai đoạn 2021-2025": one milestone at the end of each year; the
    task is due at the end of the range."""
    m = RE_YEAR_RANGE.match(folded)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if not a < b <= a + MAX_RANGE_YEARS:
        return _unknown(f"Giai đoạn {a}–{b} không hợp lệ; cần nhập ngày.")
    dues = [Due(date(y, 12, 31), f"Năm {y}") for y in range(a, b + 1)]
    return DeadlineParse(folded, "multi", dues,
                         note=f"Giai đoạn {a}–{b}: mỗi năm một mốc (31/12); hạn của nhiệm vụ là cuối giai đoạn, 31/12/{b}.")


RE_FROM_TO = re.compile(r"^(?:(?:xong|hoan thanh|trong|thuc hien)\s+)*tu\s+(.+?)\s*(?:\bden\b|\btoi\b|-)\s*(.+?)\.?$")


def _from_to(folded: str, year: int | None) -> DeadlineParse | None:
    """"Từ tháng 3 đến tháng 6/2024", "Từ ngày 01/3 - 30/6/2024": due at the end of the span
    (its start, without a year, takes the end's year)."""
    m = RE_FROM_TO.match(folded)
    if not m:
        return None
    try:
        end = _one(m.group(2), year)
        if end is None:
            return None
        begin = _one(m.group(1), end.on.year)
    except _Refused as e:
        return _unknown(str(e))
    if begin is None:
        return None
    if begin.on >= end.on:
        return _unknown("Thời gian bắt đầu không trước thời gian kết thúc; cần nhập ngày.")
    note = f"Từ {begin.label[:1].lower()}{begin.label[1:]} đến {end.label[:1].lower()}{end.label[1:]}: hạn là {_vn(end.on)}."
    if not end.year_given:
        note += f" Không ghi năm: lấy năm {year} của kế hoạch."
    return DeadlineParse(folded, end.kind, [Due(end.on)], note=note, year_from_plan=not end.year_given)


def _recurring_with_day(folded: str) -> DeadlineParse | None:
    """A yearly, monthly or quarterly recurrence whose phrase names its own report day: that
    day replaces the office's configured one for this task."""
    m = RE_REC_BEFORE.match(folded)
    rec_word, rest = (m.group(1), m.group(2)) if m else (None, None)
    if not m:
        m = RE_REC_AFTER.match(folded)
        if not m:
            return None
        rest, rec_word = m.group(1), m.group(2)
    rec = _REC_WORD[rec_word]
    rules: dict[str, int] | None = None
    if rec == "yearly":
        dm, mo, qm = RE_REC_DAY_MONTH.match(rest), RE_REC_MONTH.match(rest), RE_REC_QUARTER.match(rest)
        if dm:
            day, month = (int(dm.group(1)), int(dm.group(2))) if dm.group(1) else (int(dm.group(3)), int(dm.group(4)))
            if _make_date(str(day), str(month), "2024") is None:  # a leap year: 29/02 is a day
                return _unknown("Ngày không hợp lệ.")
            rules, note = {"month": month, "day": day}, f"Mỗi năm một lượt, hạn ngày {day:02d}/{month:02d}."
        elif mo:
            month = int(mo.group(1))
            if not 1 <= month <= 12:
                return _unknown("Tháng không hợp lệ.")
            rules, note = {"month": month, "day": 31}, f"Mỗi năm một lượt, hạn cuối tháng {month:02d}."
        elif qm:
            q = ROMAN[qm.group(1)]
            rules, note = {"month": q * 3, "day": 31}, f"Mỗi năm một lượt, hạn cuối quý {ROMAN_OUT[q]}."
    elif rec == "monthly":
        dd = RE_REC_DAY.match(rest)
        if dd:
            day = int(dd.group(1))
            if not 1 <= day <= 31:
                return _unknown("Ngày không hợp lệ.")
            rules, note = {"day": day}, f"Mỗi tháng một lượt, hạn ngày {day:02d} (ngày cuối tháng nếu tháng ngắn hơn)."
    else:
        qd = RE_REC_QUARTER_DAY.match(rest)
        if qd:
            day, which = int(qd.group(1)), qd.group(2)
            if not 1 <= day <= 31:
                return _unknown("Ngày không hợp lệ.")
            rules = {"month_of_quarter": 3 if which == "cuoi" else 1, "day": day}
            note = f"Mỗi quý một lượt, hạn ngày {day:02d} của tháng {'cuối' if which == 'cuoi' else 'đầu'} quý."
    if rules is None:
        return None
    return DeadlineParse(folded, "recurring", recurrence=(rec,), note=note, report_days={rec: rules})


def _unknown(reason: str) -> DeadlineParse:
    return DeadlineParse("", "unknown", needs_date=True, reason=reason)


# A note in brackets that speaks of time ("(trước ngày 15/9)", "(báo cáo 6 tháng)", "(lần 1)")
# might change the date: it is never just dropped.
RE_TIMED_NOTE = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}|\b(?:19|20)\d{2}\b|\d+\s+(?:ngay|tuan|thang|quy|nam)\b"
    r"|\b(?:ngay|tuan|thang|quy|nam)\s+(?:\d|[ivx]+\b|dau|cuoi|nay|sau|toi)"
    r"|\b(?:hang|moi|dinh ky|truoc|sau|den|het|cham nhat|han|tu|lan|dot|tre nhat|som nhat)\b")


def _split_notes(clean: str) -> tuple[str, list[str]]:
    """"Trước ngày 30/9/2024 (báo cáo kết quả)" -> ("Trước ngày 30/9/2024", ["báo cáo kết quả"])."""
    notes: list[str] = []
    main = clean
    while True:
        m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*[.;,]?$", main)
        if m and m.group(1):
            notes.insert(0, m.group(2).strip())
            main = m.group(1).rstrip(" ,;:-")
            continue
        m = re.match(r"^\(([^()]*)\)\s*[.;,:-]?\s*(.+)$", main)
        if m:
            notes.append(m.group(1).strip())
            main = m.group(2)
            continue
        return main, [n for n in notes if n]


# "Thời gian gửi kết quả: Lần 1 trước ngày 25/11/2023; ..." (seed 003): the lead-in says nothing.
RE_LEAD_IN = re.compile(r"^(?:thoi gian|thoi han|han)\b[^:;]{0,40}:\s*(?=\S)")


def _parse(clean: str, year: int | None) -> DeadlineParse:
    lead_in = RE_LEAD_IN.match(_fold(clean))
    if lead_in:
        clean = clean[lead_in.end():]
    folded = _fold(clean)
    try:
        one = _one(folded, year)
    except _Refused as e:
        return _unknown(str(e))
    if one is not None:
        note = None if one.year_given else f"Không ghi năm: lấy năm {year} của kế hoạch."
        return DeadlineParse(clean, one.kind, [Due(one.on)], note=note, year_from_plan=not one.year_given)

    for grammar in (_year_range, _recurring_with_day, lambda f: _from_to(f, year)):
        p = grammar(folded)
        if p is not None:
            return p

    m = RE_RECURRING.match(folded)
    if m:
        words = [m.group(1)] + re.findall(r"thang|quy|nam", m.group(2) or "")
        rec = tuple(dict.fromkeys(_REC_WORD[w] for w in words))
        order = ("monthly", "quarterly", "yearly")
        return DeadlineParse(clean, "recurring", recurrence=tuple(r for r in order if r in rec))

    if RE_CONTINUOUS.match(folded):
        return DeadlineParse(clean, "continuous")

    if RE_EVENT.match(folded):
        return DeadlineParse(clean, "event", needs_date=True,
                             reason="Thời hạn phụ thuộc một sự kiện; cần đặt ngày khi sự kiện xảy ra.")

    for pattern in (_PARTS, _LIST):
        p = _several(clean, folded, pattern, year)
        if p is not None:
            return p
    return _unknown(UNKNOWN)


def parse_deadline(text: str | None, context_year: int | None = None) -> DeadlineParse:
    """The due date(s) of a deadline phrase. `context_year` is the plan's year, used only for
    parts written without one ("Trước ngày 10/11", "Hết quý III"); the result says so."""
    original = (text or "").strip()
    clean = _clean(original)
    if not clean:
        return DeadlineParse(original, "unknown", needs_date=True, reason="Chưa ghi thời hạn.")
    main, notes = _split_notes(clean)
    if not notes:
        p = _parse(clean, context_year)
    elif not main:
        p = _unknown(UNKNOWN)
    elif any(RE_TIMED_NOTE.search(_fold(n)) for n in notes):
        # "Hằng năm (trước ngày 30/6)" reads as "Hằng năm, trước ngày 30/6": the bracket names
        # the report day. Any other bracket about time may change the date: a person sets it.
        p = _parse(", ".join([main, *notes]), context_year)
        if p.kind != "recurring":
            p = _parse(main, context_year)
            if p.kind == "event":
                p.note = "Ghi chú: " + "; ".join(notes) + "."
            else:
                timed = next(n for n in notes if RE_TIMED_NOTE.search(_fold(n)))
                p = _unknown(f"Ghi chú trong ngoặc “{timed}” nói về thời gian; cần nhập ngày.")
    else:
        p = _parse(main, context_year)
        if p.kind != "unknown":
            extra = "Ghi chú: " + "; ".join(notes) + "."
            p.note = f"{p.note} {extra}" if p.note else extra
    p.text = original
    return p


# ---- a task's due date from its words and the date typed beside them ----------------------

# Kinds whose task needs no date of its own: the work goes on, or each period instance has one.
NO_OWN_DATE = frozenset({"continuous", "recurring"})


@dataclass(frozen=True)
class ResolvedDue:
    due_on: date | None
    parse: DeadlineParse
    error: str | None = None    # the typed date contradicts the words: shown at the date field
    note: str | None = None     # why the task stays without a due date

    @property
    def undated(self) -> bool:
        return self.due_on is None and self.parse.kind not in NO_OWN_DATE


def needs_due_date(due_text: str | None, due_on: date | None) -> bool:
    """A task without a due date whose words do not excuse it (not "Thường xuyên", not a
    recurring parent whose instances are dated): a plan should not be issued with it unseen."""
    return due_on is None and parse_deadline(due_text).kind not in NO_OWN_DATE


def resolve_due(due_text: str | None, typed_on: date | None, context_year: int | None = None,
                previous_text: str | None = None, previous_on: date | None = None) -> ResolvedDue:
    """The due date of a task added or edited by hand, computed as the importer does.

    The words' date is used when no date is typed, or when the typed date is only the one the
    previous words gave (an edit that changed the words alone). A typed date is kept for words
    without a date (an event, an unknown phrase); one that contradicts the words' date is an
    error, never a silent choice between two dates."""
    text = (due_text or "").strip()
    parsed = parse_deadline(text, context_year)
    words_on = parsed.due_on
    stale = (typed_on is not None and typed_on == previous_on and text != (previous_text or "").strip()
             and parse_deadline(previous_text, context_year).due_on == previous_on)
    if typed_on is None or stale:
        on = words_on
    elif words_on is not None and typed_on != words_on:
        return ResolvedDue(typed_on, parsed, error=(
            f"Khác với thời gian thực hiện “{text}” (hạn {words_on:%d/%m/%Y}): sửa ngày hoặc "
            "thời gian thực hiện, hoặc để trống ngày."))
    else:
        on = typed_on
    note = None
    if on is None and parsed.kind not in NO_OWN_DATE:
        note = parsed.reason or "Chưa có hạn hoàn thành."
    return ResolvedDue(on, parsed, note=note)


# ---- recurring periods ---------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodInstance:
    recurrence: str
    label: str      # "Tháng 03/2022", "Quý I/2022", "Năm 2022"
    due_on: date


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
    """Every period instance whose report day falls in [start, until], oldest first."""
    out: list[PeriodInstance] = []
    for year in range(start.year, until.year + 1):
        for rec in recurrence:
            if rec == "monthly":
                items = [(f"Tháng {m:02d}/{year}", report_due(rec, year, m, rules)) for m in range(1, 13)]
            elif rec == "quarterly":
                items = [(f"Quý {ROMAN_OUT[q]}/{year}", report_due(rec, year, q, rules)) for q in range(1, 5)]
            elif rec == "yearly":
                items = [(f"Năm {year}", report_due(rec, year, 0, rules))]
            else:
                continue
            out.extend(PeriodInstance(rec, label, d) for label, d in items if start <= d <= until)
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
