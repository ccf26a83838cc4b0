"""Issue 17, item 7: timestamps are stored in UTC and shown in Vietnam time (Asia/Ho_Chi_Minh,
UTC+7) on pages, in XLSX and DOCX and in reminders, through one formatting function."""
import io
from datetime import date, datetime, timezone

import openpyxl
from docx import Document

from app import clock
from app.domain.formatting import local_date, to_local, vn_date, vn_datetime
from app.extensions import db
from app.models import Submission, SubmissionEvent
from tests.conftest import login
from tests.factories import make_plan
from tests.register.helpers import make_next
from tests.reports.test_workflow import _open, _sent_set


def test_stored_utc_is_shown_in_vietnam_time():
    at = datetime(2022, 5, 20, 11, 16)  # naive = UTC, as stored
    assert vn_datetime(at) == "18:16 20/05/2022"
    assert vn_datetime(datetime(2022, 5, 20, 11, 16, tzinfo=timezone.utc)) == "18:16 20/05/2022"
    late = datetime(2022, 5, 19, 20, 30)  # 03:30 the next morning in Hà Nội
    assert vn_date(late) == "20/05/2022" and local_date(late) == date(2022, 5, 20)
    assert to_local(late).utcoffset().total_seconds() == 7 * 3600
    assert vn_date(date(2022, 5, 19)) == "19/05/2022"  # a plain date is a day, not shifted
    assert vn_datetime(None) == "" and vn_date(None) == ""


def test_clock_stores_utc_and_today_is_the_vietnamese_day(app):
    with app.app_context():
        app.config["PORTAL_TODAY"] = ""
        app.config["PORTAL_NOW"] = "2022-05-19T20:30:00"
        try:
            assert clock.now() == datetime(2022, 5, 19, 20, 30)
            assert clock.today() == date(2022, 5, 20)
        finally:
            app.config["PORTAL_NOW"] = ""
        app.config["PORTAL_TODAY"] = "2022-05-20"
        # A pinned day (demo, tests) stays the same day in UTC and in Vietnam.
        assert clock.now().date() == date(2022, 5, 20) and local_date(clock.now()) == date(2022, 5, 20)


def test_task_timeline_and_tracker_xlsx_show_vietnam_time(client, world):
    plan = make_plan(world, tasks=[{"lead": world.div_a, "state": "accepted", "result_text": "Xong"}])
    task = plan.tasks[0]
    sub = db.session.scalar(db.select(Submission).where(Submission.task_id == task.id))
    sub.submitted_at = datetime(2022, 5, 18, 23, 40)   # 06:40 19/05 in Vietnam
    sub.accepted_at = datetime(2022, 5, 19, 20, 30)    # 03:30 20/05 in Vietnam
    db.session.add(SubmissionEvent(submission_id=sub.id, actor_id=world.office_user.id,
                                   action="accept", from_state="approved", to_state="accepted",
                                   created_at=datetime(2022, 5, 20, 11, 16)))
    db.session.commit()
    login(client, world.office_user)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "18:16 20/05/2022" in page and "11:16 20/05/2022" not in page
    assert "tiếp nhận 20/05/2022" in page
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/plans/{plan.id}/tracker.xlsx").data))
    ws = wb["Theo dõi nhiệm vụ"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "STT")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(header + 1, cols["Ngày nộp"]).value.date() == date(2022, 5, 19)
    assert ws.cell(header + 1, cols["Ngày chấp nhận"]).value.date() == date(2022, 5, 20)


def test_report_issued_late_evening_utc_is_dated_the_vietnamese_day(app, world, as_user):
    from app.models import Report
    _sent_set(world.div_a)
    app.config["PORTAL_TODAY"] = ""
    app.config["PORTAL_NOW"] = "2022-06-30T20:00:00"  # 03:00 on 01/07/2022 in Vietnam
    try:
        c = as_user(world.office_user)
        assert _open(c).status_code == 302
        report = db.session.scalar(db.select(Report))
        assert c.post(f"/reports/{report.id}/move/submit").status_code == 302
        make_next(world.agency, 2022, "120/BC-SLĐTBXH")   # the register's next number
        db.session.commit()
        c = as_user(world.leader)
        assert c.post(f"/reports/{report.id}/move/issue",
                      data={"number": "120/BC-SLĐTBXH", "issued_on": "",
                            "confirm_gaps": "1"}).status_code == 302
        page = c.get(f"/reports/{report.id}").get_data(as_text=True)
        assert "03:00 01/07/2022" in page and "20:00 30/06/2022" not in page
        d = Document(io.BytesIO(c.get(f"/reports/{report.id}/report.docx").data))
        cells = [cell.text for row in d.tables[0].rows for cell in row.cells]
        assert "Lạng Sơn, ngày 01 tháng 7 năm 2022" in cells
    finally:
        app.config["PORTAL_NOW"] = ""


def test_demo_office_hours_are_stored_as_utc():
    from app.domain.formatting import utc_of_local
    at = utc_of_local(date(2022, 3, 31), 15, 30)
    assert at == datetime(2022, 3, 31, 8, 30) and vn_datetime(at) == "15:30 31/03/2022"
