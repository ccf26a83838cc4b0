"""How long the report DOCX's results annex takes to build for N accepted results (the annex
of a quarter-end report at province size has about a thousand):

    .venv/bin/python bench/annex_docx.py [N]      (default 1200)

No database: the annex is built from plain data, as app.exports.report_docx does."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.exports import report_docx  # noqa: E402


def main(n: int) -> None:
    per_unit = 200
    groups = [{"unit": f"Phòng {u + 1}", "items": [{"task": f"Nhiệm vụ số {i + 1} " * 4, "text": "Kết quả " * 20}
                                                     for i in range(min(per_unit, n - u * per_unit))]}
              for u in range((n + per_unit - 1) // per_unit)]
    doc = report_docx.new_document()
    start = time.perf_counter()
    report_docx._results_annex(doc, {"results_annex": groups, "period": {"label": "quý II năm 2022"}})
    print(f"{n} results in {len(groups)} units: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1200)
