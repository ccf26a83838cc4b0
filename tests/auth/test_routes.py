from app.models import LoginAttempt
from app.extensions import db
from tests.conftest import PASSWORD, login


def test_login_page_renders(client, world):
    r = client.get("/login")
    assert r.status_code == 200
    assert "Đăng nhập" in r.get_data(as_text=True)


def test_home_requires_login(client, world):
    r = client.get("/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_login_ok_and_logout(client, world):
    r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_message_keeps_username(client, world):
    r = client.post("/login", data={"username": "cv_btxh", "password": "sai"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in body
    assert 'value="cv_btxh"' in body


def test_empty_fields_show_messages(client, world):
    r = client.post("/login", data={"username": "", "password": ""})
    body = r.get_data(as_text=True)
    assert "Nhập tên đăng nhập." in body and "Nhập mật khẩu." in body


def test_rate_limit_blocks_after_failures(client, world, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "cv_btxh", "password": "sai"})
    r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 429
    assert "quá" in r.get_data(as_text=True)
    assert db.session.query(LoginAttempt).filter_by(success=False).count() == 5


def test_inactive_user_cannot_login(client, world):
    world.staff_a.active = False
    db.session.commit()
    r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 400


def test_open_redirect_refused(client, world):
    r = client.post("/login?next=https://evil.example/x",
                    data={"username": "cv_btxh", "password": PASSWORD})
    assert r.headers["Location"] == "/"
    client.post("/logout")
    r = client.post("/login?next=/notifications/",
                    data={"username": "cv_btxh", "password": PASSWORD})
    assert r.headers["Location"] == "/notifications/"


def test_passwords_are_hashed(world):
    assert PASSWORD not in world.staff_a.password_hash
    assert world.staff_a.password_hash.startswith("pbkdf2:")


def test_change_password(client, world):
    login(client, world.staff_a)
    r = client.post("/account/password", data={"current": "sai", "new": "MoiMoi@2022", "confirm": "MoiMoi@2022"})
    assert "Mật khẩu hiện tại không đúng." in r.get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "new": "MoiMoi@2022", "confirm": "MoiMoi@2022"})
    assert r.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"username": "cv_btxh", "password": "MoiMoi@2022"}).status_code == 302


def test_csrf_enforced_on_post(client, world, app):
    app.config["WTF_CSRF_ENABLED"] = True
    r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 400
    assert "mã bảo mật" in r.get_data(as_text=True)
