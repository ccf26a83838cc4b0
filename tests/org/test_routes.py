from app.extensions import db
from app.models import Unit, User
from tests.conftest import PASSWORD, login


def test_admin_pages_only_for_admin(client, world):
    for user in (world.office_user, world.leader, world.staff_a, world.head_a):
        login(client, user)
        for url in ("/admin/units", "/admin/users", "/admin/units/new", "/admin/users/new"):
            assert client.get(url).status_code == 403, (user.username, url)
        assert client.post("/admin/units/new", data={"name": "X", "code": "X", "kind": "division"}).status_code == 403


def test_create_unit_and_duplicate(client, world):
    login(client, world.admin)
    r = client.post("/admin/units/new", data={"name": "Phòng Người có công", "code": "ncc",
                                               "kind": "division", "parent_id": "0", "sort_order": "6",
                                               "active": "y"})
    assert r.status_code == 302
    u = db.session.scalar(db.select(Unit).where(Unit.code == "NCC"))
    assert u.name == "Phòng Người có công" and u.kind == "division"
    r = client.post("/admin/units/new", data={"name": "Phòng Người có công", "code": "NCC2",
                                               "kind": "division", "parent_id": "0"})
    assert r.status_code == 400 and "Tên đơn vị đã có." in r.get_data(as_text=True)
    r = client.post("/admin/units/new", data={"name": "", "code": "có dấu", "kind": "division", "parent_id": "0"})
    body = r.get_data(as_text=True)
    assert "Nhập tên đơn vị." in body and "Mã chỉ gồm" in body and 'value="có dấu"' in body


def test_create_user_login_and_edit(client, world):
    login(client, world.admin)
    data = {"username": "cv_moi", "full_name": "Nguyễn Văn Mới", "unit_id": str(world.div_b.id),
            "role": "staff", "active": "y", "password": "MatKhau@123", "email": "moi@example.test"}
    assert client.post("/admin/users/new", data=data).status_code == 302
    u = db.session.scalar(db.select(User).where(User.username == "cv_moi"))
    assert u.unit_id == world.div_b.id and "MatKhau@123" not in u.password_hash
    r = client.post("/admin/users/new", data=data)
    assert r.status_code == 400 and "Tên đăng nhập đã có." in r.get_data(as_text=True)
    r = client.post("/admin/users/new", data={**data, "username": "x2", "email": "khong-hop-le", "password": "123"})
    body = r.get_data(as_text=True)
    assert "Địa chỉ thư không hợp lệ." in body and "ít nhất 10 ký tự" in body
    # lock the account: it can no longer log in
    r = client.post(f"/admin/users/{u.id}", data={**data, "active": "", "password": ""})
    assert r.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"username": "cv_moi", "password": "MatKhau@123"}).status_code == 400


def test_admin_cannot_lock_self(client, world):
    login(client, world.admin)
    r = client.post(f"/admin/users/{world.admin.id}", data={
        "username": "admin", "full_name": "A", "unit_id": str(world.office.id), "role": "staff", "active": "y"})
    assert r.status_code == 400 and "Không thể tự bỏ quyền quản trị" in r.get_data(as_text=True)


def test_user_list_search(client, world):
    login(client, world.admin)
    body = client.get("/admin/users?q=ldvl").get_data(as_text=True)
    assert "tp_ldvl" in body and "tp_btxh" not in body
    assert client.get(f"/admin/units/{world.div_a.id}").status_code == 200
    assert client.get("/admin/units/99999").status_code == 404
    assert PASSWORD
