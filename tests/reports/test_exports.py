"""DOCX and XLSX of the report: content, layout, and a real render through LibreOffice."""
import os
import shutil
import subprocess
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from app.exports import report_docx, report_xlsx
from app.exports.report_docx import header_spans
from app.reports import services
from tests.reports.helpers import issued_demo


@pytest.fixture
def doc(world):
    return services.document(issued_demo(world, date(2022, 6, 10)))


def _texts(document):
    out = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return out


def test_docx_follows_decree_30_layout(doc):
    d = Document(BytesIO(report_docx.build(doc)))
    sec = d.sections[0]
    mm = lambda v: round(v.mm)  # noqa: E731  (stored in twips)
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.left_margin), mm(sec.right_margin), mm(sec.top_margin)) == (30, 15, 20)
    header = d.tables[0]
    cells = [c.text for row in header.rows for c in row.cells]
    assert cells[0].startswith("UBND TỈNH LẠNG SƠN\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    assert cells[1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert cells[2] == "Số: 113/BC-SLĐTBXH"
    assert cells[3] == "Lạng Sơn, ngày 10 tháng 6 năm 2022"
    place = header.cell(1, 1).paragraphs[0].runs[0]
    assert place.italic and place.font.name == "Times New Roman" and place.font.size == Pt(14)
    texts = [p.text for p in d.paragraphs]
    assert "BÁO CÁO" in texts
    for heading in ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "ĐÁNH GIÁ CHUNG",
                    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ TRONG THỜI GIAN TỚI", "5. Tình hình, kết quả giải quyết TTHC"):
        assert heading in texts
    assert any(t.startswith("- Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo 3.238") for t in texts)
    assert ("- Số lượng hồ sơ đã giải quyết: 2.525; trong đó, giải quyết trước hạn: 288, đúng hạn: "
            "2.237, quá hạn: 0.") in texts
    assert "+ Số lượng TTHC thực hiện theo cơ chế một cửa: 56 thủ tục." in texts
    bold = [r.text for p in d.paragraphs for r in p.runs if r.bold]
    assert "59,38%" in bold
    footer = [c.text for c in d.tables[1].rows[0].cells]
    assert footer[0].startswith("Nơi nhận:\n- Văn phòng UBND tỉnh;")
    assert footer[1].startswith("GIÁM ĐỐC") and footer[1].endswith("Phạm Đức Huân")


def test_docx_annex_is_bieu_ii06a_on_landscape(doc):
    d = Document(BytesIO(report_docx.build(doc)))
    assert round(d.sections[1].page_width.mm) == 297
    annex = d.tables[2]
    assert len(annex.columns) == 13
    assert annex.cell(0, 2).text == "Số hồ sơ nhận giải quyết"
    assert annex.cell(2, 4).text == "Trực tuyến"
    assert annex.cell(3, 12).text == "(13)"
    total = [c.text for c in annex.rows[-1].cells]
    assert total[1] == "Tổng cộng"
    assert total[2:] == ["3.238", "207", "32", "2.999", "2.525", "288", "2.237", "0", "713", "713", "0"]


def test_header_spans_merge_official_headers():
    spans = header_spans(services.II06A_COLUMNS)
    assert (0, 0, 2, 0, "STT") in spans
    assert (0, 2, 0, 5, "Số hồ sơ nhận giải quyết") in spans
    assert (1, 2, 2, 2, "Tổng số") in spans
    assert (1, 4, 1, 5, "Số mới tiếp nhận") in spans
    assert (0, 6, 0, 12, "Kết quả giải quyết") in spans


def test_xlsx_has_every_table_with_numbers_and_formulas(doc):
    data = report_xlsx.build(doc)
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == ["Biểu II.06a", "Biểu II.07b", "Công bố, công khai TTHC", "Rà soát, đơn giản hóa",
                             "Phản ánh, kiến nghị", "Hồ sơ quá hạn"]
    ws = wb["Biểu II.06a"]
    assert ws["A1"].value == "Biểu số II.06a/VPCP/KSTT"
    assert ws["C5"].value == "Số hồ sơ nhận giải quyết" and "C5:F5" in ws.merged_cells
    assert ws["E7"].value == "Trực tuyến"
    assert ws.freeze_panes == "C9"
    assert ws["B9"].value == "Phòng Bảo trợ xã hội – Trẻ em"
    assert ws["D9"].value == 60 and isinstance(ws["D9"].value, int)
    assert ws["C9"].value == "=D9+E9+F9"
    assert ws["B14"].value == "Tổng cộng" and ws["C14"].value == "=SUM(C9:C13)"
    values = load_workbook(BytesIO(data), data_only=True)
    vs = values["Biểu II.06a"]
    assert [vs.cell(14, c).value for c in range(3, 14)] == [3238, 207, 32, 2999, 2525, 288, 2237, 0, 713, 713, 0]
    assert vs["C9"].value == 970
    cat = values["Công bố, công khai TTHC"]
    assert [cat.cell(r, 2).value for r in range(4, 15)] == [109, 109, 109, 109, 0, 56, 33, 98, 109, 30, 47]
    rev = values["Rà soát, đơn giản hóa"]
    assert rev["B7"].value == 19 and rev["B8"].value == 0.59375


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice/poppler are installed by scripts/test.sh")
def test_docx_renders_in_libreoffice(doc, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(report_docx.build(doc))
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    raw = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    text = " ".join(raw.split())  # a long agency name wraps inside its cell
    for needle in ("UBND TỈNH LẠNG SƠN", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Số: 113/BC-SLĐTBXH", "Lạng Sơn, ngày 10 tháng 6 năm 2022", "BÁO CÁO",
                   "3.238", "2.525", "2.237", "59,38%", "Nơi nhận:", "GIÁM ĐỐC", "Phạm Đức Huân",
                   "Biểu số II.06a/VPCP/KSTT", "Tổng cộng"):
        assert needle in text, needle
    if os.environ.get("REPORT_PNG_DIR"):  # a developer looks at the pages: pdftoppm -png -r 60
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf),
                        os.path.join(os.environ["REPORT_PNG_DIR"], "report")], check=True)


def test_form_columns_are_data_a_new_version_changes_the_tables(world):
    from app.extensions import db
    from app.models import ReportForm
    from tests.reports.test_workflow import _sent_set
    services.ensure_default_form()
    cols = services.II06A_COLUMNS[:3] + [
        {"key": "received_new", "headers": ["Số hồ sơ nhận giải quyết", "Số mới tiếp nhận", None]}
    ] + services.II06A_COLUMNS[3:]
    db.session.add(ReportForm(code=services.FORM_CODE, version=2, title="Biểu theo Thông tư 5/2025",
                              legal_basis="Thông tư 5/2025/TT-VPCP", columns=cols))
    db.session.commit()
    _sent_set(world.div_a)
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    d = services.document(report)
    assert (d["form"]["version"], len(d["form"]["columns"])) == (2, 14)
    ws = load_workbook(BytesIO(report_xlsx.build(d)), data_only=True)["Biểu II.06a"]
    assert ws.max_column == 14 and ws["D6"].value == "Số mới tiếp nhận" and ws["D9"].value == 30
    annex = Document(BytesIO(report_docx.build(d))).tables[2]
    assert len(annex.columns) == 14


def test_report_page_queries_are_bounded(world, as_user):
    from sqlalchemy import event

    from app.extensions import db
    from tests.conftest import make_unit
    from tests.reports.test_workflow import _sent_set
    report = services.open_report(world.office_user, "quarter", 2022, 2)
    c = as_user(world.office_user)

    def count():
        n = [0]
        def hook(*a):
            n[0] += 1
        event.listen(db.engine, "before_cursor_execute", hook)
        try:
            assert c.get(f"/reports/{report.id}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", hook)
        return n[0]

    _sent_set(world.div_a)
    few = count()
    units = [make_unit(f"Đơn vị {i}", f"U{i}", "division") for i in range(12)]
    db.session.commit()
    for u in units:
        _sent_set(u)
    assert count() == few
