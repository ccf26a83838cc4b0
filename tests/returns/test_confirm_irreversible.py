"""Issue 17 item 9h: moves that cannot be undone (accepting a result, issuing a plan or a
report) ask for confirmation in a dialog (no inline script: app.js opens it)."""
from __future__ import annotations

import re

from app.domain import workflow as wf
from app.extensions import db
from app.models import Report
from tests.conftest import login
from tests.factories import make_plan


def test_every_move_into_a_final_state_has_a_confirmation():
    for w in (wf.PLAN, wf.SUBMISSION, wf.REPORT):
        for t in w.transitions:
            assert bool(t.confirm) == (t.target in w.final), (w.name, t.name)


def _dialog(body: str, name: str) -> str:
    m = re.search(rf'<dialog id="dlg-{name}"[^>]*>(.*?)</dialog>', body, re.S)
    assert m, f"no dialog for {name}"
    return m.group(1)


def _direct_submit(body: str, label: str) -> bool:
    """A submit button with that label outside any dialog."""
    outside = re.sub(r"<dialog.*?</dialog>", "", body, flags=re.S)
    return bool(re.search(rf'<button type="submit"[^>]*>{re.escape(label)}</button>', outside))


def test_accepting_a_result_asks_first(client, world):
    task = make_plan(world, tasks=[{"state": "approved"}]).tasks[0]
    login(client, world.office_user)
    body = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'data-dialog-open="dlg-accept"' in body and not _direct_submit(body, "Tiếp nhận, hoàn thành")
    dialog = _dialog(body, "accept")
    assert wf.SUBMISSION.transition("accept").confirm in dialog
    assert f'hx-post="/tasks/{task.id}/transition/accept"' in dialog and "data-dialog-close" in dialog


def test_issuing_a_plan_asks_first(client, world):
    plan = make_plan(world, state="pending")
    login(client, world.leader)
    body = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert 'data-dialog-open="dlg-issue"' in body and not _direct_submit(body, "Duyệt, ban hành")
    assert wf.PLAN.transition("issue").confirm in _dialog(body, "issue")


def test_issuing_a_report_asks_first(client, world):
    login(client, world.office_user)
    client.post("/reports/open", data={"kind": "quarter", "number": 2, "year": 2022})
    report = db.session.scalar(db.select(Report))
    client.post(f"/reports/{report.id}/move/submit")
    login(client, world.leader)
    body = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert wf.REPORT.transition("issue").confirm in _dialog(body, "issue")
