"""The register of outgoing documents: numbers at issue, reservations, concurrency, the page."""
from __future__ import annotations

import io
import threading
from datetime import date

import openpyxl
import pytest

from app.domain.register import format_symbol, next_number, parse_symbol
from app.extensions import db
from app.models import PlanEvent, Report
from app.models.register import RegisterEntry, RegisterSeries
from app.register import services as register
from app.reports import services as reports
from tests.factories import make_plan


def _entries(agency_id: int, year: int, doc_type: str) -> list[RegisterEntry]:
    return list(db.session.scalars(db.select(RegisterEntry).join(RegisterSeries).where(
        RegisterSeries.agency_id == agency_id, RegisterSeries.year == year, RegisterSeries.doc_type == doc_type)
        .order_by(RegisterEntry.number)))


def _pending_report(world, quarter: int = 2) -> Report:
    r = reports.open_report(world.office_user, "quarter", 2022, quarter)
    reports.transition(world.office_user, r, "submit")
    return r


# ---- rules without the database ----------------------------------------------------------------

def test_symbol_rules():
    assert format_symbol(113, "BC", "SLĐTBXH") == "113/BC-SLĐTBXH"
    assert parse_symbol("113/BC-SLĐTBXH") == (113, "BC")
    assert parse_symbol(" 28 / KH-UBND") == (28, "KH")
    assert parse_symbol("/KH-UBND") is None and parse_symbol(None) is None
    assert next_number(5, []) == (6, False)
    assert next_number(5, [3, 2]) == (2, True)


# ---- issuing takes the number ------------------------------------------------------------------

def test_report_issue_takes_next_number_and_enters_the_register(world):
    r = _pending_report(world)
    reports.transition(world.leader, r, "issue", confirm_gaps=True)
    assert r.number == "1/BC-SLĐTBXH"
    [e] = _entries(world.agency.id, 2022, "BC")
    assert (e.number, e.symbol, e.state, e.doc_kind, e.doc_id, e.issued_by_id, e.issued_on) == (
        1, "1/BC-SLĐTBXH", "issued", "report", r.id, world.leader.id, date(2022, 5, 20))
    assert e.title == r.title and e.issued_at is not None


def test_reserved_number_is_chosen_at_issue_and_released_number_reused(world):
    first = register.reserve(world.office_user, 2022, "BC", "Báo cáo chuyên đề")       # 1
    second = register.reserve(world.office_user, 2022, "BC", "Báo cáo đột xuất")       # 2
    assert (first.symbol, second.symbol) == ("1/BC-SLĐTBXH", "2/BC-SLĐTBXH")
    r = _pending_report(world)
    reports.transition(world.leader, r, "issue", number="2/BC-SLĐTBXH", confirm_gaps=True)
    assert r.number == "2/BC-SLĐTBXH"
    db.session.refresh(second)
    assert (second.state, second.doc_id, second.note) == ("issued", r.id, "Báo cáo đột xuất")
    # number 1 is given back: the next issue of the series takes it, so the register has no gap
    register.release(world.office_user, first)
    assert first.state == "released" and first.released_by_id == world.office_user.id
    r2 = _pending_report(world, 1)
    reports.transition(world.leader, r2, "issue", confirm_gaps=True)
    assert r2.number == "1/BC-SLĐTBXH"
    db.session.refresh(first)
    assert (first.state, first.doc_id, first.released_by_id) == ("issued", r2.id, world.office_user.id)
    r3 = _pending_report(world, 3)
    reports.transition(world.leader, r3, "issue", confirm_gaps=True)
    assert r3.number == "3/BC-SLĐTBXH"
    assert [e.number for e in _entries(world.agency.id, 2022, "BC")] == [1, 2, 3]
    with pytest.raises(register.RegisterError):
        register.release(world.office_user, first)   # issued numbers are never released


def test_plan_issue_takes_number_from_register(world, as_user):
    plan = make_plan(world, state="pending", number="19/KH-SLĐTBXH", tasks=[{"lead": world.div_a}])
    c = as_user(world.leader)
    assert c.post(f"/plans/{plan.id}/transition/issue").status_code == 302
    db.session.refresh(plan)
    assert (plan.state, plan.number) == ("issued", "1/KH-SLĐTBXH")
    [e] = _entries(world.agency.id, 2022, "KH")
    assert (e.doc_kind, e.doc_id, e.issued_by_id) == ("plan", plan.id, world.leader.id)
    ev = db.session.scalar(db.select(PlanEvent).where(PlanEvent.plan_id == plan.id, PlanEvent.action == "issue"))
    assert "19/KH-SLĐTBXH" in ev.comment and "1/KH-SLĐTBXH" in ev.comment   # not silently replaced


def test_plan_issue_uses_the_number_reserved_for_it(world, as_user):
    e = register.reserve(world.office_user, 2022, "KH", "Kế hoạch rà soát TTHC")
    register.reserve(world.office_user, 2022, "KH", "Kế hoạch khác")
    plan = make_plan(world, state="pending", number=e.symbol, tasks=[{"lead": world.div_a}])
    as_user(world.leader).post(f"/plans/{plan.id}/transition/issue")
    db.session.refresh(plan)
    db.session.refresh(e)
    assert (plan.number, e.state, e.doc_id) == ("1/KH-SLĐTBXH", "issued", plan.id)


def test_opening_number_continues_a_paper_register(world):
    register.set_opening(None, world.agency, 2022, "BC", 112)
    r = _pending_report(world)
    reports.transition(world.leader, r, "issue", number="113/BC-SLĐTBXH", confirm_gaps=True)
    assert r.number == "113/BC-SLĐTBXH"
    with pytest.raises(register.RegisterError):
        register.set_opening(None, world.agency, 2022, "BC", 200)


def test_documents_issued_before_the_register_are_entered(world):
    plan = make_plan(world, state="issued", number="19/KH-SLĐTBXH")
    assert register.enter_issued_documents() == 1
    db.session.commit()
    [e] = _entries(world.agency.id, 2022, "KH")
    assert (e.number, e.symbol, e.doc_id) == (19, "19/KH-SLĐTBXH", plan.id)
    assert register.enter_issued_documents() == 0   # once
    assert register.next_symbol(world.agency, 2022, "KH") == "20/KH-SLĐTBXH"


# ---- concurrency -------------------------------------------------------------------------------

def test_parallel_issuing_gives_1_to_n_without_duplicates_or_gaps(app, world):
    """Threads issue at once against the real database file (SQLite) or server (PostgreSQL),
    each in its own connection and transaction; one of every five rolls back after taking a
    number (a refused issue), so its number must go to somebody else."""
    agency_id, leader_id = world.agency.id, world.leader.id
    threads, per_thread = 6, 5
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(k: int) -> None:
        try:
            with app.app_context():
                from app.models import Agency, User
                agency, leader = db.session.get(Agency, agency_id), db.session.get(User, leader_id)
                db.session.rollback()   # end the read transaction (SQLite): the counter is read under the write lock
                barrier.wait()
                for i in range(per_thread):
                    register.take_number(agency, 2022, "CV", user=leader, doc_kind="report",
                                         doc_id=1000 * k + i, title=f"Văn bản {k}-{i}", issued_on=date(2022, 5, 20))
                    if i == 2:
                        db.session.rollback()    # refused after taking: the number is not used
                    else:
                        db.session.commit()
                db.session.remove()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(120)
    assert not errors, errors
    db.session.expire_all()
    numbers = [e.number for e in _entries(agency_id, 2022, "CV")]
    n = threads * (per_thread - 1)
    assert numbers == list(range(1, n + 1))
    assert all(e.state == "issued" for e in _entries(agency_id, 2022, "CV"))
    series = db.session.scalar(db.select(RegisterSeries).where(RegisterSeries.doc_type == "CV"))
    assert series.last_number == n


# ---- the page ----------------------------------------------------------------------------------

def test_register_page_filters_and_exports(world, as_user):
    register.reserve(world.office_user, 2022, "CV", "Công văn đôn đốc các phòng")
    r = _pending_report(world)
    reports.transition(world.leader, r, "issue", confirm_gaps=True)
    c = as_user(world.leader)
    page = c.get("/register/").get_data(as_text=True)
    assert "Sổ văn bản đi" in page and "1/BC-SLĐTBXH" in page and "1/CV-SLĐTBXH" in page
    assert "Quy tắc cấp số" in page and 'id="reserve-form"' not in page   # the leader reads only
    only_cv = c.get("/register/?doc_type=CV").get_data(as_text=True)
    assert "1/CV-SLĐTBXH" in only_cv and "1/BC-SLĐTBXH" not in only_cv
    found = c.get("/register/?q=đôn đốc", headers={"HX-Request": "true", "HX-Target": "rows"}).get_data(as_text=True)
    assert "1/CV-SLĐTBXH" in found and "<html" not in found
    assert "1/CV-SLĐTBXH" not in c.get("/register/?state=issued").get_data(as_text=True)
    x = c.get("/register/export.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(x.data)).active
    rows = [[cell for cell in row] for row in ws.iter_rows(min_row=5, values_only=True)]
    assert {row[3] for row in rows} == {"1/BC-SLĐTBXH", "1/CV-SLĐTBXH"}
    assert all(isinstance(row[2], int) for row in rows)   # numbers as numbers


def test_office_reserves_and_releases_with_clear_errors(world, as_user):
    c = as_user(world.office_user)
    r = c.post("/register/reserve", data={"year": "2022", "doc_type": "CV", "note": ""})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Ghi rõ số giữ chỗ dành cho văn bản nào" in body and 'value="2022"' in body
    r = c.post("/register/reserve", data={"year": "năm nay", "doc_type": "CV", "note": "x"})
    assert r.status_code == 400 and "Nhập năm" in r.get_data(as_text=True)
    assert c.post("/register/reserve", data={"year": "2022", "doc_type": "CV", "note": "Công văn gửi Sở Nội vụ"}).status_code == 302
    [e] = _entries(world.agency.id, 2022, "CV")
    assert (e.state, e.reserved_by_id, e.note) == ("reserved", world.office_user.id, "Công văn gửi Sở Nội vụ")
    assert c.post(f"/register/{e.id}/release").status_code == 302
    db.session.refresh(e)
    assert e.state == "released"
    r = c.post(f"/register/{e.id}/release")
    assert r.status_code == 409 and "chỉ trả lại được số đang giữ chỗ" in r.get_data(as_text=True)
    # the next reservation takes the released number again
    c.post("/register/reserve", data={"year": "2022", "doc_type": "CV", "note": "Công văn khác"})
    [again] = _entries(world.agency.id, 2022, "CV")
    assert (again.number, again.state) == (1, "reserved")
    assert again.note == "Công văn khác\n(Lần giữ trước, đã trả lại: Công văn gửi Sở Nội vụ)"
    assert again.released_by_id == world.office_user.id   # the release stays on record
    r = c.post("/register/opening", data={"year": "2022", "doc_type": "CV", "opening": "40"})
    assert r.status_code == 400 and "không đặt lại số đầu kỳ" in r.get_data(as_text=True)
    assert c.post("/register/opening", data={"year": "2022", "doc_type": "QĐ", "opening": "40"}).status_code == 302
    assert register.next_symbol(world.agency, 2022, "QĐ") == "41/QĐ-SLĐTBXH"


def test_register_refused_to_units_and_to_other_agencies(world, as_user, client):
    from tests.conftest import make_agency, make_unit, make_user
    e = register.reserve(world.office_user, 2022, "CV", "Công văn")
    for who in (world.head_a, world.staff_a, world.local_user):
        assert as_user(who).get("/register/").status_code == 403
    assert as_user(world.leader).post("/register/reserve", data={"year": "2022", "doc_type": "CV", "note": "x"}).status_code == 403
    other = make_agency("Sở Y tế tỉnh Lạng Sơn", "Sở Y tế", "SYT", order=20)
    vp = make_unit("Văn phòng Sở Y tế", "VPSYT", "office", 2, other)
    vp_syt = make_user("vp_syt", "office", vp, "Văn Phòng Y Tế")
    db.session.commit()
    c = as_user(vp_syt)
    assert c.post(f"/register/{e.id}/release").status_code == 404
    assert "1/CV-SLĐTBXH" not in c.get("/register/").get_data(as_text=True)
    db.session.refresh(e)
    assert e.state == "reserved"


def test_demo_documents_are_in_the_register(ctx):
    from app.demo import load_demo
    load_demo()
    rows = {(e.symbol, e.state) for e in db.session.scalars(db.select(RegisterEntry))}
    assert {("113/BC-SLĐTBXH", "issued"), ("19/KH-SLĐTBXH", "issued"), ("28/KH-UBND", "issued"),
            ("31/BC-UBND", "issued"), ("32/BC-UBND", "reserved"), ("33/BC-UBND", "issued")} <= rows
    so = db.session.scalar(db.select(RegisterSeries).where(RegisterSeries.doc_type == "BC", RegisterSeries.opening_number == 112))
    assert so is not None and so.last_number == 113


def test_register_page_queries_do_not_grow_with_entries(world, as_user):
    from app.ops.querycount import count_queries
    c = as_user(world.office_user)

    def measure() -> int:
        c.get("/register/")
        db.session.remove()
        with count_queries(db.engine) as q:
            assert c.get("/register/").status_code == 200
        return len(q.statements)

    register.reserve(world.office_user, 2022, "CV", "Công văn 1")
    few = measure()
    for i in range(30):
        register.reserve(world.office_user, 2022, "CV" if i % 2 else "TB", f"Văn bản {i}")
    assert measure() == few


def test_issue_dialog_offers_the_next_and_the_reserved_numbers(world, as_user):
    register.reserve(world.office_user, 2022, "BC", "Báo cáo chuyên đề")
    r = _pending_report(world)
    page = as_user(world.leader).get(f"/reports/{r.id}").get_data(as_text=True)
    assert "Số tiếp theo của sổ (2/BC-SLĐTBXH)" in page
    assert '<option value="1/BC-SLĐTBXH">1/BC-SLĐTBXH – số đã giữ chỗ: Báo cáo chuyên đề</option>' in page


def test_plan_issue_dialog_chooses_a_reserved_number(world, as_user):
    register.reserve(world.office_user, 2022, "KH", "Kế hoạch khác")
    e = register.reserve(world.office_user, 2022, "KH", "Kế hoạch rà soát TTHC")
    plan = make_plan(world, state="pending", number="/KH-SLĐTBXH", tasks=[{"lead": world.div_a}])
    c = as_user(world.leader)
    page = c.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert 'id="issue-number"' in page and "Số tiếp theo của sổ (3/KH-SLĐTBXH)" in page and "2/KH-SLĐTBXH – số đã giữ chỗ" in page
    r = c.post(f"/plans/{plan.id}/transition/issue", data={"number": "9/KH-SLĐTBXH"})
    assert r.status_code == 409 and "không phải số đang giữ chỗ" in r.get_data(as_text=True)
    assert c.post(f"/plans/{plan.id}/transition/issue", data={"number": e.symbol}).status_code == 302
    db.session.refresh(plan)
    db.session.refresh(e)
    assert (plan.state, plan.number, e.state, e.doc_id) == ("issued", "2/KH-SLĐTBXH", "issued", plan.id)


def test_gen_data_documents_are_in_the_register(app, ctx):
    from app.models import Plan
    r = app.test_cli_runner().invoke(args=["gen-data", "--scale", "small", "--factor", "0.25", "--yes"])
    assert r.exit_code == 0, r.output
    issued = {("plan", i) for i in db.session.scalars(db.select(Plan.id).where(Plan.state == "issued"))} | {
        ("report", i) for i in db.session.scalars(db.select(Report.id).where(Report.state == "issued"))}
    entered = set(db.session.execute(db.select(RegisterEntry.doc_kind, RegisterEntry.doc_id)).tuples())
    assert issued and issued == entered
