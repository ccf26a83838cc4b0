"""A task's result: the lead unit's submission, its history, attachments and contributions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.history import EventMixin
from app.models.org import Unit, User


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (Index("ix_submissions_state_task", "state", "task_id"),
                      # open work only (migration 0006_scale): overdue lists start from here
                      Index("ix_submissions_open", "task_id", "state",
                            postgresql_where=text("state <> 'accepted'"),
                            sqlite_where=text("state <> 'accepted'")))
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    result_text: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every change; a form carries it so a stale second writer is refused.
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)
    # Moved by the database on every edit (triggers of 0016_jobs): the export cache's change stamp.
    revision: Mapped[int] = mapped_column(server_default="0", deferred=True)
    submitted_at: Mapped[datetime | None]  # first time it reached the office
    accepted_at: Mapped[datetime | None] = mapped_column(index=True)

    task: Mapped["Task"] = relationship(back_populates="submission")  # noqa: F821
    events: Mapped[list[SubmissionEvent]] = relationship(
        order_by="SubmissionEvent.id", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan")


class SubmissionEvent(EventMixin, db.Model):
    """One step of the timeline: who moved it, when, from and to which state, and why.

    `snapshot` keeps the result text as it was at that step, so nothing submitted is lost
    when a returned submission is edited again.
    """
    __tablename__ = "submission_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    snapshot: Mapped[str | None] = mapped_column(Text)


class Attachment(db.Model):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))      # as the user named it (display only)
    stored_name: Mapped[str] = mapped_column(String(80))    # random name on disk
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    uploaded_by: Mapped[User] = relationship()


class Contribution(db.Model):
    """A cooperating unit's input to the lead unit's submission."""
    __tablename__ = "contributions"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    unit: Mapped[Unit] = relationship()
    author: Mapped[User] = relationship()
