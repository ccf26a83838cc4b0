"""The province's consolidated report as DOCX in the Nghị định 30/2020/NĐ-CP layout, signed for
UBND tỉnh ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"), with the per-agency Biểu II.06a table on a
landscape page. Built from app.sendup.services.consolidation(); no queries here."""
from __future__ import annotations

from io import BytesIO

from docx.enum.text import WD_ALIGN_PARAGRAPH

from app.exports.report_docx import BODY_PT, _annex, _footer, _narrative, _para, new_document, title_block
from app.reports.services import II06A_COLUMNS, II06A_TITLE

SECTIONS = (("I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", "status"),
            ("II. TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "dossiers"),
            ("III. KẾT QUẢ RÀ SOÁT, CẮT GIẢM THỜI GIAN VÀ CHI PHÍ TUÂN THỦ", "cuts"))


def annex(d: dict) -> dict:
    """The per-agency table as a Biểu II.06a annex (the form's columns; 'Cơ quan' for 'Đơn vị')."""
    cols = [dict(c, headers=["Cơ quan, đơn vị", None, None]) if c["key"] == "unit" else c for c in II06A_COLUMNS]
    return {"code": "II.06a/VPCP/KSTT", "title": II06A_TITLE, "columns": cols, "count_unit": "hồ sơ",
            "rows": d["rows"], "total": d["total"] or {}}


def build(d: dict) -> bytes:
    doc = new_document()
    title_block(doc, d)
    _narrative(doc, f"Trên cơ sở báo cáo của các cơ quan, đơn vị, Ủy ban nhân dân tỉnh báo cáo tình hình, "
                    f"kết quả thực hiện {d['period']['label']} như sau:")
    for heading, key in SECTIONS:
        _para(doc, heading, BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
        _narrative(doc, "\n".join(d["lines"][key]))
    _narrative(doc, "(Chi tiết số liệu của từng cơ quan, đơn vị tại Biểu kèm theo.)")
    _narrative(doc, f"Trên đây là báo cáo tình hình, kết quả thực hiện {d['period']['label']} của "
                    "Ủy ban nhân dân tỉnh./.")
    _footer(doc, d)
    _annex(doc, d, annex(d))
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(d: dict) -> str:
    return f"bao-cao-tong-hop-tinh-{d['period']['key']}.docx"
