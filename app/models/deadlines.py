"""Deadlines: calendar overrides, office settings, task stages, explanations (giải trình)
of overdue tasks and the reminder log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.org import Unit, User

CALENDAR_KINDS = {"off": "Ngày nghỉ", "work": "Ngày làm việc (làm bù)"}


class CalendarDay(db.Model):
    """An administrator's override of the public-holiday calendar for one day."""
    __tablename__ = "calendar_days"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # off / work
    note: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    created_by: Mapped[User | None] = relationship()


class Setting(db.Model):
    """Office-editable settings stored as JSON (e.g. the report days of recurring tasks)."""
    __tablename__ = "portal_settings"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=now)


class TaskStage(db.Model):
    """A stage of a task with its own budget in working days (seed 002: Phòng chuyên môn 03
    ngày; Văn phòng Sở 02 ngày) or its own date (seed 003: Lần 1, Lần 2)."""
    __tablename__ = "task_stages"
    __table_args__ = (UniqueConstraint("task_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    budget_days: Mapped[int | None]
    due_on: Mapped[date | None] = mapped_column(index=True)
    done_on: Mapped[date | None]

    unit: Mapped[Unit | None] = relationship()
    # Task.stages, declared here so the plan model needs no change.
    task = relationship("Task", backref=backref("stages", order_by="TaskStage.position",
                                                cascade="all, delete-orphan"))


class TaskExplanation(db.Model):
    """The lead unit head's explanation (giải trình) of an overdue task."""
    __tablename__ = "task_explanations"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)

    author: Mapped[User] = relationship()


class ReminderLog(db.Model):
    """One row per user, day and kind of reminder: the unique key stops a second send."""
    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("user_id", "day", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # digest
    emailed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)
