"""Catalog history and the review of procedures (phiếu rà soát 02/RS-KSTT, time cut, compliance cost)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.catalog import Procedure
from app.models.org import User

# The parts of a procedure that form 02/RS-KSTT judges, in the form's order.
REVIEW_PARTS = {
    "name": "Tên thủ tục hành chính",
    "sequence": "Trình tự thực hiện",
    "method": "Cách thức thực hiện",
    "dossier": "Thành phần, số lượng hồ sơ",
    "time": "Thời hạn giải quyết",
    "subjects": "Đối tượng thực hiện",
    "agency": "Cơ quan thực hiện",
    "result": "Kết quả thực hiện",
    "fees": "Phí, lệ phí",
    "forms": "Mẫu đơn, tờ khai",
    "conditions": "Yêu cầu, điều kiện",
    "legal_basis": "Căn cứ pháp lý",
}
# The three questions asked of every part.
REVIEW_CRITERIA = {"necessary": "Cần thiết", "reasonable": "Hợp lý", "lawful": "Hợp pháp"}
PROPOSALS = {"keep": "Giữ nguyên", "amend": "Sửa đổi, bổ sung", "replace": "Thay thế",
             "abolish": "Bãi bỏ"}
COST_PHASES = {"before": "Trước đơn giản hóa", "after": "Sau đơn giản hóa"}


class ProcedureChange(db.Model):
    """A change to a catalog entry: who, when, and each field's old -> new value (JSON)."""
    __tablename__ = "procedure_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"),
                                              index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))  # create / update / import
    changes: Mapped[str] = mapped_column(Text, default="{}")  # {"field": [old, new]}
    created_at: Mapped[datetime] = mapped_column(default=now)

    actor: Mapped[User] = relationship()
    procedure: Mapped[Procedure] = relationship()


class ProcedureReview(db.Model):
    """One procedure under review in one task: form 02/RS-KSTT plus time cut and cost.

    The row's existence is the link Task <-> Procedure (the office picks them); its state is
    the task's Submission state.
    """
    __tablename__ = "procedure_reviews"
    __table_args__ = (UniqueConstraint("task_id", "procedure_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    parts: Mapped[str] = mapped_column(Text, default="{}")  # {part: {necessary, reasonable, lawful, reason}}
    proposal: Mapped[str | None] = mapped_column(String(10), index=True)
    proposal_detail: Mapped[str | None] = mapped_column(Text)  # nội dung, lý do đề xuất
    legal_change: Mapped[str | None] = mapped_column(Text)     # văn bản, điều khoản cần sửa
    recommendation: Mapped[str | None] = mapped_column(Text)   # kiến nghị thực thi
    current_days: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    proposed_days: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    cut_reason: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)

    procedure: Mapped[Procedure] = relationship()
    task: Mapped["Task"] = relationship()  # noqa: F821
    cost_items: Mapped[list[ReviewCostItem]] = relationship(
        order_by="ReviewCostItem.position", cascade="all, delete-orphan")


class ReviewCostItem(db.Model):
    """One activity of the Standard Cost Model, before or after simplification."""
    __tablename__ = "review_cost_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("procedure_reviews.id", ondelete="CASCADE"),
                                           index=True)
    phase: Mapped[str] = mapped_column(String(10))  # before / after
    position: Mapped[int] = mapped_column(default=0)
    activity: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    income_per_hour: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    fees: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    other_costs: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    per_year: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
