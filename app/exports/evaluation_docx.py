"""One person's evaluation summary as DOCX (Times New Roman, A4, Nghị định 30/2020 margins): the
period, the figures (computed value beside any correction), the three criteria, the score, the
proposed rating, the head's and the person's comments.

Built from app.evaluations.services.person_row(); no queries here."""
from __future__ import annotations

from io import BytesIO

from docx.enum.text import WD_ALIGN_PARAGRAPH

from app.domain.evaluation import FIGURES, ROLES
from app.domain.formatting import vn_number
from app.exports.report_docx import _font, _para, new_document


def _score(v) -> str:
    return "—" if v is None else vn_number(v, 2)


def build(d: dict) -> bytes:
    doc = new_document()
    ev, row = d["ev"], d["row"]
    _para(doc, ev.agency.name.upper(), 13, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    _para(doc, ev.unit.name, 13, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "PHIẾU TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=0)
    _para(doc, d["period"].label, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"Họ và tên: {row['name']}; chức vụ: {row['title'] or ''}.")
    _para(doc, f"Trạng thái: {d['state']} (phiên bản {ev.version}).", italic=True)
    t = doc.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for c, text in zip(t.rows[0].cells, ("Số liệu", "Tính từ dữ liệu", "Được sử dụng")):
        _font(c.paragraphs[0].add_run(text), 12, bold=True)
    for key, label in FIGURES.items():
        cells = t.add_row().cells
        _font(cells[0].paragraphs[0].add_run(label), 12)
        _font(cells[1].paragraphs[0].add_run(vn_number(row["computed"][key])), 12)
        used = vn_number(row["figures"][key])
        corr = row["corrections"].get(key)
        if corr:
            used += f" (sửa: {corr['reason']})"
        _font(cells[2].paragraphs[0].add_run(used), 12)
    roles = "; ".join(f"{ROLES[r].lower()}: {vn_number(f['assigned'])}" for r, f in row["roles"].items() if f["assigned"])
    if roles:
        _para(doc, f"Theo vai trò – {roles}.", 12, before=6)
    s = row["score"]
    _para(doc, f"Số lượng: {_score(s['quantity'])}; chất lượng: {_score(s['quality'])}; tiến độ: {_score(s['progress'])}.",
          before=6)
    _para(doc, f"Tổng điểm: {_score(s['total'])}. Mức xếp loại đề xuất: {s['rating_label']}.", bold=True)
    if row["head_comment"]:
        _para(doc, f"Nhận xét của Trưởng phòng: {row['head_comment']}")
    if row["person_comment"]:
        _para(doc, f"Ý kiến của người được đánh giá: {row['person_comment']}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(d: dict) -> str:
    return f"danh-gia-{d['person'].username}-{d['period'].key}-v{d['ev'].version}.docx"
