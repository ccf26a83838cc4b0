"""Migration 0016_register enters the plans and reports issued before it in the register, with
their numbers; each series goes on after its highest number."""
from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.clock import now
from app.extensions import db
from app.models import Report
from app.models.register import RegisterEntry, RegisterSeries
from app.register import services as register
from tests.factories import make_plan


def _down_revision() -> str:
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0016_register.py"
    spec = importlib.util.spec_from_file_location("m0016", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.down_revision


def test_upgrade_enters_documents_issued_before(app, world):
    plan = make_plan(world, state="issued", number="19/KH-SLĐTBXH")
    draft = make_plan(world, state="draft", number="/KH-SLĐTBXH")
    report = Report(period_key="2022-q1", title="Báo cáo quý I", basis="", sections=[], recipients="",
                    state="issued", number="113/BC-SLĐTBXH", issued_on=date(2022, 3, 20), version=1,
                    created_by_id=world.office_user.id, signer_id=world.leader.id, created_at=now(), updated_at=now())
    db.session.add(report)
    db.session.commit()
    ids = (plan.id, draft.id, report.id)
    leader_id, agency_id = world.leader.id, world.agency.id
    db.session.remove()
    try:
        downgrade(revision=_down_revision())
        assert not inspect(db.engine).has_table("register_entries")
    finally:
        upgrade(revision="heads")
    entries = {(e.doc_kind, e.doc_id): e for e in db.session.scalars(db.select(RegisterEntry))}
    assert set(entries) == {("plan", ids[0]), ("report", ids[2])}
    assert (entries[("report", ids[2])].symbol, entries[("report", ids[2])].number,
            entries[("report", ids[2])].issued_by_id) == ("113/BC-SLĐTBXH", 113, leader_id)
    series = {(s.year, s.doc_type): s.last_number for s in db.session.scalars(db.select(RegisterSeries))}
    assert series == {(2022, "KH"): 19, (2022, "BC"): 113}
    from app.models import Agency
    assert register.next_symbol(db.session.get(Agency, agency_id), 2022, "BC") == "114/BC-SLĐTBXH"
