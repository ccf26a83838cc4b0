"""Plan import at size: 2 000 rows against 600 units are matched well under a second, with
the same matches as the previous scan-and-difflib matcher (issue 16, item 6)."""
from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from app.domain.plantable import UnitIndex, match_cell, match_unit

_spec = importlib.util.spec_from_file_location(
    "bench_import_match", Path(__file__).resolve().parents[2] / "bench" / "import_match.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_two_thousand_rows_against_six_hundred_units_under_a_second():
    units = bench.make_units(600)
    cells = bench.make_cells(2000, units)
    started = time.process_time()  # CPU time: other jobs on the machine do not count
    index = UnitIndex(units)
    matched = [(match_cell(lead, index), match_cell(coop, index)) for lead, coop in cells]
    spent = time.process_time() - started
    assert spent < 1.0, f"{spent:.2f} s"
    assert sum(1 for lead, _ in matched if lead.unit_ids) > 1700
    assert sum(len(lead.unknown) for lead, _ in matched) > 50  # "Ban quản lý dự án …" stays unknown


def test_same_matches_as_the_previous_matcher():
    units = bench.make_units(600)
    cells = bench.make_cells(2000, units)[:40]
    index = UnitIndex(units)
    for lead, coop in cells:
        assert match_cell(lead, index) == bench.old_match_cell(lead, units), lead
        assert match_cell(coop, index) == bench.old_match_cell(coop, units), coop
    # Single names: typos, no accents, codes, prefixes, near-ties.
    for name in ["Phong Bao tro xa hoi", "Văn phòng", "VP", "U17", "UBND xã Mai Pha", "Trung tâm Y tế",
                 bench._typo(__import__("random").Random(3), units[5].name), "", "zzz"]:
        assert match_unit(name, index) == bench.old_match_unit(name, units), name
