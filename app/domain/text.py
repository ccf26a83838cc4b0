"""Text helpers for Vietnamese: accent-insensitive folding for search and matching."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str | None) -> str:
    """'Bảo trợ Xã hội' -> 'bao tro xa hoi' (lower case, no diacritics, single spaces)."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped).strip().lower()
