"""Job use cases: create (idempotent on a key), enqueue after commit, retry, load for a user."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import access
from app.clock import now
from app.domain import workflow as wf
from app.extensions import db
from app.jobs import storage
from app.models import Job, User

log = logging.getLogger("portal.jobs")
STALE = ("Việc xử lý nền bị gián đoạn (máy xử lý nền khởi động lại hoặc hàng đợi bị mất). "
         "Không có tệp nào bị ghi dở; bấm “Thử lại”.")
QUEUE_DOWN = ("Không gửi được việc vào hàng đợi xử lý nền (Redis không phản hồi). "
              "Bấm “Thử lại” sau ít phút hoặc báo quản trị.")


def redis_connection():
    from redis import Redis
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=3)


def queue():
    from rq import Queue
    return Queue(current_app.config["JOBS_QUEUE"], connection=redis_connection(),
                 default_timeout=current_app.config["JOBS_TIMEOUT"])


def enqueue(job: Job) -> Job:
    """Hand a committed job to the workers (or run it here in eager mode)."""
    if current_app.config.get("JOBS_EAGER"):
        from app.jobs import runner
        runner.execute(job.id)
        db.session.expire(job)
        return job
    try:
        queue().enqueue("app.jobs.runner.execute", job.id,
                        job_id=f"portal-job-{job.id}-{job.attempts}", result_ttl=0,
                        failure_ttl=7 * 86400, description=f"{job.kind} #{job.id}")
    except Exception:  # noqa: BLE001  (redis.ConnectionError and friends)
        log.exception("cannot enqueue job %s", job.id)
        job.state = wf.move(wf.JOB, job.state, "fail", {"worker"})
        job.error, job.step, job.finished_at = QUEUE_DOWN, "Lỗi", now()
        db.session.commit()
    return job


def ensure(kind: str, *, key: str | None, user: User | None, agency_id: int | None,
           scope: str = "any", group: str | None = None, object_kind: str | None = None,
           object_id: int | None = None, params: dict | None = None) -> Job:
    """The job for `key`, created and enqueued when there is none yet (two requests racing
    for the same key end with one job: the unique key decides). A done job whose file went
    missing is built again."""
    job = db.session.scalar(select(Job).where(Job.key == key)) if key else None
    if job is not None:
        repair_stale(job)
        if job.state == "done" and job.result_path and not storage.exists(job.result_path):
            job.state, job.progress, job.step = "queued", 0, "Tạo lại tệp"
            job.updated_at = now()
            db.session.commit()
            return enqueue(job)
        return job
    job = Job(kind=kind, key=key, cache_group=group, scope=scope, object_kind=object_kind,
              object_id=object_id, params=params or {}, state=wf.JOB.initial, progress=0,
              step="Đang chờ xử lý", attempts=0, created_by_id=user.id if user else None,
              agency_id=agency_id, created_at=now(), updated_at=now())
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return db.session.scalars(select(Job).where(Job.key == key)).one()
    return enqueue(job)


def get_job(user: User, job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not access.can_view_job(user, job):
        abort(404)
    return repair_stale(job)


def repair_stale(job: Job) -> Job:
    """A job nobody has moved for longer than a job may run (its worker was killed, or Redis
    restarted and lost the queue: it keeps nothing on disk) is failed, so the page offers
    "Thử lại" instead of a bar that never moves. Progress moves `updated_at`."""
    limit = timedelta(seconds=current_app.config["JOBS_TIMEOUT"] + 60)
    if job.state in ("queued", "running") and job.updated_at and job.updated_at < now() - limit:
        job.state = wf.move(wf.JOB, job.state, "fail", {"worker"})
        job.error, job.step, job.finished_at, job.updated_at = STALE, "Lỗi", now(), now()
        db.session.commit()
    return job


def retry(user: User, job: Job) -> Job:
    """Run a failed job again; refused with a reason in any other state."""
    job.state = wf.move(wf.JOB, job.state, "retry", {"viewer"} if access.can_view_job(user, job) else set())
    job.progress, job.step, job.error, job.finished_at = 0, "Đang chờ xử lý (chạy lại)", None, None
    job.updated_at = now()
    db.session.commit()
    return enqueue(job)
