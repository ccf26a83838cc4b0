"""Rows of cells from an uploaded DOCX (its tables) or XLSX (its first sheet with a header)."""
from __future__ import annotations

import io
import zipfile

from app.domain.plantable import MergedDown, TableError, excel_cell_text, find_header


def rows_from_docx(data: bytes) -> list[list[str]]:
    from docx import Document
    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise TableError("Không đọc được tệp DOCX.") from e
    rows: list[list[str]] = []
    for table in doc.tables:
        above: list = []
        for row in table.rows:
            cells = row.cells
            out, prev = [], None
            for j, cell in enumerate(cells):
                # A merged cell comes back once per grid column / row: across a row its text
                # counts once; down a column it is marked, for the rows it covers to share.
                same_row = cell._tc is prev
                same_col = j < len(above) and above[j] is cell._tc
                out.append("" if same_row else MergedDown(cell.text) if same_col else cell.text)
                prev = cell._tc
            above = [c._tc for c in cells]
            rows.append(out)
    if not rows:
        raise TableError("Tệp DOCX không có bảng nào.")
    return rows


def rows_from_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise TableError("Không đọc được tệp XLSX.") from e
    try:
        for ws in wb.worksheets:
            # Cells, not bare values: a real date needs its number format to read as the clerk sees it.
            rows = [[excel_cell_text(c.value, getattr(c, "number_format", None)) for c in r]
                    for r in ws.iter_rows(max_row=2000, max_col=30)]
            try:
                find_header(rows)
            except TableError:
                continue
            return rows
    finally:
        wb.close()
    raise TableError("Không tìm thấy bảng nhiệm vụ trong tệp XLSX.")
