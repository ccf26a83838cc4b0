"""Directory login against a real OpenLDAP server (Debian's slapd, scripts/ldap-up.sh, on
127.0.0.1 with tests/fixtures/ldap/directory.ldif): good and wrong passwords, a locked account,
a user moved to another group, the directory down, injection characters, StartTLS."""
from __future__ import annotations

import pytest
from ldap3 import MODIFY_ADD, MODIFY_DELETE, Connection, Server
from sqlalchemy import func, select

from app.auth import directory
from app.extensions import db
from app.models import DirectoryMapping, LoginAttempt, User
from tests.conftest import free_port as _free_port
from tests.conftest import login

SUFFIX = "dc=langson,dc=gov,dc=vn"
GROUPS = f"ou=groups,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"


@pytest.fixture
def mappings(world):
    rows = [DirectoryMapping(group_dn=f"cn=kstt-btxh-chuyenvien,{GROUPS}", unit_id=world.div_a.id, role="staff"),
            DirectoryMapping(group_dn=f"CN=kstt-btxh-truongphong, {GROUPS.upper()}", unit_id=world.div_a.id,
                             role="head", title="Trưởng phòng", priority=10),
            DirectoryMapping(group_dn=f"cn=kstt-ldvl-chuyenvien,{GROUPS}", unit_id=world.div_b.id, role="staff")]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _login(client, name, password):
    client.post("/logout")
    return client.post("/login", data={"username": name, "password": password})


def _user(name):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == name))


def _failures(name):
    return db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == name, LoginAttempt.success.is_(False)))


def test_good_password_creates_the_user_from_the_directory(client, world, mappings, directory_on):
    resp = _login(client, "nguyenvana", "Dir@2022a")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    u = _user("nguyenvana")
    assert (u.auth_source, u.full_name, u.email) == ("directory", "Nguyễn Văn An", "nguyenvana@langson.gov.vn")
    assert (u.unit_id, u.role, u.title) == (world.div_a.id, "staff", "Chuyên viên")
    assert u.directory_dn == f"uid=nguyenvana,{PEOPLE}"
    assert "Nguyễn Văn An" in client.get("/").get_data(as_text=True)


def test_group_priority_and_case_insensitive_dn(client, world, mappings, directory_on):
    assert _login(client, "TranThiBinh", "Dir@2022b").status_code == 302
    u = _user("tranthibinh")
    assert (u.role, u.title, u.unit_id) == ("head", "Trưởng phòng", world.div_a.id)


def test_wrong_password_is_refused_and_counted(client, world, mappings, directory_on):
    resp = _login(client, "nguyenvana", "sai-mat-khau")
    assert resp.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in resp.get_data(as_text=True)
    assert _user("nguyenvana") is None
    assert _failures("nguyenvana") == 1


def test_locked_directory_account_is_refused_with_its_reason(client, world, mappings, directory_on):
    resp = _login(client, "lethicuc", "Dir@2022c")
    assert resp.status_code == 400
    assert "bị khóa trong thư mục" in resp.get_data(as_text=True)
    assert _user("lethicuc") is None


def test_unmapped_group_is_refused(client, world, mappings, directory_on):
    resp = _login(client, "hoangvanem", "Dir@2022e")
    assert resp.status_code == 400
    assert "chưa được gán đơn vị và vai trò" in resp.get_data(as_text=True)


def test_moved_to_another_group_role_follows_at_next_login(client, world, mappings, directory_on, ldap_server):
    assert _login(client, "phamvandung", "Dir@2022d").status_code == 302
    assert (_user("phamvandung").unit_id, _user("phamvandung").role) == (world.div_b.id, "staff")
    dn = f"uid=phamvandung,{PEOPLE}"
    admin = Connection(Server(ldap_server[0]), f"cn=admin,{SUFFIX}", "ldap-root-pass", auto_bind=True)
    try:
        admin.modify(f"cn=kstt-ldvl-chuyenvien,{GROUPS}", {"member": [(MODIFY_DELETE, [dn])]})
        admin.modify(f"cn=kstt-btxh-truongphong,{GROUPS}", {"member": [(MODIFY_ADD, [dn])]})
        assert _login(client, "phamvandung", "Dir@2022d").status_code == 302
        u = _user("phamvandung")
        assert (u.unit_id, u.role, u.title) == (world.div_a.id, "head", "Trưởng phòng")
        assert db.session.scalar(select(func.count(User.id)).where(User.username == "phamvandung")) == 1
    finally:
        admin.modify(f"cn=kstt-btxh-truongphong,{GROUPS}", {"member": [(MODIFY_DELETE, [dn])]})
        admin.modify(f"cn=kstt-ldvl-chuyenvien,{GROUPS}", {"member": [(MODIFY_ADD, [dn])]})
        admin.unbind()


def test_directory_down_clear_message_and_local_admin_still_works(app, client, world, mappings, directory_on):
    app.config["LDAP_URL"] = f"ldap://127.0.0.1:{_free_port()}"  # nothing listens there
    resp = _login(client, "nguyenvana", "Dir@2022a")
    assert resp.status_code == 400
    assert "Không kết nối được máy chủ thư mục" in resp.get_data(as_text=True)
    assert _failures("nguyenvana") == 0  # the directory's fault, not the user's
    login(client, world.admin)
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("name", ["*", "nguyenvana)(uid=*", "*)(objectClass=*", "nguyenvana*",
                                  "nguyenvana)(|(uid=*", "uid=nguyenvana,ou=people", "nguyenvana\x00"])
def test_injection_characters_never_log_in(client, world, mappings, directory_on, name):
    resp = _login(client, name, "Dir@2022a")
    assert resp.status_code in (400, 429)
    assert db.session.scalar(select(func.count(User.id)).where(User.auth_source == "directory")) == 0


def test_empty_password_is_not_an_anonymous_bind(client, world, mappings, directory_on, ldap_server):
    s = directory.DirectorySettings(url=ldap_server[0], base_dn=SUFFIX,
                                    user_dn_template=f"uid={{username}},{PEOPLE}")
    with pytest.raises(directory.DirectoryError) as e:
        directory.authenticate(s, "nguyenvana", "")
    assert e.value.kind == "invalid"


def test_direct_bind_without_service_account(ldap_server):
    # The user may read only its own entry and the groups (the directory's ACL), so the
    # groups are searched under their own branch.
    s = directory.DirectorySettings(url=ldap_server[0], base_dn=SUFFIX, group_base_dn=GROUPS,
                                    user_dn_template=f"uid={{username}},{PEOPLE}")
    ident = directory.authenticate(s, "tranthibinh", "Dir@2022b")
    assert ident.full_name == "Trần Thị Bình"
    assert directory.normalise_dn(f"cn=kstt-btxh-truongphong,{GROUPS}") in ident.groups
    with pytest.raises(directory.DirectoryError) as e:
        directory.authenticate(s, "tranthibinh", "sai")
    assert e.value.kind == "invalid"


def test_start_tls_needs_the_configured_ca(ldap_server):
    url, ca = ldap_server
    good = directory.DirectorySettings(url=url, base_dn=SUFFIX, bind_dn=f"cn=portal-svc,ou=services,{SUFFIX}",
                                       bind_password="svc-pass-2022", start_tls=True, ca_file=ca)
    assert directory.authenticate(good, "nguyenvana", "Dir@2022a").username == "nguyenvana"
    untrusted = directory.DirectorySettings(**{**good.__dict__, "ca_file": ""})
    with pytest.raises(directory.DirectoryError) as e:
        directory.authenticate(untrusted, "nguyenvana", "Dir@2022a")
    assert e.value.kind == "unavailable"


def test_local_account_keeps_its_password_when_a_directory_is_configured(client, world, mappings, directory_on):
    resp = _login(client, world.office_user.username, "Matkhau@2022")
    assert resp.status_code == 302


def test_directory_user_cannot_change_the_password_in_the_portal(client, world, mappings, directory_on):
    _login(client, "nguyenvana", "Dir@2022a")
    resp = client.post("/account/password", data={"current": "Dir@2022a", "new": "Moi@20222", "confirm": "Moi@20222"})
    assert "được đổi trong thư mục" in resp.get_data(as_text=True)


def test_admin_maps_a_group_through_the_admin_page(client, world, directory_on):
    login(client, world.admin)
    page = client.get("/admin/directory").get_data(as_text=True)
    assert "Chưa có quy tắc nào" in page
    resp = client.post("/admin/directory/new", data={
        "group_dn": f"cn=kstt-ldvl-chuyenvien,{GROUPS}", "unit_id": world.div_b.id, "role": "staff",
        "priority": "100", "active": "y"})
    assert resp.status_code == 302
    dup = client.post("/admin/directory/new", data={
        "group_dn": f"CN=KSTT-LDVL-CHUYENVIEN,{GROUPS}", "unit_id": world.div_a.id, "role": "head", "priority": "5"})
    assert dup.status_code == 400 and "Nhóm này đã được gán." in dup.get_data(as_text=True)
    bad = client.post("/admin/directory/new", data={"group_dn": "không phải DN", "unit_id": world.div_a.id,
                                                    "role": "staff", "priority": "1"})
    assert bad.status_code == 400 and "DN không hợp lệ" in bad.get_data(as_text=True)
    assert 'value="không phải DN"' in bad.get_data(as_text=True)  # what was typed stays
    assert _login(client, "phamvandung", "Dir@2022d").status_code == 302
    assert _user("phamvandung").unit_id == world.div_b.id


def test_pick_mapping_lowest_priority_among_active():
    class M:
        def __init__(self, id, dn, priority, active=True):
            self.id, self.group_dn, self.priority, self.active = id, dn, priority, active
    groups = frozenset({"cn=a,dc=x", "cn=b,dc=x"})
    rows = [M(1, "cn=a,dc=x", 50), M(2, "CN=B, DC=X", 10), M(3, "cn=c,dc=x", 1), M(4, "cn=a,dc=x", 5, active=False)]
    assert directory.pick_mapping(groups, rows).id == 2
    assert directory.pick_mapping(frozenset({"cn=z,dc=x"}), rows) is None
