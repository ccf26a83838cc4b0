"""Migration 0014_province_agencies turns a one-department database into ONE agency holding
everything: the demo's and gen-data's databases are taken back to the revision before it,
then upgraded again; every table keeps its rows and every row gets the agency."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from app.auth.services import hash_password
from app.clock import today
from app.extensions import db
from app.ops.dbutil import reflect
from app.ops.gendata import PASSWORD, SCALES, generate
from tests.tracking.test_work_columns import unit_tasks_match

NEW_TABLES = {"agencies", "unit_moves"}
# Tables of later migrations (downgrading to before 0014 removes them too): not this round trip's.
LATER_TABLES = {"delegations", "reporting_requests", "reporting_reminders", "jobs", "issued_files",
                "register_series", "register_entries", "signing_certificates", "trust_materials",
                "evaluation_schemes", "evaluations", "evaluation_marks", "evaluation_corrections", "evaluation_events"}
AGENCY_TABLES = ("units", "plans", "reports", "procedures", "tasks")


def _migration():
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0014_province_agencies.py"
    spec = importlib.util.spec_from_file_location("m0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in reflect(conn).sorted_tables if t.name not in NEW_TABLES | LATER_TABLES}


def _round_trip() -> tuple[dict, dict]:
    db.session.remove()
    before = _counts()
    try:
        downgrade(revision=_migration().down_revision)
        cols = {c["name"] for c in inspect(db.engine).get_columns("units")}
        assert "agency_id" not in cols and not inspect(db.engine).has_table("agencies")
        at_old = _counts()
    finally:
        upgrade(revision="heads")
    return before, at_old


def _every_row_has_the_agency() -> None:
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM agencies")).scalar_one() == 1
        for table in AGENCY_TABLES:
            missing = conn.execute(text(f"SELECT count(*) FROM {table} WHERE agency_id IS NULL "
                                        f"OR agency_id <> 1")).scalar_one()
            assert missing == 0, table
        issued = conn.execute(text("SELECT count(*) FROM plans WHERE state = 'issued' "
                                   "AND issued_agency_name IS NULL")).scalar_one()
        assert issued == 0


def _triggers_still_work() -> None:
    """The rebuilt tables kept the triggers of 0008/0009 (re-created by 0010) and 0010's own."""
    from app.models import Plan, Submission, Task
    plan = db.session.scalar(select(Plan).where(Plan.state == "issued").limit(1))
    task = Task(plan_id=plan.id, position=999, content="Nhiệm vụ sau nâng cấp",
                lead_unit_id=plan.tasks[0].lead_unit_id)
    db.session.add(task)
    db.session.flush()
    db.session.add(Submission(task_id=task.id, state="draft", result_text=""))
    db.session.commit()
    row = db.session.execute(text("SELECT work_state, plan_year, agency_id FROM tasks WHERE id = :i"),
                             {"i": task.id}).one()
    assert tuple(row) == ("draft", plan.year, plan.agency_id)
    unit_tasks_match()


def test_the_demo_database_becomes_one_agency(ctx, monkeypatch):
    """The department's demo as `flask demo` loaded it before agencies (without the province
    around it, which a one-department schema cannot hold)."""
    from app import demo
    monkeypatch.setattr(demo, "DEMO_HOOKS", [h for h in demo.DEMO_HOOKS if h != "app.agencies.demo"])
    demo.load_demo()
    before, at_old = _round_trip()
    after = _counts()
    assert before == at_old == after
    assert after["tasks"] > 10 and after["units"] > 5
    _every_row_has_the_agency()
    _triggers_still_work()


def test_a_province_database_refuses_to_go_back(ctx):
    from app.demo import load_demo
    load_demo()
    db.session.remove()
    with pytest.raises(SystemExit):  # flask-migrate logs the migration's RuntimeError and exits
        downgrade(revision=_migration().down_revision)
    upgrade(revision="heads")  # still at head: nothing was changed
    assert inspect(db.engine).has_table("agencies")


@pytest.mark.parametrize("scale", ["small"])
def test_a_generated_database_becomes_one_agency(ctx, scale):
    db.session.remove()
    with db.engine.begin() as conn:
        generate(conn, SCALES[scale], today(), hash_password(PASSWORD))
    before, at_old = _round_trip()
    after = _counts()
    assert before == at_old == after
    assert after["tasks"] >= 1200
    _every_row_has_the_agency()
    _triggers_still_work()
