"""XLSX of the province dashboard's ranking (built from the service result, no queries)."""
from __future__ import annotations

import io

import xlsxwriter

from app.domain.formatting import vn_date
from app.domain.province import SORTS
from app.exports import table_formats, write_table


def ranking_xlsx(d) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    f = table_formats(wb)
    cell, pct = f["cell"], f["pct"]
    ws = wb.add_worksheet("Xếp hạng cơ quan")
    r1, r2 = d.rounds
    headers = ["Hạng", "Cơ quan", "Nhiệm vụ đã hoàn thành", "Hoàn thành đúng hạn", "Tỷ lệ đúng hạn",
               "Nhiệm vụ quá hạn", "Báo cáo đúng hạn", "Kỳ báo cáo đã đến hạn", "Tỷ lệ báo cáo đúng hạn",
               "TTHC nội bộ", f"Đã rà soát đến {vn_date(r1.deadline)}", f"Tỷ lệ lần 1 (mục tiêu ≥ {round(r1.target * 100)} %)",
               "Đánh giá lần 1", f"Đã rà soát đến {vn_date(r2.deadline)}",
               f"Tỷ lệ lần 2 (mục tiêu {round(r2.target * 100)} %)", "Đánh giá lần 2"]
    formats = [cell, cell, cell, cell, pct, cell, cell, cell, pct, cell, cell, pct, cell, cell, pct, cell]
    rows = ([a.rank, a.name, a.accepted, a.on_time, a.on_time_rate, a.overdue, a.reports_on_time,
             a.reports_due, a.punctuality, a.rounds[0].total, a.rounds[0].reviewed, a.rounds[0].share,
             a.rounds[0].state_label, a.rounds[1].reviewed, a.rounds[1].share, a.rounds[1].state_label]
            for a in d.rows)
    write_table(ws, f, f"Xếp hạng cơ quan theo {SORTS[d.sort].lower()} — năm {d.year} (tính đến {vn_date(d.on)})",
                headers, rows, formats, freeze_cols=2)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 45)
    ws.set_column(2, len(headers) - 1, 14)
    wb.close()
    return buf.getvalue()
