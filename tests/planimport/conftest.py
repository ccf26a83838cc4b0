"""Unit lists of the seeds' provinces and builders of real DOCX/XLSX files from the seed tables."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.domain.plantable import rows_from_text
from app.extensions import db
from tests.conftest import make_unit, make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def seed_text(n: str) -> str:
    return (FIXTURES / f"seed{n}_table.txt").read_text(encoding="utf-8")


def _org(units: list[tuple[str, str, str]]):
    made = {code: make_unit(name, code, kind, i) for i, (name, code, kind) in enumerate(units, start=1)}
    office = next(u for u in made.values() if u.kind == "office")
    user = make_user("vanphong", "office", office, "Nguyễn Văn Phòng")
    other = make_user("vanphong2", "office", office, "Trần Văn Phòng")
    head = next((u for u in made.values() if u.kind == "division"))
    make_user("truongphong", "head", head, "Lê Trưởng Phòng")
    leader_unit = make_unit("Lãnh đạo", "LD", "leadership", 0)
    make_user("giamdoc", "leader", leader_unit, "Giám Đốc")
    db.session.commit()
    return made, user, other


@pytest.fixture
def thai_binh(ctx):
    """Seed 004's department."""
    return _org([
        ("Văn phòng Sở", "VP", "office"),
        ("Thanh tra Sở", "TTRA", "division"),
        ("Phòng Lao động – Việc làm", "LDVL", "division"),
        ("Phòng Người có công", "NCC", "division"),
        ("Phòng Bảo trợ xã hội", "BTXH", "division"),
        ("Trung tâm Dịch vụ việc làm", "TTDVVL", "affiliate"),
    ])


@pytest.fixture
def bac_giang(ctx):
    """Seed 002's department (its own names for the divisions)."""
    return _org([
        ("Văn phòng Sở", "VP", "office"),
        ("Phòng Kế hoạch – Tài chính", "KHTC", "division"),
        ("Phòng Lao động – Việc làm", "LDVL", "division"),
        ("Phòng Người có công", "NCC", "division"),
        ("Phòng Bảo trợ xã hội", "BTXH", "division"),
        ("Phòng Việc làm – An toàn lao động", "VLATLD", "division"),
        ("Cơ sở cai nghiện ma túy", "CSCN", "affiliate"),
    ])


@pytest.fixture
def lai_chau(ctx):
    """Seed 003's province (UBND tỉnh: the office is Văn phòng UBND tỉnh)."""
    return _org([
        ("Văn phòng UBND tỉnh", "VPUBND", "office"),
        ("Sở Nội vụ", "SNV", "division"),
        ("Sở Tư pháp", "STP", "division"),
        ("UBND huyện Tam Đường", "TAMDUONG", "local"),
        ("UBND thành phố Lai Châu", "TPLC", "local"),
    ])


def docx_bytes(rows: list[list[str]], merge_first_column: bool = False) -> bytes:
    """A real DOCX whose table holds the rows; optionally merges the group column vertically
    like the seed 004 document (a section cell spanning its tasks)."""
    from docx import Document
    doc = Document()
    doc.add_paragraph("PHỤ LỤC")
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    for i, r in enumerate(rows):
        for j in range(width):
            table.cell(i, j).text = r[j] if j < len(r) else ""
    if merge_first_column:
        start = None
        for i in range(1, len(rows) + 1):
            has = i < len(rows) and rows[i][0]
            if (has or i == len(rows)) and start is not None and i - 1 > start:
                text = rows[start][0]
                merged = table.cell(start, 0).merge(table.cell(i - 1, 0))
                merged.text = text
            if has:
                start = i
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC: MỘT SỐ CHỈ TIÊU, NHIỆM VỤ CỤ THỂ"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def seed_rows(n: str) -> list[list[str]]:
    return rows_from_text(seed_text(n))

