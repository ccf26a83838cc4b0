"""Running one job: the RQ entry point `execute(job_id)`, the kinds registry, the state
machine queued → running → done | failed (app.domain.workflow.JOB lists it) and the file."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from flask import current_app, has_app_context
from sqlalchemy import update

from app.clock import now
from app.domain import workflow as wf
from app.extensions import db
from app.jobs import storage
from app.models import Job

log = logging.getLogger("portal.jobs")
Progress = Callable[[int, str], None]


@dataclass
class Output:
    data: bytes
    name: str          # the download's file name
    mimetype: str
    path: str          # where it goes, relative to STORAGE_FOLDER


@dataclass
class Kind:
    label: str                                          # "Xuất bảng theo dõi", in messages
    run: Callable[[Job, Progress], Output | None]
    on_done: Callable[[Job], None] | None = None
    on_failed: Callable[[Job], None] | None = None


class JobError(Exception):
    """A failure with a message for the user (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


KINDS: dict[str, Kind] = {}


def register(name: str, kind: Kind) -> None:
    KINDS[name] = kind


def kinds() -> dict[str, Kind]:
    from app.jobs import exports, pdf, backup  # noqa: F401  (they register their kinds)
    return KINDS


def execute(job_id: int) -> None:
    """RQ calls this in the worker (`flask jobs worker`, app context pushed by the CLI); eager
    mode calls it inline. A fresh app context gives the job its own database session."""
    app = current_app._get_current_object() if has_app_context() else _make_app()
    if app.config.get("JOBS_FORKED"):
        # The forked work horse must not share the parent's pooled connections.
        db.engine.dispose(close=False)
    with app.app_context():
        run(job_id)


def _make_app():
    from app import create_app
    return create_app()


def _set(job_id: int, **values) -> None:
    """Progress on its own connection and transaction: visible to the pages at once, and
    independent of what the job reads in its session."""
    values["updated_at"] = now()
    with db.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(**values))


def run(job_id: int) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.state not in ("queued", "running"):
        return  # done already, or retried under another RQ job
    kind = kinds().get(job.kind)
    job.state = wf.move(wf.JOB, job.state, "start", {"worker"})
    job.progress, job.step, job.error = 0, "Bắt đầu xử lý", None
    job.attempts += 1
    job.started_at = job.updated_at = now()
    job.finished_at = None
    db.session.commit()

    def progress(pct: int, step: str) -> None:
        _set(job_id, progress=max(0, min(99, int(pct))), step=step[:255])

    try:
        if kind is None:
            raise JobError(f"Loại việc “{job.kind}” không còn được hỗ trợ.")
        out = kind.run(job, progress)
        job = db.session.get(Job, job_id)
        if out is not None:
            size, sha = storage.write_atomic(out.path, out.data)
            old = job.result_path if job.result_path != out.path else None
            job.result_path, job.result_size, job.result_sha256 = out.path, size, sha
            job.result_name, job.result_mimetype = out.name, out.mimetype
            storage.remove(old)
        job.state = wf.move(wf.JOB, job.state, "finish", {"worker"})
        job.progress, job.step = 100, job.step if out is None and job.step != "Bắt đầu xử lý" else "Hoàn tất"
        job.finished_at = job.updated_at = now()
        db.session.commit()
        if kind.on_done:
            kind.on_done(job)
            db.session.commit()
    except Exception as e:  # noqa: BLE001  (every failure becomes a failed job with a reason)
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, getattr(job, "kind", "?"))
        label = kind.label if kind else "Xử lý"
        message = e.message if isinstance(e, JobError) else (
            f"{label} không thành công ({type(e).__name__}). Không có tệp nào bị ghi dở; "
            "bấm “Thử lại” hoặc báo quản trị nếu lỗi lặp lại.")
        job = db.session.get(Job, job_id)
        job.state = wf.move(wf.JOB, job.state, "fail", {"worker"})
        job.error, job.step = message, "Lỗi"
        job.finished_at = job.updated_at = now()
        db.session.commit()
        if kind and kind.on_failed:
            kind.on_failed(job)
            db.session.commit()

