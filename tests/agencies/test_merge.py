"""A merger is data: agency X merged into agency A keeps every unit, user, task and document;
issued documents keep the name they were issued under."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from app.agencies import services
from app.extensions import db
from app.models import Plan, Procedure, Submission, Task, TaskAssignee, Unit, UnitMove, User
from tests.security.matrix_fixtures import build_x


def _x_plan(x, state="issued", number="21/KH-SYT") -> Plan:
    plan = Plan(number=number, title="Kế hoạch của Sở Y tế", year=2022, kind="review", state=state,
                created_by_id=x.office.id, issued_on=date(2022, 3, 1),
                issued_agency_name=x.agency.name if state == "issued" else None)
    db.session.add(plan)
    db.session.flush()
    task = Task(plan_id=plan.id, content="Rà soát TTHC lĩnh vực y tế", lead_unit_id=x.div.id,
                due_on=date(2022, 6, 30))
    db.session.add(task)
    db.session.flush()
    db.session.add(Submission(task_id=task.id, state="draft", result_text=""))
    db.session.add(TaskAssignee(task_id=task.id, user_id=x.staff.id, assigned_by_id=x.head.id))
    db.session.commit()
    return plan


def test_merge_moves_everything_and_keeps_issued_names(world):
    x = build_x()
    plan = _x_plan(x)
    draft = _x_plan(x, "draft", "22/KH-SYT")
    db.session.add(Procedure(code="1.009999", name="Cấp phép hành nghề", agency_id=x.agency.id))
    db.session.commit()
    users_before = db.session.scalar(select(func.count(User.id)))
    tasks_before = db.session.scalar(select(func.count(Task.id)))
    x_units = {u.id for u in db.session.scalars(select(Unit).where(Unit.agency_id == x.agency.id))}

    result = services.merge_agency(x.agency, world.agency, actor=world.admin, on=date(2025, 3, 1),
                                   reason="Quyết định hợp nhất số 01/QĐ-UBND")
    db.session.expire_all()
    assert result.units == 3 and result.plans == 2 and result.procedures == 1
    # Same units (ids), now in agency A; "Văn phòng Sở"/"VP" clashed and were renamed.
    moved = db.session.scalars(select(Unit).where(Unit.id.in_(x_units))).all()
    assert {u.agency_id for u in moved} == {world.agency.id}
    names = {u.name for u in moved}
    assert "Văn phòng Sở (SYT)" in names and "Lãnh đạo Sở (SYT)" in names and "Phòng Nghiệp vụ Y" in names
    assert {u.code for u in moved} >= {"VP-SYT", "LD-SYT", "NVY"}
    assert len(db.session.scalars(select(UnitMove).where(UnitMove.to_agency_id == world.agency.id)).all()) == 3
    # Nothing lost; the tasks' agency followed their plan (trigger of migration 0011).
    assert db.session.scalar(select(func.count(User.id))) == users_before
    assert db.session.scalar(select(func.count(Task.id))) == tasks_before
    agencies = set(db.session.scalars(text("SELECT agency_id FROM tasks WHERE plan_id IN (:a, :b)"),
                                      {"a": plan.id, "b": draft.id}))
    assert agencies == {world.agency.id}
    assert db.session.get(Plan, plan.id).issued_agency_name == "Sở Y tế tỉnh Lạng Sơn"
    assert db.session.get(Plan, draft.id).issued_agency_name is None
    gone = x.agency
    db.session.refresh(gone)
    assert gone.active is False and gone.valid_to == date(2025, 3, 1)


def test_after_the_merger_the_target_office_sees_the_merged_work(world, client):
    from tests.conftest import login
    x = build_x()
    plan = _x_plan(x)
    login(client, world.office_user)
    assert client.get(f"/plans/{plan.id}").status_code == 404   # another agency's plan
    services.merge_agency(x.agency, world.agency)
    assert client.get(f"/plans/{plan.id}").status_code == 200
    # the moved unit's staff still reach their task
    login(client, x.staff)
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan.id))
    assert client.get(f"/tasks/{task_id}").status_code == 200


def test_refusals_and_the_cli(app, world):
    x = build_x()
    try:
        services.merge_agency(world.agency, world.agency)
    except services.MergeError as e:
        assert "khác nhau" in str(e)
    else:  # pragma: no cover
        raise AssertionError("merging an agency into itself was accepted")
    runner = app.test_cli_runner()
    out = runner.invoke(args=["agencies"])
    assert "SYT" in out.output and "SLĐTBXH" in out.output
    out = runner.invoke(args=["merge-agency", "SYT", str(world.agency.id), "--on", "2025-03-01"])
    assert out.exit_code == 0, out.output
    assert "Đã hợp nhất Sở Y tế tỉnh Lạng Sơn" in out.output and "3 đơn vị" in out.output
    out = runner.invoke(args=["merge-agency", "KHONGCO", "SYT"])
    assert out.exit_code != 0 and "Không tìm thấy cơ quan KHONGCO" in out.output
    x  # noqa: B018
