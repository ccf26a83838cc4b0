"""Delegation (ủy quyền): a head or a leader lends their approval rights to a named person
for a date range, optionally for one plan only."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.org import Unit, User

DELEGATION_KINDS = {
    "unit_head": "Duyệt kết quả của đơn vị (Trưởng phòng)",
    "leader": "Duyệt của Lãnh đạo (kế hoạch, báo cáo)",
}


class Delegation(db.Model):
    __tablename__ = "delegations"
    # The delegate's rights are read once per request: one index range (delegate, end day).
    __table_args__ = (Index("ix_delegations_delegate_ends", "delegate_id", "ends_on"),
                      Index("ix_delegations_delegator_ends", "delegator_id", "ends_on"))
    id: Mapped[int] = mapped_column(primary_key=True)
    delegator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))  # DELEGATION_KINDS
    # The delegator's unit when the delegation was given: the rights are that unit's (a head
    # moved elsewhere does not take them along).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # inclusive
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    delegator: Mapped[User] = relationship(foreign_keys=[delegator_id])
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    unit: Mapped[Unit] = relationship()
    plan: Mapped["Plan | None"] = relationship()  # noqa: F821

    @property
    def kind_label(self) -> str:
        return DELEGATION_KINDS.get(self.kind, self.kind)
