"""Plans (Kế hoạch) and their tasks (Nhiệm vụ)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.folded import folded
from app.models.agency import Agency, default_agency_of_creator
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
    Column("unit_id", ForeignKey("units.id"), primary_key=True),
    # A unit's cooperation rows, task ids included (index only; migration 0008_work).
    Index("ix_task_cooperating_units_unit_task", "unit_id", "task_id"),
)


class Plan(db.Model):
    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_agency_year", "agency_id", "year", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # The agency whose plan this is (its office writes it, its leader issues it).
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), default=default_agency_of_creator)
    # The agency's name when the plan was issued: a later merger or rename never rewrites it.
    issued_agency_name: Mapped[str | None] = mapped_column(String(255))
    number: Mapped[str] = mapped_column(String(80))  # "19/KH-SLĐTBXH"
    issued_on: Mapped[date | None]
    title: Mapped[str] = mapped_column(String(500))
    search_folded: Mapped[str] = folded("number", "title")   # the plan list's search box
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

    agency: Mapped[Agency] = relationship()
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
    __table_args__ = (
        # Migration 0008_work: lists and counts read one row of `tasks` through these.
        # A plan's tasks, with what its progress counts read (also the plan_id FK index).
        Index("ix_tasks_plan_work", "plan_id", "lead_unit_id", "work_state", "due_on"),
        Index("ix_tasks_year_due", "plan_year", "due_on", "id",
              sqlite_where=text("work_state IS NOT NULL"), postgresql_where=text("work_state IS NOT NULL")),
        Index("ix_tasks_year_progress", "plan_year", "lead_unit_id", "work_state", "due_on", "accepted_on", "plan_id",
              "parent_id",
              sqlite_where=text("work_state IS NOT NULL"), postgresql_where=text("work_state IS NOT NULL")),
        Index("ix_tasks_lead_year", "lead_unit_id", "plan_year", "due_on", "plan_id",
              sqlite_where=text("work_state IS NOT NULL"), postgresql_where=text("work_state IS NOT NULL")),
        Index("ix_tasks_open_due", "due_on", "lead_unit_id",
              sqlite_where=text("work_state <> 'accepted'"), postgresql_where=text("work_state <> 'accepted'")),
        Index("ix_tasks_open_state", "work_state", "due_on",
              sqlite_where=text("work_state <> 'accepted'"), postgresql_where=text("work_state <> 'accepted'")),
        Index("ix_tasks_lead_open", "lead_unit_id", "work_state", "due_on",
              sqlite_where=text("work_state <> 'accepted'"), postgresql_where=text("work_state <> 'accepted'")),
        # Migration 0011_province: an overseer's lists are one range of their agency's tasks.
        Index("ix_tasks_agency_year_due", "agency_id", "plan_year", "due_on", "id",
              sqlite_where=text("work_state IS NOT NULL"), postgresql_where=text("work_state IS NOT NULL")),
        Index("ix_tasks_agency_open", "agency_id", "work_state", "due_on",
              sqlite_where=text("work_state <> 'accepted'"), postgresql_where=text("work_state <> 'accepted'")),
        # Migration 0016_evaluations: a unit's tasks due in a period.
        Index("ix_tasks_lead_due", "lead_unit_id", "due_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    group_label: Mapped[str | None] = mapped_column(String(255))  # section heading (I, II, A ...)
    content: Mapped[str] = mapped_column(Text)
    content_folded: Mapped[str] = folded("content")          # the task and overdue search boxes
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    due_text: Mapped[str | None] = mapped_column(String(500))  # the plan's own words
    due_on: Mapped[date | None] = mapped_column(index=True)   # the computed date
    product: Mapped[str | None] = mapped_column(Text)          # Kết quả / Sản phẩm
    # What an evaluation scheme's weights read (migration 0016_evaluations); None: normal.
    priority: Mapped[str | None] = mapped_column(String(10))
    difficulty: Mapped[str | None] = mapped_column(String(10))
    # Recurring tasks: one child instance per period (filled by the deadlines feature).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                                  index=True)
    period_label: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Moved by the database on every edit (triggers of 0016_jobs): the export cache's change stamp.
    revision: Mapped[int] = mapped_column(server_default="0", deferred=True)
    # Copies written by database triggers on `submissions` (migration 0008_work), for filters
    # and counts only: the submission's state (NULL until the plan is issued), the plan's year
    # and the day of acceptance. Never set them here; deferred, so Python reads fetch the
    # database's current value rather than one loaded before a change.
    work_state: Mapped[str | None] = mapped_column(String(20), deferred=True)
    plan_year: Mapped[int | None] = mapped_column(deferred=True)
    accepted_on: Mapped[date | None] = mapped_column(deferred=True)
    # The plan's agency, copied by triggers (migration 0011_province) like the columns above.
    agency_id: Mapped[int | None] = mapped_column(deferred=True)
    # A task of an agency's plan that carries out a task of a higher (provincial) plan.
    source_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"),
                                                       index=True)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    source_task: Mapped[Task | None] = relationship(remote_side=[id], foreign_keys=[source_task_id])
    lead_unit: Mapped[Unit] = relationship()
    cooperating_units: Mapped[list[Unit]] = relationship(secondary=task_cooperating_units,
                                                         order_by="Unit.sort_order")
    assignees: Mapped[list[User]] = relationship(
        secondary="task_assignees", primaryjoin="Task.id == TaskAssignee.task_id",
        secondaryjoin="TaskAssignee.user_id == User.id", order_by="User.full_name", viewonly=True)
    submission: Mapped[Submission | None] = relationship(  # noqa: F821
        back_populates="task", uselist=False, cascade="all, delete-orphan")


class UnitTask(db.Model):
    """One row per (unit, task) the unit leads or cooperates on, with the task's plan and
    work columns: a unit's lists and counts are one index range here. Derived data written
    only by database triggers (migration 0009_unit_tasks); never written by the app."""
    __tablename__ = "unit_tasks"
    __table_args__ = (
        Index("ix_unit_tasks_plan", "unit_id", "plan_id", "work_state", "due_on"),
        Index("ix_unit_tasks_year", "unit_id", "plan_year", "due_on", "plan_id",
              sqlite_where=text("work_state IS NOT NULL"), postgresql_where=text("work_state IS NOT NULL")),
        Index("ix_unit_tasks_open", "unit_id", "work_state", "due_on",
              sqlite_where=text("work_state <> 'accepted'"), postgresql_where=text("work_state <> 'accepted'")),
    )
    unit_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    task_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, index=True)
    plan_id: Mapped[int]
    work_state: Mapped[str | None] = mapped_column(String(20))
    plan_year: Mapped[int | None]
    due_on: Mapped[date | None]


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
