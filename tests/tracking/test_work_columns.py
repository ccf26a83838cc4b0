"""The tasks' work columns (migration 0008_work) follow their submissions, and the lists,
counts and year filter built on them agree with the submissions themselves."""
from datetime import date, datetime

from sqlalchemy import delete, insert, select, text, update

from app.extensions import db
from app.models import Plan, Submission, Task, UnitTask, task_cooperating_units
from app.tracking import services as tracking
from app.tracking.services import TaskFilters
from tests.conftest import login
from tests.factories import add_task, make_plan


def _columns(task_id: int):
    db.session.expire_all()
    return db.session.execute(select(Task.work_state, Task.plan_year, Task.accepted_on)
                              .where(Task.id == task_id)).one()


def test_columns_follow_every_kind_of_write(world):
    draft = make_plan(world, state="draft", number="1/KH-DT", year=2023)
    issued = make_plan(world, number="2/KH-BH", year=2022)
    draft_task = db.session.scalar(select(Task.id).where(Task.plan_id == draft.id))
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == issued.id))
    # A draft plan's task has no work yet; an issued one carries its submission's state and year.
    assert tuple(_columns(draft_task)) == (None, None, None)
    assert tuple(_columns(task_id)) == ("draft", 2022, None)
    # ORM change of state and acceptance time.
    sub = db.session.scalar(select(Submission).where(Submission.task_id == task_id))
    sub.state, sub.accepted_at = "accepted", datetime(2022, 6, 16, 9, 30)
    db.session.commit()
    assert tuple(_columns(task_id)) == ("accepted", 2022, date(2022, 6, 16))
    # A plain SQL statement (a manual fix) is followed too.
    db.session.execute(update(Submission).where(Submission.task_id == task_id)
                       .values(state="returned", accepted_at=None))
    db.session.commit()
    assert tuple(_columns(task_id)) == ("returned", 2022, None)
    # Removing the submission clears the copy; a bulk (Core) insert sets it again.
    db.session.execute(delete(Submission).where(Submission.task_id == task_id))
    db.session.commit()
    assert tuple(_columns(task_id)) == (None, None, None)
    db.session.execute(insert(Submission).values(task_id=task_id, state="submitted", result_text="",
                                                 version=1, updated_at=datetime(2022, 5, 1)))
    db.session.commit()
    assert tuple(_columns(task_id)) == ("submitted", 2022, None)
    unit_tasks_match()


def unit_tasks_match() -> None:
    """unit_tasks (migration 0009, triggers) holds exactly each task's lead and cooperating
    units with the task's plan and work columns."""
    db.session.expire_all()
    actual = set(db.session.execute(select(UnitTask.unit_id, UnitTask.task_id, UnitTask.plan_id,
                                           UnitTask.work_state, UnitTask.plan_year, UnitTask.due_on)))
    cols = (Task.id, Task.plan_id, Task.work_state, Task.plan_year, Task.due_on)
    expected = set(db.session.execute(select(Task.lead_unit_id, *cols)))
    expected |= set(db.session.execute(
        select(task_cooperating_units.c.unit_id, *cols).join(Task, Task.id == task_cooperating_units.c.task_id)))
    assert actual == expected


def test_unit_tasks_follow_tasks_and_cooperation(world):
    plan = make_plan(world, state="draft", number="4/KH-DT", tasks=[
        {"content": "một", "cooperating": [world.div_b]}, {"content": "hai", "lead": world.div_b}])
    unit_tasks_match()
    one, two = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id))
    # Editing a draft: lead unit, cooperating units, due date change; a task is deleted.
    one.lead_unit_id = world.div_b.id
    one.cooperating_units = [world.local]
    two.due_on = date(2022, 9, 30)
    db.session.commit()
    unit_tasks_match()
    one.lead_unit_id = world.local.id  # the unit also cooperating keeps one row
    db.session.commit()
    unit_tasks_match()
    db.session.delete(two)
    db.session.commit()
    unit_tasks_match()
    # Issuing (a submission per task) gives the rows their state and year.
    db.session.add(Submission(task_id=one.id, state="draft", result_text=""))
    plan.state = "issued"
    db.session.commit()
    unit_tasks_match()
    assert db.session.scalar(select(UnitTask.work_state).where(UnitTask.task_id == one.id)) == "draft"


def test_issuing_through_the_service_fills_the_columns(client, world):
    plan = make_plan(world, state="pending", number="3/KH-CHO", year=2022)
    login(client, world.leader)
    r = client.post(f"/plans/{plan.id}/transition/issue", data={})
    assert r.status_code in (200, 302), r.status_code
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan.id))
    assert tuple(_columns(task_id)) == ("draft", 2022, None)


def test_task_list_defaults_to_this_year(client, world):
    old = make_plan(world, number="7/KH-2021", year=2021, tasks=[{"content": "Việc năm cũ", "due_on": date(2021, 12, 15)}])
    make_plan(world, number="8/KH-2022", year=2022, tasks=[{"content": "Việc năm nay"}])
    login(client, world.office_user)
    body = client.get("/tasks/").get_data(as_text=True)  # today is pinned in 2022
    assert "Việc năm nay" in body and "Việc năm cũ" not in body
    assert '<option value="2022" selected>2022</option>' in body
    body = client.get("/tasks/?year=").get_data(as_text=True)  # "Tất cả các năm"
    assert "Việc năm nay" in body and "Việc năm cũ" in body
    body = client.get("/tasks/?year=2021").get_data(as_text=True)
    assert "Việc năm cũ" in body and "Việc năm nay" not in body
    # A link to one plan's tasks brings that plan's year.
    body = client.get(f"/tasks/?plan_id={old.id}").get_data(as_text=True)
    assert "Việc năm cũ" in body
    # Late work of any year stays on the overdue page.
    body = client.get("/overdue").get_data(as_text=True)
    assert "Việc năm cũ" in body


def test_counts_per_scope(app, world):
    plan = make_plan(world, tasks=[
        {"content": "quá hạn", "due_on": date(2022, 5, 10)},
        {"content": "sắp hạn", "due_on": date(2022, 5, 24), "state": "submitted"},
        {"content": "bị trả", "due_on": date(2022, 7, 1), "state": "returned"},
        {"content": "đã xong", "due_on": date(2022, 5, 1), "state": "accepted"},
        {"content": "của B", "lead": world.div_b, "due_on": date(2022, 5, 2)},
    ])
    add_task(world, plan, position=9, content="A phối hợp", lead=world.div_b,
             cooperating=[world.div_a], due_on=date(2022, 5, 3))
    db.session.commit()
    filters = {"overdue": TaskFilters(due="overdue"), "soon": TaskFilters(due="soon"),
               "submitted": TaskFilters(state="submitted"), "returned": TaskFilters(state="returned"),
               "mine": TaskFilters(mine=True, due="attention"), "year": TaskFilters(mine=True, year=2022),
               "all": TaskFilters()}
    # Overseer: everything; a unit: what it leads or cooperates on; "mine": assigned to me.
    expected = {
        world.office_user: dict(overdue=3, soon=1, submitted=1, returned=1, mine=0, year=0, all=6),
        world.head_a: dict(overdue=2, soon=1, submitted=1, returned=1, mine=0, year=0, all=5),
        world.staff_a: dict(overdue=2, soon=1, submitted=1, returned=1, mine=2, year=4, all=5),
        world.head_b: dict(overdue=2, soon=0, submitted=0, returned=0, mine=0, year=0, all=2),
        world.local_user: dict(overdue=0, soon=0, submitted=0, returned=0, mine=0, year=0, all=0),
    }
    for user, counts in expected.items():
        assert {k: tracking.counts(user, f) for k, f in filters.items()} == counts, user.username


def test_home_links_list_every_year(client, world):
    make_plan(world, tasks=[{"content": f"Việc {i}", "due_on": date(2022, 5, 10)} for i in range(12)])
    login(client, world.office_user)
    body = client.get("/").get_data(as_text=True)
    assert "/tasks/?year=&amp;due=overdue" in body


def test_second_page_continues_the_first(client, world):
    make_plan(world, tasks=[{"content": f"Việc số {i:02d}", "due_on": date(2022, 6, 1 + i)}
                            for i in range(30)])
    login(client, world.head_a)  # a unit: paged in unit_tasks
    first = client.get("/tasks/").get_data(as_text=True)
    second = client.get("/tasks/?page=2").get_data(as_text=True)
    assert "Việc số 00" in first and "Việc số 24" in first and "Việc số 25" not in first
    assert "Việc số 25" in second and "Việc số 29" in second and "Việc số 24" not in second
    login(client, world.office_user)  # an overseer: paged in tasks
    assert "Việc số 29" in client.get("/tasks/?page=2").get_data(as_text=True)


def test_a_plan_not_issued_carries_no_work(world):
    """Issue 17.1: a submission on a task of a draft or pending plan (the plan import wrote one
    per task) gives it no work columns, so no unit_tasks work either; issuing the plan does,
    and a plan put back out of "issued" by hand loses them again."""
    plan = make_plan(world, state="draft", number="5/KH-DT", year=2022,
                     tasks=[{"content": "dự thảo quá hạn", "due_on": date(2022, 5, 2),
                             "cooperating": [world.div_b]}])
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan.id))
    db.session.add(Submission(task_id=task_id, state="draft", result_text=""))
    db.session.commit()
    assert tuple(_columns(task_id)) == (None, None, None)
    plan.state = "pending"
    db.session.commit()
    assert tuple(_columns(task_id)) == (None, None, None)
    unit_tasks_match()
    assert tracking.counts(world.office_user, TaskFilters(due="overdue")) == 0
    assert tracking.counts(world.head_b, TaskFilters(due="overdue")) == 0
    plan.state = "issued"
    db.session.commit()
    assert tuple(_columns(task_id)) == ("draft", 2022, None)
    unit_tasks_match()
    db.session.execute(update(Submission).where(Submission.task_id == task_id)
                       .values(state="accepted", accepted_at=datetime(2022, 5, 3, 8)))
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(year=2023))
    db.session.commit()
    assert tuple(_columns(task_id)) == ("accepted", 2023, date(2022, 5, 3))
    db.session.execute(update(Plan).where(Plan.id == plan.id).values(state="draft"))
    db.session.commit()
    assert tuple(_columns(task_id)) == (None, None, None)
    unit_tasks_match()


def test_migration_repairs_old_rows(world):
    """Migration 0010_fix_data clears the work a draft plan's tasks got before it (written
    here by hand, as an old database holds it) in tasks and unit_tasks."""
    import importlib.util
    from pathlib import Path
    plan = make_plan(world, state="draft", number="6/KH-DT", tasks=[{"cooperating": [world.div_b]}])
    issued = make_plan(world, number="7/KH-BH", tasks=[{"state": "submitted"}])
    task_id = db.session.scalar(select(Task.id).where(Task.plan_id == plan.id))
    db.session.execute(update(Task).where(Task.id == task_id).values(work_state="draft", plan_year=2022))
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(UnitTask)
                             .where(UnitTask.plan_id == plan.id, UnitTask.work_state == "draft")) == 2
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0010_fix_data.py"
    spec = importlib.util.spec_from_file_location("migration_0010_fix_data", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for statement in migration.REPAIR:
        db.session.execute(text(statement))
    db.session.commit()
    assert tuple(_columns(task_id)) == (None, None, None)
    issued_task = db.session.scalar(select(Task.id).where(Task.plan_id == issued.id))
    assert tuple(_columns(issued_task)) == ("submitted", 2022, None)
    unit_tasks_match()
