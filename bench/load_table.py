#!/usr/bin/env python
"""Side-by-side table of two locust runs (bench/load-test.sh): requests/s, p50/p95/p99 per
page and errors, idle mix against the mix with downloads, from the request logs the
locustfile writes (LOAD_LOG). Percentiles are exact (computed from every request), and the
row "all pages" pools every page request (not the downloads, not the login).

    python bench/load_table.py IDLE_LOG IDLE_SECONDS DOWNLOAD_LOG DOWNLOAD_SECONDS [TITLE]
"""
from __future__ import annotations

import sys
from collections import defaultdict


def read(path: str) -> dict[str, list[tuple[float, bool]]]:
    out: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, ms, ok = line.rstrip("\n").split("\t")
            out[name].append((float(ms), ok == "1"))
    return out


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def cells(rows: list[tuple[float, bool]] | None, seconds: float) -> str:
    if not rows:
        return "— | — | — | — | —"
    ms = [m for m, _ in rows]
    errors = sum(1 for _, ok in rows if not ok)
    return (f"{len(rows) / seconds:.1f} | {pct(ms, 50):.0f} | {pct(ms, 95):.0f} | {pct(ms, 99):.0f} | {errors}")


def main() -> None:
    idle_path, idle_s, dl_path, dl_s = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    title = sys.argv[5] if len(sys.argv) > 5 else ""
    idle, dl = read(idle_path), read(dl_path)
    skip = {"login", "login form"}
    pages = sorted(n for n in set(idle) | set(dl) if n not in skip and not n.startswith("download"))
    downloads = sorted(n for n in set(idle) | set(dl) if n.startswith("download"))
    pooled = lambda runs: [r for n in pages for r in runs.get(n, [])]  # noqa: E731
    out = []
    if title:
        out += [title, ""]
    out += ["| page | idle: req/s | p50 ms | p95 ms | p99 ms | errors | with downloads: req/s | p50 ms | p95 ms | p99 ms | errors |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for n in pages + downloads:
        out.append(f"| {n} | {cells(idle.get(n), idle_s)} | {cells(dl.get(n), dl_s)} |")
    out.append(f"| **all pages** | {cells(pooled(idle), idle_s)} | {cells(pooled(dl), dl_s)} |")
    p95_idle, p95_dl = pct([m for m, _ in pooled(idle)], 95), pct([m for m, _ in pooled(dl)], 95)
    errors = sum(1 for runs in (idle, dl) for n in runs for _, ok in runs[n] if not ok)
    out += ["", f"Page p95 with downloads / idle: **{p95_dl / p95_idle:.2f}×** (target ≤ 2×); errors: **{errors}**."]
    print("\n".join(out))


if __name__ == "__main__":
    main()
