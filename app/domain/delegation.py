"""The delegation (ủy quyền) rules, pure: when a delegation gives its rights, and what a
delegation being created must satisfy. No Flask, no database: the callers pass plain values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Grant:
    """One delegation as the access rules read it (a plain snapshot of the row)."""
    id: int
    kind: str              # "unit_head" | "leader"
    delegator_id: int
    unit_id: int           # the delegator's unit (whose rights are lent)
    agency_id: int
    plan_id: int | None    # None: every plan
    starts_on: date
    ends_on: date          # inclusive
    revoked: bool = False


def is_active(g: Grant, today: date, plan_id: int | None = None) -> bool:
    """In force on `today` (both ends inclusive, the Vietnamese calendar day), not revoked, and
    covering `plan_id` (a delegation for one plan covers nothing else; plan_id None asks for
    rights not tied to a plan, which only an all-plans delegation gives)."""
    if g.revoked or not (g.starts_on <= today <= g.ends_on):
        return False
    return g.plan_id is None or g.plan_id == plan_id


def status(starts_on: date, ends_on: date, revoked: bool, today: date) -> str:
    """'revoked' / 'upcoming' / 'active' / 'expired' (the page's badge)."""
    if revoked:
        return "revoked"
    if today < starts_on:
        return "upcoming"
    if today > ends_on:
        return "expired"
    return "active"


STATUS_LABELS = {"revoked": "Đã thu hồi", "upcoming": "Chưa bắt đầu", "active": "Đang hiệu lực",
                 "expired": "Đã hết hạn"}


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def check_new(starts_on: date | None, ends_on: date | None, today: date) -> dict[str, str]:
    """Field -> Vietnamese message for the dates of a delegation being created."""
    errors: dict[str, str] = {}
    if starts_on is None:
        errors["starts_on"] = "Nhập ngày bắt đầu (dd/mm/yyyy)."
    if ends_on is None:
        errors["ends_on"] = "Nhập ngày kết thúc (dd/mm/yyyy)."
    if errors:
        return errors
    if ends_on < starts_on:
        errors["ends_on"] = "Ngày kết thúc phải từ ngày bắt đầu trở đi."
    elif ends_on < today:
        errors["ends_on"] = "Ngày kết thúc đã qua: ủy quyền cho thời gian đã qua không có tác dụng."
    return errors
