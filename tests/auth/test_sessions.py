"""Server-side sessions: ended on logout, by the admin, by a lock, a move or a new password, by
the user from another device; a copied cookie of an ended session is refused on any app server."""
from __future__ import annotations

from datetime import timedelta

from flask import g
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import UserSession
from tests.conftest import PASSWORD, login


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _browser(app, cookie: str):
    """Another browser holding a copy of `cookie`."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _fresh() -> None:
    # Requests made while the test holds the app context share its g, where flask-login caches
    # the user it loaded: each request here must load its own.
    g.pop("_login_user", None)
    g.pop("user_session", None)


def _logged_in(client) -> bool:
    _fresh()
    _fresh()
    resp = client.get("/")
    return resp.status_code == 200


def _open(user_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(UserSession.id)).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)))


def test_login_records_the_session_and_logout_ends_it_on_the_server(app, client, world):
    login(client, world.staff_a)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == world.staff_a.id))
    assert row.ip == "127.0.0.1" and row.ended_at is None
    copy = _cookie(client)
    _fresh()
    client.post("/logout")
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).ended_reason == "logout"
    stolen = _browser(app, copy)
    _fresh()
    resp = stolen.get("/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_admin_locking_a_user_ends_their_sessions_at_once(app, client, world):
    login(client, world.staff_a)
    staff = _browser(app, _cookie(client))
    admin = app.test_client()
    login(admin, world.admin)
    _fresh()
    resp = admin.post(f"/admin/users/{world.staff_a.id}", data={
        "username": world.staff_a.username, "full_name": world.staff_a.full_name, "unit_id": world.div_a.id,
        "role": "staff"})  # "active" unticked: locked
    assert resp.status_code == 302
    assert not _logged_in(staff)
    assert _open(world.staff_a.id) == 0


def test_a_role_or_unit_change_ends_the_sessions(app, client, world):
    login(client, world.staff_a)
    staff = _browser(app, _cookie(client))
    admin = app.test_client()
    login(admin, world.admin)
    _fresh()
    admin.post(f"/admin/users/{world.staff_a.id}", data={
        "username": world.staff_a.username, "full_name": world.staff_a.full_name, "unit_id": world.div_b.id,
        "role": "staff", "active": "y"})
    assert not _logged_in(staff)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == world.staff_a.id))
    assert row.ended_reason == "moved"


def test_an_edit_that_changes_nothing_of_that_keeps_the_sessions(app, client, world):
    login(client, world.staff_a)
    admin = app.test_client()
    login(admin, world.admin)
    _fresh()
    admin.post(f"/admin/users/{world.staff_a.id}", data={
        "username": world.staff_a.username, "full_name": "Tên Mới", "unit_id": world.div_a.id,
        "role": "staff", "active": "y"})
    assert _logged_in(client)


def test_own_password_change_keeps_this_session_and_ends_the_others(app, world):
    first, second = app.test_client(), app.test_client()
    login(first, world.staff_a)
    login(second, world.staff_a)
    _fresh()
    resp = first.post("/account/password", data={"current": PASSWORD, "new": "MatKhauMoi@2025",
                                                 "confirm": "MatKhauMoi@2025"})
    assert resp.status_code == 302
    assert _logged_in(first)
    assert not _logged_in(second)


def test_user_sees_their_sessions_and_ends_another_one(app, world):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, world.head_a)
    _fresh()
    phone.post("/login", data={"username": world.head_a.username, "password": PASSWORD},
               headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1"})
    _fresh()
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "(phiên này)" in page and "Safari trên iPhone" in page
    phone_row = db.session.scalar(select(UserSession).where(UserSession.user_id == world.head_a.id,
                                                            UserSession.user_agent.like("%iPhone%")))
    _fresh()
    assert laptop.post(f"/account/sessions/{phone_row.id}/end").status_code == 302
    assert not _logged_in(phone)
    assert _logged_in(laptop)


def test_nobody_ends_somebody_elses_session(app, world):
    victim, other = app.test_client(), app.test_client()
    login(victim, world.staff_b)
    login(other, world.staff_a)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == world.staff_b.id))
    _fresh()
    assert other.post(f"/account/sessions/{row.id}/end").status_code == 404
    assert _logged_in(victim)


def test_end_all_others_and_admin_ends_every_session(app, world):
    a, b, c = app.test_client(), app.test_client(), app.test_client()
    for cl in (a, b, c):
        login(cl, world.staff_a)
    _fresh()
    a.post("/account/sessions/end-others")
    assert _logged_in(a) and not _logged_in(b) and not _logged_in(c)
    admin = app.test_client()
    login(admin, world.admin)
    _fresh()
    page = admin.get(f"/admin/users/{world.staff_a.id}").get_data(as_text=True)
    assert "Phiên đăng nhập đang mở" in page
    _fresh()
    assert admin.post(f"/admin/users/{world.staff_a.id}/sessions/end").status_code == 302
    assert not _logged_in(a)
    assert _logged_in(admin)


def test_an_expired_session_is_refused_on_the_server(app, client, world):
    login(client, world.staff_a)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == world.staff_a.id))
    row.created_at -= app.config["PERMANENT_SESSION_LIFETIME"] + timedelta(minutes=1)
    db.session.commit()
    assert not _logged_in(client)
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).ended_reason == "expired"


def test_a_session_ended_on_one_app_server_is_refused_on_another(app, client, world):
    """Two app servers on one database: no state in the process decides who is logged in."""
    other_server = create_app("config.TestConfig", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": app.config["SECRET_KEY"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "PORTAL_TODAY": app.config["PORTAL_TODAY"],
        "WTF_CSRF_ENABLED": False})
    login(client, world.staff_a)
    there = _browser(other_server, _cookie(client))
    _fresh()
    assert there.get("/").status_code == 200
    _fresh()
    _fresh()
    client.post("/logout")
    _fresh()
    assert there.get("/").status_code == 302
    with other_server.app_context():
        db.session.remove()
