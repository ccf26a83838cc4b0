"""XLSX of the province dashboard's ranking (built from the service result, no queries)."""
from __future__ import annotations

import io

import xlsxwriter

from app.domain.formatting import vn_date
from app.domain.province import SORTS


def ranking_xlsx(d) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    font = {"font_name": "Times New Roman"}
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                          "valign": "vcenter", **font})
    cell = wb.add_format({"border": 1, **font})
    pct = wb.add_format({"border": 1, "num_format": "0.00%", **font})
    title = wb.add_format({"bold": True, "font_size": 13, **font})
    ws = wb.add_worksheet("Xếp hạng cơ quan")
    ws.write(0, 0, f"Xếp hạng cơ quan theo {SORTS[d.sort].lower()} — năm {d.year} (tính đến {vn_date(d.on)})",
             title)
    r1, r2 = d.rounds
    headers = ["Hạng", "Cơ quan", "Nhiệm vụ đã hoàn thành", "Hoàn thành đúng hạn", "Tỷ lệ đúng hạn",
               "Nhiệm vụ quá hạn", "Báo cáo đúng hạn", "Kỳ báo cáo đã đến hạn", "Tỷ lệ báo cáo đúng hạn",
               "TTHC nội bộ", f"Đã rà soát đến {vn_date(r1.deadline)}", f"Tỷ lệ lần 1 (mục tiêu ≥ {round(r1.target * 100)} %)",
               "Đánh giá lần 1", f"Đã rà soát đến {vn_date(r2.deadline)}",
               f"Tỷ lệ lần 2 (mục tiêu {round(r2.target * 100)} %)", "Đánh giá lần 2"]
    for j, h in enumerate(headers):
        ws.write(2, j, h, head)
    formats = [cell, cell, cell, cell, pct, cell, cell, cell, pct, cell, cell, pct, cell, cell, pct, cell]
    for i, a in enumerate(d.rows, start=3):
        g1, g2 = a.rounds
        row = [a.rank, a.name, a.accepted, a.on_time, a.on_time_rate, a.overdue, a.reports_on_time,
               a.reports_due, a.punctuality, g1.total, g1.reviewed, g1.share, g1.state_label,
               g2.reviewed, g2.share, g2.state_label]
        for j, v in enumerate(row):
            if v is None:
                ws.write_blank(i, j, None, cell)
            else:
                ws.write(i, j, v, formats[j])
    ws.freeze_panes(3, 2)
    ws.autofilter(2, 0, 2 + len(d.rows), len(headers) - 1)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 45)
    ws.set_column(2, len(headers) - 1, 14)
    wb.close()
    return buf.getvalue()
