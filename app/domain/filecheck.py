"""Uploads judged by their content, not their name: magic bytes, and the parts an Office or
OpenDocument package must hold. A renamed executable, or a spreadsheet named .docx, is refused
with a reason a person can act on."""
from __future__ import annotations

import io
import zipfile

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"      # legacy .doc / .xls (one container for both)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
                    b"\xca\xfe\xba\xbe", b"#!")
EXECUTABLE_NAMES = (".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".scr", ".ps1", ".vbs", ".js",
                    ".jar", ".sh", ".apk", ".lnk", ".hta", ".cpl")

# What each accepted extension must be, as the refusal names it.
KIND_NAMES = {
    "pdf": "tệp PDF", "doc": "tệp Word (.doc)", "docx": "tệp Word (.docx)", "xls": "tệp Excel (.xls)",
    "xlsx": "tệp Excel (.xlsx)", "odt": "văn bản OpenDocument (.odt)",
    "ods": "bảng tính OpenDocument (.ods)", "png": "ảnh PNG", "jpg": "ảnh JPEG", "jpeg": "ảnh JPEG",
    "zip": "tệp nén ZIP", "txt": "văn bản (.txt)",
}
MIME_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
}
# Parts an OOXML package of that kind holds.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ODF_MIMETYPES = {"odt": "application/vnd.oasis.opendocument.text",
                 "ods": "application/vnd.oasis.opendocument.spreadsheet"}


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None


def _zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)[:200]


def _is_text(data: bytes) -> bool:
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                data.decode(codec)
                return True
            except UnicodeDecodeError:
                return False
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        # Old Vietnamese files (TCVN3, Windows-1258) are text too: no control bytes but tabs/newlines.
        return not any(b < 9 or 13 < b < 32 for b in data)


def _matches(ext: str, data: bytes) -> bool:
    if ext == "pdf":
        return data[:1024].lstrip().startswith(b"%PDF-")
    if ext in ("doc", "xls"):
        return data.startswith(OLE2)
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext == "txt":
        return _is_text(data)
    names = _zip_names(data) if data.startswith(b"PK") else None
    if names is None:
        return False
    if ext in OOXML_PARTS:
        return "[Content_Types].xml" in names and OOXML_PARTS[ext] in names
    if ext in ODF_MIMETYPES:
        return "mimetype" in names and _zip_member(data, "mimetype").strip() == ODF_MIMETYPES[ext].encode()
    return ext == "zip"


def check_content(ext: str, data: bytes) -> str | None:
    """None when `data` is what its extension says; otherwise the reason, in Vietnamese."""
    ext = ext.lower()
    if data.startswith(EXECUTABLE_MAGIC):
        return "Tệp là chương trình chạy được, không phải tài liệu: không được đính kèm."
    if ext in ("zip", "docx", "xlsx", "odt", "ods") and data.startswith(b"PK"):
        names = _zip_names(data) or []
        if any(n.lower().endswith(EXECUTABLE_NAMES) for n in names):
            return "Tệp nén chứa chương trình chạy được: không được đính kèm."
    if not _matches(ext, data):
        what = KIND_NAMES.get(ext, f"tệp .{ext}")
        return (f"Nội dung tệp không phải {what} như tên tệp cho biết (tệp có thể đã bị đổi tên). "
                "Hãy chọn đúng tệp.")
    return None
