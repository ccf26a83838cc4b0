"""flask backup / flask restore: every row of every table and every uploaded byte come back."""
from __future__ import annotations

import io
import json
import shutil
import tarfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from app.models import (Attachment, Notification, Plan, PlanEvent, Procedure, Submission,
                        SubmissionEvent, Task, TaskAssignee, Unit)
from app.ops.backup import RestoreRefused, backup, restore
from app.ops.dbutil import empty_tables, ordered_tables, reflect

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4


def _build(world, app) -> None:
    plan = Plan(number="19/KH-SLĐTBXH", issued_on=date(2022, 3, 10), title="Kế hoạch rà soát",
                year=2022, kind="review", state="issued", created_by_id=world.office_user.id,
                basis="Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022")
    db.session.add(plan)
    db.session.flush()
    parent = Task(plan_id=plan.id, position=1, content="Rà soát hàng quý", lead_unit_id=world.div_a.id,
                  due_text="Hàng quý", group_label="I")
    db.session.add(parent)
    db.session.flush()
    child = Task(plan_id=plan.id, position=2, content="Rà soát quý II", lead_unit_id=world.div_a.id,
                 due_text="Quý II/2022", due_on=date(2022, 6, 30), parent_id=parent.id,
                 period_label="Quý II/2022", cooperating_units=[world.div_b, world.local])
    db.session.add(child)
    db.session.flush()
    # A unit whose parent has a larger id: restore must cope with self-references in any order.
    late_parent = Unit(name="Sở mới", code="SM", kind="office", sort_order=50)
    db.session.add(late_parent)
    db.session.flush()
    world.div_b.parent_id = late_parent.id
    db.session.add(TaskAssignee(task_id=child.id, user_id=world.staff_a.id,
                                assigned_by_id=world.head_a.id))
    sub = Submission(task_id=child.id, state="approved", result_text="Đã rà soát 12 TTHC <b>đậm</b>",
                     version=3, updated_by_id=world.head_a.id,
                     submitted_at=datetime(2022, 5, 2, 8, 30, 15, 123456))
    db.session.add(sub)
    db.session.flush()
    db.session.add(SubmissionEvent(submission_id=sub.id, actor_id=world.staff_a.id, action="submit",
                                   from_state="draft", to_state="submitted", snapshot="bản 1"))
    stored = "a1b2c3d4e5f6.pdf"
    folder = Path(app.config["UPLOAD_FOLDER"])
    shutil.rmtree(folder, ignore_errors=True)  # files other tests uploaded are not ours
    (folder / "2022").mkdir(parents=True, exist_ok=True)
    (folder / "2022" / stored).write_bytes(PDF)
    db.session.add(Attachment(submission_id=sub.id, filename="Báo cáo rà soát.pdf",
                              stored_name=f"2022/{stored}", content_type="application/pdf",
                              size=len(PDF), uploaded_by_id=world.staff_a.id))
    db.session.add(Procedure(code="1.001776", name="Thủ tục hưởng trợ cấp", processing_days=Decimal("12.50"),
                             one_stop=True, online_service="full", lead_unit_id=world.div_a.id))
    db.session.add(PlanEvent(plan_id=plan.id, actor_id=world.leader.id, action="issue",
                             from_state="pending", to_state="issued", comment="Đồng ý"))
    db.session.add(Notification(user_id=world.staff_a.id, kind="task", text="Bạn được giao nhiệm vụ",
                                url="/tasks/1", read_at=datetime(2022, 5, 3, 9, 0)))
    db.session.commit()


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        md = reflect(conn)
        return {t.name: [tuple(r) for r in conn.execute(
            select(t).order_by(*t.primary_key.columns))] for t in ordered_tables(md)}


def test_backup_restore_round_trip(app, world, tmp_path):
    _build(world, app)
    before = _snapshot(db.engine)
    assert before["submissions"][0][0] and before["task_cooperating_units"]
    archive = tmp_path / "kstt.tar.gz"
    summary = backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    assert summary.tables["users"] == 9 and summary.files == 1
    # Derived data is not saved: the restore rebuilds it through its triggers (compared below).
    assert "unit_tasks" not in summary.tables and before["unit_tasks"]

    # Wipe everything: data and files.
    db.session.remove()
    with db.engine.begin() as conn:
        empty_tables(conn, ordered_tables(reflect(conn)))
    shutil.rmtree(app.config["UPLOAD_FOLDER"])
    assert _snapshot(db.engine)["users"] == []

    restore(db.engine, app.config["UPLOAD_FOLDER"], archive)
    after = _snapshot(db.engine)
    assert after == before
    # Types survive: a Decimal, a datetime with microseconds, a boolean, a date.
    proc = db.session.scalar(select(Procedure))
    assert proc.processing_days == Decimal("12.50") and proc.one_stop is True
    sub = db.session.scalar(select(Submission))
    assert sub.submitted_at == datetime(2022, 5, 2, 8, 30, 15, 123456)
    assert db.session.scalar(select(Task.due_on).where(Task.parent_id.is_not(None))) == date(2022, 6, 30)
    assert (Path(app.config["UPLOAD_FOLDER"]) / "2022" / "a1b2c3d4e5f6.pdf").read_bytes() == PDF
    # Ids continue after the restored ones (PostgreSQL sequences were moved).
    u = Unit(name="Đơn vị sau khôi phục", code="NEW", kind="division")
    db.session.add(u)
    db.session.commit()
    assert u.id > max(r[0] for r in before["units"])


def test_restore_replaces_newer_data_and_files(app, world, tmp_path):
    _build(world, app)
    archive = tmp_path / "kstt.tar.gz"
    backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    before = _snapshot(db.engine)
    db.session.add(Unit(name="Thêm sau sao lưu", code="AFTER", kind="division"))
    db.session.commit()
    stray = Path(app.config["UPLOAD_FOLDER"]) / "stray.txt"
    stray.write_text("x")
    db.session.remove()
    restore(db.engine, app.config["UPLOAD_FOLDER"], archive)
    assert _snapshot(db.engine) == before
    assert not stray.exists()


def _rewrite_manifest(src: Path, dst: Path, change) -> None:
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for m in tin.getmembers():
            data = tin.extractfile(m).read()
            if m.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                m.size = len(data)
            tout.addfile(m, io.BytesIO(data))


@pytest.mark.parametrize("change,refusal", [
    (lambda m: m.update(revisions=["0000_old"]), "phiên bản cơ sở dữ liệu khác"),  # other schema
    (lambda m: m["uploads"].append("../../etc/passwd"), "không hợp lệ"),          # path traversal
])
def test_restore_refuses_and_changes_nothing(app, world, tmp_path, change, refusal):
    _build(world, app)
    archive = tmp_path / "kstt.tar.gz"
    backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    bad = tmp_path / "bad.tar.gz"
    _rewrite_manifest(archive, bad, change)
    before = _snapshot(db.engine)
    db.session.remove()
    with pytest.raises(RestoreRefused, match=refusal):
        restore(db.engine, app.config["UPLOAD_FOLDER"], bad)
    assert _snapshot(db.engine) == before


def test_backup_restores_into_another_database(app, world, tmp_path):
    """Database-agnostic: a backup of this database (SQLite or PostgreSQL) goes into SQLite."""
    _build(world, app)
    archive = tmp_path / "kstt.tar.gz"
    backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    before = _snapshot(db.engine)
    other = create_app("config.TestConfig", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}",
        "UPLOAD_FOLDER": str(tmp_path / "other-uploads")})
    with other.app_context():
        upgrade(revision="heads")
        restore(db.engine, other.config["UPLOAD_FOLDER"], archive)
        assert _snapshot(db.engine) == before
        db.engine.dispose()


def test_cli_backup_and_restore(app, world, tmp_path):
    _build(world, app)
    runner = app.test_cli_runner()
    archive = tmp_path / "cli.tar.gz"
    r = runner.invoke(args=["backup", str(archive)])
    assert r.exit_code == 0, r.output
    assert "Đã sao lưu" in r.output
    db.session.execute(text("DELETE FROM notifications"))
    db.session.commit()
    db.session.remove()
    r = runner.invoke(args=["restore", "--yes", str(archive)])
    assert r.exit_code == 0, r.output
    assert db.session.scalar(select(Notification.text)) == "Bạn được giao nhiệm vụ"
    r = runner.invoke(args=["restore", "--yes", str(tmp_path / "missing.tar.gz")])
    assert r.exit_code != 0 and "Không tìm thấy" in r.output


def test_round_trip_of_the_full_demo(app, ctx, tmp_path):
    """Every feature's tables as the demo fills them (JSON report sections, settings, ...)."""
    from app.demo import load_demo
    load_demo(reset=True)
    before = _snapshot(db.engine)
    filled = [name for name, rows in before.items() if rows]
    assert {"plans", "tasks", "submissions", "report_forms", "reports"} <= set(filled)  # JSON columns
    archive = tmp_path / "demo.tar.gz"
    backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    db.session.remove()
    with db.engine.begin() as conn:
        empty_tables(conn, ordered_tables(reflect(conn)))
    restore(db.engine, app.config["UPLOAD_FOLDER"], archive)
    assert _snapshot(db.engine) == before


def test_restore_puts_the_portal_in_maintenance(app, world, tmp_path, monkeypatch):
    """While `flask restore` runs, every request (but static files) gets the Vietnamese
    maintenance page with 503 and Retry-After, without touching the database; after it, and
    after a failed restore too, the portal serves again."""
    import app.ops.backup as backup_module
    from tests.conftest import login
    _build(world, app)
    client = app.test_client()
    login(client, world.office_user.username)  # before the backup: its session is restored too
    archive = tmp_path / "m.tar.gz"
    backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    seen = {}
    real = backup_module.rebuild_derived

    def during(conn, say=None):  # in the middle of the restore, after the rows went in
        from app.ops.querycount import count_queries
        with count_queries(db.engine) as q:
            for path in ("/", "/tasks/", "/login"):
                r = client.get(path)
                seen[path] = (r.status_code, r.headers.get("Retry-After"), r.get_data(as_text=True))
            r = client.post("/tasks/", data={"x": "1"})
            seen["POST"] = (r.status_code, r.headers.get("Retry-After"), "")
            seen["static"] = client.get("/static/css/app.css").status_code
        seen["queries"] = q.count
        return real(conn, say)

    monkeypatch.setattr(backup_module, "rebuild_derived", during)
    lines = []
    monkeypatch.setattr("click.echo", lambda m="", **k: lines.append(str(m)))
    db.session.remove()
    r = app.test_cli_runner().invoke(args=["restore", "--yes", str(archive)])
    assert r.exit_code == 0, r.output
    for path in ("/", "/tasks/", "/login"):
        status, retry, body = seen[path]
        assert status == 503 and retry and int(retry) > 0, (path, status, retry)
        assert "Hệ thống đang bảo trì…" in body and "khôi phục dữ liệu" in body
    assert seen["POST"][0] == 503 and seen["static"] == 200
    assert seen["queries"] == 0  # the page neither loads the user nor writes an audit row
    text_out = "\n".join(lines)
    assert "Bật chế độ bảo trì" in text_out and "Tắt chế độ bảo trì" in text_out and "unit_tasks" in text_out
    assert not Path(app.config["MAINTENANCE_FILE"]).exists()
    with app.app_context():  # a request of its own (the test's context holds the old user)
        assert client.get("/tasks/").status_code == 200

    # A restore that fails half-way leaves maintenance too, and the data as it was.
    def broken(conn, say=None):
        assert Path(app.config["MAINTENANCE_FILE"]).exists()
        raise RuntimeError("disk full")

    monkeypatch.setattr(backup_module, "rebuild_derived", broken)
    before = _snapshot(db.engine)
    db.session.remove()
    r = app.test_cli_runner().invoke(args=["restore", "--yes", str(archive)])
    assert r.exit_code != 0
    assert not Path(app.config["MAINTENANCE_FILE"]).exists()
    assert _snapshot(db.engine) == before
    with app.app_context():
        assert client.get("/tasks/").status_code == 200


def test_restore_loads_without_row_triggers_and_rebuilds_once(app, world, tmp_path):
    """The restored derived data (tasks' work columns, unit_tasks, search) equal what the
    triggers wrote, and the triggers work again after the restore."""
    _build(world, app)
    before = _snapshot(db.engine)
    archive = tmp_path / "t.tar.gz"
    backup(db.engine, app.config["UPLOAD_FOLDER"], archive)
    db.session.remove()
    restore(db.engine, app.config["UPLOAD_FOLDER"], archive)
    assert _snapshot(db.engine) == before
    sub = db.session.scalar(select(Submission))
    sub.state = "accepted"
    db.session.commit()
    assert db.session.scalar(text("SELECT work_state FROM tasks WHERE id = :i"), {"i": sub.task_id}) == "accepted"
    assert set(db.session.scalars(text("SELECT work_state FROM unit_tasks WHERE task_id = :i"),
                                  {"i": sub.task_id})) == {"accepted"}
