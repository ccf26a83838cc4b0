"""Reports flowing up to the province: the province office's request for a period (letter,
deadline, targets) and the reminders it sent to agencies that have not reported."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.agency import Agency
from app.models.org import User


class ReportingRequest(db.Model):
    """"Công văn số 2445/VP-TTPVHCC ngày 03/6/2022 ... đôn đốc ... báo cáo quý II": the period
    asked for, the agencies' deadline and the provincial targets the totals are measured on."""
    __tablename__ = "reporting_requests"
    __table_args__ = (UniqueConstraint("agency_id", "period_key", name="uq_reporting_requests_agency_period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))   # the province's
    period_key: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(80))
    letter_date: Mapped[date]
    deadline: Mapped[date]
    subject: Mapped[str | None] = mapped_column(Text)
    time_cut_target: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    cost_cut_target: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    agency: Mapped[Agency] = relationship()
    created_by: Mapped[User] = relationship()


class ReportingReminder(db.Model):
    __tablename__ = "reporting_reminders"
    __table_args__ = (Index("ix_reporting_reminders_request_agency", "request_id", "agency_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("reporting_requests.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    actor: Mapped[User] = relationship()
