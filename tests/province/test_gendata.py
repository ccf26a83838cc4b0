"""flask gen-data, province-wide: several agencies, each a copy of the first agency's volume
(tiny sizes here; the province scale is 20 × 50 000 tasks)."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from app.auth.services import hash_password
from app.clock import today
from app.extensions import db
from app.models import Agency, Plan, Report, Submission, Task, Unit, User
from app.ops.gendata import ACCOUNTS, PASSWORD, PROVINCE_ACCOUNTS, SCALES, generate, scaled
from tests.conftest import login
from tests.tracking.test_work_columns import unit_tasks_match


def _gen(agencies: int, factor: float = 0.5) -> dict[str, int]:
    db.session.remove()
    with db.engine.begin() as conn:
        return generate(conn, replace(scaled(SCALES["small"], factor), agencies=agencies), today(),
                        hash_password(PASSWORD))


def test_province_scale_is_twenty_agencies_of_one_agency_volume():
    one, province = SCALES["agency"], SCALES["province"]
    assert province.agencies >= 20 and replace(province, agencies=1) == one
    assert province.tasks * province.agencies >= 1_000_000


def test_every_agency_gets_the_first_agencys_volume(ctx):
    single = _gen(1)
    counts = _gen(3)
    years = SCALES["small"].years
    given = years * 3 * 8   # the province's plan a year: 8 tasks to each agency's office
    extra = {"units": 2, "users": 2, "plans": years, "tasks": given, "submissions": given}
    for table in ("units", "users", "procedures", "plans", "tasks", "submissions",
                  "task_cooperating_units", "figure_sets", "reports", "notifications"):
        assert counts[table] == 3 * single[table] + extra.get(table, 0), table
    assert counts["submission_events"] > 3 * single["submission_events"]
    kinds = dict(db.session.execute(select(Agency.kind, func.count()).group_by(Agency.kind)).all())
    assert kinds["province"] == 1 and sum(kinds.values()) == 4
    province_id = db.session.scalar(select(Agency.id).where(Agency.kind == "province"))
    # Each agency's rows point at its own units, users and plans (nothing crosses agencies)...
    per_agency = dict(db.session.execute(select(Task.agency_id, func.count()).group_by(Task.agency_id)).all())
    assert per_agency.pop(province_id) == given
    assert len(per_agency) == 3 and len(set(per_agency.values())) == 1
    crossing = db.session.scalar(
        select(func.count(Task.id)).join(Unit, Unit.id == Task.lead_unit_id).where(Unit.agency_id != Task.agency_id))
    # ... but the province's tasks, each led by one agency's office.
    assert crossing == given
    led = db.session.execute(select(Unit.agency_id, Unit.kind, func.count()).join(Task, Task.lead_unit_id == Unit.id)
                             .where(Task.agency_id == province_id).group_by(Unit.agency_id, Unit.kind)).all()
    assert sorted(led) == [(1, "office", given // 3), (2, "office", given // 3), (3, "office", given // 3)]
    assert db.session.scalar(select(func.count(Plan.id)).join(User, User.id == Plan.created_by_id)
                             .join(Unit, Unit.id == User.unit_id).where(Unit.agency_id != Plan.agency_id)) == 0
    assert db.session.scalar(select(func.count(Report.id)).where(Report.agency_id == 3)) == \
        db.session.scalar(select(func.count(Report.id)).where(Report.agency_id == 1))
    # The triggers filled the copies' work columns and unit_tasks as for agency 1.
    copies = db.session.execute(select(Task.work_state, Submission.state).join(Submission)
                                .where(Task.agency_id == 2)).all()
    assert copies and all(w == s for w, s in copies)
    unit_tasks_match()
    # New rows get fresh ids after the copies (PostgreSQL sequences moved).
    u = Unit(name="Đơn vị mới", code="NEW", kind="division", agency_id=1)
    db.session.add(u)
    db.session.commit()
    assert u.id == counts["units"] + 1


def test_accounts_of_every_agency_log_in_and_see_their_own(ctx, client):
    _gen(3)
    for name in (ACCOUNTS["office"], f"{ACCOUNTS['office']}.a02", f"{ACCOUNTS['head']}.a03",
                 *PROVINCE_ACCOUNTS.values()):
        assert login(client, name, PASSWORD).status_code == 302, name
    login(client, f"{ACCOUNTS['office']}.a02", PASSWORD)
    page = client.get("/province/").get_data(as_text=True)
    assert "Sở Y tế tỉnh Lạng Sơn" in page and "Sở Tư pháp" not in page
    login(client, PROVINCE_ACCOUNTS["office"], PASSWORD)
    page = client.get("/province/").get_data(as_text=True)
    assert page.count('class="drill"') == 3
    drill = client.get(f"/province/agencies/2?year={today().year - 1}").get_data(as_text=True)
    assert f"/KH-UBND — Kế hoạch kiểm soát thủ tục hành chính năm {today().year - 1}" in drill


def test_cli_agencies_option(app, ctx):
    r = app.test_cli_runner().invoke(args=["gen-data", "--scale", "small", "--factor", "0.25",
                                           "--agencies", "2", "--yes"])
    assert r.exit_code == 0, r.output
    assert "(2 cơ quan)" in r.output and "kstt_tinh" in r.output
    assert db.session.scalar(select(func.count(User.id))) == 2 * 20 + 2


def test_internal_procedures_reviewed_and_agencies_differ(ctx, client):
    from app.models import Procedure, ProcedureReview
    counts = _gen(3, factor=1)
    assert counts["procedure_reviews"] > 0
    # Every review is of an internal procedure of the review task's own agency, on an accepted task.
    wrong = db.session.scalar(select(func.count(ProcedureReview.id)).join(Task, Task.id == ProcedureReview.task_id)
                              .join(Procedure, Procedure.id == ProcedureReview.procedure_id)
                              .where((Procedure.agency_id != Task.agency_id) | Procedure.internal.is_(False)
                                     | (Task.work_state != "accepted")))
    assert wrong == 0
    per_agency = dict(db.session.execute(select(Procedure.agency_id, func.count(ProcedureReview.id))
                                         .join(ProcedureReview).group_by(Procedure.agency_id)).all())
    assert len(per_agency) == 3 and len(set(per_agency.values())) == 3   # each copy keeps its own share
    login(client, PROVINCE_ACCOUNTS["leader"], PASSWORD)
    page = client.get("/province/?sort=round2").get_data(as_text=True)
    assert page.count("%)") >= 3


def test_the_province_has_requests_and_agencies_report_unevenly(ctx, client):
    """Item 2: a reporting request per quarter; the copied agencies' reports reached UBND tỉnh
    on time, late, returned (with the reason as an event) or never; agency 1 is untouched (the
    one-agency twin); the status, consolidation and dashboard pages have something to show."""
    from app.models import ReportEvent, ReportingReminder, ReportingRequest
    counts = _gen(6, factor=1)
    keys = sorted(k for k, in db.session.execute(select(Report.period_key).where(
        Report.state == "issued", Report.plan_id.is_(None)).distinct()))
    requests = db.session.scalars(select(ReportingRequest).order_by(ReportingRequest.period_key)).all()
    assert [r.period_key for r in requests] == keys and counts["reporting_requests"] == len(keys)
    assert all(r.deadline > r.letter_date and r.time_cut_target == 20 for r in requests)
    states = dict(db.session.execute(select(Report.sendup_state, func.count()).where(
        Report.agency_id.between(2, 6), Report.state == "issued").group_by(Report.sendup_state)).all())
    assert states.get("accepted", 0) > states.get(None, 0) > 0 and states.get("returned", 0) > 0
    returns = db.session.scalars(select(ReportEvent.comment).where(ReportEvent.action == "province_return")).all()
    assert returns and all(returns)
    late = 0
    for req in requests:
        from app.sendup.services import status_rows
        rows = status_rows(req)
        late += sum(1 for r in rows if r["status"].late_days)
    assert late > 0
    assert db.session.scalar(select(func.count(ReportingReminder.id))) > 0
    # agency 1 as generated for one agency (sent within two days of issue, never returned)
    assert db.session.scalar(select(func.count(Report.id)).where(
        Report.agency_id == 1, Report.sendup_state == "returned")) == 0
    login(client, PROVINCE_ACCOUNTS["office"], PASSWORD)
    last = requests[-1]
    assert client.get(f"/province/requests/{last.id}").status_code == 200
    page = client.get(f"/province/requests/{last.id}/consolidation").get_data(as_text=True)
    assert "Sở Y tế" in page
    assert client.get(f"/province/requests/{last.id}/consolidation.xlsx").status_code in (200, 409)
