"""The register of outgoing documents (sổ văn bản đi): one series per agency, year and
document type; every number given (issued, reserved, released) is an entry."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.agency import Agency
from app.models.org import User

DOC_TYPES = {
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "QĐ": "Quyết định",
    "CV": "Công văn",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
}
ENTRY_STATES = {"issued": "Đã ban hành", "reserved": "Giữ chỗ", "released": "Đã trả lại"}


class RegisterSeries(db.Model):
    """The counter of one series. `last_number` is the highest number ever given; numbers
    below it that are free again are the series' `released` entries."""
    __tablename__ = "register_series"
    __table_args__ = (UniqueConstraint("agency_id", "year", "doc_type", name="uq_register_series_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int]
    doc_type: Mapped[str] = mapped_column(String(10))
    last_number: Mapped[int] = mapped_column(default=0)
    # Numbers given on paper before the portal was used this year (the series starts after).
    opening_number: Mapped[int] = mapped_column(default=0)
    # Bumped by every number taken: the UPDATE that takes the row lock (PostgreSQL) or the
    # write lock (SQLite) before the counter is read.
    lock_count: Mapped[int] = mapped_column(default=0)

    agency: Mapped[Agency] = relationship()


class RegisterEntry(db.Model):
    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("series_id", "number", name="uq_register_entries_number"),
                      Index("ix_register_entries_series_state", "series_id", "state", "number"),
                      Index("ix_register_entries_document", "doc_kind", "doc_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("register_series.id"))
    number: Mapped[int]
    symbol: Mapped[str] = mapped_column(String(80))        # "113/BC-SLĐTBXH"
    state: Mapped[str] = mapped_column(String(20))
    doc_kind: Mapped[str | None] = mapped_column(String(20))  # "report", "plan"; None: outside the portal
    doc_id: Mapped[int | None]
    title: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime | None]
    reserved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reserved_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    released_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)

    series: Mapped[RegisterSeries] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    reserved_by: Mapped[User | None] = relationship(foreign_keys=[reserved_by_id])
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])

    @property
    def state_label(self) -> str:
        return ENTRY_STATES.get(self.state, self.state)
