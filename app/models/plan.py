"""Plans (Kế hoạch) and their tasks (Nhiệm vụ)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.history import EventMixin
from app.models.org import Unit, User

PLAN_KINDS = {
    "review": "Rà soát, đánh giá TTHC",
    "time_cut": "Cắt giảm thời hạn giải quyết",
    "reform": "Cải cách hành chính",
    "internal": "TTHC nội bộ",
}

task_cooperating_units = Table(
    "task_cooperating_units",
    db.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


class Plan(db.Model):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(80))  # "19/KH-SLĐTBXH"
    issued_on: Mapped[date | None]
    title: Mapped[str] = mapped_column(String(500))
    basis: Mapped[str | None] = mapped_column(Text)  # "Thực hiện Kế hoạch số 28/KH-UBND ..."
    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    targets: Mapped[str | None] = mapped_column(Text)
    # Measurable targets in percent, editable by the office (seed 000: 30; seed 003: 20 / 20).
    time_cut_target: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    cost_cut_target: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    simplified_target: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    state: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    created_by: Mapped[User] = relationship()
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.position",
                                             cascade="all, delete-orphan")
    events: Mapped[list[PlanEvent]] = relationship(order_by="PlanEvent.created_at",
                                                   cascade="all, delete-orphan")

    @property
    def kind_label(self) -> str:
        return PLAN_KINDS.get(self.kind, self.kind)


class Task(db.Model):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_lead_due", "lead_unit_id", "due_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    group_label: Mapped[str | None] = mapped_column(String(255))  # section heading (I, II, A ...)
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_text: Mapped[str | None] = mapped_column(String(500))  # the plan's own words
    due_on: Mapped[date | None] = mapped_column(index=True)   # the computed date
    product: Mapped[str | None] = mapped_column(Text)          # Kết quả / Sản phẩm
    # Recurring tasks: one child instance per period (filled by the deadlines feature).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                                  index=True)
    period_label: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=now)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    lead_unit: Mapped[Unit] = relationship()
    cooperating_units: Mapped[list[Unit]] = relationship(secondary=task_cooperating_units,
                                                         order_by="Unit.sort_order")
    assignees: Mapped[list[User]] = relationship(
        secondary="task_assignees", primaryjoin="Task.id == TaskAssignee.task_id",
        secondaryjoin="TaskAssignee.user_id == User.id", order_by="User.full_name", viewonly=True)
    submission: Mapped[Submission | None] = relationship(  # noqa: F821
        back_populates="task", uselist=False, cascade="all, delete-orphan")


class TaskAssignee(db.Model):
    """The head of the lead unit hands a task to one or more staff."""
    __tablename__ = "task_assignees"
    __table_args__ = (UniqueConstraint("task_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(default=now)


class PlanEvent(EventMixin, db.Model):
    """A plan's history: every state change and edit, with who, when and why."""
    __tablename__ = "plan_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
