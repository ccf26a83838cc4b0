"""`flask remind` end to end: real CLI, real smtplib, a real SMTP server on 127.0.0.1."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, ReminderLog, TaskAssignee
from tests.deadlines.conftest import make_task
from tests.reminders.smtp_server import SMTPTestServer


@pytest.fixture
def smtp(app):
    with SMTPTestServer() as server:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_FROM="kstt@so.test")
        yield server
    app.config.update(MAIL_SERVER="")


def _tasks(world):
    overdue = make_task(world, date(2022, 5, 10), content="Rà soát TTHC cấp xã")
    soon = make_task(world, date(2022, 5, 24), plan=overdue.plan, content="Báo cáo quý II")
    make_task(world, date(2022, 5, 10), plan=overdue.plan, state="accepted",
              accepted_on=date(2022, 5, 9), content="Đã xong")
    make_task(world, date(2022, 7, 1), plan=overdue.plan, content="Còn xa")
    other = make_task(world, date(2022, 5, 19), plan=overdue.plan, lead=world.div_b,
                      content="Việc của phòng B")
    db.session.add(TaskAssignee(task_id=soon.id, user_id=world.staff_a.id, assigned_by_id=world.head_a.id))
    db.session.commit()
    return overdue, soon, other


def test_remind_sends_digests_once_a_day(world, app, smtp):
    _tasks(world)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    assert "Nhắc việc 20/05/2022" in result.output

    by_to = {m["message"]["To"].addresses[0].username + "@" + m["message"]["To"].addresses[0].domain: m
             for m in smtp.messages}
    # head A: one overdue (10/05, 8 working days) and one due soon (24/05, 2 working days left)
    head = by_to["tp_btxh@example.test"]["message"]
    assert head["Subject"] == "[KSTT] Nhắc việc ngày 20/05/2022: 1 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn."
    body = head.get_content()
    assert "Rà soát TTHC cấp xã (Phòng Bảo trợ xã hội – Trẻ em) — hạn 10/05/2022, quá hạn 8 ngày." in body
    assert "Báo cáo quý II (Phòng Bảo trợ xã hội – Trẻ em) — hạn 24/05/2022, còn 2 ngày làm việc." in body
    assert "giải trình" in body
    assert "Đã xong" not in body and "Còn xa" not in body and "Việc của phòng B" not in body
    # staff A: the assigned task only
    staff = by_to["cv_btxh@example.test"]["message"].get_content()
    assert "Báo cáo quý II" in staff and "Rà soát TTHC cấp xã" not in staff
    # the office chases every overdue task, of both units
    office = by_to["vanphong@example.test"]["message"].get_content()
    assert "Rà soát TTHC cấp xã" in office and "Việc của phòng B" in office and "Báo cáo quý II" not in office
    assert set(by_to) == {"tp_btxh@example.test", "cv_btxh@example.test", "vanphong@example.test",
                          "tp_ldvl@example.test"}
    assert by_to["tp_btxh@example.test"]["from"] == "<kstt@so.test>"

    notes = db.session.scalars(select(Notification).where(Notification.kind == "reminder")).all()
    assert {n.user_id for n in notes} == {world.head_a.id, world.staff_a.id, world.office_user.id, world.head_b.id}
    assert all(r.emailed for r in db.session.scalars(select(ReminderLog)))

    # Second run the same day: nothing sent again.
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0 and "4 đã nhắc trước đó" in result.output
    assert len(smtp.messages) == 4
    assert db.session.scalar(select(db.func.count(Notification.id)).where(Notification.kind == "reminder")) == 4

    # The next working day is a new digest.
    result = runner.invoke(args=["remind", "--date", "2022-05-23"])
    assert result.exit_code == 0
    assert len(smtp.messages) == 8


def test_in_app_only_without_smtp(world, app):
    _tasks(world)
    assert not app.config["MAIL_SERVER"]
    result = app.test_cli_runner().invoke(args=["remind"])
    assert "4 người nhận thông báo, 0 e-mail" in result.output
    rows = db.session.scalars(select(ReminderLog)).all()
    assert len(rows) == 4 and not any(r.emailed for r in rows)


def test_smtp_down_keeps_in_app_and_does_not_resend(world, app):
    _tasks(world)
    with SMTPTestServer() as server:
        port = server.port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)  # nobody listens any more
    try:
        result = app.test_cli_runner().invoke(args=["remind"])
    finally:
        app.config.update(MAIL_SERVER="")
    assert "4 e-mail lỗi" in result.output
    assert db.session.scalar(select(db.func.count(Notification.id))) == 4
