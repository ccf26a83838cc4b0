"""The consolidated report: per-unit figure sets, versioned report forms, reports and history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.domain.checks import describe_changes
from app.extensions import db
from app.models.agency import Agency, default_agency_of_creator
from app.models.history import EventMixin
from app.models.org import Unit, User

FIGURE_STATES = {"draft": "Đang nhập", "sent": "Đã gửi Văn phòng"}


class ReportForm(db.Model):
    """An official table (Biểu II.06a/VPCP/KSTT ...) in one version: its columns are data,
    because a new circular (Thông tư 5/2025/TT-VPCP) may change them."""
    __tablename__ = "report_forms"
    __table_args__ = (UniqueConstraint("code", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))          # "II.06a/VPCP/KSTT"
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(500))
    legal_basis: Mapped[str | None] = mapped_column(String(255))  # "Thông tư 01/2020/TT-VPCP"
    valid_from: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    # [{"key": "received", "label": "Tổng số", "group": "Số hồ sơ nhận giải quyết",
    #   "sum_of": ["received_new", "carried_over"]}, ...]
    columns: Mapped[list] = mapped_column(JSON, default=list)
    valid_to: Mapped[date | None]
    # [{"rule": "sum", "total": "fb_received", "parts": [...]}, {"builtin": "dossiers"}, ...]
    checks: Mapped[list | None] = mapped_column(JSON)
    # {"sheet": "Biểu II.07b", "count_unit": "phản ánh, kiến nghị", "row_label": ..., "note": ...}
    options: Mapped[dict | None] = mapped_column(JSON)


class FigureSet(db.Model):
    """One unit's figures for one reporting period (parts only; totals are computed)."""
    __tablename__ = "figure_sets"
    __table_args__ = (UniqueConstraint("unit_id", "period_key"),
                      Index("ix_figure_sets_period_state", "period_key", "state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_key: Mapped[str] = mapped_column(String(20))   # "2022-q2" (app.domain.periods)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    received_online: Mapped[int] = mapped_column(default=0)
    received_direct: Mapped[int] = mapped_column(default=0)
    carried_over: Mapped[int] = mapped_column(default=0)
    resolved_early: Mapped[int] = mapped_column(default=0)
    resolved_on_time: Mapped[int] = mapped_column(default=0)
    resolved_late: Mapped[int] = mapped_column(default=0)
    pending_in_time: Mapped[int] = mapped_column(default=0)
    pending_late: Mapped[int] = mapped_column(default=0)
    feedback_received: Mapped[int] = mapped_column(default=0)
    feedback_handled: Mapped[int] = mapped_column(default=0)
    # Figures of forms whose columns are not attributes of this table: {form code: {key: n}}.
    form_values: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship()
    updated_by: Mapped[User | None] = relationship()
    overdue_cases: Mapped[list[OverdueCase]] = relationship(
        order_by="OverdueCase.id", cascade="all, delete-orphan")
    events: Mapped[list[FigureEvent]] = relationship(
        order_by="FigureEvent.id", cascade="all, delete-orphan")

    @property
    def state_label(self) -> str:
        return FIGURE_STATES.get(self.state, self.state)


class OverdueCase(db.Model):
    """An overdue dossier and the head of unit's explanation of it."""
    __tablename__ = "overdue_cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    figure_set_id: Mapped[int] = mapped_column(ForeignKey("figure_sets.id", ondelete="CASCADE"),
                                               index=True)
    dossier_code: Mapped[str] = mapped_column(String(80))
    procedure_name: Mapped[str] = mapped_column(String(500))
    explanation: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)


class FigureEvent(db.Model):
    """History of a figure set: who changed what (old → new), imported or sent it, and when."""
    __tablename__ = "figure_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    figure_set_id: Mapped[int] = mapped_column(ForeignKey("figure_sets.id", ondelete="CASCADE"),
                                               index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict | None] = mapped_column(JSON)  # {"field": [old, new]}
    created_at: Mapped[datetime] = mapped_column(default=now)

    actor: Mapped[User] = relationship()

    @property
    def change_lines(self) -> list[str]:
        return describe_changes(self.changes, FIGURE_STATES)


class Report(db.Model):
    """The consolidated report to the provincial People's Committee.

    While a draft its figures are read live from the data; when issued, `snapshot` freezes
    numbers and text as issued, and later data changes never alter it.
    """
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_period", "period_key", "state"),
                      Index("ix_reports_sendup", "period_key", "sendup_state"),
                      Index("ix_reports_agency_period", "agency_id", "period_key", "state"))
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), default=default_agency_of_creator)
    # The agency's name when the report was issued (kept through mergers and renames).
    issued_agency_name: Mapped[str | None] = mapped_column(String(255))
    period_key: Mapped[str] = mapped_column(String(20))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    form_id: Mapped[int | None] = mapped_column(ForeignKey("report_forms.id"))
    title: Mapped[str] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)        # "Thực hiện ... báo cáo như sau:"
    number: Mapped[str | None] = mapped_column(String(80))  # "113/BC-SLĐTBXH"
    issued_on: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # [{"key": "II.5", "level": 2, "heading": "...", "text": "...", "figures": "dossiers"}]
    sections: Mapped[list] = mapped_column(JSON, default=list)
    recipients: Mapped[str | None] = mapped_column(Text)   # Nơi nhận, one per line
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    lock_version: Mapped[int] = mapped_column(default=1)   # a stale second writer is refused
    # Sent to UBND tỉnh (workflow.REPORT_SENDUP; None: not sent), frozen as issued (snapshot).
    sendup_state: Mapped[str | None] = mapped_column(String(20))
    sent_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_up_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    agency: Mapped[Agency] = relationship()
    form: Mapped[ReportForm | None] = relationship()
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    sent_up_by: Mapped[User | None] = relationship(foreign_keys=[sent_up_by_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    previous: Mapped[Report | None] = relationship(remote_side=[id])
    events: Mapped[list[ReportEvent]] = relationship(order_by="ReportEvent.id",
                                                     cascade="all, delete-orphan")


class ReportEvent(EventMixin, db.Model):
    __tablename__ = "report_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
