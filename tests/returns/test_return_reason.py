"""Issue 17 item 9e: a returned task, plan or report shows its latest return reason at the top,
until it moves on."""
from __future__ import annotations

import re

from app.domain import workflow as wf
from app.extensions import db
from app.models import Report
from tests.conftest import login
from tests.factories import make_plan


def _top(body: str) -> str:
    """The page above the history (where the reason must be seen)."""
    m = re.search(r'<div class="alert alert-danger return-reason" id="return-reason" role="alert">(.*?)</div>', body, re.S)
    return m.group(1) if m else ""


class E:
    def __init__(self, action, comment=None):
        self.action, self.comment = action, comment


def test_standing_return_is_the_latest_move_if_it_was_a_return():
    events = [E("submit"), E("approve"), E("office_return", "Lần 1"), E("save"), E("submit"),
              E("approve"), E("office_return", "Bổ sung biểu mẫu 02"), E("save")]
    assert wf.standing_return(wf.SUBMISSION, events).comment == "Bổ sung biểu mẫu 02"
    assert wf.standing_return(wf.SUBMISSION, events + [E("submit")]) is None
    assert wf.standing_return(wf.PLAN, [E("submit"), E("return", "Bổ sung"), E("task_add")]).comment == "Bổ sung"
    assert wf.standing_return(wf.PLAN, []) is None


def test_returned_task_shows_the_latest_reason_on_top(client, world):
    plan = make_plan(world, tasks=[{"lead": world.div_a, "state": "approved"}])
    task = plan.tasks[0]
    login(client, world.office_user)
    client.post(f"/tasks/{task.id}/transition/office_return", data={"comment": "Thiếu biểu mẫu 02"})
    login(client, world.staff_a)
    client.post(f"/tasks/{task.id}/result", data={"result_text": "Bổ sung"})
    client.post(f"/tasks/{task.id}/transition/submit")
    login(client, world.head_a)
    client.post(f"/tasks/{task.id}/transition/head_return", data={"comment": "Sai số liệu dòng 3"})
    login(client, world.staff_a)
    body = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    top = _top(body)
    assert "Sai số liệu dòng 3" in top and "Thiếu biểu mẫu 02" not in top
    assert "Trần Trưởng A" in top and body.index('id="return-reason"') < body.index('id="submission-panel"')
    client.post(f"/tasks/{task.id}/transition/submit")
    assert _top(client.get(f"/tasks/{task.id}").get_data(as_text=True)) == ""


def test_returned_plan_shows_the_reason_on_top(client, world):
    plan = make_plan(world, state="draft")
    login(client, world.office_user)
    client.post(f"/plans/{plan.id}/transition/submit")
    login(client, world.leader)
    client.post(f"/plans/{plan.id}/transition/return", data={"comment": "Bổ sung mục tiêu"})
    login(client, world.office_user)
    assert "Bổ sung mục tiêu" in _top(client.get(f"/plans/{plan.id}").get_data(as_text=True))


def test_returned_report_shows_the_reason_on_top(client, world):
    login(client, world.office_user)
    client.post("/reports/open", data={"kind": "quarter", "number": 2, "year": 2022})
    report = db.session.scalar(db.select(Report))
    client.post(f"/reports/{report.id}/move/submit")
    login(client, world.leader)
    client.post(f"/reports/{report.id}/move/return", data={"comment": "Sửa mục II.1"})
    login(client, world.office_user)
    assert "Sửa mục II.1" in _top(client.get(f"/reports/{report.id}").get_data(as_text=True))
