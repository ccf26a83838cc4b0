"""Document register rules (sổ văn bản đi), no database: how a symbol reads and which number
an issue or a reservation takes."""
from __future__ import annotations

import re

SYMBOL_RE = re.compile(r"^\s*(\d+)\s*/\s*([^\s/-]+)\s*-\s*(\S.*?)\s*$")


def format_symbol(number: int, doc_type: str, abbreviation: str) -> str:
    """113, "BC", "SLĐTBXH" -> "113/BC-SLĐTBXH" (Nghị định 30/2020, Phụ lục I)."""
    return f"{number}/{doc_type}-{abbreviation}"


def parse_symbol(symbol: str | None) -> tuple[int, str] | None:
    """"113/BC-SLĐTBXH" -> (113, "BC"); None when the text has no number (a draft's "/KH-UBND")."""
    m = SYMBOL_RE.match(symbol or "")
    if not m:
        return None
    return int(m.group(1)), m.group(2)


def next_number(last_number: int, released: list[int]) -> tuple[int, bool]:
    """The number the next issue or reservation takes: the smallest released number first (so
    the register keeps no gap), else the one after the last given. Returns (number, reused)."""
    if released:
        return min(released), True
    return last_number + 1, False
