"""A plan's appendix table (rows of cells from a paste, a DOCX or an XLSX) turned into section
headings and tasks, and unit names matched to the unit list. Pure: no Flask, no database.

Tables in the seeds are split over pages: a task's cells continue on the next row with no
number (seed 004: "... “5 tại chỗ” tại" / "Trung tâm Phục vụ hành chính công tỉnh", "Các phòng
chuyên môn thuộc" / "Sở"); such rows are merged into the task above, cell by cell.

Tables as clerks make them: the numbering row under the header ("(1) (2) ... (6)") is skipped;
a section heading in one cell (a row merged across the table) is a group of its own, so two
headings in a row stay two groups; a cell merged down (one deadline for a block of tasks)
belongs to each task it covers; Excel date cells read as the clerk sees them (dd/mm/yyyy).
"""
from __future__ import annotations

import bisect
import csv
import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from rapidfuzz import fuzz as rf_fuzz
from rapidfuzz import process as rf_process

from app.domain.text import fold

COLUMNS = ("stt", "group", "content", "due", "lead", "coop", "product", "note")
COLUMN_LABELS = {
    "stt": "STT", "group": "Nội dung (nhóm)", "content": "Nội dung nhiệm vụ",
    "due": "Thời gian thực hiện", "lead": "Đơn vị chủ trì", "coop": "Đơn vị phối hợp",
    "product": "Kết quả / Sản phẩm", "note": "Ghi chú",
}


class TableError(ValueError):
    """The table cannot be read; the message is shown to the user."""


# ---- raw text -> rows ----------------------------------------------------------------------

def _clean_cell(text: str | None) -> str:
    text = re.sub(r"<[^>]+>", "", str(text or ""))
    text = text.replace("**", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


class MergedDown(str):
    """A DOCX cell merged down from the row above (one deadline or lead unit written once for
    several tasks): it holds the same text, which belongs to each row it covers, except in the
    number, task and section columns, where it says nothing new."""


# ---- Excel cells as the clerk sees them -------------------------------------------------------

_FMT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|(\[[^\]]*\])|([_*].)|(.)', re.S)


def _date_words(d: date, number_format: str | None) -> str:
    """A date cell in the words its number format shows, the Vietnamese way: a day shown ->
    dd/mm/yyyy; only month and year -> "Tháng mm/yyyy"; only a year -> "Năm yyyy". Literal
    text of the format ('"Trước ngày "dd/mm/yyyy') is kept around it."""
    fmt = (number_format or "").split(";")[0]
    pieces: list[tuple[bool, str]] = []      # (is literal text, text)
    for quoted, escaped, _bracket, _pad, char in _FMT_TOKEN.findall(fmt):
        if quoted or escaped:
            pieces.append((True, quoted or escaped))
        elif char:
            pieces.append((False, char))
    codes = "".join(t for lit, t in pieces if not lit).lower()
    codes = re.sub(r"general|am/pm|a/p|[hs]+(?::?m+)?|:m+", "", codes)
    first = next((i for i, (lit, t) in enumerate(pieces) if not lit and t.lower() in "dmy"), None)
    last = next((i for i in range(len(pieces) - 1, -1, -1) if not pieces[i][0] and pieces[i][1].lower() in "dmy"),
                None)
    prefix = "".join(t for i, (lit, t) in enumerate(pieces) if lit and (first is None or i < first))
    suffix = "".join(t for i, (lit, t) in enumerate(pieces) if lit and last is not None and i > last)
    if "d" in codes or not ("m" in codes or "y" in codes):
        core = f"{d.day:02d}/{d.month:02d}/{d.year}"
    elif "m" in codes:
        core = f"Tháng {d.month:02d}/{d.year}"
    else:
        core = f"Năm {d.year}"
    return re.sub(r"\s+", " ", f"{prefix}{core}{suffix}").strip()


def excel_cell_text(value, number_format: str | None = None) -> str:
    """The text of an XLSX cell: a real Excel date (not "2024-09-30 00:00:00") as the clerk
    reads it, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return _date_words(value, number_format)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_from_text(text: str) -> list[list[str]]:
    """Tab-separated rows (pasted from Word/Excel) or markdown-style pipe tables."""
    lines = [ln for ln in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    pipe = [ln for ln in lines if ln.strip().startswith("|")]
    tabbed = [ln for ln in lines if "\t" in ln]
    rows: list[list[str]] = []
    if len(pipe) >= len(tabbed) and pipe:
        for ln in pipe:
            s = ln.strip()
            if re.fullmatch(r"\|?[\s:|-]+\|?", s):
                continue  # |---|---|
            cells = s.strip("|").split("|")
            rows.append([_clean_cell(c) for c in cells])
    else:
        reader = csv.reader(io.StringIO("\n".join(_with_headings(lines))), delimiter="\t")
        rows = [[_clean_cell(c) for c in r] for r in reader]
    return [r for r in rows if any(r)]


def _with_headings(lines: list[str]) -> list[str]:
    """The tabbed lines, and the section headings among them: a row merged over a Word table
    is one cell, pasted without a tab ("I. CÔNG TÁC CHỈ ĐẠO"). Other lines without a tab (a
    title above, "Nơi nhận" below, a cell's second paragraph) are not rows."""
    tabbed = [i for i, ln in enumerate(lines) if "\t" in ln]
    if not tabbed:
        return []
    out = []
    for i in range(tabbed[0], tabbed[-1] + 1):
        ln = lines[i]
        if "\t" in ln:
            out.append(ln)
        else:
            head = _one_cell_heading(_clean_cell(ln))
            if head and (RE_ROMAN.match(head[0]) or head[1][:1].isupper()) and len(ln) <= 300:
                out.append(ln)
    return out


# ---- header ---------------------------------------------------------------------------------

def _column_of(header: str) -> str | None:
    h = fold(header)
    if h in ("stt", "tt", "so tt", "so thu tu"):
        return "stt"
    if "thoi gian" in h or "thoi han" in h or "tien do" in h:
        return "due"
    if "chu tri" in h:
        return "lead"
    if "phoi hop" in h:
        return "coop"
    if "ket qua" in h or "san pham" in h:
        return "product"
    if "ghi chu" in h:
        return "note"
    if "nhiem vu" in h or "noi dung" in h:
        return "content"
    return None


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """(row index, column name -> cell index). "Nội dung" beside "Nhiệm vụ" is the group column."""
    for i, row in enumerate(rows[:30]):
        cols: dict[str, int] = {}
        content_cells = []
        for j, cell in enumerate(row):
            name = _column_of(cell)
            if name == "content":
                content_cells.append(j)
            elif name and name not in cols:
                cols[name] = j
        if content_cells and ("due" in cols or "lead" in cols):
            if len(content_cells) > 1:
                # seed 004: "Nội dung" (section) | "Nhiệm vụ" (task)
                task_col = next((j for j in content_cells if "nhiem vu" in fold(row[j])
                                 and fold(row[j]) != "noi dung"), content_cells[-1])
                cols["content"] = task_col
                cols["group"] = next(j for j in content_cells if j != task_col)
            else:
                cols["content"] = content_cells[0]
            return i, cols
    raise TableError("Không tìm thấy dòng tiêu đề của bảng (cần các cột như: Nội dung nhiệm vụ, "
                     "Thời gian thực hiện, Đơn vị chủ trì, Đơn vị phối hợp).")


def _sub_header(row: list[str], cols: dict[str, int]) -> dict[str, int] | None:
    """A second header row under a cell spanning it ("Đơn vị thực hiện" over "Chủ trì" |
    "Phối hợp", "Thời gian" over "Bắt đầu" | "Kết thúc"): the columns it names; None when
    the row is anything else."""
    found: dict[str, int] = {}
    for j, cell in enumerate(row):
        if not cell or isinstance(cell, MergedDown):
            continue
        f = fold(cell)
        if re.search(r"\bbat dau\b|\btu ngay\b", f):
            continue
        name = "due" if re.search(r"\bket thuc\b|\bhoan thanh\b|\bden ngay\b", f) else _column_of(cell)
        if name is None or name in ("stt", "content"):
            return None
        found[name] = j
    return found if any(n not in cols or n == "due" for n in found) else None


# ---- rows -> groups and tasks ----------------------------------------------------------------

RE_ROMAN = re.compile(r"^[IVX]+\.?$")
RE_LETTER = re.compile(r"^[A-ZĐ]\.?$")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}


def _roman_value(s: str) -> int:
    s = s.rstrip(".")
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN_DIGITS[ch]
        total += -v if i + 1 < len(s) and _ROMAN_DIGITS[s[i + 1]] > v else v
    return total


def _heading_level(stt: str, last_roman: int) -> str | None:
    """'top' for the next Roman numeral (I, II, III ...), 'sub' for a letter (A, B, C ...).
    "I", "V", "X" are letters too: they are sections only as the next numeral."""
    if RE_ROMAN.match(stt) and _roman_value(stt) == last_roman + 1:
        return "top"
    if RE_LETTER.match(stt):
        return "sub"
    if RE_ROMAN.match(stt) and len(stt.rstrip(".")) > 1:
        return "top"
    return None


RE_ONE_CELL_HEAD = re.compile(r"^([IVX]+|[A-ZĐ])(\s*[.):-]\s*|\s+)(\S.*)$")


def _one_cell_heading(text: str) -> tuple[str, str] | None:
    """A heading written in one cell, as a row merged over the table arrives: "I. CÔNG TÁC",
    "II.CẢI CÁCH", "II - Cải cách", "III) ...", "Phần IV. ..." -> (numeral, title). A bare
    space after the numeral counts only for a numeral of several letters and a capital after it."""
    if fold(text).startswith(("phan ", "muc ")):
        text = text.split(" ", 1)[1].lstrip()
    m = RE_ONE_CELL_HEAD.match(text)
    if not m:
        return None
    marker, sep, title = m.groups()
    if not sep.strip() and (len(marker) < 2 or not RE_ROMAN.match(marker) or not title[:1].isupper()):
        return None
    return marker, title


RE_NUMBER_MARK = re.compile(r"\(?(\d{1,2}|[A-ZĐ])\)?")


def _is_numbering_row(row: list[str]) -> bool:
    """The row official tables carry under the header: "(1) (2) (3) ... (6)", "1 2 3 4 5 6",
    "A B 1 2 3 4" — column numbers, not a task."""
    text = re.sub(r"\(\s*(\w{1,2})\s*\)", r"(\1)", " ".join(c for c in row if c))
    tokens = text.split()
    if len(tokens) < 3:
        return False
    letters: list[str] = []
    numbers: list[int] = []
    for tok in tokens:
        m = RE_NUMBER_MARK.fullmatch(tok)
        if not m:
            return False
        if m.group(1).isdigit():
            numbers.append(int(m.group(1)))
        elif numbers:
            return False
        else:
            letters.append(m.group(1))
    return (letters == [chr(ord("A") + i) for i in range(len(letters))]
            and len(numbers) >= 2 and numbers[0] in (0, 1)
            and numbers == list(range(numbers[0], numbers[0] + len(numbers))))
RE_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)[.)]?\s+(.+)$")
RE_GROUP_HEAD = re.compile(r"^((?:[IVXLC]+|[A-ZĐ]|\d+)\.)\s+(.+)$")


@dataclass
class PlanRow:
    stt: str = ""
    group_label: str = ""
    content: str = ""
    due: str = ""
    lead: str = ""
    coop: str = ""
    product: str = ""
    note: str = ""

    def merge(self, other: dict[str, str]) -> None:
        for name, value in other.items():
            if value and hasattr(self, name) and name not in ("stt", "group_label"):
                setattr(self, name, f"{getattr(self, name)} {value}".strip())


@dataclass
class ParsedTable:
    tasks: list[PlanRow]
    groups: list[str]
    columns: dict[str, int]


def _cells(row: list[str], cols: dict[str, int]) -> tuple[dict[str, str], set[str]]:
    """The row's cells by column name, and the names of those merged down from the row above
    (empty in the number, task and section columns)."""
    cells, merged = {}, set()
    for name, j in cols.items():
        v = row[j] if j < len(row) else ""
        if isinstance(v, MergedDown):
            merged.add(name)
            v = "" if name in ("stt", "content", "group") else str(v)
        cells[name] = v
    return cells, merged


def parse_table(rows: list[list[str]]) -> ParsedTable:
    start, cols = find_header(rows)
    headers = [[fold(c) for c in rows[start]]]
    extra = _sub_header(rows[start + 1], cols) if start + 1 < len(rows) else None
    if extra:
        cols.update(extra)
        start += 1
        headers.append([fold(c) for c in rows[start]])
    tasks: list[PlanRow] = []
    groups: list[str] = []
    top, sub = "", ""
    last_roman = 0
    current: PlanRow | None = None

    def label() -> str:
        return " / ".join(x for x in (top, sub) if x)

    for row in rows[start + 1:]:
        if [fold(c) for c in row] in headers:
            continue  # header repeated on the next page
        if _is_numbering_row(row):
            continue
        c, merged = _cells(row, cols)
        stt, content, group = c.get("stt", ""), c.get("content", ""), c.get("group", "")
        others = [v for k, v in c.items() if k not in ("stt", "content", "group") and v and k not in merged]

        # A group column (seed 004): "I. Cải cách thể chế", continued on the next page. A cell
        # that does not start with a numeral is a continuation only beside a task's
        # continuation: beside a new numbered task (or none) it is a section of its own.
        if group:
            head = _one_cell_heading(group)
            if head and RE_ROMAN.match(head[0]):
                last_roman = _roman_value(head[0])
                group = f"{head[0]}. {head[1]}"
            if head or RE_GROUP_HEAD.match(group) or not groups or (content and RE_NUMBERED.match(content)):
                top, sub = group, ""
                groups.append(label())
            else:
                old = label()
                top = f"{top} {group}".strip()
                groups[-1] = label()
                for t in tasks:
                    if t.group_label == old:
                        t.group_label = label()

        # A heading row: "I | Tham mưu ..." (section) / "A | Công tác ..." (sub-section).
        level = _heading_level(stt, last_roman) if content and not others else None
        if level:
            head = f"{stt.rstrip('.')}. {content}"
            if level == "top":
                top, sub = head, ""
                last_roman = _roman_value(stt)
            else:
                sub = head
            groups.append(label())
            current = None
            continue
        # A heading in one cell (a row merged over the table, or typed in the task column):
        # "I. CÔNG TÁC CHỈ ĐẠO" then "II. CẢI CÁCH TTHC" are two sections, not one label.
        alone = stt if stt and not content else content if content and not stt else ""
        head = _one_cell_heading(alone) if alone and not others and not group else None
        level = _heading_level(head[0], last_roman) if head else None
        if level:
            text = f"{head[0]}. {head[1]}"
            if level == "top":
                top, sub = text, ""
                last_roman = _roman_value(head[0])
            else:
                sub = text
            groups.append(label())
            current = None
            continue
        if not others and not content and stt and RE_GROUP_HEAD.match(stt):
            top, sub = stt, ""
            groups.append(label())
            current = None
            continue
        if not content and not others and not stt:
            continue

        numbered = RE_NUMBERED.match(content) if content else None
        if "stt" in cols:
            is_task = bool(stt)
        else:
            is_task = bool(numbered) or bool(c.get("due") and "due" not in merged) or current is None
        if not is_task:
            if current is not None:
                current.merge({k: v for k, v in c.items() if k not in ("stt", "group") and k not in merged})
            continue
        if not stt and numbered:
            stt, content = numbered.group(1), numbered.group(2)
        current = PlanRow(stt=stt, group_label=label(), content=content, due=c.get("due", ""),
                          lead=c.get("lead", ""), coop=c.get("coop", ""),
                          product=c.get("product", ""), note=c.get("note", ""))
        tasks.append(current)
    if not tasks:
        raise TableError("Bảng không có dòng nhiệm vụ nào.")
    return ParsedTable(tasks, groups, cols)


# ---- unit names -> units ---------------------------------------------------------------------

@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    kind: str
    code: str = ""


@dataclass
class CellMatch:
    unit_ids: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    collectives: list[str] = field(default_factory=list)
    first_is_collective: bool = False
    first_collective_size: int = 0


def _norm(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()
    s = re.sub(r"^(phong|cac phong) ", "", s)
    s = re.sub(r" (thuoc so|truc thuoc so|so)$", "", s)
    return s


def _collective_kinds(part: str) -> tuple[str, ...]:
    f = fold(part)
    kinds: list[str] = []
    if re.search(r"\bcac phong\b|\bphong chuyen mon\b|\bcac co quan chuyen mon\b|\bcac so\b", f):
        kinds.append("division")
    if re.search(r"\bdon vi\b", f) and not re.search(r"\bdon vi (hanh chinh)\b", f):
        kinds.append("affiliate")
    if re.search(r"\bcap huyen\b|\bcac huyen\b|\bcap xa\b|\bcac xa\b", f):
        kinds.append("local")
    return tuple(kinds)


class UnitIndex:
    """The units a table is matched against, indexed once per import: normalised names
    (exact and prefix lookups by dictionary and bisection), codes, and the names for
    rapidfuzz. Matching 2 000 rows against 600 units no longer re-normalises every unit name
    and runs difflib against each for every cell (issue 16, item 6)."""

    def __init__(self, units: Iterable[UnitRef]):
        self.units = list(units)
        self.norms = [_norm(u.name) for u in self.units]
        self.exact: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        for pos, (u, n) in enumerate(zip(self.units, self.norms)):
            self.exact.setdefault(n, pos)
            self.codes.setdefault(fold(u.code), pos)
        self.sorted = sorted((n, pos) for pos, n in enumerate(self.norms))
        self.keys = [n for n, _ in self.sorted]
        self.by_kind: dict[str, list[UnitRef]] = {}
        for u in self.units:
            self.by_kind.setdefault(u.kind, []).append(u)
        self._cache: dict[str, UnitRef | None] = {}

    def __iter__(self):
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def match(self, name: str) -> UnitRef | None:
        if name not in self._cache:
            self._cache[name] = self._match(name)
        return self._cache[name]

    def _match(self, name: str) -> UnitRef | None:
        n = _norm(name)
        if not n:
            return None
        hits = [p for p in (self.exact.get(n), self.codes.get(fold(name))) if p is not None]
        if hits:
            return self.units[min(hits)]  # the first unit in order, as a scan would find
        lo = bisect.bisect_left(self.keys, n + " ")
        hi = bisect.bisect_left(self.keys, n + "!")  # "!" sorts right after " "
        if hi - lo == 1:
            return self.units[self.sorted[lo][1]]
        # A close spelling: difflib's ratio >= 0.88 and 0.05 ahead of the next. rapidfuzz's
        # ratio (longest common subsequence) is never below difflib's (its matching blocks are
        # a common subsequence), so the units it scores under 0.83 cannot be the best nor come
        # within 0.05 of it: difflib, for identical results, runs only on the few left.
        near = rf_process.extract(n, self.norms, scorer=rf_fuzz.ratio, processor=None,
                                  score_cutoff=82.999, limit=None)  # best first
        scored: list[tuple[float, int, int]] = []
        for _, rf, pos in near:
            if scored and rf / 100 < max(s[0] for s in scored) - 0.05 - 1e-9:
                break  # this one and the rest score below the best by more than 0.05
            scored.append((difflib.SequenceMatcher(None, n, self.norms[pos]).ratio(), self.units[pos].id, pos))
        scored.sort(reverse=True)
        if scored and scored[0][0] >= 0.88 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
            return self.units[scored[0][2]]
        return None


def _index(units: Iterable[UnitRef] | UnitIndex) -> UnitIndex:
    return units if isinstance(units, UnitIndex) else UnitIndex(units)


def match_unit(name: str, units: Iterable[UnitRef] | UnitIndex) -> UnitRef | None:
    """One unit by name: exact (accent-insensitive), the name's start, its code, or a close
    spelling. None when nothing or more than one unit fits. Pass a UnitIndex when matching
    many names against the same units."""
    return _index(units).match(name)


_SEP = re.compile(r"\s*(?:,|;|\+|\bvà\b|\n|(?:^|\s)-\s)\s*")


def match_cell(text: str, units: Iterable[UnitRef] | UnitIndex) -> CellMatch:
    """All units named in a cell, in order: 'Văn phòng Sở, Các phòng chuyên môn' ->
    [office, every division]. Names with commas of their own ('Phòng Lao động, Việc làm –
    Bảo hiểm xã hội') are tried whole before being split."""
    out = CellMatch()
    units = _index(units)
    text = (text or "").strip(" .;,")
    if not text:
        return out
    pieces = [p for p in _SEP.split(text) if p and p.strip(" .-")]
    # Spans of pieces in the original text so that joined candidates keep their punctuation.
    spans, pos = [], 0
    for p in pieces:
        k = text.find(p, pos)
        spans.append((k, k + len(p)))
        pos = k + len(p)
    by_kind = units.by_kind
    seen: set[int] = set()
    i = 0
    while i < len(pieces):
        found = None
        for j in range(len(pieces), i, -1):
            candidate = text[spans[i][0]:spans[j - 1][1]]
            u = match_unit(candidate, units)
            if u is not None:
                found = (u, j)
                break
        if found:
            u, j = found
            if u.id not in seen:
                seen.add(u.id)
                out.unit_ids.append(u.id)
            i = j
            continue
        kinds = _collective_kinds(pieces[i])
        if kinds:
            out.collectives.append(pieces[i].strip())
            before = len(out.unit_ids)
            for kind in kinds:
                for u in by_kind.get(kind, []):
                    if u.id not in seen:
                        seen.add(u.id)
                        out.unit_ids.append(u.id)
            if i == 0:
                out.first_is_collective = True
                out.first_collective_size = len(out.unit_ids) - before
        else:
            out.unknown.append(pieces[i].strip(" .-"))
        i += 1
    return out


def choose_lead(lead: CellMatch, units: list[UnitRef]) -> tuple[int | None, list[int]]:
    """One lead unit per task: the first named unit; when the cell starts with a collective
    ('Các phòng thuộc Sở') of more than one unit, the office coordinates. The others cooperate."""
    if not lead.unit_ids:
        return None, []
    first = lead.unit_ids[0]
    if lead.first_is_collective and lead.first_collective_size > 1:
        office = next((u.id for u in units if u.kind == "office"), None)
        if office is not None:
            first = office
    return first, [u for u in lead.unit_ids if u != first]
