"""Issue 17 item 9f: an upload is judged by its content (magic bytes, the parts of a DOCX/XLSX
package), not by its name."""
from __future__ import annotations

import io
import zipfile

import pytest

from app.domain.filecheck import check_content

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run in DOS mode"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 20


def package(*names: str, mimetype: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        if mimetype:
            z.writestr("mimetype", mimetype)
        for n in names:
            z.writestr(n, "<x/>")
    return buf.getvalue()


DOCX = package("[Content_Types].xml", "word/document.xml")
XLSX = package("[Content_Types].xml", "xl/workbook.xml")
ODT = package("content.xml", mimetype="application/vnd.oasis.opendocument.text")
ODS = package("content.xml", mimetype="application/vnd.oasis.opendocument.spreadsheet")
ZIP = package("bien-ban.pdf")


@pytest.mark.parametrize("ext,data", [
    ("pdf", PDF), ("png", PNG), ("jpg", JPG), ("jpeg", JPG), ("doc", OLE), ("xls", OLE),
    ("docx", DOCX), ("xlsx", XLSX), ("odt", ODT), ("ods", ODS), ("zip", ZIP), ("zip", DOCX),
    ("txt", "Báo cáo kết quả rà soát\n".encode()), ("txt", "Báo cáo".encode("utf-16")),
])
def test_real_files_pass(ext, data):
    assert check_content(ext, data) is None


@pytest.mark.parametrize("ext,data,words", [
    ("pdf", EXE, "chương trình chạy được"),
    ("docx", ELF, "chương trình chạy được"),
    ("txt", EXE, "chương trình chạy được"),
    ("zip", package("setup.exe"), "chương trình chạy được"),
    ("pdf", PNG, "không phải tệp PDF"),
    ("docx", XLSX, "không phải tệp Word (.docx)"),
    ("xlsx", DOCX, "không phải tệp Excel (.xlsx)"),
    ("xlsx", ZIP, "không phải tệp Excel (.xlsx)"),
    ("docx", b"PK\x03\x04broken", "không phải tệp Word (.docx)"),
    ("png", JPG, "không phải ảnh PNG"),
    ("doc", PDF, "không phải tệp Word"),
    ("txt", b"\x00\x01\x02binary", "không phải văn bản"),
])
def test_renamed_or_executable_files_refused(ext, data, words):
    message = check_content(ext, data)
    assert message and words in message, message
