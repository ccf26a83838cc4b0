from datetime import date

from tests.conftest import login
from tests.factories import make_plan


def _world_tasks(world):
    # today is pinned to 20/05/2022
    return make_plan(world, tasks=[
        {"content": "A quá hạn", "lead": world.div_a, "due_on": date(2022, 5, 10)},
        {"content": "A sắp đến hạn", "lead": world.div_a, "due_on": date(2022, 5, 24)},
        {"content": "A đã xong", "lead": world.div_a, "due_on": date(2022, 5, 1), "state": "accepted"},
        {"content": "A xong nhưng chưa tiếp nhận", "lead": world.div_a, "due_on": date(2022, 5, 2),
         "state": "approved"},
        {"content": "B quá hạn", "lead": world.div_b, "due_on": date(2022, 5, 15)},
        {"content": "A còn xa", "lead": world.div_a, "due_on": date(2022, 12, 31)},
    ])


def test_overdue_list_for_office(client, world):
    _world_tasks(world)
    login(client, world.office_user)
    body = client.get("/overdue").get_data(as_text=True)
    assert "A quá hạn" in body and "Quá hạn 8 ngày làm việc" in body  # working days
    assert "B quá hạn" in body and "A sắp đến hạn" in body and "Còn 2 ngày làm việc" in body
    assert "A xong nhưng chưa tiếp nhận" in body  # resolved but not closed still counts
    assert "A đã xong" not in body and "A còn xa" not in body


def test_overdue_only_filter(client, world):
    _world_tasks(world)
    login(client, world.office_user)
    body = client.get("/overdue?due=overdue").get_data(as_text=True)
    assert "A quá hạn" in body and "A sắp đến hạn" not in body


def test_unit_sees_only_its_own(client, world):
    _world_tasks(world)
    login(client, world.staff_b)
    body = client.get("/overdue").get_data(as_text=True)
    assert "B quá hạn" in body and "A quá hạn" not in body
    body = client.get("/tasks/").get_data(as_text=True)
    assert "B quá hạn" in body and "A còn xa" not in body


def test_filters_by_unit_state_plan_and_fragment(client, world):
    plan = _world_tasks(world)
    other = make_plan(world, number="5/KH-KHAC", tasks=[{"content": "Kế hoạch khác", "lead": world.div_b}])
    login(client, world.leader)
    body = client.get(f"/tasks/?unit_id={world.div_b.id}").get_data(as_text=True)
    assert "B quá hạn" in body and "A quá hạn" not in body
    body = client.get("/tasks/?state=approved").get_data(as_text=True)
    assert "A xong nhưng chưa tiếp nhận" in body and "A quá hạn" not in body
    r = client.get(f"/tasks/?plan_id={other.id}", headers={"HX-Request": "true", "HX-Target": "rows"})
    body = r.get_data(as_text=True)
    assert "Kế hoạch khác" in body and "A quá hạn" not in body and "<html" not in body
    assert plan.id != other.id


def test_pagination(client, world, app):
    make_plan(world, tasks=[{"content": f"Nhiệm vụ số {i:02d}", "due_on": date(2022, 6, 1 + i % 28)}
                            for i in range(30)])
    login(client, world.office_user)
    body = client.get("/tasks/").get_data(as_text=True)
    assert "Trang 1/2" in body and "30 dòng" in body
    body2 = client.get("/tasks/?page=2").get_data(as_text=True)
    assert "Trang 2/2" in body2


def test_my_tasks_filter(client, world):
    make_plan(world, tasks=[{"content": "Của tôi", "assignees": [world.staff_a]},
                            {"content": "Của người khác", "assignees": [world.staff_a2]}])
    login(client, world.staff_a)
    body = client.get("/tasks/?mine=1").get_data(as_text=True)
    assert "Của tôi" in body and "Của người khác" not in body


def test_deadline_on_a_day_off_is_overdue_the_day_after(client, world, app):
    make_plan(world, tasks=[{"content": "Hạn thứ Bảy", "lead": world.div_a, "due_on": date(2022, 5, 21)}])
    app.config["PORTAL_TODAY"] = "2022-05-22"  # Sunday: no working day since the Saturday deadline
    login(client, world.office_user)
    body = client.get("/overdue?due=overdue").get_data(as_text=True)
    assert "Hạn thứ Bảy" in body and "Quá hạn 1 ngày làm việc" in body
