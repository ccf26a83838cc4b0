"""Every main page makes the same number of SQL queries whatever the data size.

The data set of `flask gen-data --scale small` is built, then three times as large; each
page is requested as each role and its statements counted. A page whose count grows with
the data (an N+1 loop) fails here, with the statements that differ.
"""
from __future__ import annotations

from collections import Counter

from app.auth.services import hash_password
from app.clock import today
from app.extensions import db
from dataclasses import replace

from app.ops.gendata import ACCOUNTS, PASSWORD, PROVINCE_ACCOUNTS, SCALES, generate, scaled
from app.ops.pages import MAIN_PAGES, PROVINCE_PAGES, available, concrete, sample_ids
from app.ops.querycount import count_queries
from tests.conftest import login

# Pages known to make more queries as the data grows, with where and why. The test below
# proves each is still unbounded, so fixing one fails it until its line is removed here.
KNOWN_UNBOUNDED: dict[str, str] = {}
_CACHE: dict[str, dict] = {}


def _fill(factor: float, agencies: int = 1) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        generate(conn, replace(scaled(SCALES["small"], factor), agencies=agencies), today(),
                 hash_password(PASSWORD))


def _measure(app, client, accounts=ACCOUNTS, pages=MAIN_PAGES) -> dict[tuple[str, str], list[str]]:
    ids = sample_ids()
    out = {}
    for role, username in accounts.items():
        login(client, username, PASSWORD)
        for spec in pages:
            path = concrete(spec, ids)
            if role not in spec.roles or not available(app, spec, ids):
                continue
            client.get(path)  # warm-up (first-request work is not per-row work)
            db.session.remove()
            with count_queries(db.engine) as q:
                r = client.get(path)
            assert r.status_code == 200, (spec.name, role, r.status_code)
            out[(spec.name, role)] = q.statements
    return out


def _both_sizes(app, client) -> tuple[dict, dict]:
    if not _CACHE:
        _fill(1)
        _CACHE["small"] = _measure(app, client)
        _fill(3)
        _CACHE["large"] = _measure(app, client)
    return _CACHE["small"], _CACHE["large"]


def test_query_count_constant_in_data_size(app, client, ctx):
    small, large = _both_sizes(app, client)
    assert small.keys() == large.keys() and small, "no page measured"
    problems = []
    for key in small:
        if key[0] in KNOWN_UNBOUNDED:
            continue
        if len(small[key]) != len(large[key]):
            extra = Counter(large[key]) - Counter(small[key])
            worst = extra.most_common(1)[0][0][:300] if extra else ""
            problems.append(f"{key}: {len(small[key])} queries at ×1, {len(large[key])} at ×3; "
                            f"repeated: {worst}")
    assert not problems, "\n".join(problems)


def test_query_count_constant_in_the_number_of_agencies(app, client, ctx):
    """Province-wide data: twice the agencies (twice the rows) cost an agency's pages and the
    province dashboard (every agency ranked) the same number of statements."""
    sizes = []
    for agencies in (2, 4):
        _fill(1, agencies)
        sizes.append({**_measure(app, client),
                      **_measure(app, client, PROVINCE_ACCOUNTS, PROVINCE_PAGES)})
    small, large = sizes
    assert small.keys() == large.keys()
    assert {("province (all agencies)", "office"), ("province drill-down", "leader"),
            ("province", "office"), ("tasks", "staff")} <= small.keys()
    problems = [f"{key}: {len(small[key])} queries with 2 agencies, {len(large[key])} with 4"
                for key in small if len(small[key]) != len(large[key])]
    assert not problems, "\n".join(problems)


def test_known_unbounded_pages_still_grow(app, client, ctx):
    small, large = _both_sizes(app, client)
    for key in small:
        if key[0] in KNOWN_UNBOUNDED:
            assert len(large[key]) > len(small[key]), \
                f"{key[0]} is bounded now: remove it from KNOWN_UNBOUNDED"


def test_every_main_page_routed_is_measured(app):
    """The list is the contract: pages of merged features are visited, not silently skipped."""
    present = [s.name for s in MAIN_PAGES
               if available(app, s, {"plan_id": 1, "task_id": 1, "report_id": 1})]
    assert {"home", "plans", "plan", "tasks", "task", "overdue", "notifications", "dashboard",
            "catalog search", "reports", "report draft", "province"} <= set(present)
