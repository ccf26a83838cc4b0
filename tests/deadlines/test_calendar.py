"""The admin calendar page and the office's report days."""
from datetime import date

from app.calendar import services
from app.extensions import db
from app.models import CalendarDay, Setting


def test_month_grid_shows_holidays(world, as_user):
    c = as_user(world.admin)
    r = c.get("/calendar/?month=2024-02")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Tháng 2/2024" in html
    assert "Mùng hai Tết Nguyên Đán" in html
    assert 'data-day="2024-02-12"' in html


def test_admin_adds_and_removes_a_day(world, as_user, app):
    c = as_user(world.admin)
    r = c.post("/calendar/days", data={"day": "21/05/2022", "kind": "work", "note": "Làm bù"})
    assert r.status_code == 302
    row = db.session.query(CalendarDay).one()
    assert (row.day, row.kind, row.note, row.created_by_id) == (date(2022, 5, 21), "work", "Làm bù", world.admin.id)
    with app.test_request_context():
        assert services.get_calendar().is_working_day(date(2022, 5, 21))
    html = c.get("/calendar/?month=2022-05").get_data(as_text=True)
    assert "Làm bù" in html and "21/05/2022" in html
    r = c.post("/calendar/days/2022-05-21/delete")
    assert r.status_code == 302
    assert db.session.query(CalendarDay).count() == 0
    with app.test_request_context():
        assert not services.get_calendar().is_working_day(date(2022, 5, 21))


def test_bad_day_keeps_input(world, as_user):
    c = as_user(world.admin)
    r = c.post("/calendar/days", data={"day": "31/02/2022", "kind": "off", "note": "Ghi chú giữ lại"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Ngày không hợp lệ" in html and "Ghi chú giữ lại" in html and "31/02/2022" in html
    assert db.session.query(CalendarDay).count() == 0


def test_only_admin_manages_the_calendar(world, as_user):
    for user in (world.office_user, world.leader, world.head_a, world.staff_a):
        c = as_user(user)
        assert c.post("/calendar/days", data={"day": "21/05/2022", "kind": "off"}).status_code == 403
        assert c.post("/calendar/days/2022-05-21/delete").status_code == 403
    for user in (world.head_a, world.staff_a):
        assert as_user(user).get("/calendar/").status_code == 403
    assert db.session.query(CalendarDay).count() == 0


def test_office_and_leadership_read_the_calendar(world, as_user):
    """Issue 14 item 9: deadlines are counted on this calendar, so those who chase and approve
    them can read it; only the administrator changes it (no form, no remove button for them)."""
    db.session.add(CalendarDay(day=date(2022, 5, 21), kind="work", note="Làm bù 2/9"))
    db.session.commit()
    for user, report_days in ((world.office_user, True), (world.leader, False)):
        c = as_user(user)
        html = c.get("/calendar/?month=2022-05").get_data(as_text=True)
        assert "Làm bù 2/9" in html and "chỉ quản trị viên sửa được lịch" in html
        assert "Thêm / sửa một ngày" not in html and "Bỏ điều chỉnh" not in html
        assert ("Ngày báo cáo định kỳ" in html) is report_days
        assert 'href="/calendar/"' in c.get("/").get_data(as_text=True)  # in the menu
    html = as_user(world.admin).get("/calendar/?month=2022-05").get_data(as_text=True)
    assert "Thêm / sửa một ngày" in html and "Bỏ điều chỉnh" in html
    assert 'href="/calendar/"' not in as_user(world.staff_a).get("/").get_data(as_text=True)


def test_office_sets_report_days(world, as_user):
    c = as_user(world.office_user)
    r = c.get("/calendar/report-days")
    assert r.status_code == 200 and 'value="15"' in r.get_data(as_text=True)
    r = c.post("/calendar/report-days", data={"monthly_day": "20", "quarterly_month": "3",
                                              "quarterly_day": "10", "yearly_month": "12", "yearly_day": "5"})
    assert r.status_code == 302
    assert services.report_days()["quarterly"] == {"month_of_quarter": 3, "day": 10}
    r = c.post("/calendar/report-days", data={"monthly_day": "40", "quarterly_month": "x",
                                              "quarterly_day": "10", "yearly_month": "12", "yearly_day": "5"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Từ 1 đến 31." in html and "Giá trị phải là số nguyên (ví dụ 3.238)." in html
    assert db.session.get(Setting, "report_days").value["monthly"] == {"day": 20}
    assert as_user(world.head_a).get("/calendar/report-days").status_code == 403
