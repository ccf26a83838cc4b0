"""The PDF of every issued plan and report (issue 13, item 2): a job renders the frozen
document's DOCX (a plan: its tracker workbook, the plan document there is) with LibreOffice
headless, hands it to the signer when one is configured, and keeps it in storage."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.clock import now
from app.extensions import db
from app.jobs import runner, services
from app.models import IssuedFile, Job, Plan, Report, User

PDF = "application/pdf"


def render_pdf(source: bytes, suffix: str) -> bytes:
    """DOCX/XLSX bytes → PDF bytes. Each conversion has its own LibreOffice profile
    (-env:UserInstallation), so several workers convert at the same time."""
    soffice = current_app.config.get("SOFFICE", "soffice")
    with tempfile.TemporaryDirectory(prefix="portal-pdf-") as tmp:
        src = Path(tmp) / f"document{suffix}"
        src.write_bytes(source)
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", tmp, str(src)]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=300, check=False)
        except FileNotFoundError:
            raise runner.JobError("Máy chủ chưa cài LibreOffice (soffice): chưa tạo được tệp PDF. "
                                  "Báo quản trị cài đặt rồi bấm “Thử lại”.") from None
        except subprocess.TimeoutExpired:
            raise runner.JobError("LibreOffice chuyển văn bản sang PDF quá 5 phút; bấm “Thử lại”.") from None
        out = Path(tmp) / "document.pdf"
        if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            raise runner.JobError("LibreOffice không chuyển được văn bản sang PDF; bấm “Thử lại” "
                                  "hoặc báo quản trị nếu lỗi lặp lại.")
        return out.read_bytes()


def _document(job: Job):
    model = Report if job.object_kind == "report" else Plan
    return db.session.get(model, job.object_id)


def _run(job: Job, progress: runner.Progress) -> runner.Output:
    kind, version = job.object_kind, job.params.get("version", 1)
    document = _document(job)
    if document is None or document.state != "issued":
        raise runner.JobError("Văn bản không còn ở trạng thái đã ban hành.")
    progress(10, "Đang dựng văn bản đã ban hành")
    if kind == "report":
        from app.exports import report_docx
        from app.reports import services as reports
        doc = reports.document(document)   # the frozen snapshot
        source, suffix = report_docx.build(doc), ".docx"
        name = report_docx.filename(doc).rsplit(".", 1)[0] + ".pdf"
    else:
        from app.exports.tracker_xlsx import build_tracker_xlsx
        from app.plans import services as plans
        issuer = db.session.get(User, job.created_by_id) if job.created_by_id else None
        if issuer is None:
            raise runner.JobError("Không còn người ban hành kế hoạch để dựng văn bản.")
        rows = plans.tracker_rows(issuer, document)
        source = build_tracker_xlsx(document, rows, plans.unit_summary(rows),
                                    agency=plans.agency_header(document)).getvalue()
        suffix = ".xlsx"
        name = "ke-hoach-" + "".join(c if c.isalnum() else "-" for c in document.number) + ".pdf"
    progress(30, "Đang chuyển sang PDF (LibreOffice)")
    pdf = render_pdf(source, suffix)
    signer = current_app.extensions.get("pdf_signer")
    if signer:
        progress(80, "Đang ký số")
        pdf = signer(pdf, kind=kind, document=document)
        job.params = {**job.params, "signed": True}
    return runner.Output(data=pdf, name=name, mimetype=PDF, path=f"issued/{kind}-{document.id}-v{version}.pdf")


def record(job: Job, create_only: bool = False) -> IssuedFile:
    """The issued_files row of the job's document version, following the job's state. The
    request that enqueued the job only creates the row (`create_only`): the worker may have
    moved the job meanwhile, and its own record() is the one that writes the outcome."""
    if create_only:
        db.session.refresh(job)   # the state the worker may have written since
    for _ in range(2):
        f = db.session.scalar(select(IssuedFile).where(
            IssuedFile.document_kind == job.object_kind, IssuedFile.document_id == job.object_id,
            IssuedFile.version == job.params.get("version", 1)))
        if f is not None and create_only:
            return f
        if f is None:
            f = IssuedFile(document_kind=job.object_kind, document_id=job.object_id,
                           version=job.params.get("version", 1), created_at=now())
            db.session.add(f)
        f.job_id, f.state, f.updated_at = job.id, job.state, now()
        if job.state == "done":
            f.pdf_path, f.sha256, f.size = job.result_path, job.result_sha256, job.result_size
            f.signed = bool(job.params.get("signed"))
        try:
            db.session.commit()
            return f
        except IntegrityError:  # the worker and the request recorded it at the same moment
            db.session.rollback()
    return f


runner.register("issued_pdf", runner.Kind(label="Tạo PDF văn bản ban hành", run=_run,
                                          on_done=record, on_failed=record))


def issue_pdf(user: User | None, kind: str, document) -> Job | None:
    """After the issuing transaction committed: the job rendering the version's PDF."""
    if not current_app.config.get("ISSUED_PDF"):
        return None
    version = getattr(document, "version", 1) or 1
    job = services.ensure("issued_pdf", key=f"issued_pdf:{kind}:{document.id}:v{version}", user=user,
                          agency_id=document.agency_id, object_kind=kind, object_id=document.id,
                          params={"version": version})
    record(job, create_only=True)
    return job


def issued_file(kind: str, document) -> IssuedFile | None:
    """The PDF row of the document's current version, with its job (one query)."""
    from sqlalchemy.orm import joinedload
    return db.session.scalar(select(IssuedFile).options(joinedload(IssuedFile.job)).where(
        IssuedFile.document_kind == kind, IssuedFile.document_id == document.id,
        IssuedFile.version == (getattr(document, "version", 1) or 1)))
