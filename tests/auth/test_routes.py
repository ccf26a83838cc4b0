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


# ---- lock-out: per account, per address only at a much higher threshold (issue 17, item 6) ----

def _post_login(client, username, password, ip="10.0.0.7"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_overrides={"REMOTE_ADDR": ip})


def test_failures_of_one_account_lock_that_account_only(client, world, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert _post_login(client, "cv_btxh", "sai").status_code == 400
    r = _post_login(client, "cv_btxh", PASSWORD)
    assert r.status_code == 429
    # A colleague behind the same NAT address still logs in.
    r = _post_login(client, "cv_btxh2", PASSWORD)
    assert r.status_code == 302
    client.post("/logout")
    # And the same account from elsewhere stays locked: the lock follows the account.
    assert _post_login(client, "cv_btxh", PASSWORD, ip="10.0.0.99").status_code == 429


def test_other_accounts_of_the_address_are_never_locked_by_one_account(client, world, app):
    # The locked account keeps being hammered; its refused tries must not count against the address.
    for _ in range(app.config["LOGIN_IP_MAX_FAILURES"] + 5):
        _post_login(client, "cv_btxh", "sai")
    assert _post_login(client, "tp_btxh", PASSWORD).status_code == 302


def test_flood_across_many_usernames_from_one_address_is_limited(client, world, app):
    limit = app.config["LOGIN_IP_MAX_FAILURES"]
    assert limit >= 10 * app.config["LOGIN_MAX_FAILURES"]
    for i in range(limit):
        assert _post_login(client, f"guess{i}", "sai").status_code == 400
    r = _post_login(client, "tp_btxh", PASSWORD)
    assert r.status_code == 429
    assert "địa chỉ" in r.get_data(as_text=True)
    # Another address is not affected.
    assert _post_login(client, "tp_btxh", PASSWORD, ip="10.0.0.8").status_code == 302
