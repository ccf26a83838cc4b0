"""The catalog of administrative procedures (danh mục TTHC)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.folded import folded
from app.models.agency import default_agency_of_unit
from app.models.org import Unit

PROCEDURE_STATUSES = {"active": "Còn hiệu lực", "abolished": "Đã bãi bỏ", "replaced": "Đã được thay thế"}
ONLINE_SERVICE = {"": "Không", "partial": "Trực tuyến một phần", "full": "Trực tuyến toàn trình"}


class Procedure(db.Model):
    __tablename__ = "procedures"
    # The catalog page's header figures, index-only (migration 0016_prov).
    __table_args__ = (Index("ix_procedures_counts", "status", "level", "internal", "one_stop", "interconnected",
                            "postal", "online_service", "set_by"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # One province catalog (a code is published once, by decision of the Chủ tịch UBND tỉnh);
    # each procedure is owned by the agency that answers for it, which alone edits it (NULL:
    # owned by no agency yet, kept by the province office).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True,
                                           default=default_agency_of_unit)
    code: Mapped[str] = mapped_column(String(40), unique=True)        # mã TTHC, e.g. 1.001776
    name: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = folded("name")                           # accent-free, for search
    field: Mapped[str | None] = mapped_column(String(255), index=True)  # lĩnh vực
    level: Mapped[str | None] = mapped_column(String(40), index=True)   # tỉnh / huyện / xã (configurable)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    processing_days: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))  # working days; None = không quy định
    processing_text: Mapped[str | None] = mapped_column(String(255))
    fees: Mapped[str | None] = mapped_column(Text)                           # phí, as written
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 0))       # read from `fees`
    charges: Mapped[str | None] = mapped_column(Text)                        # lệ phí, as written
    charge_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 0))    # read from `charges`
    agency: Mapped[str | None] = mapped_column(String(255))  # cơ quan thực hiện, as the export writes it
    one_stop: Mapped[bool] = mapped_column(default=False, index=True)        # một cửa
    interconnected: Mapped[bool] = mapped_column(default=False, index=True)  # một cửa liên thông
    postal: Mapped[bool] = mapped_column(default=False, index=True)          # bưu chính công ích
    online_service: Mapped[str] = mapped_column(String(10), default="", index=True)  # '', partial, full
    internal: Mapped[bool] = mapped_column(default=False, index=True)        # TTHC nội bộ
    set_by: Mapped[str | None] = mapped_column(String(10))                   # central / local
    legal_basis: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(255))                # quyết định công bố
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("procedures.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    # Moved by the database on every edit (triggers of 0016_jobs): the export cache's change stamp.
    revision: Mapped[int] = mapped_column(server_default="0", deferred=True)

    lead_unit: Mapped[Unit | None] = relationship()
    replaced_by: Mapped[Procedure | None] = relationship(remote_side=[id])
