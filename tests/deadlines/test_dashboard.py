"""Dashboard: per-unit on-time rate, plan progress, burn-down, each with its table and XLSX."""
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import event

from app.extensions import db
from app.models import Plan
from tests.deadlines.conftest import make_task


def _data(world):
    a = make_task(world, date(2022, 5, 10), state="accepted", accepted_on=date(2022, 5, 9))   # on time
    make_task(world, date(2022, 5, 10), plan=a.plan, state="accepted", accepted_on=date(2022, 5, 12))  # late
    make_task(world, date(2022, 5, 10), plan=a.plan)                                          # overdue
    make_task(world, date(2022, 6, 30), plan=a.plan)                                          # open
    make_task(world, date(2022, 5, 18), plan=a.plan, lead=world.div_b)                        # overdue B
    make_task(world, date(2022, 7, 15), plan=a.plan, lead=world.div_b)                        # open B
    draft = Plan(number="99/KH", title="Dự thảo", year=2022, kind="review", state="draft",
                 created_by_id=world.office_user.id)
    make_task(world, date(2022, 5, 1), plan=draft)                                            # not counted
    return a.plan


def test_dashboard_figures(world, as_user):
    _data(world)
    html = as_user(world.leader).get("/dashboard/?year=2022").get_data(as_text=True)
    assert "<svg" in html and "<polyline" in html
    row_a = html.split("<td>Phòng Bảo trợ xã hội – Trẻ em</td>")[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row_a.split('<td class="num">')[1:]]
    assert cells == ["4", "1", "1", "1", "1", "33,33 %"]
    row_b = html.split("<td>Phòng Lao động, Việc làm – Bảo hiểm xã hội</td>")[1].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in row_b.split('<td class="num">')[1:]] == ["2", "0", "0", "1", "1", "0,00 %"]
    assert "19/KH-SLĐTBXH — Rà soát, đánh giá TTHC năm 2022" in html and "99/KH" not in html
    assert "<td>05/2022</td><td class=\"num\">2</td><td class=\"num\">2</td>" in html
    assert "<td>07/2022</td><td class=\"num\">1</td><td class=\"num\">0</td>" in html
    assert 'style="' not in html  # CSP: no inline style


def test_dashboard_queries_are_bounded(world, as_user, app):
    plan = _data(world)
    c = as_user(world.office_user)
    counts = []
    for extra in (0, 30):
        for i in range(extra):
            make_task(world, date(2022, 5 + i % 3, 10), plan=plan, lead=world.div_a if i % 2 else world.div_b)
        c.get("/dashboard/?year=2022")  # warm-up: reloads what the commits above expired
        n = [0]

        def count(*args):
            n[0] += 1
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert c.get("/dashboard/?year=2022").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        counts.append(n[0])
    assert counts[0] == counts[1]


def test_dashboard_xlsx(world, as_user):
    _data(world)
    r = as_user(world.office_user).get("/dashboard/units.xlsx?year=2022")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    ws = wb["Theo đơn vị"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert rows[0][0] == "Đơn vị chủ trì"
    assert rows[1] == ["Phòng Bảo trợ xã hội – Trẻ em", 4, 1, 1, 1, 1, 1 / 3]
    assert rows[-1][:5] == ["Tổng", 6, 1, 1, 2]
    wb = load_workbook(io.BytesIO(as_user(world.office_user).get("/dashboard/all.xlsx?year=2022").data))
    assert wb.sheetnames == ["Theo đơn vị", "Tiến độ kế hoạch", "Nhiệm vụ còn mở"]
    assert as_user(world.office_user).get("/dashboard/nope.xlsx").status_code == 404


def test_dashboard_is_for_office_and_leadership(world, as_user):
    for u in (world.head_a, world.staff_a, world.local_user):
        c = as_user(u)
        assert c.get("/dashboard/").status_code == 403
        assert c.get("/dashboard/units.xlsx").status_code == 403


def test_burndown_lists_every_month(world, as_user):
    """Issue 17 item 9j: months without open tasks are on the axis and in the table (0)."""
    a = make_task(world, date(2022, 5, 10))
    make_task(world, date(2022, 8, 15), plan=a.plan)
    html = as_user(world.leader).get("/dashboard/?year=2022").get_data(as_text=True)
    section = html.split('id="chart-burndown"')[1]
    for m in range(1, 13):
        assert f">{m:02d}/2022</text>" in section, m
    assert "<td>06/2022</td><td class=\"num\">0</td><td class=\"num\">1</td>" in section
    assert "<td>07/2022</td><td class=\"num\">0</td><td class=\"num\">1</td>" in section
