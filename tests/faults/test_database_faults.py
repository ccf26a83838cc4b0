"""The database goes away mid-request: a clear Vietnamese 503 page, and nothing half-written."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import LoginAttempt, Notification, User
from tests.conftest import PASSWORD, login

DOWN_TEXT = "Cơ sở dữ liệu tạm thời không truy cập được"


class _Down(Exception):
    pass


@contextmanager
def database_fails(when=lambda statement: True):
    """Every statement matching `when` fails as if the server had gone away."""
    def before(conn, cursor, statement, parameters, context, executemany):
        if when(statement):
            raise OperationalError(statement, parameters, _Down("server closed the connection unexpectedly"))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_failure_during_the_write_leaves_nothing_half_written(client, world):
    """Login writes an attempt row and the user's last login time in one transaction; the
    second statement fails: neither is kept, the user is not logged in."""
    staff_id = world.staff_a.id
    with database_fails(lambda s: s.lstrip().upper().startswith("UPDATE USERS")):
        r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 503
    body = r.get_data(as_text=True)
    assert DOWN_TEXT in body and "Traceback" not in body
    db.session.remove()
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
    assert db.session.get(User, staff_id).last_login_at is None
    g.pop("_login_user", None)
    assert client.get("/").status_code == 302  # not logged in
    # The database is back: the same request now works.
    assert client.post("/login", data={"username": "cv_btxh", "password": PASSWORD}).status_code == 302


def test_database_down_for_a_logged_in_page(client, world):
    """Even loading the current user fails: the error page still renders (anonymous)."""
    login(client, world.staff_a)
    g.pop("_login_user", None)
    with database_fails():
        r = client.get("/notifications/")
    assert r.status_code == 503
    assert DOWN_TEXT in r.get_data(as_text=True)
    g.pop("_login_user", None)
    assert client.get("/notifications/").status_code == 200


def test_failure_in_an_update_rolls_back(client, world):
    db.session.add_all([Notification(user_id=world.staff_a.id, kind="task", text=f"n{i}")
                        for i in range(3)])
    db.session.commit()
    login(client, world.staff_a)
    g.pop("_login_user", None)
    with database_fails(lambda s: s.lstrip().upper().startswith("UPDATE NOTIFICATIONS")):
        r = client.post("/notifications/read-all")
    assert r.status_code == 503
    db.session.remove()
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.read_at.is_(None))) == 3


def test_real_connection_killed_mid_request(client, world, app):
    """PostgreSQL: the server really terminates the request's connection between two statements."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs a database server to kill a connection")
    killed = {}

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE USERS") and not killed:
            pid = conn.connection.dbapi_connection.info.backend_pid
            with db.engine.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                other.commit()
            killed["pid"] = pid

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert killed and r.status_code == 503
    assert DOWN_TEXT in r.get_data(as_text=True)
    db.session.remove()
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0
    g.pop("_login_user", None)
    assert client.post("/login", data={"username": "cv_btxh", "password": PASSWORD}).status_code == 302
