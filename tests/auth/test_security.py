"""Stronger accounts: the password policy, forced change of an initial or reset password, the
admin's reset, and the TOTP second factor with recovery codes."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from flask import g
from sqlalchemy import select

from app.domain.passwords import password_problems, recovery_codes, temporary_password
from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, login


def _fresh():
    g.pop("_login_user", None)
    g.pop("user_session", None)


def _get(client, path, **kw):
    _fresh()
    return client.get(path, **kw)


def _post(client, path, **kw):
    _fresh()
    return client.post(path, **kw)


# ---- the policy (pure) ---------------------------------------------------------------------------

@pytest.mark.parametrize("pw, problem", [
    ("Ab1!", "ít nhất 10 ký tự"),
    ("abcdefghijkl", "3 trong 4 loại"),
    ("Nguyenvana@2024", "chứa tên đăng nhập"),
    ("Thảo@Nguyễn99", "chứa họ tên"),
    ("Matkhau123!", "quá phổ biến"),
    ("Password1!", "quá phổ biến"),
])
def test_weak_passwords_are_named(pw, problem):
    problems = password_problems(pw, "nguyenvana", "Nguyễn Thu Thảo")
    assert any(problem in p for p in problems), problems


def test_good_password_and_generated_ones_pass():
    assert password_problems("Ke-hoach 19/KH nam 2022", "cv_btxh", "Lê Chuyên A") == []
    assert all(password_problems(temporary_password()) == [] for _ in range(20))
    codes = recovery_codes()
    assert len(codes) == len(set(codes)) == 10 and all(len(c) == 9 and c[4] == "-" for c in codes)


# ---- change and forced change ----------------------------------------------------------------------

def test_change_password_applies_the_policy_next_to_the_field(client, world):
    login(client, world.staff_a)
    resp = _post(client, "/account/password", data={"current": PASSWORD, "new": "abc", "confirm": "abc"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "ít nhất 10 ký tự" in body and "3 trong 4 loại" in body
    resp = _post(client, "/account/password", data={"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD})
    assert "phải khác mật khẩu hiện tại" in resp.get_data(as_text=True)


def test_admin_created_user_must_change_the_initial_password(client, world):
    login(client, world.admin)
    resp = _post(client, "/admin/users/new", data={
        "username": "cv_moi", "full_name": "Chuyên Viên Mới", "unit_id": world.div_a.id, "role": "staff",
        "active": "y", "password": "Tam-thoi@2022"})
    assert resp.status_code == 302
    weak = _post(client, "/admin/users/new", data={
        "username": "cv_yeu", "full_name": "Yếu", "unit_id": world.div_a.id, "role": "staff",
        "active": "y", "password": "12345678"})
    assert weak.status_code == 400 and "3 trong 4 loại" in weak.get_data(as_text=True)
    login(client, "cv_moi", "Tam-thoi@2022")
    resp = _get(client, "/tasks/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/password")
    htmx = _get(client, "/tasks/", headers={"HX-Request": "true", "HX-Target": "rows"})
    assert htmx.headers.get("HX-Redirect", "").endswith("/account/password")
    assert "mật khẩu ban đầu" in _get(client, "/account/password").get_data(as_text=True)
    assert _post(client, "/account/password", data={"current": "Tam-thoi@2022", "new": "Cua-toi@2022xyz",
                                                    "confirm": "Cua-toi@2022xyz"}).status_code == 302
    assert _get(client, "/tasks/").status_code == 200


def test_admin_reset_gives_a_temporary_password_and_ends_the_sessions(app, client, world):
    staff = app.test_client()
    login(staff, world.staff_a)
    login(client, world.admin)
    resp = _post(client, f"/admin/users/{world.staff_a.id}/reset-password")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    body = resp.get_data(as_text=True)
    temp = body.split('id="temp-password">')[1].split("<")[0]
    assert password_problems(temp) == []
    assert _get(staff, "/").status_code == 302  # the old session is gone
    assert _post(staff, "/login", data={"username": world.staff_a.username, "password": PASSWORD}).status_code == 400
    login(staff, world.staff_a, temp)
    assert _get(staff, "/").headers["Location"].endswith("/account/password")


# ---- TOTP ----------------------------------------------------------------------------------------

def _enrol(client) -> tuple[str, list[str]]:
    page = _get(client, "/account/totp").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    assert "data:image/svg+xml" in page
    resp = _post(client, "/account/totp/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_data(as_text=True)
    codes = [c.split("</code>")[0] for c in body.split("<li><code>")[1:]]
    return secret, codes


def test_totp_enrolment_then_login_needs_the_code(app, client, world):
    login(client, world.head_a)
    assert _post(client, "/account/totp/confirm", data={"code": "000000"}).status_code == 302  # no setup begun
    _get(client, "/account/totp")
    bad = _post(client, "/account/totp/confirm", data={"code": "000000"})
    assert bad.status_code == 400 and "không đúng" in bad.get_data(as_text=True)
    secret, codes = _enrol(client)
    assert len(codes) == 10
    _post(client, "/logout")
    resp = _post(client, "/login", data={"username": world.head_a.username, "password": PASSWORD})
    assert resp.headers["Location"].endswith("/login/otp")
    assert _get(client, "/").status_code == 302  # not logged in yet
    wrong = _post(client, "/login/otp", data={"code": "000000"})
    assert wrong.status_code == 400 and "không đúng" in wrong.get_data(as_text=True)
    ok = _post(client, "/login/otp", data={"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    assert _get(client, "/").status_code == 200


def test_a_recovery_code_works_once(app, client, world):
    login(client, world.head_a)
    _, codes = _enrol(client)
    for expected in (302, 400):
        _post(client, "/logout")
        _post(client, "/login", data={"username": world.head_a.username, "password": PASSWORD})
        assert _post(client, "/login/otp", data={"code": codes[0].upper()}).status_code == expected


def test_the_second_step_is_rate_limited_and_expires(app, client, world):
    login(client, world.head_a)
    _enrol(client)
    _post(client, "/logout")
    _post(client, "/login", data={"username": world.head_a.username, "password": PASSWORD})
    statuses = [_post(client, "/login/otp", data={"code": "111111"}).status_code for _ in range(6)]
    assert statuses[-1] == 429
    with client.session_transaction() as s:
        s["mfa"] = {**s["mfa"], "at": "2000-01-01T00:00:00"}
    resp = _get(client, "/login/otp")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_role_that_requires_totp_must_set_it_up_and_cannot_turn_it_off(app, client, world):
    app.config["TOTP_REQUIRED_ROLES"] = frozenset({"admin"})
    try:
        login(client, world.admin)
        resp = _get(client, "/admin/users")
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/totp")
        _enrol(client)
        assert _get(client, "/admin/users").status_code == 200
        _post(client, "/account/totp/disable", data={"password": PASSWORD})
        db.session.expire_all()
        assert db.session.get(User, world.admin.id).totp_enabled_at is not None
    finally:
        app.config["TOTP_REQUIRED_ROLES"] = frozenset()


def test_admin_turns_off_a_lost_second_factor(app, client, world):
    login(client, world.head_a)
    _enrol(client)
    login(client, world.admin)  # head_a's login now needs the code; the admin's does not
    assert _post(client, f"/admin/users/{world.head_a.id}/reset-totp").status_code == 302
    db.session.expire_all()
    u = db.session.scalar(select(User).where(User.id == world.head_a.id))
    assert u.totp_enabled_at is None and u.totp_secret is None
