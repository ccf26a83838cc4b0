"""flask gen-data: deterministic, consistent, realistic enough to measure with."""
from __future__ import annotations

from sqlalchemy import func, select

from app.auth.services import hash_password
from app.clock import today
from app.extensions import db
from app.models import Plan, Submission, SubmissionEvent, Task, Unit, User
from app.ops.gendata import ACCOUNTS, PASSWORD, SCALES, generate
from tests.conftest import login
from tests.ops.test_backup import _snapshot
from tests.tracking.test_work_columns import unit_tasks_match


def _gen(seed: int = 2022, password_hash: str | None = None) -> dict[str, int]:
    db.session.remove()
    with db.engine.begin() as conn:
        return generate(conn, SCALES["small"], today(), password_hash or hash_password(PASSWORD),
                        seed=seed)


def test_sizes_and_determinism(ctx):
    pw = hash_password(PASSWORD)  # salted: the same hash both times
    counts = _gen(password_hash=pw)
    assert counts["units"] == 20 and counts["users"] == 80 and counts["procedures"] == 150
    assert counts["tasks"] >= 1200
    first = _snapshot(db.engine)
    _gen(password_hash=pw)
    assert _snapshot(db.engine) == first
    _gen(seed=7, password_hash=pw)
    assert _snapshot(db.engine)["tasks"] != first["tasks"]


def test_data_is_consistent_and_has_overdue_work(ctx):
    _gen()
    t = today()
    years = db.session.scalars(select(Plan.year).distinct()).all()
    assert sorted(years) == [t.year - 1, t.year]
    kinds = set(db.session.scalars(select(Unit.kind)))
    assert kinds == {"leadership", "office", "division", "affiliate", "local"}
    # Every leaf task of an issued plan has a submission; none for drafts.
    leaf_issued = db.session.scalar(
        select(func.count(Task.id)).join(Plan).where(Plan.state == "issued", Task.due_text.not_in(
            ["Hàng tháng", "Hàng quý, năm"])))
    assert db.session.scalar(select(func.count(Submission.id))) == leaf_issued
    overdue = db.session.scalar(select(func.count(Submission.id)).join(Task).where(
        Task.due_on < t, Submission.state != "accepted"))
    assert overdue > 10
    # The history ends in the submission's state; accepted ones carry their acceptance time.
    for sub in db.session.scalars(select(Submission).limit(200)):
        last = db.session.scalars(select(SubmissionEvent).where(
            SubmissionEvent.submission_id == sub.id).order_by(SubmissionEvent.id.desc())).first()
        assert (last.to_state if last else "draft") == sub.state
        assert (sub.accepted_at is not None) == (sub.state == "accepted")
    # The tasks' work columns (kept by triggers, migration 0008_work) match the bulk rows.
    rows = db.session.execute(
        select(Task.work_state, Task.plan_year, Task.accepted_on, Submission.state, Plan.year,
               Submission.accepted_at).select_from(Task).join(Plan)
        .outerjoin(Submission, Submission.task_id == Task.id)).all()
    for work, year, accepted_on, state, plan_year, accepted_at in rows:
        assert (work, year) == ((state, plan_year) if state else (None, None))
        assert accepted_on == (accepted_at.date() if accepted_at else None)
    unit_tasks_match()  # and so does each unit's copy (migration 0009_unit_tasks)
    # New rows get fresh ids after the explicit-id bulk insert (PostgreSQL sequences moved).
    u = Unit(name="Đơn vị mới", code="NEW", kind="division")
    db.session.add(u)
    db.session.commit()
    assert u.id == 21


def test_fixed_accounts_log_in(ctx, client):
    _gen()
    for role, username in ACCOUNTS.items():
        assert db.session.scalar(select(User.role).where(User.username == username)) == role
    r = login(client, ACCOUNTS["staff"], PASSWORD)
    assert r.status_code == 302


def test_cli(app, ctx):
    r = app.test_cli_runner().invoke(args=["gen-data", "--scale", "small", "--factor", "0.5", "--yes"])
    assert r.exit_code == 0, r.output
    assert "Đã tạo dữ liệu quy mô small" in r.output
    assert db.session.scalar(select(func.count(User.id))) == 40


def test_figure_sets_and_reports_add_up_and_render(ctx, client):
    from sqlalchemy.orm import selectinload

    from app.domain.checks import check_catalog, check_dossiers, check_feedback, check_overdue_cases
    from app.domain.formatting import vn_number
    from app.domain.periods import parse_period_key
    from app.figures.services import dossiers
    from app.models import FigureSet, Report
    from app.reports import services, sources
    counts = _gen()
    assert (counts["figure_sets"], counts["reports"]) == (3 * 8, 8)  # 3 units, 8 quarters
    sets = list(db.session.scalars(select(FigureSet).options(selectinload(FigureSet.overdue_cases),
                                                             selectinload(FigureSet.events))
                                   .order_by(FigureSet.unit_id, FigureSet.period_key)))
    previous: dict[int, FigureSet] = {}
    for fs in sets:
        d = dossiers(fs)
        assert check_dossiers(d, received=d.received, received_new=d.received_new,
                              resolved=d.resolved, pending=d.pending) == [], fs.period_key
        assert check_feedback(fs.feedback_received, fs.feedback_handled) == []
        assert check_overdue_cases(d, len(fs.overdue_cases)) == []
        assert d.received > 0 and fs.events[-1].created_at == fs.updated_at
        assert (fs.state == "sent") == (fs.sent_at is not None) == (fs.events[-1].action in ("send", "import"))
        if fs.unit_id in previous:  # what was pending last quarter is carried over
            assert fs.carried_over == dossiers(previous[fs.unit_id]).pending
        previous[fs.unit_id] = fs
    assert sum(len(fs.overdue_cases) for fs in sets) > 0
    assert {fs.state for fs in sets if fs.period_key == "2022-q1"} == {"sent", "draft"}

    reports = list(db.session.scalars(select(Report).order_by(Report.period_key)))
    assert [r.period_key for r in reports][:2] == ["2020-q2", "2020-q3"]
    *issued, draft = reports
    assert draft.period_key == "2022-q1" and draft.state == "draft" and draft.snapshot is None
    assert db.session.scalar(select(func.count(Report.id)).where(Report.snapshot.is_(None))) == 1
    numbers = set()
    for r in issued:
        assert r.state == "issued" and r.number and r.issued_on and r.signer_id
        numbers.add(r.number)
        assert [e.to_state for e in r.events if e.to_state][-1] == "issued"
        snap = r.snapshot
        assert snap["state"] == "issued" and snap["number"] == r.number and snap["problems"] == []
        assert check_catalog(snap["figures"]["catalog"]) == []
        # The frozen figures are the sent figure sets of the quarter, as issuing would freeze them.
        expected = sources.unit_figures(parse_period_key(r.period_key))
        assert snap["figures"]["dossiers"] == expected["dossiers"]
        assert len(snap["figures"]["overdue"]) == len(expected["overdue"])
    assert len(numbers) == len(issued)

    login(client, ACCOUNTS["office"], PASSWORD)
    for report in (draft, issued[-1]):
        r = client.get(f"/reports/{report.id}")
        received = services.document(report)["figures"]["dossiers"]["received"]
        assert r.status_code == 200 and vn_number(received) in r.get_data(as_text=True)
        r = client.get(f"/reports/{report.id}/report.docx")
        assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    assert "Quý I/2022" in client.get(f"/reports/{draft.id}").get_data(as_text=True)


def test_generated_rows_need_no_rewrite_and_triggers_come_back(ctx):
    """gen-data loads with the row triggers off, writing the derived columns into the rows
    themselves: recomputing them finds nothing to change (no row was written twice), and the
    triggers keep them in step again afterwards."""
    from app.ops.derived import rebuild_derived
    _gen()
    with db.engine.begin() as conn:
        changed = rebuild_derived(conn)
    assert changed["tasks.agency_id"] == 0 and changed["tasks.work"] == 0, changed
    unit_tasks_match()
    sub = db.session.scalar(select(Submission).where(Submission.state == "draft").limit(1))
    sub.state = "submitted"
    db.session.commit()
    assert db.session.get(Task, sub.task_id).work_state == "submitted"
    unit_tasks_match()
