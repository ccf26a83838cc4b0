#!/usr/bin/env python
"""Benchmark the main pages and downloads on a generated data set, on SQLite and PostgreSQL.

    /work/venv/bin/python bench/bench.py --scale province --db both \
        --pg-url postgresql://portal:...@127.0.0.1:5432/portal_bench

Province-wide data (`--scale province`: 20 agencies × 50 000 tasks, or `--agencies N`) adds the
province dashboard as the province's office and leader, and the latest reporting request's
status page, consolidation page and consolidated DOCX/XLSX (every agency's report summed). `--versus-one-agency` also builds the
same first agency alone (`--scale agency`, or the chosen scale with one agency) and prints
agency 1's pages side by side: other agencies' data must not slow them.

    python bench/bench.py --scale province --versus-one-agency --db both --pg-url ...

For each page of app/ops/pages.py (as each role that uses it) it reports the median and p95
server time over --runs requests and the SQL statements per request; for each download the
time and size; and, as the baseline of the same run, a bare Flask page that renders THE SAME
rows (the objects the page links to, by id) from ONE raw SQL query through a compiled template.
Every request, page or baseline, runs in its own request and application context through a
logged-in session (user loader and session row included), as a browser's would. Pages of
features not merged yet are listed as skipped. The databases are built with `gen-data` when missing (or with --rebuild) and reused
otherwise. Results: bench/results/latest.md (Markdown) and stdout.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TODAY = "2026-06-15"  # data and pages share one pinned "today"

from flask import Flask, render_template  # noqa: E402
from jinja2 import DictLoader  # noqa: E402
from sqlalchemy import bindparam  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

# The baseline: a bare Flask page rendering THE SAME rows the measured page shows (the objects
# it links to, read by id in one raw SQL query) through a compiled template, as the real pages
# are (Jinja compiles a template once per process). A page that links to no object (the
# dashboard's units, the notifications) is compared with as many tasks.
_COLS = "{id} AS id, {content} AS content, {a} AS due_text, {b} AS due_on, {unit} AS unit, {state} AS state"
BASELINE_KINDS: dict[str, tuple[re.Pattern, str]] = {
    "tasks": (re.compile(r'href="/tasks/(\d+)"'),
              "SELECT " + _COLS.format(id="t.id", content="t.content", a="t.due_text", b="t.due_on",
                                       unit="u.name", state="s.state")
              + " FROM tasks t JOIN units u ON u.id = t.lead_unit_id"
                " LEFT JOIN submissions s ON s.task_id = t.id WHERE t.id IN :ids ORDER BY t.due_on, t.id"),
    "plans": (re.compile(r'href="/plans/(\d+)"'),
              "SELECT " + _COLS.format(id="p.id", content="p.title", a="p.number", b="p.issued_on",
                                       unit="a.name", state="p.state")
              + " FROM plans p JOIN agencies a ON a.id = p.agency_id WHERE p.id IN :ids ORDER BY p.year DESC, p.id"),
    "procedures": (re.compile(r'href="/catalog/(\d+)"'),
                   "SELECT " + _COLS.format(id="c.id", content="c.name", a="c.code", b="c.processing_days",
                                            unit="u.name", state="c.level")
                   + " FROM procedures c LEFT JOIN units u ON u.id = c.lead_unit_id WHERE c.id IN :ids ORDER BY c.code"),
    "reports": (re.compile(r'href="/reports/(\d+)"'),
                "SELECT " + _COLS.format(id="r.id", content="r.title", a="r.period_key", b="r.number",
                                         unit="a.name", state="r.state")
                + " FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.id IN :ids ORDER BY r.id DESC"),
    "users": (re.compile(r'href="/admin/users/(\d+)'),
              "SELECT " + _COLS.format(id="x.id", content="x.full_name", a="x.username", b="x.role",
                                       unit="u.name", state="x.active")
              + " FROM users x JOIN units u ON u.id = x.unit_id WHERE x.id IN :ids ORDER BY x.username"),
}
BASELINE_FIRST_TASKS = text("""
    SELECT t.id, t.content, t.due_text, t.due_on, u.name AS unit, s.state
    FROM tasks t JOIN units u ON u.id = t.lead_unit_id
    LEFT JOIN submissions s ON s.task_id = t.id
    ORDER BY t.due_on, t.id LIMIT :n""")
BASELINE_TEMPLATE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><table><thead><tr><th>#</th><th>Nội dung</th><th>Số, thời hạn</th><th>Đơn vị</th><th>Trạng thái</th></tr></thead><tbody>
{% for r in rows %}<tr><td>{{ r.id }}</td><td>{{ r.content }}</td><td>{{ r.due_text }} {{ r.due_on }}</td><td>{{ r.unit }}</td><td>{{ r.state }}</td></tr>
{% endfor %}</tbody></table></body></html>"""


def baseline_rows_of(body: str, rows: int) -> tuple[str, tuple[int, ...] | int]:
    """What the page shows: (kind, ids in page order) for the kind of object it links to most,
    or ("tasks", n) for a page that links to none."""
    best, best_ids = None, ()
    for kind, (pattern, _sql) in BASELINE_KINDS.items():
        ids = tuple(dict.fromkeys(int(m) for m in pattern.findall(body)))
        if len(ids) > len(best_ids):
            best, best_ids = kind, ids
    if best is None:
        return "first tasks", rows
    return best, best_ids


def normalize(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def build_app(url: str):
    from app import create_app
    return create_app("config.Config", {"SQLALCHEMY_DATABASE_URI": url, "PORTAL_TODAY": TODAY,
                                        "WTF_CSRF_ENABLED": False, "SERVER_NAME": None})


def scale_of(scale: str, agencies: int | None):
    from dataclasses import replace

    from app.ops.gendata import SCALES
    return replace(SCALES[scale], agencies=agencies) if agencies else SCALES[scale]


def ensure_data(app, scale: str, rebuild: bool, agencies: int | None = None) -> dict[str, int]:
    from flask_migrate import upgrade

    from app.auth.services import hash_password
    from app.clock import today
    from app.extensions import db
    from app.ops.dbutil import ordered_tables, reflect
    from app.ops.gendata import PASSWORD, generate
    sc = scale_of(scale, agencies)
    with app.app_context():
        upgrade(revision="heads")
        from app.models import Agency, Task
        have = db.session.scalar(select(func.count(Task.id))) or 0
        have_agencies = db.session.scalar(select(func.count(Agency.id)).where(Agency.kind != "province")) or 0
        if rebuild or have < sc.tasks * sc.agencies or have_agencies != sc.agencies:
            db.session.remove()
            started = time.perf_counter()
            with db.engine.begin() as conn:
                generate(conn, sc, today(), hash_password(PASSWORD), progress=lambda m: print(m, flush=True))
            print(f"  gen-data --scale {scale} --agencies {sc.agencies}: "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
            else:
                with db.engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
        with db.engine.connect() as conn:
            md = reflect(conn)
            return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in ordered_tables(md)}


BUDGET_S = 10.0  # per page: stop early (after at least 5 requests) when a page is slow
ONLY: set[str] = set()  # --pages: measure only these pages (and no download)


def timed(client, path: str, runs: int) -> tuple[list[float], object]:
    client.get(path)  # warm-up
    times, r = [], None
    started = time.perf_counter()
    for i in range(runs):
        t0 = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        if i >= 4 and time.perf_counter() - started > BUDGET_S:
            break
    return times, r


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when missing (the one-agency twin); a role that
    may not create databases gets told to create it (or to pass --pg-url-one)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError
    u = make_url(url)
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}):
                conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    except ProgrammingError as e:
        sys.exit(f"Database {u.database!r} is missing and {u.username!r} may not create it "
                 f"(create it, or pass --pg-url-one): {e.orig}")
    finally:
        admin.dispose()


def bench_db(label: str, url: str, scale: str, runs: int, rebuild: bool, agencies: int | None = None) -> dict:
    from app.extensions import db
    from app.ops.gendata import ACCOUNTS, PASSWORD, PROVINCE_ACCOUNTS
    from app.ops.pages import (DOWNLOADS, MAIN_PAGES, PROVINCE_DOWNLOADS, PROVINCE_PAGES, available, concrete,
                               sample_ids)
    from app.ops.querycount import count_queries
    print(f"== {label}", flush=True)
    app = build_app(url)
    counts = ensure_data(app, scale, rebuild, agencies)
    several = scale_of(scale, agencies).agencies > 1
    base = Flask("baseline")
    base.jinja_env.loader = DictLoader({"baseline.html": BASELINE_TEMPLATE})  # compiled once, cached
    engine = create_engine(url)
    by_kind = {k: text(sql).bindparams(bindparam("ids", expanding=True)) for k, (_p, sql) in BASELINE_KINDS.items()}

    @base.get("/baseline/<kind>/<spec>")
    def baseline(kind: str, spec: str):
        with engine.connect() as conn:
            if kind == "first tasks":
                rows = conn.execute(BASELINE_FIRST_TASKS, {"n": int(spec)}).mappings().all()
            else:
                rows = conn.execute(by_kind[kind], {"ids": [int(i) for i in spec.split(",")]}).mappings().all()
        return render_template("baseline.html", rows=rows)

    bclient = base.test_client()  # each request in its own request and application context
    baseline_cache: dict[tuple, tuple[float, float]] = {}
    pages, downloads, skipped = [], [], []
    with app.app_context():
        ids = sample_ids()
        version = db.session.scalar(text("SELECT version()")) if db.engine.dialect.name == "postgresql" \
            else "SQLite " + db.session.scalar(text("SELECT sqlite_version()"))
        db.session.remove()
    for spec in MAIN_PAGES + DOWNLOADS + (PROVINCE_PAGES + PROVINCE_DOWNLOADS if several else []):
        if not available(app, spec, ids):
            skipped.append(spec.name)
    with app.app_context():
        sql_engine = db.engine
    # Each request runs in its own application context, as in production (no outer context
    # whose `g` and session would keep the logged-in user and its session row loaded between
    # requests): the counts include the session and user loading of a real logged-in request.
    runs_of = [(role, username, MAIN_PAGES, DOWNLOADS) for role, username in ACCOUNTS.items()]
    if several:  # the province's own office and leader: every agency ranked, one drilled into,
        # the latest reporting request's status and consolidation (page, DOCX, XLSX)
        runs_of += [(role, username, PROVINCE_PAGES, PROVINCE_DOWNLOADS)
                    for role, username in PROVINCE_ACCOUNTS.items()]
    for role, username, page_specs, download_specs in runs_of:
        client = app.test_client()
        r = client.post("/login", data={"username": username, "password": PASSWORD})
        assert r.status_code == 302, (username, r.status_code)
        for spec in page_specs:
            path = concrete(spec, ids)
            if role not in spec.roles or spec.name in skipped or (ONLY and spec.name not in ONLY):
                continue
            times, resp = timed(client, path, runs)
            with count_queries(sql_engine) as q:
                client.get(path)
            body = resp.get_data(as_text=True)
            rows = max(1, len(re.findall(r"<tr[\s>]", body)) - 1)  # minus the header row
            kind, bids = baseline_rows_of(body, rows)
            key = (kind, bids)
            if key not in baseline_cache:
                spec_ = str(bids) if isinstance(bids, int) else ",".join(map(str, bids))
                btimes, bresp = timed(bclient, f"/baseline/{kind}/{spec_}", runs)
                assert bresp.status_code == 200, (kind, bresp.status_code)
                baseline_cache[key] = (statistics.median(btimes), p95(btimes))
            bmed, bp95 = baseline_cache[key]
            brows = bids if isinstance(bids, int) else len(bids)
            med = statistics.median(times)
            pages.append({"page": spec.name, "role": role, "path": path, "status": resp.status_code,
                          "n": len(times),
                          "rows": rows, "median": med, "p95": p95(times), "queries": q.count,
                          "base_kind": kind, "base_rows": brows,
                          "base_median": bmed, "base_p95": bp95, "ratio": med / bmed})
            print(f"  {spec.name:<16} {role:<7} {resp.status_code} rows={rows:<5} "
                  f"median={med:7.1f} ms p95={p95(times):7.1f} ms queries={q.count:<3} "
                  f"baseline={bmed:5.1f} ms ({brows} {kind}) ×{med / bmed:4.1f}", flush=True)
        for spec in download_specs:
            if role not in spec.roles or spec.name in skipped or (ONLY and spec.name not in ONLY):
                continue
            path = concrete(spec, ids)
            times, resp = timed(client, path, max(3, runs // 4))
            with count_queries(sql_engine) as q:
                client.get(path)
            downloads.append({"name": spec.name, "path": path, "status": resp.status_code,
                              "median": statistics.median(times), "max": max(times),
                              "bytes": len(resp.get_data()), "queries": q.count})
            print(f"  {spec.name:<28} {resp.status_code} median={statistics.median(times):7.1f} ms "
                  f"max={max(times):7.1f} ms {len(resp.get_data()) // 1024} KiB", flush=True)
        client.post("/logout")
    engine.dispose()
    sql_engine.dispose()
    return {"label": label, "version": version, "counts": counts, "pages": pages,
            "downloads": downloads, "skipped": skipped, "plan_id": ids["plan_id"],
            "agencies": scale_of(scale, agencies).agencies}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def markdown(results: list[dict], scale: str, runs: int) -> str:
    fmt = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731
    out = [f"### Benchmark — `gen-data --scale {scale}`, up to {runs} requests per page "
           f"(at least 5, within {BUDGET_S:.0f} s)",
           "", f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
           f"- Machine: {machine()}", f"- Command: `python bench/bench.py --scale {scale} --runs {runs}`"]
    counts = results[0]["counts"]
    out.append("- Data: " + ", ".join(f"{k} {fmt(v)}" for k, v in counts.items() if v))
    for res in results:
        out += ["", f"#### {res['label']} ({res['version'].split(' on ')[0]})", "",
                "| page | role | rows | requests | median ms | p95 ms | SQL queries | baseline rows | baseline median ms | × baseline | ≤ 3× |",
                "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|"]
        for p in res["pages"]:
            ok = "✓" if p["ratio"] <= 3 else "✗"
            out.append(f"| {p['page']} | {p['role']} | {p['rows']} | {p['n']} | {p['median']:.1f} | {p['p95']:.1f} | "
                       f"{p['queries']} | {p['base_rows']} {p['base_kind']} | {p['base_median']:.1f} | {p['ratio']:.1f} | {ok} |")
        within = sum(1 for p in res["pages"] if p["ratio"] <= 3)
        out += ["", f"Within 3× the baseline: **{within} of {len(res['pages'])}** page × role cells."]
        if res["downloads"]:
            out += ["", "| download | median ms | max ms | size | SQL queries | < 2 s |", "|---|--:|--:|--:|--:|:-:|"]
            for d in res["downloads"]:
                ok = "✓" if d["max"] < 2000 else "✗"
                out.append(f"| {d['name']} (`{d['path']}`) | {d['median']:.0f} | {d['max']:.0f} | "
                           f"{d['bytes'] // 1024} KiB | {d['queries']} | {ok} |")
        if res["skipped"]:
            out += ["", "Not routed yet or no data for them (skipped): " + ", ".join(res["skipped"]) + "."]
    return "\n".join(out) + "\n"


def side_by_side(pairs: list[tuple[dict, dict]]) -> str:
    """Agency 1's pages in a one-agency database and in the province-wide one, same run."""
    out = []
    for one, many in pairs:
        n = many["agencies"]
        tasks = lambda res: f"{res['counts'].get('tasks', 0):,}".replace(",", ".")  # noqa: E731
        out += ["", f"#### {many['label']}: one agency ({tasks(one)} tasks) against {n} agencies "
                    f"({tasks(many)} tasks), agency 1's pages", "",
                "| page | role | one agency median / p95 ms | " + f"{n} agencies median / p95 ms | × | SQL queries (one / {n}) |",
                "|---|---|--:|--:|--:|--:|"]
        alone = {(p["page"], p["role"]): p for p in one["pages"]}
        for p in many["pages"]:
            a = alone.get((p["page"], p["role"]))
            if a is None:  # the province's own pages exist only with several agencies
                out.append(f"| {p['page']} | {p['role']} | — | {p['median']:.1f} / {p['p95']:.1f} | — | — / {p['queries']} |")
                continue
            out.append(f"| {p['page']} | {p['role']} | {a['median']:.1f} / {a['p95']:.1f} | "
                       f"{p['median']:.1f} / {p['p95']:.1f} | {p['median'] / a['median']:.2f} | "
                       f"{a['queries']} / {p['queries']} |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="province", choices=["small", "medium", "agency", "department", "province"])
    ap.add_argument("--agencies", type=int, default=None,
                    help="agencies of the scale's volume each (default: the scale's; province 20)")
    ap.add_argument("--versus-one-agency", action="store_true",
                    help="also measure the first agency alone and print both side by side")
    ap.add_argument("--pg-url-one", default=os.environ.get("BENCH_PG_URL_ONE", ""),
                    help="PostgreSQL database of the one-agency twin (default: --pg-url's name + _one)")
    ap.add_argument("--db", default="both", choices=["sqlite", "postgresql", "both"])
    ap.add_argument("--sqlite-path", default=None, help="default: bench/results/<scale>.sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", ""))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pages", default="", help="only these pages (names, comma-separated; no downloads)")
    ap.add_argument("--rebuild", action="store_true", help="regenerate the data even if present")
    ap.add_argument("--out", default=str(RESULTS / "latest.md"), help="where the Markdown goes")
    ap.add_argument("--budget", type=float, default=BUDGET_S,
                    help="seconds per page before stopping early (at least 5 requests)")
    args = ap.parse_args()
    globals()["BUDGET_S"] = args.budget
    globals()["ONLY"] = {p.strip() for p in args.pages.split(",") if p.strip()}
    os.environ["PORTAL_TODAY"] = TODAY
    RESULTS.mkdir(parents=True, exist_ok=True)
    results, pairs = [], []
    several = scale_of(args.scale, args.agencies).agencies
    tag = args.scale if args.agencies is None else f"{args.scale}-{several}"
    one_scale = "agency" if args.scale == "province" else args.scale
    if args.db in ("sqlite", "both"):
        path = Path(args.sqlite_path or RESULTS / f"{tag}.sqlite").resolve()
        res = bench_db("SQLite", f"sqlite:///{path}", args.scale, args.runs, args.rebuild, args.agencies)
        results.append(res)
        if args.versus_one_agency:
            one_path = path.with_name(f"{one_scale}-one.sqlite")
            pairs.append((bench_db("SQLite, one agency", f"sqlite:///{one_path}", one_scale, args.runs,
                                   args.rebuild, 1), res))
    if args.db in ("postgresql", "both"):
        if not args.pg_url:
            sys.exit("--pg-url (or BENCH_PG_URL) is needed for PostgreSQL")
        ensure_pg_database(normalize(args.pg_url))
        res = bench_db("PostgreSQL", normalize(args.pg_url), args.scale, args.runs, args.rebuild, args.agencies)
        results.append(res)
        if args.versus_one_agency:
            from sqlalchemy.engine import make_url
            one_url = normalize(args.pg_url_one) if args.pg_url_one else \
                make_url(normalize(args.pg_url)).set(database=make_url(normalize(args.pg_url)).database + "_one") \
                .render_as_string(hide_password=False)
            ensure_pg_database(one_url)
            pairs.append((bench_db("PostgreSQL, one agency", one_url, one_scale, args.runs, args.rebuild, 1), res))
    md = markdown(results, args.scale, args.runs)
    if pairs:
        md += side_by_side(pairs)
    Path(args.out).write_text(md, encoding="utf-8")
    print()
    print(md)


if __name__ == "__main__":
    main()
