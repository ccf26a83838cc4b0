from datetime import date

from tests.conftest import login
from tests.factories import make_plan


def test_home_for_each_role(client, world):
    make_plan(world, tasks=[
        {"content": "Trả lại cho tôi", "lead": world.div_a, "state": "returned", "assignees": [world.staff_a]},
        {"content": "Chờ trưởng phòng", "lead": world.div_a, "state": "submitted"},
        {"content": "Chờ văn phòng", "lead": world.div_b, "state": "approved", "due_on": date(2022, 5, 1)},
    ])
    make_plan(world, state="pending", number="9/KH-CHO")
    login(client, world.staff_a)
    body = client.get("/").get_data(as_text=True)
    assert "Bị trả lại, cần sửa" in body and "Trả lại cho tôi" in body
    login(client, world.head_a)
    body = client.get("/").get_data(as_text=True)
    assert "Chờ tôi duyệt" in body and "Chờ trưởng phòng" in body and "Chờ văn phòng" not in body
    login(client, world.office_user)
    body = client.get("/").get_data(as_text=True)
    assert "Chờ Văn phòng tiếp nhận" in body and "Chờ văn phòng" in body
    assert "Tiến độ theo đơn vị" in body and world.div_b.name in body and "9/KH-CHO" in body
    login(client, world.leader)
    body = client.get("/").get_data(as_text=True)
    assert "9/KH-CHO" in body and "Tiến độ theo đơn vị" in body
    login(client, world.local_user)
    assert client.get("/").status_code == 200
    login(client, world.admin)
    assert "Quản trị đơn vị, người dùng" in client.get("/").get_data(as_text=True)


def test_unit_progress_counts(client, world, ctx):
    from app.tracking.services import unit_progress
    make_plan(world, tasks=[
        {"lead": world.div_a, "state": "accepted", "due_on": date(2022, 6, 1)},
        {"lead": world.div_a, "state": "draft", "due_on": date(2022, 5, 1)},
        {"lead": world.div_a, "state": "draft", "due_on": date(2022, 6, 1)},
    ])
    rows = {r["unit"]: r for r in unit_progress(world.office_user)}
    a = rows[world.div_a.name]
    assert (a["tasks"], a["on_time"], a["late"], a["open"], a["overdue"]) == (3, 1, 0, 2, 1)


def test_progress_table_covers_this_years_plans(client, world):
    make_plan(world, number="1/KH-2021", year=2021, tasks=[{"lead": world.local}])
    make_plan(world, number="2/KH-2022", year=2022, tasks=[{"lead": world.div_a}])
    login(client, world.office_user)
    body = client.get("/").get_data(as_text=True)
    table = body[body.index('id="unit-progress"'):]
    assert "kế hoạch năm 2022" in body and world.div_a.name in table and world.local.name not in table


def _card(body: str, words: str) -> tuple[int, str]:
    """The number on a home card and where the card leads."""
    import html
    import re
    m = re.search(r'<a class="card stat-card h-100" href="([^"]+)"><div class="card-body py-2">\s*'
                  r'<div class="big[^"]*">([\d.]+)</div>(?:<i [^>]*></i>)?' + words, body)
    return int(m.group(2).replace(".", "")), html.unescape(m.group(1))


def _rows(body: str) -> int:
    import re
    return len(re.findall(r'href="/tasks/\d+"', body))


def test_cards_count_the_set_their_lists_show(client, world):
    """Issue 17 item 9b: a head's card said 2 overdue (its unit's task and one it only
    cooperates on) while the unit's list showed 1. Cards, home lists and the list a card
    opens count one set: the work the user answers for."""
    make_plan(world, tasks=[
        {"content": "A chủ trì quá hạn", "lead": world.div_a, "due_on": date(2022, 5, 10)},
        {"content": "B chủ trì, A phối hợp quá hạn", "lead": world.div_b, "cooperating": [world.div_a],
         "due_on": date(2022, 5, 11)},
        {"content": "A chủ trì sắp đến hạn", "lead": world.div_a, "due_on": date(2022, 5, 24)},
        {"content": "A chủ trì, giao người khác", "lead": world.div_a, "due_on": date(2022, 5, 12),
         "assignees": [world.staff_a2]},
    ])
    for user, overdue, soon in ((world.head_a, 2, 1), (world.staff_a, 1, 1), (world.office_user, 3, 1)):
        login(client, user)
        body = client.get("/").get_data(as_text=True)
        n, href = _card(body, "nhiệm vụ quá hạn")
        assert n == overdue, user.username
        assert _rows(client.get(href).get_data(as_text=True)) == overdue, (user.username, href)
        n, href = _card(body, "nhiệm vụ sắp đến hạn")
        assert n == soon and _rows(client.get(href).get_data(as_text=True)) == soon, user.username
    login(client, world.head_a)
    body = client.get("/").get_data(as_text=True)
    section = body[body.index('id="home-attention"'):]
    section = section[:section.index("</section>")]
    assert 'border">3</span>' in section and _rows(section) == 3  # 2 overdue + 1 due soon, as the cards
    assert "A phối hợp" not in section
