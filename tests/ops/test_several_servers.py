"""Several app servers behind a load balancer share nothing but the database, the secret
key and the upload folder: a session and a rate limit started on one hold on the other."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def two_servers(app):
    same = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "one-secret-for-every-server-" + "x" * 20,
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "PORTAL_TODAY": app.config["PORTAL_TODAY"],
            "WTF_CSRF_ENABLED": False}
    servers = [create_app("config.TestConfig", dict(same)) for _ in range(2)]
    yield servers
    for s in servers:
        with s.app_context():
            db.engine.dispose()


def test_session_from_one_server_is_valid_on_the_other(two_servers, world):
    a, b = (s.test_client() for s in two_servers)
    assert a.post("/login", data={"username": "cv_btxh", "password": PASSWORD}).status_code == 302
    b.set_cookie("session", a.get_cookie("session").value)
    r = b.get("/")
    assert r.status_code == 200 and world.staff_a.full_name in r.get_data(as_text=True)


def test_login_rate_limit_holds_across_servers(two_servers, world, app):
    a, b = (s.test_client() for s in two_servers)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        a.post("/login", data={"username": "cv_btxh", "password": "sai"})
    r = b.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 429
