"""The audit log: logins (with the reason of a failure), logout, sessions ended, user changes,
every write and refusal, every download with its filter; the admin's page and XLSX; retention."""
from __future__ import annotations

import io
import json
from datetime import timedelta

import openpyxl
from flask import g
from sqlalchemy import select

from app.audit import services as audit
from app.clock import now
from app.extensions import db
from app.models import AuditEvent
from tests.conftest import login


def _events(action=None):
    db.session.expire_all()
    q = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        q = q.where(AuditEvent.action == action)
    return list(db.session.scalars(q))


def _fresh():
    g.pop("_login_user", None)
    g.pop("user_session", None)


def test_login_success_failure_and_logout_are_recorded(client, world):
    client.post("/login", data={"username": world.staff_a.username, "password": "sai"})
    failed = _events("login_failed")
    assert len(failed) == 1 and failed[0].username == world.staff_a.username
    assert "không đúng" in json.loads(failed[0].detail)["reason"] and failed[0].ip == "127.0.0.1"
    login(client, world.staff_a)
    ok = _events("login_ok")
    assert ok[-1].actor_id == world.staff_a.id and "tài khoản nội bộ" in ok[-1].summary
    _fresh()
    client.post("/logout")
    assert _events("logout")[-1].actor_id == world.staff_a.id
    assert not _events("change")  # the login and logout themselves are not recorded twice


def test_writes_and_refusals_are_recorded_with_what_was_decided(client, world):
    login(client, world.admin)
    _fresh()
    client.post("/admin/units/new", data={"name": "Phòng Người có công", "code": "NCC", "kind": "division",
                                          "parent_id": 0, "sort_order": 5, "active": "y"})
    change = _events("change")[-1]
    assert change.actor_id == world.admin.id and json.loads(change.detail)["endpoint"] == "org.unit_new"
    login(client, world.staff_a)
    _fresh()
    assert client.post("/admin/units/new", data={"name": "X"}).status_code == 403
    denied = _events("denied")[-1]
    assert denied.actor_id == world.staff_a.id and denied.status == 403


def test_user_changes_are_recorded_field_by_field_and_sessions_ended(app, client, world):
    staff = app.test_client()
    login(staff, world.staff_a)
    login(client, world.admin)
    _fresh()
    client.post(f"/admin/users/{world.staff_a.id}", data={
        "username": world.staff_a.username, "full_name": world.staff_a.full_name, "unit_id": world.div_a.id,
        "role": "head", "active": "y"})
    ev = _events("user_changed")[-1]
    assert json.loads(ev.detail)["role"] == ["staff", "head"] and ev.object_id == str(world.staff_a.id)
    ended = _events("session_ended")[-1]
    assert ended.actor_id == world.admin.id and json.loads(ended.detail)["reason"] == "moved"
    assert not [e for e in _events("change") if "org.user_edit" in (e.detail or "")]


def test_every_download_is_recorded_with_its_file_and_filter(client, world):
    login(client, world.office_user)
    _fresh()
    resp = client.get("/catalog/export.xlsx?q=bảo+trợ")
    assert resp.status_code == 200
    ev = _events("download")[-1]
    d = json.loads(ev.detail)
    assert d["file"] == "danh-muc-tthc.xlsx" and d["filter"] == {"q": ["bảo trợ"]}
    assert ev.actor_id == world.office_user.id


def test_admin_filters_the_log_and_exports_it(client, world):
    client.post("/login", data={"username": "ai-do", "password": "sai"})
    login(client, world.admin)
    _fresh()
    page = client.get("/admin/audit/?who=ai-do").get_data(as_text=True)
    assert "Đăng nhập không thành công" in page and "ai-do" in page
    page = client.get("/admin/audit/?action=logout").get_data(as_text=True)
    assert "ai-do" not in page
    bad = client.get("/admin/audit/?since=31/02/2022")
    assert "Ngày không hợp lệ" in bad.get_data(as_text=True)
    _fresh()
    resp = client.get("/admin/audit/export.xlsx?who=ai-do")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "ai-do" in values and "Đăng nhập không thành công" in values
    assert _events("download")[-1].summary == "Xuất nhật ký hệ thống (XLSX)"
    assert len([e for e in _events("download")]) == 1  # recorded once, not by the hook too


def test_the_log_cannot_be_edited_or_deleted_from_the_web(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/audit"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_retention_prunes_only_old_entries(app, world):
    old = audit.record("login_ok", "cũ", actor=world.staff_a)
    old.created_at = now() - timedelta(days=400)
    db.session.commit()
    audit.record("login_ok", "mới", actor=world.staff_a)
    assert audit.prune(365) == 1
    summaries = [e.summary for e in _events()]
    assert "cũ" not in summaries and "mới" in summaries and any("Xóa 1 mục" in s for s in summaries)
    app.config["AUDIT_RETENTION_DAYS"], saved = 0, app.config["AUDIT_RETENTION_DAYS"]
    try:
        assert audit.prune() == 0
    finally:
        app.config["AUDIT_RETENTION_DAYS"] = saved


def test_backup_is_recorded(app, world, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 0, result.output
    assert _events("backup")[-1].username == "(dòng lệnh)"
