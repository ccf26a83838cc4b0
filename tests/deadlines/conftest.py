"""Issued plans with tasks at chosen due dates, for the deadline features."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from app.extensions import db
from app.models import Plan, Submission, Task


def make_task(world, due_on: date | None, lead=None, state: str = "draft",
              accepted_on: date | None = None, content: str = "Rà soát TTHC", plan=None,
              due_text: str | None = None, coop=()):
    if plan is None:
        plan = Plan(number="19/KH-SLĐTBXH", title="Rà soát, đánh giá TTHC năm 2022", year=2022,
                    kind="review", state="issued", created_by_id=world.office_user.id)
        db.session.add(plan)
    issued = plan.state == "issued"  # as in the app: a task has its submission once issued
    t = Task(plan=plan, content=content, lead_unit=lead or world.div_a, due_on=due_on,
             due_text=due_text or (due_on.strftime("Trước ngày %d/%m/%Y") if due_on else None))
    t.cooperating_units = list(coop)
    if issued:
        t.submission = Submission(state=state, accepted_at=datetime.combine(accepted_on, datetime.min.time())
                                  if accepted_on else None)
    db.session.add(t)
    db.session.commit()
    return t


@pytest.fixture
def task_factory(world):
    def _make(*args, **kwargs):
        return make_task(world, *args, **kwargs)
    return _make
