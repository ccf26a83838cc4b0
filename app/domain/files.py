"""How an attached file is shown: an icon for its type and its size in Vietnamese units."""
from __future__ import annotations

from app.domain.formatting import vn_number

# Bootstrap Icons by extension; anything else is a plain file.
_ICONS = {
    "pdf": "bi-file-earmark-pdf", "doc": "bi-file-earmark-word", "docx": "bi-file-earmark-word",
    "odt": "bi-file-earmark-word", "xls": "bi-file-earmark-excel", "xlsx": "bi-file-earmark-excel",
    "ods": "bi-file-earmark-excel", "csv": "bi-file-earmark-spreadsheet",
    "png": "bi-file-earmark-image", "jpg": "bi-file-earmark-image", "jpeg": "bi-file-earmark-image",
    "gif": "bi-file-earmark-image", "zip": "bi-file-earmark-zip", "rar": "bi-file-earmark-zip",
    "7z": "bi-file-earmark-zip", "txt": "bi-file-earmark-text",
}


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def icon_class(filename: str) -> str:
    return _ICONS.get(extension(filename), "bi-file-earmark")


def size_text(size: int | None) -> str:
    """1.536 bytes → "1,5 KB"; whole numbers from 10 units up ("12 KB", "3,2 MB")."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{vn_number(size)} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{vn_number(size, 0 if size >= 10 else 1)} {unit}"
    raise AssertionError("unreachable")
