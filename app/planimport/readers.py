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


MAX_ROWS, MAX_COLS = 2000, 30


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (min_col, min_row, max_col, max_row), 1-based. A read-only
    sheet does not load them (the whole-sheet mode would hold a big file in memory), so they
    are read from the sheet's XML, whose <mergeCells> follows the cells."""
    from xml.etree.ElementTree import ParseError, iterparse

    from openpyxl.utils.cell import range_boundaries
    out = []
    try:
        with ws._get_source() as src:
            for _, el in iterparse(src):
                tag = el.tag.rsplit("}", 1)[-1]
                if tag == "mergeCell" and el.get("ref"):
                    out.append(range_boundaries(el.get("ref")))
                elif tag == "row":
                    el.clear()
    except (ParseError, ValueError, TypeError, AttributeError, KeyError, OSError):
        return []
    return out


def _spread_merged(rows: list[list[str]], ranges: list[tuple[int, int, int, int]]) -> None:
    """A range merged down (one deadline or lead unit for a block of tasks) gives its text to
    each row it covers, marked as such; across a row it counts once (as DOCX tables are read)."""
    for min_col, min_row, max_col, max_row in ranges:
        if min_row > len(rows) or min_col > MAX_COLS or max_row == min_row:
            continue
        top = rows[min_row - 1]
        text = top[min_col - 1] if min_col - 1 < len(top) else ""
        for r in range(min_row, min(max_row, len(rows))):
            row = rows[r]
            if len(row) < min_col:
                row.extend([""] * (min_col - len(row)))
            row[min_col - 1] = MergedDown(text)


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
                    for r in ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS)]
            _spread_merged(rows, _merged_ranges(ws))
            try:
                find_header(rows)
            except TableError:
                continue
            return rows
    finally:
        wb.close()
    raise TableError("Không tìm thấy bảng nhiệm vụ trong tệp XLSX.")
