"""Background jobs: the state machine, atomic files, idempotent keys, the export cache's
scope and change stamp, authorization, failures and retry, the routes, and the real worker."""
from __future__ import annotations

import hashlib
import io
import os
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select, update

from app import access
from app.domain import workflow as wf
from app.extensions import db
from app.jobs import exports, runner, services, storage
from app.models import Job, Plan, Task
from tests.conftest import login, make_agency, make_unit, make_user
from tests.factories import add_task, make_plan
from tests.jobs.conftest import wait_for


def _job(**kw) -> Job:
    values = dict(kind="export", key=None, scope="any", state="queued", progress=0, attempts=0, params={})
    values.update(kw)
    job = Job(**values)
    db.session.add(job)
    db.session.commit()
    return job


# ---- the state machine ------------------------------------------------------------------------

def test_job_workflow_moves_and_refusals():
    assert wf.move(wf.JOB, "queued", "start", {"worker"}) == "running"
    assert wf.move(wf.JOB, "running", "finish", {"worker"}) == "done"
    assert wf.move(wf.JOB, "running", "fail", {"worker"}) == "failed"
    assert wf.move(wf.JOB, "failed", "retry", {"viewer"}) == "queued"
    with pytest.raises(wf.TransitionRefused, match="Thử lại"):
        wf.move(wf.JOB, "done", "retry", {"viewer"})
    with pytest.raises(wf.TransitionRefused, match="không có quyền"):
        wf.move(wf.JOB, "failed", "retry", set())
    with pytest.raises(wf.TransitionRefused):
        wf.move(wf.JOB, "done", "start", {"worker"})


# ---- files: whole or nothing ------------------------------------------------------------------

def test_write_atomic_leaves_no_partial_file(ctx, monkeypatch):
    size, sha = storage.write_atomic("t/a.bin", b"abc")
    assert (size, sha) == (3, hashlib.sha256(b"abc").hexdigest())
    assert storage.absolute("t/a.bin").read_bytes() == b"abc"

    def broken(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        storage.write_atomic("t/a.bin", b"new content")
    monkeypatch.undo()
    assert storage.absolute("t/a.bin").read_bytes() == b"abc"   # the old file, whole
    assert [p.name for p in storage.absolute("t/a.bin").parent.iterdir()] == ["a.bin"]
    with pytest.raises(ValueError):
        storage.absolute("../outside")


# ---- failure, retry -----------------------------------------------------------------------------

def test_a_failing_job_is_failed_with_a_reason_and_retried(world):
    calls = []

    def flaky(job, progress):
        calls.append(job.id)
        progress(50, "Nửa đường")
        if len(calls) == 1:
            raise RuntimeError("boom")
        return runner.Output(b"ok", "ok.txt", "text/plain", f"test/{job.id}.txt")
    runner.kinds()
    runner.register("test_flaky", runner.Kind(label="Việc thử", run=flaky))
    try:
        job = services.ensure("test_flaky", key="flaky-1", user=world.office_user, agency_id=world.agency.id)
        assert job.state == "failed" and job.attempts == 1
        assert "Việc thử không thành công" in job.error and "Thử lại" in job.error
        assert job.result_path is None and not list(storage.root().glob("test/*"))
        assert services.ensure("test_flaky", key="flaky-1", user=world.office_user,
                               agency_id=world.agency.id).id == job.id      # idempotent on the key
        services.retry(world.office_user, job)
        assert job.state == "done" and job.attempts == 2 and job.progress == 100 and job.error is None
        assert storage.absolute(job.result_path).read_bytes() == b"ok"
        with pytest.raises(wf.TransitionRefused):
            services.retry(world.office_user, job)                           # done: nothing to retry
    finally:
        runner.KINDS.pop("test_flaky")


def test_redis_down_marks_the_job_failed(world, app):
    app.config.update(JOBS_EAGER=False, REDIS_URL="redis://127.0.0.1:1/0")
    try:
        plan = make_plan(world)
        job = exports.tracker_job(world.office_user, plan)
        assert job.state == "failed" and job.error == services.QUEUE_DOWN
    finally:
        app.config.update(JOBS_EAGER=True, REDIS_URL="redis://127.0.0.1:6379/0")


# ---- the export cache: scope and stamp ------------------------------------------------------------

def _sheet_rows(data: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_tracker_cache_key_stamp_and_cleanup(world):
    plan = make_plan(world, tasks=[{"content": "Rà soát thủ tục A"}, {"content": "Rà soát thủ tục B"}])
    first = exports.tracker_job(world.office_user, plan)
    assert first.state == "done" and first.result_sha256
    again = exports.tracker_job(world.office_user, plan)
    assert again.id == first.id                                    # no change: the same file
    # another scope (the leader) gets its own build, never the office's
    led = exports.tracker_job(world.leader, plan)
    assert led.id != first.id and led.scope != first.scope
    # an edit of a task's words through a bulk UPDATE moves the stamp (trigger on tasks)
    old_path = storage.absolute(first.result_path)
    first_id, first_key, first_group = first.id, first.key, first.cache_group
    task = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.id)).first()
    db.session.execute(update(Task).where(Task.id == task.id).values(content="Rà soát thủ tục A (sửa)"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Task, task.id).revision == 1
    fresh = exports.tracker_job(world.office_user, db.session.get(Plan, plan.id))
    assert fresh.id != first_id and fresh.key != first_key and fresh.cache_group == first_group
    assert any("Rà soát thủ tục A (sửa)" in str(c) for r in _sheet_rows(storage.absolute(fresh.result_path).read_bytes()) for c in r)
    assert not old_path.exists() and db.session.get(Job, first_id) is None   # the older build is gone
    # a cooperating unit added moves it too
    fresh_id = fresh.id
    db.session.get(Task, task.id).cooperating_units.append(world.div_b)
    db.session.commit()
    assert exports.tracker_job(world.office_user, db.session.get(Plan, plan.id)).id != fresh_id


def test_export_scope_separates_agency_role_unit_and_delegates(world):
    other_agency = make_agency(name="Sở Y tế tỉnh Lạng Sơn", short_name="Sở Y tế", abbreviation="SYT",
                               header="SỞ Y TẾ")
    unit_x = make_unit("Văn phòng Sở Y tế", "VPYT", "office", 2, other_agency)
    office_x = make_user("vp_syt", "office", unit_x)
    office2 = make_user("vanphong2", "office", world.office)
    db.session.commit()
    assert access.export_scope(world.office_user) == access.export_scope(office2)
    assert access.export_scope(world.office_user) != access.export_scope(office_x)
    assert access.export_scope(world.office_user) != access.export_scope(world.leader)
    assert access.export_scope(world.head_a) != access.export_scope(world.head_b)
    assert str(world.staff_a.id) in access.export_scope(world.staff_a)   # staff: per person


def test_job_visibility(world):
    plan = make_plan(world)
    tracker = exports.tracker_job(world.office_user, plan)
    office2 = make_user("vanphong2", "office", world.office)
    db.session.commit()
    assert access.can_view_job(world.office_user, tracker)
    assert access.can_view_job(office2, tracker)             # same scope, same rows
    assert not access.can_view_job(world.leader, tracker)    # another scope builds its own
    assert not access.can_view_job(world.head_a, tracker)
    backup = _job(kind="backup", created_by_id=world.admin.id)
    assert access.can_view_job(world.admin, backup)
    assert not access.can_view_job(world.office_user, backup)


# ---- routes -----------------------------------------------------------------------------------

def test_tracker_route_serves_the_cached_file_with_etag(world, client):
    plan = make_plan(world, tasks=[{"content": "Nhiệm vụ được xuất"}])
    login(client, world.office_user)
    resp = client.get(f"/plans/{plan.id}/tracker.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    assert any("Nhiệm vụ được xuất" in str(c) for r in _sheet_rows(resp.data) for c in r)
    etag = resp.headers["ETag"].strip('"')
    job = db.session.scalar(select(Job).where(Job.object_id == plan.id, Job.kind == "export"))
    assert etag == job.result_sha256 == hashlib.sha256(resp.data).hexdigest()
    again = client.get(f"/plans/{plan.id}/tracker.xlsx", headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    assert client.get(f"/jobs/{job.id}/file").data == resp.data


def test_job_page_fragment_retry_and_refusals(world, client, app):
    plan = make_plan(world)
    job = _job(object_kind="plan", object_id=plan.id, scope=access.export_scope(world.office_user),
               state="failed", error="LibreOffice không chuyển được văn bản sang PDF", attempts=1,
               created_by_id=world.office_user.id, agency_id=world.agency.id,
               params={"export": "tracker", "user_id": world.office_user.id})
    login(client, world.office_user)
    page = client.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and "LibreOffice không chuyển được" in page.text and "Thử lại" in page.text
    frag = client.get(f"/jobs/{job.id}", headers={"HX-Request": "true", "HX-Target": f"job-{job.id}"})
    assert frag.status_code == 200 and "<html" not in frag.text and f'id="job-{job.id}"' in frag.text
    assert client.get(f"/jobs/{job.id}/file").status_code == 409
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/jobs/{job.id}/retry").status_code == 400          # no CSRF token: refused
    app.config["WTF_CSRF_ENABLED"] = False
    resp = client.post(f"/jobs/{job.id}/retry", headers={"HX-Request": "true", "HX-Target": f"job-{job.id}"})
    assert resp.status_code == 200 and "Tải tệp" in resp.text
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "done"
    refused = client.post(f"/jobs/{job.id}/retry")
    assert refused.status_code == 409 and "Thử lại" in refused.text     # done: a reason, no change
    login(client, world.leader)
    assert client.get(f"/jobs/{job.id}").status_code == 404                 # another scope
    login(client, world.head_a)
    assert client.get(f"/jobs/{job.id}/file").status_code == 404


def test_pending_job_shows_a_polling_progress_bar(world, client):
    plan = make_plan(world)
    job = _job(object_kind="plan", object_id=plan.id, scope=access.export_scope(world.office_user),
               state="running", progress=42, step="Đang ghi bảng theo dõi", created_by_id=world.office_user.id,
               agency_id=world.agency.id, params={"export": "tracker", "user_id": world.office_user.id})
    login(client, world.office_user)
    resp = client.get(f"/jobs/{job.id}")
    assert 'hx-trigger="every 1s"' in resp.text and 'aria-valuenow="42"' in resp.text
    assert "job-bar-40" in resp.text and "Đang ghi bảng theo dõi" in resp.text


# ---- through Redis and a real worker --------------------------------------------------------------

def test_export_through_redis_and_the_worker(world, client, worker):
    plan = make_plan(world, tasks=[{"content": "Nhiệm vụ qua hàng đợi"}])
    login(client, world.office_user)
    resp = client.get(f"/plans/{plan.id}/tracker.xlsx")
    assert resp.status_code == 200 and resp.mimetype == "text/html"        # not ready: the progress page
    assert "progress" in resp.text and "hx-get" in resp.text
    job = db.session.scalar(select(Job).where(Job.object_id == plan.id, Job.kind == "export"))
    job = wait_for(job.id, log=worker)
    assert job.state == "done", job.error
    poll = client.get(f"/jobs/{job.id}", headers={"HX-Request": "true", "HX-Target": f"job-{job.id}"})
    assert f"/jobs/{job.id}/file" in poll.text and "hx-trigger" not in poll.text
    data = client.get(f"/jobs/{job.id}/file").data
    assert any("Nhiệm vụ qua hàng đợi" in str(c) for r in _sheet_rows(data) for c in r)
    again = client.get(f"/plans/{plan.id}/tracker.xlsx")
    assert again.data == data                                              # ready: served from storage


def test_issued_report_pdf_through_the_worker(world, client, worker, app):
    from tests.reports.helpers import issued_demo
    app.config["ISSUED_PDF"] = True
    try:
        report = issued_demo(world, date(2022, 6, 10))
        from app.jobs import pdf
        job = pdf.issue_pdf(world.leader, "report", report)
        job = wait_for(job.id, timeout=180, log=worker)
        assert job.state == "done", job.error
        f = pdf.issued_file("report", report)
        assert f.state == "done" and f.sha256 == job.result_sha256 and f.size == job.result_size
        body = storage.absolute(f.pdf_path).read_bytes()
        assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == f.sha256
        login(client, world.leader)
        page = client.get(f"/reports/{report.id}")
        assert "Tải PDF" in page.text and f"/jobs/{job.id}/file" in page.text
        assert client.get(f"/jobs/{job.id}/file").data == body
    finally:
        app.config["ISSUED_PDF"] = False


def test_issuing_a_plan_renders_its_pdf_and_calls_the_signer(world, client, app, monkeypatch):
    """Eager mode, LibreOffice replaced by a stub: the issue transition enqueues the job after
    its commit, the signer hook gets the PDF and the document, the signed bytes are stored."""
    from app.jobs import pdf
    from app.plans import services as plans
    seen = {}

    def signer(data, kind, document):
        seen.update(kind=kind, number=document.number)
        return data + b"%signed"
    monkeypatch.setattr(pdf, "render_pdf", lambda source, suffix: b"%PDF-1.7 " + suffix.encode())
    app.config["ISSUED_PDF"] = True
    monkeypatch.setitem(app.extensions, "pdf_signer", signer)   # the real hook comes back after
    try:
        plan = make_plan(world, state="pending")
        with app.test_request_context():
            plans.transition(world.leader, plan, "issue", None)
        f = pdf.issued_file("plan", plan)
        assert f is not None and f.state == "done" and f.signed
        assert storage.absolute(f.pdf_path).read_bytes() == b"%PDF-1.7 .xlsx%signed"
        assert seen == {"kind": "plan", "number": plan.number}
        login(client, world.office_user)
        page = client.get(f"/plans/{plan.id}")
        assert "Tải PDF" in page.text and "đã ký số" in page.text
        login(client, world.head_a)      # a unit sees the issued plan, not its whole-tracker PDF
        assert "Tải PDF" not in client.get(f"/plans/{plan.id}").text
        assert client.get(f"/jobs/{f.job_id}/file").status_code == 404
    finally:
        app.config["ISSUED_PDF"] = False


def test_a_pdf_failure_is_recorded_and_retried(world, app, monkeypatch):
    from app.jobs import pdf
    from app.plans import services as plans

    def broken(source, suffix):
        raise runner.JobError("LibreOffice không chuyển được văn bản sang PDF; bấm “Thử lại”.")
    monkeypatch.setattr(pdf, "render_pdf", broken)
    app.config["ISSUED_PDF"] = True
    try:
        plan = make_plan(world, state="pending")
        with app.test_request_context():
            plans.transition(world.leader, plan, "issue", None)
        f = pdf.issued_file("plan", plan)
        assert f.state == "failed" and f.pdf_path is None and "LibreOffice" in f.job.error
        assert db.session.get(Plan, plan.id).state == "issued"      # issuing itself stands
        monkeypatch.setattr(pdf, "render_pdf", lambda source, suffix: b"%PDF-ok")
        services.retry(world.leader, f.job)
        db.session.expire_all()
        f = pdf.issued_file("plan", plan)
        assert f.state == "done" and storage.absolute(f.pdf_path).read_bytes() == b"%PDF-ok"
    finally:
        app.config["ISSUED_PDF"] = False


def test_report_exports_are_cached_per_document(world, client):
    """A draft report's document is recomputed on each request but built once while it stays
    the same; an edit of its words is a new document, a new file."""
    from app.reports import services as reports
    from tests.reports.helpers import demo_units
    demo_units(world)
    draft = reports.open_report(world.office_user, "quarter", 2022, 2)
    login(client, world.office_user)
    first = client.get(f"/reports/{draft.id}/report.docx")
    assert first.status_code == 200 and first.mimetype.endswith("wordprocessingml.document")
    jobs = db.session.scalars(select(Job).where(Job.object_kind == "report")).all()
    assert len(jobs) == 1
    assert client.get(f"/reports/{draft.id}/report.docx").data == first.data
    assert db.session.scalar(select(db.func.count(Job.id)).where(Job.object_kind == "report")) == 1
    draft = db.session.get(type(draft), draft.id)
    draft.basis = "Thực hiện văn bản mới, Sở báo cáo như sau:"
    db.session.commit()
    assert client.get(f"/reports/{draft.id}/report.docx").data != first.data
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Job.id)).where(Job.object_kind == "report")) == 1  # old one gone
    login(client, world.head_a)
    assert client.get(f"/reports/{draft.id}/report.docx").status_code in (403, 404)


def test_a_job_left_running_by_a_dead_worker_is_failed_and_retried(world, client, app):
    from datetime import timedelta
    from app.clock import now
    plan = make_plan(world)
    job = exports.tracker_job(world.office_user, plan)
    stale = now() - timedelta(seconds=app.config["JOBS_TIMEOUT"] + 120)
    db.session.execute(update(Job).where(Job.id == job.id).values(state="running", updated_at=stale))
    db.session.commit()
    login(client, world.office_user)
    resp = client.get(f"/jobs/{job.id}")
    assert "bị gián đoạn" in resp.text and "Thử lại" in resp.text
    client.post(f"/jobs/{job.id}/retry")
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "done"


def test_backup_as_a_job(world, app):
    import tarfile
    job = services.ensure("backup", key=None, user=None, agency_id=None)
    assert job.state == "done", job.error
    path = storage.absolute(job.result_path)
    assert path.name.endswith(".tar.gz") and job.result_size == path.stat().st_size
    assert hashlib.sha256(path.read_bytes()).hexdigest() == job.result_sha256
    with tarfile.open(path) as tar:
        assert any(n.endswith("manifest.json") for n in tar.getnames())
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".part-")]
