"""The consolidated report as DOCX in the Nghị định 30/2020/NĐ-CP layout (A4, Times New Roman,
agency top-left, quốc hiệu top-right, number, place-date line, title, sections, Nơi nhận,
signature), with each official form (Biểu II.06a, II.07b ...) as an annex on a landscape page.

Built from the document dict of app.reports.services.document(); no queries here."""
from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from app.domain.formatting import vn_number
from app.reports.drafting import paragraphs

FONT = "Times New Roman"
BODY_PT = 14


def _font(run, size=BODY_PT, bold=False, italic=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    return run


def _para(container, text="", size=BODY_PT, bold=False, italic=False, align=None,
          indent=False, after=6, before=0):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    fmt.line_spacing = 1.1
    if indent:
        fmt.first_line_indent = Cm(1)
    p.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule(container, width_cm: float, avail_cm: float):
    """A short centred line under the agency name / tiêu ngữ / title (a bottom border)."""
    p = container.add_paragraph()
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.space_before = Pt(0)
    pPr = p._p.get_or_add_pPr()
    side = str(int(max(0.0, (avail_cm - width_cm) / 2) * 567))  # twips
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    pPr.insert_element_before(bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                              "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                              "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr", "w:pPrChange")
    ind = pPr.get_or_add_ind()
    ind.set(qn("w:left"), side)
    ind.set(qn("w:right"), side)
    _font(p.add_run(""), 2)


def _cell(table, row, col, width_cm):
    cell = table.cell(row, col)
    cell.width = Cm(width_cm)
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cell


def _header(doc, d):
    t = doc.add_table(rows=2, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    left, right = 6.8, 9.7
    t.columns[0].width, t.columns[1].width = Cm(left), Cm(right)
    c = _cell(t, 0, 0, left)
    _para(c, d["parent_agency"].upper(), 13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(c, d["agency"].upper(), 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(c, 2.5, left)
    c = _cell(t, 0, 1, right)
    _para(c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(c, "Độc lập - Tự do - Hạnh phúc", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(c, 5.5, right)
    c = _cell(t, 1, 0, left)
    _para(c, d["number_line"], 13, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    c = _cell(t, 1, 1, right)
    _para(c, d["place_date"], 14, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)


def _narrative(doc, text):
    for p in paragraphs(text):
        para = _para(doc, indent=True)
        for chunk, bold in p["runs"]:
            _font(para.add_run(chunk), BODY_PT, bold=bold)


def _footer(doc, d):
    t = doc.add_table(rows=1, cols=2)
    t.autofit = False
    t.columns[0].width, t.columns[1].width = Cm(8.0), Cm(8.5)
    c = _cell(t, 0, 0, 8.0)
    p = _para(c, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    for r in d["recipients"]:
        _para(c, f"- {r}", 11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    c = _cell(t, 0, 1, 8.5)
    sig = d["signature"]
    _para(c, sig["authority"], 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    if sig.get("title"):
        _para(c, sig["title"], 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for _ in range(4):
        _para(c, "", 14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(c, sig.get("name") or "", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    return p


def _shade(cell, fill="E7EEF7"):
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcPr.append(shd)


def header_spans(columns: list[dict]) -> list[tuple[int, int, int, int, str]]:
    """Merged header cells of a form (row0, col0, row1, col1, text) from its column data:
    equal text under the same parents merges across, None runs the cell above down."""
    depth = max(len(c["headers"]) for c in columns)
    spans = []
    for r in range(depth):
        col = 0
        while col < len(columns):
            text = columns[col]["headers"][r]
            if text is None:
                col += 1
                continue
            end = col
            prefix = columns[col]["headers"][:r + 1]
            while end + 1 < len(columns) and columns[end + 1]["headers"][:r + 1] == prefix:
                end += 1
            down = r
            while down + 1 < depth and all(columns[k]["headers"][down + 1] is None
                                           for k in range(col, end + 1)):
                down += 1
            spans.append((r, col, down, end, text))
            col = end + 1
    return spans


def annexes_of(d: dict) -> list[dict]:
    """The document's tables; a snapshot issued before forms were data has Biểu II.06a only."""
    if d.get("annexes"):
        return d["annexes"]
    form, figures = d["form"], d["figures"]
    return [{**form, "sheet": "Biểu II.06a", "count_unit": "hồ sơ", "rows": figures["units"],
             "total": figures["dossiers"]}]


def _annex(doc, d, form):
    sec = doc.add_section()
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin, sec.right_margin = Mm(20), Mm(15)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(15)
    _para(doc, f"Biểu số {form['code']}", 13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)
    _para(doc, form["title"].upper(), 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, f"Kỳ báo cáo: {d['period']['short']} (từ ngày {d['period']['start']} đến ngày "
               f"{d['period']['end']})", 13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"Đơn vị báo cáo: {d['agency_short']}", 12, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _para(doc, f"Đơn vị tính: {form.get('count_unit') or 'hồ sơ'}", 12, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=2)
    cols = form["columns"]
    depth = max(len(c["headers"]) for c in cols)
    units = form["rows"]
    t = doc.add_table(rows=depth + 1 + len(units) + 1, cols=len(cols))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [1.2, 5.0] + [1.75] * (len(cols) - 2)
    # Each row's own cells (read again after every merge): Table.cell() walks the whole table
    # on every call (a 20-agency consolidated annex took 2 s).
    table_rows = list(t.rows)
    for r0, c0, r1, c1, text in header_spans(cols):
        first = table_rows[r0].cells[c0]
        cell = first.merge(table_rows[r1].cells[c1]) if (r0, c0) != (r1, c1) else first
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), 10, bold=True)
        _shade(cell)
    numbers = table_rows[depth].cells
    for i in range(len(cols)):
        p = numbers[i].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(f"({i + 1})"), 9, italic=True)
    body = [dict(u, stt=str(k)) for k, u in enumerate(units, 1)]
    body.append(dict(form["total"], stt="", unit="Tổng cộng"))
    for r, row in enumerate(body, depth + 1):
        total = r == depth + len(body)
        cells = table_rows[r].cells
        for i, c in enumerate(cols):
            value = row.get(c["key"], "")
            p = cells[i].paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c["key"] == "unit" else WD_ALIGN_PARAGRAPH.CENTER
            text = vn_number(value) if isinstance(value, (int, float)) else str(value)
            _font(p.add_run(text), 10, bold=total or bool(c.get("sum_of")))
    for i, col in enumerate(t.columns):
        col.width = Cm(widths[i])
    for row in t.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(widths[i])


def _results_annex(doc, d):
    """Each accepted result, per unit, when the report's text counts them instead of quoting."""
    groups = d.get("results_annex") or []
    if not groups:
        return
    sec = doc.add_section()
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    _para(doc, "PHỤ LỤC", 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ ĐƯỢC TIẾP NHẬN TRONG KỲ", 13, bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, f"(Kèm theo Báo cáo {d['period']['label']})", 13, italic=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    rows = sum(1 + len(g["items"]) for g in groups)
    t = doc.add_table(rows=rows + 1, cols=3)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (1.2, 6.3, 8.5)
    # Cells through each row's own cells: Table.cell() walks the whole table on every call,
    # which made a 1.000-result annex take minutes.
    table_rows = list(t.rows)
    head = table_rows[0].cells
    for i, text in enumerate(("STT", "Nhiệm vụ", "Kết quả thực hiện")):
        p = head[i].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), 11, bold=True)
        _shade(head[i])
    r = 1
    for g in groups:
        first = table_rows[r].cells
        cell = first[0].merge(first[2])
        _font(cell.paragraphs[0].add_run(f"{g['unit']} ({vn_number(len(g['items']))} nhiệm vụ)"), 11, bold=True)
        r += 1
        for k, item in enumerate(g["items"], 1):
            cells = table_rows[r].cells
            for i, text in enumerate((str(k), item["task"], item["text"])):
                p = cells[i].paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT
                _font(p.add_run(text), 11)
            r += 1
    for row in t.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(widths[i])


def new_document() -> Document:
    """An A4 page with Nghị định 30/2020's margins and body font (Times New Roman 14)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return doc


def title_block(doc, d: dict) -> None:
    """The report's head in the Nghị định 30/2020 layout: the issuing agency and the national
    motto, number and place/date, then "BÁO CÁO", the title and a short rule under it."""
    _header(doc, d)
    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=0)
    _para(doc, d["title"], 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(doc, 4, 16.5)


def build(d: dict) -> bytes:
    doc = new_document()
    title_block(doc, d)
    if d.get("basis"):
        _narrative(doc, d["basis"])
    for s in d["sections"]:
        _para(doc, s["heading"], BODY_PT, bold=True, indent=s["level"] > 1,
              align=WD_ALIGN_PARAGRAPH.JUSTIFY if s["level"] > 1 else WD_ALIGN_PARAGRAPH.LEFT,
              before=6 if s["level"] == 1 else 0)
        _narrative(doc, s.get("text"))
        _narrative(doc, "\n".join(s.get("figure_lines") or []))
    _narrative(doc, d["closing"])
    _footer(doc, d)
    for form in annexes_of(d):
        _annex(doc, d, form)
    _results_annex(doc, d)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(d: dict) -> str:
    number = (d.get("number") or "du-thao").split("/")[0]
    return f"bao-cao-kstt-{d['period']['key']}-{number}-v{d['version']}.docx"
