from app.clock import now
from app.extensions import db
from app.models import Notification
from tests.conftest import login


def _n(user, text="Bạn được giao nhiệm vụ", url="/tasks/"):
    n = Notification(user_id=user.id, kind="assigned", text=text, url=url, created_at=now())
    db.session.add(n)
    db.session.commit()
    return n


def test_bell_counts_unread(client, world):
    _n(world.staff_a)
    _n(world.staff_a)
    _n(world.staff_b)
    login(client, world.staff_a)
    assert 'id="bell-count">2<' in client.get("/notifications/bell").get_data(as_text=True)


def test_open_marks_read_and_redirects(client, world):
    n = _n(world.staff_a, url="/tasks/")
    login(client, world.staff_a)
    r = client.post(f"/notifications/{n.id}/open")
    assert r.status_code == 302 and r.headers["Location"] == "/tasks/"
    db.session.refresh(n)
    assert n.read_at is not None


def test_cannot_open_someone_elses(client, world):
    n = _n(world.staff_b)
    login(client, world.staff_a)
    assert client.post(f"/notifications/{n.id}/open").status_code == 404


def test_list_and_read_all(client, world):
    _n(world.staff_a, text="Thông báo một")
    login(client, world.staff_a)
    assert "Thông báo một" in client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/read-all")
    assert "bell-count" not in client.get("/notifications/bell").get_data(as_text=True)


def test_external_url_not_followed(client, world):
    n = _n(world.staff_a, url="https://evil.example/")
    login(client, world.staff_a)
    assert client.post(f"/notifications/{n.id}/open").headers["Location"] == "/notifications/"
