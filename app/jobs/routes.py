"""A job's progress (polled by the progress bar), its retry, and its file."""
from __future__ import annotations

from flask import Blueprint, flash
from flask_login import current_user, login_required

from app.domain import workflow as wf
from app.jobs import services, storage
from app.web import go, page, wants_fragment

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("/<int:job_id>")
@login_required
def view(job_id: int):
    job = services.get_job(current_user, job_id)
    resp = page("jobs/view.html", block="progress", job=job)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    job = services.get_job(current_user, job_id)
    try:
        services.retry(current_user, job)
    except wf.TransitionRefused as e:
        if wants_fragment():
            return page("jobs/view.html", block="progress", status=409, job=job, error=e.reason)
        flash(e.reason, "danger")
        return page("jobs/view.html", status=409, job=job, error=e.reason)
    if wants_fragment():
        return page("jobs/view.html", block="progress", job=job)
    return go("jobs.view", job_id=job.id)


@bp.get("/<int:job_id>/file")
@login_required
def download(job_id: int):
    job = services.get_job(current_user, job_id)
    if job.state != "done" or not job.result_path:
        return page("jobs/view.html", status=409, job=job,
                    error="Tệp chưa sẵn sàng: việc đang chạy hoặc bị lỗi.")
    return deliver(job)


def deliver(job, title: str = "Đang chuẩn bị tệp"):
    """A ready file goes out as a static file would (conditional, ETag = its sha256); else the
    page with the progress bar that turns into the download link."""
    if job.state == "done" and job.result_path and storage.exists(job.result_path):
        from flask import send_file
        resp = send_file(storage.absolute(job.result_path), mimetype=job.result_mimetype,
                         as_attachment=True, download_name=job.result_name, conditional=True,
                         etag=job.result_sha256, max_age=0)
        resp.headers["Cache-Control"] = "private, no-cache"
        return resp
    if job.state == "done":
        return page("jobs/view.html", status=409, job=job,
                    error="Tệp không còn trong kho lưu trữ; tải lại trang tải tệp để tạo lại.")
    return page("jobs/view.html", block="progress", job=job, title=title)
