"""Text helpers for Vietnamese: accent-insensitive folding for search and matching.

`fold` is the one folding rule of the portal: the folded search columns (app/models/folded.py),
the catalog, the importers and every search box compare `fold(what was typed)` with
`fold(what is stored)`, so "bao tro", "Bảo Trợ" and "BẢO TRỢ" find the same rows on SQLite
and PostgreSQL alike (no database collation or extension involved).
"""
from __future__ import annotations

import re
import unicodedata


def fold_char(ch: str) -> str:
    """One character folded ('Ấ' -> 'a', 'Đ' -> 'd'); keeps the text's length, for parsers
    that map a span of folded text back to the original."""
    if ch in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", ch)[0].lower()


def fold(text: str | None) -> str:
    """'Bảo trợ Xã hội' -> 'bao tro xa hoi' (lower case, no diacritics, single spaces)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()


def fold_joined(*parts: str | None) -> str:
    """Several fields folded into one search text (a plan's number and title)."""
    return " ".join(f for f in (fold(p) for p in parts) if f)


def document_number_key(number: str | None) -> str:
    """A document's number and symbol as compared for sameness: '19 / kh – SLĐTBXH' and
    'Số 19/KH-SLĐTBXH' are both '19/kh-sldtbxh' (accents, case, spaces and dash kinds aside)."""
    key = fold((number or "").replace("–", "-").replace("—", "-"))
    key = re.sub(r"^so\s*:?\s*", "", key)
    return re.sub(r"\s+", "", key)


def like_pattern(query: str | None) -> str:
    """A typed search as a LIKE pattern over folded text: '%bao tro%', with LIKE's own
    wildcards typed by the user taken literally (escape character backslash)."""
    needle = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{needle}%"
