"""Identity pages are per agency too: an agency's administrator reads only its own people's
audit trail and directory rules, and cannot touch another agency's accounts."""
from __future__ import annotations

from flask import g

from app.audit import services as audit
from app.extensions import db
from app.models import DirectoryMapping
from tests.conftest import login, make_agency, make_unit, make_user


def _x():
    agency = make_agency("Sở Y tế tỉnh Lạng Sơn", "Sở Y tế", "SYT", order=20, header="SỞ Y TẾ")
    vp = make_unit("Văn phòng Sở", "VP", "office", 2, agency=agency)
    div = make_unit("Phòng Nghiệp vụ Y", "NVY", "division", 3, agency=agency)
    admin = make_user("admin_syt", "admin", vp, "Quản Trị Y Tế")
    staff = make_user("cv_nvy", "staff", div, "Chuyên Viên Y")
    db.session.commit()
    return admin, staff, div


def test_audit_log_shows_only_the_agencys_people(client, world):
    admin_x, staff_x, _ = _x()
    audit.record("login_failed", "Đăng nhập không thành công", username=world.staff_a.username, commit=True)
    audit.record("login_failed", "Đăng nhập không thành công", username=staff_x.username, commit=True)
    audit.record("user_saved", "Sửa người dùng Bí Mật A", actor=world.admin, commit=True)
    audit.record("user_saved", "Sửa người dùng Y Tế", actor=admin_x, commit=True)
    g.pop("_login_user", None)
    login(client, admin_x)
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert "Sửa người dùng Y Tế" in html and staff_x.username in html
    assert "Bí Mật A" not in html and world.staff_a.username not in html
    g.pop("_login_user", None)
    login(client, world.admin)
    html = client.get("/admin/audit/").get_data(as_text=True)
    assert "Bí Mật A" in html and "Sửa người dùng Y Tế" not in html


def test_directory_rules_and_accounts_are_the_agencys(client, world):
    admin_x, staff_x, div_x = _x()
    mine = DirectoryMapping(group_dn="cn=kstt-a,ou=groups,dc=test", unit_id=world.div_a.id, role="staff")
    theirs = DirectoryMapping(group_dn="cn=nvy,ou=groups,dc=test", unit_id=div_x.id, role="staff")
    db.session.add_all([mine, theirs])
    db.session.commit()
    login(client, world.admin)
    html = client.get("/admin/directory").get_data(as_text=True)
    assert "cn=kstt-a" in html and "cn=nvy" not in html
    assert client.get(f"/admin/directory/{theirs.id}").status_code == 404
    # The unit picker offers only the agency's units, and a posted foreign unit is refused.
    form = client.get("/admin/directory/new").get_data(as_text=True)
    assert "Phòng Nghiệp vụ Y" not in form
    resp = client.post("/admin/directory/new", data={"group_dn": "cn=moi,dc=test", "unit_id": div_x.id,
                                                     "role": "leader", "priority": 1})
    assert resp.status_code in (400, 403)
    assert db.session.query(DirectoryMapping).count() == 2
    for path in (f"/admin/users/{staff_x.id}/reset-password", f"/admin/users/{staff_x.id}/reset-totp",
                 f"/admin/users/{staff_x.id}/sessions/end"):
        assert client.post(path).status_code == 404, path
