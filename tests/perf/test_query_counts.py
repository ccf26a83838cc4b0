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
            # A fresh application context, as a real request has: the test's own context would
            # keep the user (flask_login caches it on `g`) and its session row between
            # requests, and the user loader's statements would go uncounted.
            with app.app_context(), count_queries(db.engine) as q:
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
    # Counted as a real request: the session row and the user are loaded by each request.
    assert all(any("FROM user_sessions" in st for st in sts) for sts in small.values())
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


def test_sidebar_counters_cost_one_query_each(app, client, ctx):
    """The sidebar on every page: one COUNT per counter shown, at most three, whatever the data."""
    from flask_login import login_user
    from sqlalchemy import select

    from sqlalchemy.orm import joinedload

    from app.models import Unit, User
    from app.navigation import work_counters
    _fill(1)  # the cached measurements above outlive their data (emptied after each test)
    for role, username in ACCOUNTS.items():
        # Loaded as the session loader loads it (app/auth/sessions.py): with its unit and agency.
        user = db.session.scalar(select(User).where(User.username == username)
                                 .options(joinedload(User.unit).joinedload(Unit.agency)))
        with app.test_request_context("/"):
            login_user(user)
            with count_queries(db.engine) as q:
                counters = work_counters()
        assert 1 <= len(counters) <= 3, role
        # The working-day calendar ("due soon") is read once per request, shared with the page.
        counting = [st for st in q.statements if "FROM calendar_days" not in st]
        assert len(counting) == len(counters) and len(q.statements) <= len(counters) + 1, (role, q.statements)


def _add_agencies(province, office_user, start: int, count: int) -> None:
    """`count` more agencies of the province: two in three sent their quarter II/2022 report
    (one of those returned), the third was reminded and sent nothing."""
    from app.models import Report, ReportingReminder
    from tests.conftest import make_agency, make_unit, make_user
    for i in range(start, start + count):
        a = make_agency(f"Sở thứ {i} tỉnh Lạng Sơn", f"Sở thứ {i}", f"S{i}", order=10 + i, header=f"SỞ THỨ {i}")
        vp = make_unit("Văn phòng Sở", "VP", "office", 1, agency=a)
        u = make_user(f"vp_s{i}", "office", vp)
        db.session.flush()
        if i % 3 == 2:
            db.session.add(ReportingReminder(request_id=1, agency_id=a.id, actor_id=office_user.id))
            continue
        dossiers = {"received_online": i, "received_direct": 10, "carried_over": 0, "resolved_early": 0,
                    "resolved_on_time": 10, "resolved_late": 0, "pending_in_time": i, "pending_late": 0}
        dossiers.update(received=10 + i, received_new=10 + i, resolved=10, pending=i)
        db.session.add(Report(agency_id=a.id, period_key="2022-q2", title="Báo cáo quý II", sections=[],
                              state="issued", number=f"{i}/BC-S{i}", snapshot={"figures": {
                                  "dossiers": dossiers, "review": {"days_current": 10, "days_proposed": 8}}},
                              sendup_state="returned" if i % 6 == 1 else "sent", sent_up_at=today_at(),
                              sent_up_by_id=u.id, created_by_id=u.id))
    db.session.commit()


def today_at():
    from app.clock import now
    return now()


def test_province_reporting_pages_bounded(app, client, ctx):
    """The province's status and consolidation pages: the same queries for 3 agencies as for 12."""
    from datetime import date
    from app.models import ReportingRequest
    from tests.conftest import make_agency, make_unit, make_user
    ubnd = make_agency("Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh", "UBND", kind="province",
                       order=1, header="ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    office = make_user("kstt_perf", "office", make_unit("Phòng Kiểm soát TTHC", "KSTT", "office", 1, agency=ubnd))
    db.session.flush()
    db.session.add(ReportingRequest(id=1, agency_id=ubnd.id, period_key="2022-q2", number="2445/VP-TTPVHCC",
                                    letter_date=date(2022, 6, 3), deadline=date(2022, 6, 10), time_cut_target=20,
                                    cost_cut_target=20, created_by_id=office.id))
    db.session.commit()
    counts = []
    for start, count in ((0, 3), (3, 9)):
        _add_agencies(ubnd, office, start, count)
        login(client, "kstt_perf")
        sizes = {}
        for path in ("/province/requests/1", "/province/requests/1/consolidation",
                     "/province/requests/1/consolidation.docx", "/province/requests/1/consolidation.xlsx"):
            client.get(path)
            db.session.remove()
            with app.app_context(), count_queries(db.engine) as q:  # a request of its own
                r = client.get(path)
            assert r.status_code == 200, (path, r.status_code)
            sizes[path] = len(q.statements)
        counts.append(sizes)
    assert counts[0] == counts[1], counts
    assert "Sở thứ 11" in client.get("/province/requests/1").get_data(as_text=True)


def test_evaluation_pages_are_measured(app, client, ctx):
    """Issue 15: a unit's evaluation sheet and a person's page (figures computed live by GROUP BY)
    are among the measured pages, so their query counts are held constant above."""
    small, large = _both_sizes(app, client)
    assert {("evaluation person", "staff"), ("evaluation person", "head"), ("evaluation person", "leader"),
            ("evaluation sheet", "head"), ("evaluation dashboard", "leader")} <= small.keys()
    assert len(small[("evaluation person", "staff")]) == len(large[("evaluation person", "staff")])
