#!/usr/bin/env python
"""Plan import: matching the unit cells of a large appendix table against many units.

    .venv/bin/python bench/import_match.py [--rows 2000] [--units 600] [--old-rows 100]

Builds `--units` unit names (divisions, affiliates, communes of a province) and `--rows` rows
whose "chủ trì" and "phối hợp" cells name them as clerks do (exact, without accents, with
typos, lists, collectives, unknown names), then times app.domain.plantable.match_cell over
every cell with one UnitIndex (as the import does), and the previous algorithm (difflib
against every unit for every candidate) over the first `--old-rows` rows, checking both give
the same matches. tests/domain/test_plantable_speed.py runs the same at full size.
"""
from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain import plantable  # noqa: E402
from app.domain.plantable import UnitIndex, UnitRef, _norm, match_cell  # noqa: E402
from app.domain.text import fold  # noqa: E402

FIELDS = ["Bảo trợ xã hội", "Lao động, Việc làm", "Trẻ em", "Người có công", "Giáo dục nghề nghiệp",
          "Tài chính", "Kế hoạch", "Thanh tra", "Pháp chế", "Tổ chức cán bộ", "Văn hóa", "Y tế",
          "Tư pháp", "Nông nghiệp", "Tài nguyên và Môi trường", "Xây dựng", "Giao thông", "Nội vụ"]
PLACES = ["Hoàng Văn Thụ", "Tam Thanh", "Chi Lăng", "Đông Kinh", "Vĩnh Trại", "Mai Pha", "Quảng Lạc",
          "Hoàng Đồng", "Cao Lộc", "Văn Lãng", "Tràng Định", "Bình Gia", "Bắc Sơn", "Hữu Lũng", "Lộc Bình",
          "Đình Lập", "Văn Quan", "Na Sầm", "Đồng Đăng", "Thất Khê"]


def make_units(n: int, seed: int = 1) -> list[UnitRef]:
    rng = random.Random(seed)
    units, seen = [], set()
    units.append(UnitRef(1, "Văn phòng Sở", "office", "VP"))
    while len(units) < n:
        k = len(units) + 1
        kind = rng.choice(["division", "affiliate", "local", "local"])
        if kind == "division":
            name = f"Phòng {rng.choice(FIELDS)} {rng.choice(['', '– ' + rng.choice(FIELDS)])}".strip()
        elif kind == "affiliate":
            name = f"Trung tâm {rng.choice(FIELDS)} {rng.choice(PLACES)}"
        else:
            name = f"UBND {rng.choice(['xã', 'phường', 'thị trấn'])} {rng.choice(PLACES)} {k}"
        if name in seen:
            continue
        seen.add(name)
        units.append(UnitRef(k, name, kind, f"U{k}"))
    return units


def _typo(rng: random.Random, s: str) -> str:
    i = rng.randrange(1, len(s) - 1)
    return s[:i] + s[i + 1:] if rng.random() < 0.5 else s[:i] + s[i] + s[i:]


def make_cells(rows: int, units: list[UnitRef], seed: int = 2) -> list[tuple[str, str]]:
    rng = random.Random(seed)

    def name() -> str:
        u = rng.choice(units)
        r = rng.random()
        if r < 0.5:
            return u.name
        if r < 0.65:
            return fold(u.name)
        if r < 0.85:
            return _typo(rng, u.name)
        if r < 0.93:
            return rng.choice(["Các phòng chuyên môn thuộc Sở", "UBND cấp huyện", "Các đơn vị trực thuộc"])
        return f"Ban quản lý dự án {rng.randint(1, 99)}"

    return [(name(), ", ".join(name() for _ in range(rng.choice([0, 1, 2, 3])))) for _ in range(rows)]


def old_match_unit(name: str, units: list[UnitRef]):
    """The matcher before the index (commit c3548a3): a scan and difflib against every unit."""
    n = _norm(name)
    if not n:
        return None
    for u in units:
        if n == _norm(u.name) or fold(name) == fold(u.code):
            return u
    prefixed = [u for u in units if _norm(u.name).startswith(n + " ")]
    if len(prefixed) == 1:
        return prefixed[0]
    scored = sorted(((difflib.SequenceMatcher(None, n, _norm(u.name)).ratio(), u.id, u) for u in units),
                    reverse=True)
    if scored and scored[0][0] >= 0.88 and (len(scored) == 1 or scored[1][0] < scored[0][0] - 0.05):
        return scored[0][2]
    return None


def old_match_cell(text: str, units: list[UnitRef]):
    real = plantable._index
    plantable._index = lambda us: _Scan(list(us))  # match_cell's loop, with the old matcher
    try:
        return match_cell(text, units)
    finally:
        plantable._index = real


class _Scan(list):
    @property
    def by_kind(self):
        out = {}
        for u in self:
            out.setdefault(u.kind, []).append(u)
        return out

    def match(self, name):
        return old_match_unit(name, self)


def run(rows: int, units_n: int, old_rows: int) -> dict:
    units = make_units(units_n)
    cells = make_cells(rows, units)
    started = time.perf_counter()
    index = UnitIndex(units)
    new = [(match_cell(lead, index), match_cell(coop, index)) for lead, coop in cells]
    new_s = time.perf_counter() - started
    started = time.perf_counter()
    old = [(old_match_cell(lead, units), old_match_cell(coop, units)) for lead, coop in cells[:old_rows]]
    old_s = time.perf_counter() - started
    same = all(a == b for a, b in zip(old, new[:old_rows]))
    return {"rows": rows, "units": units_n, "new_s": new_s, "old_rows": old_rows, "old_s": old_s,
            "same": same, "matched": sum(len(a.unit_ids) for a, _ in new)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--units", type=int, default=600)
    ap.add_argument("--old-rows", type=int, default=100)
    a = ap.parse_args()
    r = run(a.rows, a.units, a.old_rows)
    per_old = r["old_s"] / max(r["old_rows"], 1)
    print(f"{r['rows']} rows × {r['units']} units: {r['new_s'] * 1000:.0f} ms with the index "
          f"({r['matched']} lead units matched); before: {r['old_s']:.1f} s for {r['old_rows']} rows "
          f"(≈ {per_old * r['rows']:.0f} s for all); same matches: {r['same']}")


if __name__ == "__main__":
    main()
