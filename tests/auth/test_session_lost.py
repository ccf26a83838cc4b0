"""Issue 17, item 3: an htmx request after the login or the CSRF token expired gets 401 and
nothing to swap (the form stays as typed); the log-in-again dialog logs in over fetch."""
from app.extensions import db
from app.models import Submission
from tests.conftest import PASSWORD, login
from tests.factories import make_plan

HX = {"HX-Request": "true", "HX-Target": "task-body"}


def _task(world):
    return make_plan(world, tasks=[{"lead": world.div_a}]).tasks[0]


def test_htmx_request_without_login_gets_401_not_the_login_page(client, world):
    task = _task(world)
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Đang gõ"}, headers=HX)
    assert r.status_code == 401
    assert r.headers["X-Session-Lost"] == "login"
    assert "<html" not in r.get_data(as_text=True) and "Location" not in r.headers
    # A plain request still goes to the login page.
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Đang gõ"})
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_boosted_form_without_login_gets_401(client, world):
    r = client.post("/reports/1/edit", data={"title": "x"},
                    headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert r.status_code == 401 and r.headers["X-Session-Lost"] == "login"


def test_stale_csrf_token_on_htmx_gets_401_and_the_text_is_not_lost(client, world, app):
    task = _task(world)
    login(client, world.staff_a)
    app.config["WTF_CSRF_ENABLED"] = True
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Đang gõ", "csrf_token": "cũ"},
                    headers=HX)
    assert r.status_code == 400 and r.headers["X-Session-Lost"] == "csrf"
    assert r.headers["HX-Reswap"] == "none" and "mã bảo mật" in r.get_data(as_text=True)
    state = client.get("/session").get_json()
    assert state["authenticated"] is True
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Đang gõ", "version": "1"},
                    headers=HX | {"X-CSRFToken": state["csrf_token"]})
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(db.select(Submission.result_text).where(Submission.task_id == task.id)) == "Đang gõ"
    # A plain form post with a stale token keeps its error page.
    r = client.post("/account/password", data={"csrf_token": "cũ"})
    assert r.status_code == 400 and "mã bảo mật" in r.get_data(as_text=True)


def test_relogin_over_fetch_answers_json_with_the_new_session_token(client, world, app):
    app.config["WTF_CSRF_ENABLED"] = True
    state = client.get("/session").get_json()
    assert state["authenticated"] is False and state["csrf_token"]
    headers = {"X-Relogin": "1", "X-CSRFToken": state["csrf_token"]}
    r = client.post("/login", data={"username": "cv_btxh", "password": "sai"}, headers=headers)
    assert r.status_code == 400
    assert r.get_json()["error"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert r.get_json()["authenticated"] is False
    r = client.post("/login", data={"username": "cv_btxh", "password": PASSWORD}, headers=headers)
    body = r.get_json()
    assert r.status_code == 200 and body["authenticated"] is True
    assert body["csrf_token"] and body["csrf_token"] != state["csrf_token"]
    assert client.get("/").status_code == 200
