"""Reading the words of a procedure catalog as the national TTHC database and the provincial
one-stop systems write them: durations ("Trong thời hạn 05 ngày làm việc kể từ ..."), fees
("50.000 đồng/hồ sơ", "Không"), section rows ("I. Lĩnh vực Bảo trợ xã hội") and the
numbering row under a header ("(1) (2) (3)"). Pure functions; the words are always kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from app.domain.metrics import MetricError
from app.domain.numbers import NumberError, parse_vn_decimal
from app.domain.text import fold

NOT_SET = "Không quy định"

_NUM = r"\d+(?:[.,]\d+)*"
_DAYS = re.compile(rf"({_NUM})\s*(?:\(\s*[^)]*\)\s*)?ngay(?:\s+lam\s+viec)?")
_OTHER_UNIT = re.compile(rf"({_NUM})\s*(thang|gio|tuan|nam)\b")
_BARE = re.compile(rf"^\s*({_NUM})\s*$")
_PLAIN_DAYS = re.compile(rf"^\s*({_NUM})\s*ngay(\s+lam\s+viec)?\s*\.?\s*$")
_NONE_MONEY = ("khong", "khong co", "khong thu", "mien phi", "mien", "mien thu", "khong quy dinh",
               "0", "0 dong", "khong thu phi", "khong thu le phi", "khong phai nop")
_MONEY = re.compile(rf"({_NUM})\s*(trieu|nghin|ngan)?\s*(?:dong|d\b|vnd|vnđ)", re.I)


class DurationError(MetricError):
    """A processing time that cannot be read: a metric error like the review's own days."""


def vn_decimal(text: str) -> Decimal:
    """'2,5' -> 2.5; '50.000' -> 50000; '1.234,5' -> 1234.5 (the portal's one number parser,
    app.domain.numbers). ValueError (a NumberError) otherwise."""
    value = parse_vn_decimal(text)
    if value is None:
        raise NumberError("Giá trị phải là số.")
    return value


@dataclass(frozen=True)
class Duration:
    days: Decimal | None      # working days; None: not set, or not in days
    text: str | None          # the words, kept when they say more than "N ngày làm việc"
    note: str | None = None   # why no days were read from words that hold a number


def parse_duration(text: str | None) -> Duration:
    """'20' / '20 ngày làm việc' -> 20; 'Trong thời hạn 05 ngày làm việc kể từ ...' -> 5 (words
    kept); '10 ngày làm việc; trường hợp phải xác minh: 15 ngày' -> 10 (the first, words kept);
    'Không quy định' -> None; '03 tháng' -> None with a note. Words with no number at all raise
    DurationError: a duration nobody can read is not silently empty."""
    raw = (text or "").strip()
    if not raw:
        return Duration(None, None)
    k = fold(raw)
    if k.strip(". ") in ("khong quy dinh", "kqd", "khong"):
        return Duration(None, NOT_SET)
    try:
        bare = _BARE.match(raw)
        if bare:
            return Duration(_days(bare.group(1)), None)
        plain = _PLAIN_DAYS.match(k)
        if plain:
            return Duration(_days(plain.group(1)), None)
        m = _DAYS.search(k)
        if m:
            return Duration(_days(m.group(1)), raw)
    except NumberError as e:
        raise DurationError(e.message) from None
    other = _OTHER_UNIT.search(k)
    if other:
        unit = {"thang": "tháng", "gio": "giờ", "tuan": "tuần", "nam": "năm"}[other.group(2)]
        return Duration(None, raw, f"thời hạn tính bằng {unit}, không quy ra ngày làm việc")
    if "trong ngay" in k:
        return Duration(None, raw, "giải quyết trong ngày, không quy ra số ngày")
    raise DurationError(
        "Thời hạn giải quyết phải là số ngày làm việc (ví dụ 20 hoặc 2,5) hoặc “Không quy định”.")


def _days(text: str) -> Decimal:
    return parse_vn_decimal(text, "Thời hạn giải quyết", max_decimals=2)


def parse_money(text: str | None) -> tuple[Decimal | None, str | None]:
    """A fee as written -> (amount in đồng or None, the words). 'Không', 'Miễn phí' -> 0;
    '50.000 đồng/hồ sơ', 'Lệ phí: 50.000đ' -> 50000; '1,5 triệu đồng' -> 1500000; several
    different amounts, or a rate ('0,5% giá trị') -> None: one number would be wrong."""
    raw = (text or "").strip()
    if not raw:
        return None, None
    k = fold(raw).strip(" .;")
    if k in _NONE_MONEY or k.startswith(("khong thu", "mien phi", "mien le phi", "khong phai")):
        return Decimal(0), raw
    if _BARE.match(raw):
        try:
            return vn_decimal(raw), raw
        except NumberError:
            return None, raw
    if "%" in k:
        return None, raw
    amounts = set()
    for m in _MONEY.finditer(k):
        try:
            value = vn_decimal(m.group(1))
        except NumberError:  # '1.2.3 đồng': not an amount anyone can read; the words stay
            return None, raw
        scale = {"trieu": 1_000_000, "nghin": 1000, "ngan": 1000}.get(m.group(2) or "", 1)
        amounts.add((value * scale).quantize(Decimal(1)))
    if len(amounts) == 1:
        return amounts.pop(), raw
    return None, raw


_ROMAN = re.compile(r"^\s*([IVXLC]+|[A-Z])\s*[.):\-]\s*")
_ROMAN_ALONE = re.compile(r"^([IVXLC]+|[A-Z])\.?$")


def is_numbering_row(cells: list[str]) -> bool:
    """The '(1) (2) (3) …' row official tables carry under the header."""
    filled = [c.strip() for c in cells if c and c.strip()]
    return len(filled) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", c) for c in filled)


def section_heading(cells: list[str]) -> str | None:
    """A row that names a group, not a procedure: 'I. Lĩnh vực Bảo trợ xã hội' alone, or 'I' |
    'Lĩnh vực Bảo trợ xã hội' -> 'Bảo trợ xã hội'. A row with a plain number and a name is a
    procedure whose code is missing (an error), never a heading."""
    filled = [c.strip() for c in cells if c and c.strip()]
    if len(filled) == 2 and _ROMAN_ALONE.match(filled[0]):
        text = filled[1]
    elif len(filled) == 1 and (_ROMAN.match(filled[0]) or fold(filled[0]).startswith("linh vuc")):
        text = _ROMAN.sub("", filled[0])
    else:
        return None
    text = text.strip()
    if fold(text).startswith("linh vuc"):
        text = text[len("linh vuc"):].lstrip(" :-–")
    return text[:1].upper() + text[1:] if text else None
