"""Background jobs (the UI's source of truth for what runs outside the request) and the
PDF files of issued documents."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.org import User

JOB_STATES = {"queued": "Đang chờ xử lý", "running": "Đang xử lý", "done": "Đã xong",
              "failed": "Lỗi"}


class Job(db.Model):
    """One unit of background work. `key` makes idempotent jobs (an export cache key, an
    issued document's PDF) exist once; `scope` is the viewer scope an export was built for."""
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_group_state", "cache_group", "state"),
                      Index("ix_jobs_object", "object_kind", "object_id"),
                      Index("ix_jobs_creator", "created_by_id", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The key without its change stamp: older builds of the same export are found and removed.
    cache_group: Mapped[str | None] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(120), default="any")
    object_kind: Mapped[str | None] = mapped_column(String(20))
    object_id: Mapped[int | None]
    params: Mapped[dict | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    progress: Mapped[int] = mapped_column(default=0)
    step: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    result_path: Mapped[str | None] = mapped_column(String(500))   # relative to STORAGE_FOLDER
    result_name: Mapped[str | None] = mapped_column(String(255))   # the download's file name
    result_mimetype: Mapped[str | None] = mapped_column(String(120))
    result_size: Mapped[int | None]
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=now)

    created_by: Mapped[User | None] = relationship()

    @property
    def state_label(self) -> str:
        return JOB_STATES.get(self.state, self.state)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class IssuedFile(db.Model):
    """The PDF of an issued plan or report version, rendered by a job from the frozen document."""
    __tablename__ = "issued_files"
    __table_args__ = (UniqueConstraint("document_kind", "document_id", "version",
                                       name="uq_issued_files_document"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_kind: Mapped[str] = mapped_column(String(20))     # "report" | "plan"
    document_id: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    pdf_path: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    signed: Mapped[bool] = mapped_column(default=False)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    job: Mapped[Job | None] = relationship()
