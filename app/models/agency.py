"""Agencies (cơ quan): the province's own office, each sở/ban/ngành, each UBND xã/phường
(and districts, kept for history). Units belong to an agency; users through their unit."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db

AGENCY_KINDS = {
    "province": "UBND tỉnh / Văn phòng UBND tỉnh",
    "department": "Sở, ban, ngành",
    "commune": "UBND xã, phường",
    "district": "UBND huyện (trước 01/7/2025)",
}


class Agency(db.Model):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    # As issued, for the document header: "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn".
    name: Mapped[str] = mapped_column(String(255), unique=True)
    short_name: Mapped[str] = mapped_column(String(255))   # inside a sentence: "Sở Lao động – ..."
    abbreviation: Mapped[str] = mapped_column(String(40))  # in document symbols: 19/KH-SLĐTBXH
    kind: Mapped[str] = mapped_column(String(20), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    place_name: Mapped[str] = mapped_column(String(120), default="")  # "Lạng Sơn, ngày ..."
    active: Mapped[bool] = mapped_column(default=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    sort_order: Mapped[int] = mapped_column(default=100)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)

    parent: Mapped[Agency | None] = relationship(remote_side=[id])

    @property
    def kind_label(self) -> str:
        return AGENCY_KINDS.get(self.kind, self.kind)

    @property
    def header_name(self) -> str:
        """The agency line of a document header (Nghị định 30/2020: capitals)."""
        return self.name.upper()

    def __repr__(self) -> str:  # pragma: no cover
        return f"<Agency {self.abbreviation}>"


class UnitMove(db.Model):
    """A unit moved to another agency (a merger): who, when, from where, why. The unit keeps
    its id, users, tasks and history; this row is what says it once belonged elsewhere."""
    __tablename__ = "unit_moves"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    from_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    to_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    moved_at: Mapped[datetime] = mapped_column(default=now)


def _first_agency_id(conn) -> int | None:
    return conn.scalar(select(Agency.id).order_by(Agency.id).limit(1))


def default_unit_agency(context) -> int | None:
    """A unit created without an agency joins its parent's agency, or the first agency (a
    one-agency deployment never has to name it). Multi-agency code paths always pass it."""
    from app.models.org import Unit
    parent = context.get_current_parameters().get("parent_id")
    conn = context.connection
    if parent is not None:
        found = conn.scalar(select(Unit.agency_id).where(Unit.id == parent))
        if found is not None:
            return found
    return _first_agency_id(conn)


def agency_of_user(conn, user_id: int | None) -> int | None:
    from app.models.org import Unit, User
    if user_id is None:
        return None
    return conn.scalar(select(Unit.agency_id).join(User, User.unit_id == Unit.id).where(User.id == user_id))


def default_agency_of_creator(context) -> int | None:
    """A plan or report created without an agency belongs to its author's agency."""
    return agency_of_user(context.connection, context.get_current_parameters().get("created_by_id"))


def default_agency_of_unit(context) -> int | None:
    """A procedure without an agency belongs to its lead unit's agency, else the first one."""
    from app.models.org import Unit
    unit = context.get_current_parameters().get("lead_unit_id")
    conn = context.connection
    if unit is not None:
        found = conn.scalar(select(Unit.agency_id).where(Unit.id == unit))
        if found is not None:
            return found
    return _first_agency_id(conn)
