"""Evaluations (issue 15): a unit's sheet per period with each person's results, the scheme
(weights and bands, versioned data), the head's marks and corrections, and the sheet's history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.agency import Agency
from app.models.history import EventMixin
from app.models.org import Unit, User


class EvaluationScheme(db.Model):
    """Weights and rating bands, one version per row; a version used by a sheet is never
    edited (a change is a new version, valid from a date)."""
    __tablename__ = "evaluation_schemes"
    __table_args__ = (UniqueConstraint("agency_id", "version", name="uq_evaluation_schemes_agency_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    version: Mapped[int]
    valid_from: Mapped[date]
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    weights: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    created_by: Mapped[User | None] = relationship()


class Evaluation(db.Model):
    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("unit_id", "kind", "year", "number", "version", name="uq_evaluations_unit_period_version"),
        Index("ix_evaluations_agency_period", "agency_id", "year", "kind", "number"),
        Index("ix_evaluations_unit_period", "unit_id", "year", "kind", "number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(10))       # month / quarter / year
    year: Mapped[int]
    number: Mapped[int]                                  # month 1–12, quarter 1–4, 0 for a year
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)
    # False once a reopening made a newer version (the old one stays, closed, as it was).
    current: Mapped[bool] = mapped_column(default=True, server_default=true())
    state: Mapped[str] = mapped_column(String(20), default="open")
    scheme_id: Mapped[int] = mapped_column(ForeignKey("evaluation_schemes.id"))
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    snapshot: Mapped[dict | None] = mapped_column(JSON)   # frozen at close
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    closed_at: Mapped[datetime | None]

    agency: Mapped[Agency] = relationship()
    unit: Mapped[Unit] = relationship()
    scheme: Mapped[EvaluationScheme] = relationship()
    events: Mapped[list[EvaluationEvent]] = relationship(order_by="EvaluationEvent.id",
                                                         cascade="all, delete-orphan")


class EvaluationMark(db.Model):
    """The head's quality mark (0–100) and comment for one person, and the person's comment."""
    __tablename__ = "evaluation_marks"
    __table_args__ = (UniqueConstraint("evaluation_id", "user_id", name="uq_evaluation_marks_evaluation_user"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    quality: Mapped[int | None]
    head_comment: Mapped[str | None] = mapped_column(Text)
    person_comment: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)


class EvaluationCorrection(db.Model):
    """A figure the head corrected: the computed value kept beside the new one, with why.
    Rows are never updated; the latest per (person, figure) is in force."""
    __tablename__ = "evaluation_corrections"
    __table_args__ = (Index("ix_evaluation_corrections_evaluation", "evaluation_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    figure: Mapped[str] = mapped_column(String(20))
    computed_value: Mapped[int]
    corrected_value: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    actor: Mapped[User] = relationship(foreign_keys=[actor_id])


class EvaluationEvent(EventMixin, db.Model):
    __tablename__ = "evaluation_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), index=True)
