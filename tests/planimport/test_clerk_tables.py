"""Real XLSX and DOCX files made the way clerks make them (issue 14 item 7): Excel date cells,
the numbering row, headings merged over the row, cells merged down over several tasks."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

from sqlalchemy import select

from app.domain.deadlines import parse_deadline
from app.domain.plantable import parse_table
from app.extensions import db
from app.models import Task
from app.planimport.readers import rows_from_docx, rows_from_xlsx
from tests.conftest import login

HEAD = ["STT", "Nội dung nhiệm vụ", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Ghi chú"]


def clerk_xlsx() -> bytes:
    """A sheet typed in Excel: title, header, the numbering row as numbers, two section headings
    merged across the row one after the other, and deadlines typed as real dates."""
    import xlsxwriter
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Phụ lục")
    bold = wb.add_format({"bold": True})
    formats = {k: wb.add_format({"num_format": k}) for k in
               ("dd/mm/yyyy", "d/m/yyyy", "mm/yyyy", '"Trước ngày "dd/mm/yyyy', "yyyy-mm-dd")}
    ws.merge_range(0, 0, 0, 5, "PHỤ LỤC NHIỆM VỤ NĂM 2024", bold)
    ws.write_row(1, 0, HEAD, bold)
    ws.write_row(2, 0, [1, 2, 3, 4, 5, 6])
    ws.merge_range(3, 0, 3, 5, "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", bold)
    ws.merge_range(4, 0, 4, 5, "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", bold)
    tasks = [
        (1, "Rà soát quy định", datetime(2024, 9, 30), "dd/mm/yyyy"),
        (2, "Đối thoại doanh nghiệp", datetime(2024, 6, 1), "d/m/yyyy"),
        (3, "Công khai TTHC", datetime(2024, 7, 1), "mm/yyyy"),
        (4, "Báo cáo kết quả", datetime(2024, 11, 15), '"Trước ngày "dd/mm/yyyy'),
        (5, "Số hóa kết quả", datetime(2024, 12, 31), "yyyy-mm-dd"),
    ]
    for i, (stt, content, due, fmt) in enumerate(tasks, start=5):
        ws.write_number(i, 0, stt)
        ws.write_string(i, 1, content)
        ws.write_datetime(i, 2, due, formats[fmt])
        ws.write_string(i, 3, "Văn phòng Sở")
        ws.write_string(i, 4, "Thanh tra Sở")
    wb.close()
    return buf.getvalue()


def test_xlsx_dates_numbering_row_and_headings_in_a_row():
    rows = rows_from_xlsx(clerk_xlsx())
    t = parse_table(rows)
    assert [x.stt for x in t.tasks] == ["1", "2", "3", "4", "5"]      # the numbering row is no task
    assert t.groups == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"]
    assert {x.group_label for x in t.tasks} == {"II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"}
    assert [x.due for x in t.tasks] == ["30/09/2024", "01/06/2024", "Tháng 07/2024",
                                       "Trước ngày 15/11/2024", "31/12/2024"]
    assert [parse_deadline(x.due).due_on for x in t.tasks] == [
        date(2024, 9, 30), date(2024, 6, 1), date(2024, 7, 31), date(2024, 11, 15), date(2024, 12, 31)]


def _merge(table, r0, c0, r1, c1, text=None):
    cell = table.cell(r0, c0)
    text = cell.text if text is None else text
    merged = cell.merge(table.cell(r1, c1))
    merged.text = text
    return merged


def clerk_docx(numbering: str = "(n)") -> bytes:
    """A Word table: the numbering row, two headings merged over the row in a row, the lead
    unit and the deadline merged down over the tasks they cover, and a text note in a cell."""
    from docx import Document
    doc = Document()
    doc.add_paragraph("PHỤ LỤC")
    body = [
        HEAD,
        [f"({j})" if numbering == "(n)" else str(j) for j in range(1, 7)],
        ["I. CÔNG TÁC CHỈ ĐẠO", "", "", "", "", ""],
        ["II. CẢI CÁCH TTHC", "", "", "", "", ""],
        ["1", "Rà soát quy định", "Quý III/2024", "Phòng Người có công", "Văn phòng Sở", ""],
        ["2", "Đánh giá TTHC", "", "", "Văn phòng Sở", ""],
        ["3", "Đề xuất đơn giản hóa", "", "", "", ""],
        ["III", "CẢI CÁCH TÀI CHÍNH CÔNG", "", "", "", ""],
        ["1", "Chi trả không dùng tiền mặt", "Trước ngày 30/9/2024 (báo cáo kết quả)", "Văn phòng Sở", "", ""],
    ]
    table = doc.add_table(rows=len(body), cols=6)
    for i, r in enumerate(body):
        for j, v in enumerate(r):
            table.cell(i, j).text = v
    _merge(table, 2, 0, 2, 5)
    _merge(table, 3, 0, 3, 5)
    _merge(table, 4, 2, 6, 2)        # "Quý III/2024" over tasks 1-3
    _merge(table, 4, 3, 6, 3)        # "Phòng Người có công" over tasks 1-3
    _merge(table, 4, 4, 5, 4)        # "Văn phòng Sở" over tasks 1-2
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_merged_cells_numbering_row_and_headings():
    for numbering in ("(n)", "n"):
        t = parse_table(rows_from_docx(clerk_docx(numbering)))
        assert [(x.group_label, x.stt, x.content) for x in t.tasks] == [
            ("II. CẢI CÁCH TTHC", "1", "Rà soát quy định"),
            ("II. CẢI CÁCH TTHC", "2", "Đánh giá TTHC"),
            ("II. CẢI CÁCH TTHC", "3", "Đề xuất đơn giản hóa"),
            ("III. CẢI CÁCH TÀI CHÍNH CÔNG", "1", "Chi trả không dùng tiền mặt")]
        assert t.groups == ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC", "III. CẢI CÁCH TÀI CHÍNH CÔNG"]
        # A cell merged down over several tasks belongs to each of them.
        assert [(x.due, x.lead, x.coop) for x in t.tasks[:3]] == [
            ("Quý III/2024", "Phòng Người có công", "Văn phòng Sở"),
            ("Quý III/2024", "Phòng Người có công", "Văn phòng Sở"),
            ("Quý III/2024", "Phòng Người có công", "")]


def _token(resp) -> str:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return re.search(r"/plans/import/([0-9a-f]{32})$", resp.headers["Location"]).group(1)


def test_clerk_xlsx_imports_with_its_dates(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _token(client.post("/plans/import/", data={"file": (io.BytesIO(clerk_xlsx()), "phu-luc.xlsx")},
                               content_type="multipart/form-data"))
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert html.count('class="task-row') == 5
    assert "00:00:00" not in html and 'name="due_' not in html
    assert "<q>30/09/2024</q>" in html and "<q>Trước ngày 15/11/2024</q>" in html
    resp = client.post(f"/plans/import/{token}", data={
        "number": "08/KH-SLĐTBXH", "title": "Kế hoạch từ Excel", "year": "2024", "kind": "reform"})
    assert resp.status_code == 302
    tasks = db.session.scalars(select(Task).order_by(Task.position)).all()
    assert [(t.due_text, t.due_on) for t in tasks] == [
        ("30/09/2024", date(2024, 9, 30)), ("01/06/2024", date(2024, 6, 1)),
        ("Tháng 07/2024", date(2024, 7, 31)), ("Trước ngày 15/11/2024", date(2024, 11, 15)),
        ("31/12/2024", date(2024, 12, 31))]
    assert {t.group_label for t in tasks} == {"II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"}


def test_clerk_docx_imports_merged_cells(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _token(client.post("/plans/import/", data={"file": (io.BytesIO(clerk_docx()), "phu-luc.docx")},
                               content_type="multipart/form-data"))
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert html.count('class="task-row') == 4 and html.count('class="group-row"') == 2
    assert "Chưa ghi thời hạn" not in html and "Không khớp đơn vị chủ trì" not in html


def test_xlsx_cells_merged_down_belong_to_each_task():
    import xlsxwriter
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    day = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "vcenter"})
    ws.write_row(0, 0, HEAD)
    ws.merge_range(1, 0, 1, 5, "I. CẢI CÁCH TTHC")
    for i, content in enumerate(["Rà soát quy định", "Đánh giá TTHC", "Đề xuất đơn giản hóa"], start=2):
        ws.write_number(i, 0, i - 1)
        ws.write_string(i, 1, content)
    ws.merge_range(2, 2, 4, 2, "", day)
    ws.write_datetime(2, 2, datetime(2024, 9, 30), day)
    ws.merge_range(2, 3, 4, 3, "Phòng Người có công")
    ws.write_string(2, 4, "Văn phòng Sở")
    ws.merge_range(2, 5, 3, 5, "Báo cáo UBND tỉnh")
    wb.close()
    t = parse_table(rows_from_xlsx(buf.getvalue()))
    assert [(x.content, x.due, x.lead, x.coop, x.note) for x in t.tasks] == [
        ("Rà soát quy định", "30/09/2024", "Phòng Người có công", "Văn phòng Sở", "Báo cáo UBND tỉnh"),
        ("Đánh giá TTHC", "30/09/2024", "Phòng Người có công", "", "Báo cáo UBND tỉnh"),
        ("Đề xuất đơn giản hóa", "30/09/2024", "Phòng Người có công", "", "")]
    assert t.groups == ["I. CẢI CÁCH TTHC"]


def test_two_row_header_with_merged_cells_docx_and_xlsx():
    """Official tables split "Đơn vị thực hiện" into "Chủ trì" | "Phối hợp" on a second header
    row, the other header cells merged down over both rows; the numbering row follows."""
    from docx import Document
    import xlsxwriter
    top = ["STT", "Nội dung nhiệm vụ", "Thời gian thực hiện", "Đơn vị thực hiện", "", "Ghi chú"]
    second = ["", "", "", "Chủ trì", "Phối hợp", ""]
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    task = ["1", "Rà soát quy định", "Quý III/2024", "Phòng Người có công", "Văn phòng Sở", ""]

    doc = Document()
    table = doc.add_table(rows=4, cols=6)
    for i, r in enumerate([top, second, numbers, task]):
        for j, v in enumerate(r):
            table.cell(i, j).text = v
    for j in (0, 1, 2, 5):
        _merge(table, 0, j, 1, j)
    _merge(table, 0, 3, 0, 4)
    buf = io.BytesIO()
    doc.save(buf)

    xbuf = io.BytesIO()
    wb = xlsxwriter.Workbook(xbuf, {"in_memory": True})
    ws = wb.add_worksheet()
    for j in (0, 1, 2, 5):
        ws.merge_range(0, j, 1, j, top[j])
    ws.merge_range(0, 3, 0, 4, top[3])
    ws.write_row(1, 3, second[3:5])
    ws.write_row(2, 0, numbers)
    ws.write_row(3, 0, task)
    wb.close()

    for rows in (rows_from_docx(buf.getvalue()), rows_from_xlsx(xbuf.getvalue())):
        t = parse_table(rows)
        assert [(x.stt, x.content, x.due, x.lead, x.coop) for x in t.tasks] == [
            ("1", "Rà soát quy định", "Quý III/2024", "Phòng Người có công", "Văn phòng Sở")]
