"""Delegation use cases: a head or a leader gives their approval rights to a named user for a
date range (optionally one plan), and revokes them; the notices of what a delegate did."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import Forbidden, NotFound

from app import access
from app.audit import services as audit
from app.clock import now, today
from app.domain import delegation as rules
from app.domain.formatting import vn_date
from app.extensions import db
from app.models import Delegation, Plan, Unit, User
from app.notifications.services import notify


class DelegationError(Exception):
    """Field -> Vietnamese message, shown next to the fields."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def eligible_delegates(user: User) -> list[User]:
    return list(db.session.scalars(select(User).where(access.eligible_delegates_filter(user))
                                   .order_by(User.full_name)))


def plan_choices(user: User) -> list[Plan]:
    """Plans a delegation may be limited to: the agency's plans not yet closed, newest first."""
    if access.delegation_kind(user) == "leader":
        where = [Plan.agency_id == user.agency_id, Plan.state != "draft"]
    else:
        where = [access.visible_plans_filter(user)]
    return list(db.session.scalars(select(Plan).where(*where).order_by(Plan.year.desc(), Plan.id.desc())
                                   .limit(200)))


def list_delegations(user: User, offset: int, limit: int) -> tuple[list[Delegation], int]:
    q = select(Delegation).where(access.visible_delegations_filter(user))
    total = db.session.scalar(select(func.count()).select_from(q.subquery())) or 0
    # One query whatever the rows (many-to-one joins): revoked or plan-scoped rows on one page
    # and not on another would otherwise change the count.
    rows = db.session.scalars(q.options(joinedload(Delegation.delegator), joinedload(Delegation.delegate),
                                        joinedload(Delegation.plan), joinedload(Delegation.revoked_by),
                                        joinedload(Delegation.unit))
                              .order_by(Delegation.revoked_at.is_not(None), Delegation.ends_on.desc(),
                                        Delegation.id.desc())
                              .offset(offset).limit(limit)).all()
    return list(rows), total


def get_delegation(user: User, delegation_id: int) -> Delegation:
    d = db.session.get(Delegation, delegation_id)
    if d is None or not access.can_view_delegation(user, d):
        raise NotFound()
    return d


def create(user: User, data: dict) -> Delegation:
    """data: delegate_id, starts_on, ends_on (dates or None), plan_id (or None), reason."""
    kind = access.delegation_kind(user)
    if kind is None or not access.can_delegate(user):
        raise Forbidden("Chỉ Trưởng phòng và Lãnh đạo được ủy quyền duyệt.")
    day = today()
    errors = rules.check_new(data.get("starts_on"), data.get("ends_on"), day)
    delegate = None
    if not data.get("delegate_id"):
        errors["delegate_id"] = "Chọn người được ủy quyền."
    else:
        delegate = db.session.scalar(select(User).where(User.id == data["delegate_id"],
                                                        access.eligible_delegates_filter(user)))
        if delegate is None:
            errors["delegate_id"] = ("Người được ủy quyền phải là người đang làm việc cùng đơn vị của bạn."
                                     if kind == "unit_head" else
                                     "Người được ủy quyền phải thuộc Lãnh đạo cùng cơ quan.")
    plan_id = data.get("plan_id") or None
    if plan_id is not None and plan_id not in {p.id for p in plan_choices(user)}:
        errors["plan_id"] = "Chọn một kế hoạch của cơ quan bạn (hoặc để trống: mọi kế hoạch)."
    if not errors:
        clash = _overlapping(user, kind, data["starts_on"], data["ends_on"], plan_id)
        if clash is not None:
            who = clash.delegate.full_name
            span = f"{vn_date(clash.starts_on)} – {vn_date(clash.ends_on)}"
            errors["delegate_id" if clash.delegate_id == delegate.id else "starts_on"] = (
                f"Đã ủy quyền cho {who} từ {span}; thu hồi ủy quyền đó trước."
                if clash.delegate_id == delegate.id else
                f"Trùng thời gian với ủy quyền đang có cho {who} ({span}): mỗi lúc chỉ một người "
                "được ủy quyền; thu hồi ủy quyền đó hoặc chọn thời gian khác.")
    if errors:
        raise DelegationError(errors)
    d = Delegation(delegator_id=user.id, delegate_id=delegate.id, kind=kind, unit_id=user.unit_id,
                   plan_id=plan_id, starts_on=data["starts_on"], ends_on=data["ends_on"],
                   reason=(data.get("reason") or "").strip() or None, created_by_id=user.id,
                   created_at=now())
    db.session.add(d)
    db.session.flush()
    span = f"{vn_date(d.starts_on)} – {vn_date(d.ends_on)}"
    scope = f", kế hoạch {d.plan.number}" if plan_id else ""
    notify([delegate], "delegation", f"{user.full_name} ủy quyền cho bạn {d.kind_label.lower()} từ {span}{scope}.",
           "/delegations/")
    audit.record("delegation_created", f"Ủy quyền {d.kind_label.lower()}: {user.username} → "
                 f"{delegate.username}, {span}{scope}", actor=user, object_type="delegation",
                 object_id=d.id, detail={"delegate": delegate.username, "kind": kind,
                                         "starts_on": d.starts_on.isoformat(),
                                         "ends_on": d.ends_on.isoformat(), "plan_id": plan_id},
                 commit=False)
    audit.mark_recorded()
    db.session.commit()
    return d


def _overlapping(user: User, kind: str, starts_on: date, ends_on: date, plan_id: int | None) -> Delegation | None:
    """A delegation the user gave of the same rights, not revoked, whose dates and plan scope
    meet the new one's."""
    q = select(Delegation).where(Delegation.delegator_id == user.id, Delegation.kind == kind,
                                 Delegation.revoked_at.is_(None), Delegation.ends_on >= starts_on,
                                 Delegation.starts_on <= ends_on)
    if plan_id is not None:
        q = q.where(or_(Delegation.plan_id.is_(None), Delegation.plan_id == plan_id))
    return db.session.scalars(q.options(selectinload(Delegation.delegate)).order_by(Delegation.id)).first()


def revoke(user: User, d: Delegation) -> None:
    if not access.can_revoke_delegation(user, d):
        raise Forbidden("Ủy quyền này không thu hồi được (đã thu hồi, đã hết hạn hoặc không phải của bạn).")
    d.revoked_at = now()
    d.revoked_by_id = user.id
    notify([d.delegate, d.delegator], "delegation",
           f"{user.full_name} đã thu hồi ủy quyền {d.kind_label.lower()} của {d.delegator.full_name} "
           f"cho {d.delegate.full_name}.", "/delegations/", exclude=user)
    audit.record("delegation_revoked", f"Thu hồi ủy quyền {d.delegator.username} → {d.delegate.username}",
                 actor=user, object_type="delegation", object_id=d.id, commit=False)
    audit.mark_recorded()
    db.session.commit()


# ---- used by the workflows ---------------------------------------------------------------

def _active_delegates(kind: str, where, plan_id: int | None) -> list[User]:
    day = today()
    q = (select(User).join(Delegation, Delegation.delegate_id == User.id)
         .where(Delegation.kind == kind, where, Delegation.revoked_at.is_(None),
                Delegation.starts_on <= day, Delegation.ends_on >= day, User.active.is_(True),
                or_(Delegation.plan_id.is_(None), Delegation.plan_id == plan_id)))
    return list(db.session.scalars(q).unique())


def approvers_for_unit(unit_id: int, plan_id: int | None) -> list[User]:
    """Besides the head: today's delegates of the unit head's approval and the unit's deputies
    with standing rights (told when a result waits for approval)."""
    delegates = _active_delegates("unit_head", Delegation.unit_id == unit_id, plan_id)
    standing = db.session.scalars(select(User).where(User.unit_id == unit_id, User.active.is_(True),
                                                     User.standing_approval.is_(True)))
    return [u for u in delegates if u.unit_id == unit_id] + list(standing)


def approvers_for_agency(agency_id: int, plan_id: int | None) -> list[User]:
    """Besides the leaders: today's delegates of a leader's approval in the agency, and the
    leadership's deputies with standing rights."""
    units = select(Unit.id).where(Unit.agency_id == agency_id)
    delegates = _active_delegates("leader", Delegation.unit_id.in_(units), plan_id)
    standing = db.session.scalars(select(User).where(
        User.unit_id.in_(select(Unit.id).where(Unit.agency_id == agency_id, Unit.kind == "leadership")),
        User.active.is_(True), User.standing_approval.is_(True)))
    return delegates + list(standing)


def notify_behalf(actor: User, delegator_id: int, what: str, url: str) -> None:
    """An action taken under delegation is told to both: the delegator and the delegate."""
    delegator = db.session.get(User, delegator_id)
    text = f"{actor.full_name}, thay mặt {delegator.full_name if delegator else '?'}: {what}"
    notify([u for u in (delegator, actor) if u is not None], "delegation", text, url)


def status(d: Delegation) -> str:
    return rules.status(d.starts_on, d.ends_on, d.revoked_at is not None, today())
