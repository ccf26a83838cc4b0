"""Administration of units and users (Quản trị)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from app import access
from app.audit import services as audit
from app.auth import sessions
from app.auth.services import hash_password
from app.clock import now
from app.extensions import db
from app.models import DirectoryMapping, Unit, User
from app.models.folded import matches


class Duplicate(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def require_admin(user: User) -> None:
    if not access.is_admin(user):
        raise Forbidden("Chỉ Quản trị được thực hiện.")


def list_units(user: User | None = None) -> list[Unit]:
    """Units of the administrator's agency (every unit when no user is given: CLI, tests)."""
    q = select(Unit).options(selectinload(Unit.parent))
    if user is not None:
        q = q.where(access.agency_units_filter(user))
    return list(db.session.scalars(q.order_by(Unit.sort_order, Unit.name)))


def unit_user_counts(user: User | None = None) -> dict[int, int]:
    q = select(User.unit_id, func.count(User.id))
    if user is not None:
        q = q.where(access.agency_users_filter(user))
    return dict(db.session.execute(q.group_by(User.unit_id)).all())


def get_unit(unit_id: int, user: User | None = None) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or (user is not None and unit.agency_id != user.agency_id):
        raise NotFound()
    return unit


def _unique(model, field: str, value, exclude_id: int | None, message: str, *where) -> None:
    col = getattr(model, field)
    q = select(model.id).where(func.lower(col) == str(value).lower(), *where)
    if exclude_id:
        q = q.where(model.id != exclude_id)
    if db.session.scalar(q):
        raise Duplicate(field, message)


def save_unit(user: User, unit: Unit | None, data: dict) -> Unit:
    require_admin(user)
    # Names and codes are unique inside the agency (another Sở may have its own "Văn phòng Sở").
    agency_id = unit.agency_id if unit is not None else user.agency_id
    _unique(Unit, "name", data["name"], unit.id if unit else None, "Tên đơn vị đã có.",
            Unit.agency_id == agency_id)
    _unique(Unit, "code", data["code"], unit.id if unit else None, "Mã đơn vị đã có.",
            Unit.agency_id == agency_id)
    if data.get("parent_id") and not access.unit_in_agency(user, data["parent_id"]):
        raise Duplicate("parent_id", "Đơn vị cấp trên phải thuộc cùng cơ quan.")
    if unit is None:
        unit = Unit(agency_id=agency_id)
        db.session.add(unit)
    if data.get("parent_id") and unit.id and data["parent_id"] == unit.id:
        raise Duplicate("parent_id", "Đơn vị không thể trực thuộc chính nó.")
    for k in ("name", "code", "kind", "sort_order", "active"):
        setattr(unit, k, data[k])
    unit.parent_id = data.get("parent_id") or None
    db.session.commit()
    return unit


def list_users(q: str | None, unit_id: int | None, offset: int, limit: int,
               user: User | None = None) -> tuple[list[User], int]:
    base = select(User)
    if user is not None:
        base = base.where(access.agency_users_filter(user))
    if q:
        base = base.where(matches(User.search_folded, q))
    if unit_id:
        base = base.where(User.unit_id == unit_id)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    users = db.session.scalars(base.options(selectinload(User.unit)).order_by(User.username)
                               .offset(offset).limit(limit))
    return list(users), total


def get_user(user_id: int, admin: User) -> User:
    """A user of the administrator's agency (another agency's accounts are not found)."""
    u = db.session.get(User, user_id)
    if u is None or u.unit.agency_id != admin.agency_id:
        raise NotFound()
    return u


def save_user(admin: User, target: User | None, data: dict) -> User:
    require_admin(admin)
    _unique(User, "username", data["username"], target.id if target else None, "Tên đăng nhập đã có.")
    if not access.unit_in_agency(admin, data["unit_id"]):  # before a new row joins the session
        raise Duplicate("unit_id", "Chọn đơn vị thuộc cơ quan của bạn.")
    if target is None:
        if not data.get("password"):
            raise Duplicate("password", "Nhập mật khẩu cho tài khoản mới.")
        target = User(created_at=now())
        db.session.add(target)
    if target.id == admin.id and (not data["active"] or data["role"] != "admin"):
        raise Duplicate("role", "Không thể tự bỏ quyền quản trị hoặc khóa tài khoản của chính mình.")
    # A lock, a move or a new password ends the user's open sessions at once (on every server).
    reason = None
    if target.id is not None:
        if target.active and not data["active"]:
            reason = "disabled"
        elif (target.unit_id, target.role) != (data["unit_id"], data["role"]):
            reason = "moved"
        elif data.get("password"):
            reason = "password"
    data.setdefault("standing_approval", target.standing_approval if target.id is not None else False)
    fields = ("username", "full_name", "title", "email", "unit_id", "role", "active", "standing_approval")
    changes = {k: [getattr(target, k), data[k]] for k in fields
               if target.id is None or getattr(target, k) != data[k]}
    for k in fields:
        setattr(target, k, data[k])
    if data.get("password"):
        from app.auth.security import check_policy
        problems = check_policy(data["password"], username=data["username"], full_name=data["full_name"])
        if problems:
            db.session.rollback()
            raise Duplicate("password", " ".join(problems))
        target.password_hash = hash_password(data["password"])
        # A password the admin typed is known to two people: the user replaces it at first login.
        target.must_change_password = True
        changes["password"] = ["***", "***"]
    created = target.id is None
    db.session.flush()
    audit.record("user_changed", f"{'Tạo' if created else 'Sửa'} người dùng {target.username}"
                 + (f": {', '.join(changes)}" if changes and not created else ""),
                 actor=admin, object_type="user", object_id=target.id, detail=changes, commit=False)
    audit.mark_recorded()
    db.session.commit()
    if reason:
        sessions.end_all(target.id, reason)
    return target


def end_sessions(admin: User, target: User) -> int:
    require_admin(admin)
    return sessions.end_all(target.id, "admin", keep_current=target.id == admin.id)


# ---- directory group mappings ------------------------------------------------------------

# The directory is the province's; each agency's administrator maps groups to the units of
# their own agency and sees only those rules (a group DN is still mapped once province-wide).

def list_mappings(admin: User) -> list[DirectoryMapping]:
    return list(db.session.scalars(
        select(DirectoryMapping).options(selectinload(DirectoryMapping.unit))
        .where(DirectoryMapping.unit_id.in_(access.agency_unit_ids(admin)))
        .order_by(DirectoryMapping.priority, DirectoryMapping.id)))


def get_mapping(mapping_id: int, admin: User) -> DirectoryMapping:
    m = db.session.get(DirectoryMapping, mapping_id)
    if m is None or not access.unit_in_agency(admin, m.unit_id):
        raise NotFound()
    return m


def save_mapping(admin: User, mapping: DirectoryMapping | None, data: dict) -> DirectoryMapping:
    """Create or change a group mapping; the group DN is kept as typed and compared without case."""
    require_admin(admin)
    if not access.unit_in_agency(admin, data["unit_id"]):
        raise Forbidden("Chỉ gán nhóm vào đơn vị của cơ quan mình.")
    from app.auth.directory import normalise_dn
    dn = data["group_dn"].strip()
    others = db.session.scalars(select(DirectoryMapping).where(
        DirectoryMapping.id != (mapping.id if mapping else 0)))
    if any(normalise_dn(o.group_dn) == normalise_dn(dn) for o in others):
        raise Duplicate("group_dn", "Nhóm này đã được gán. Mỗi nhóm chỉ gán một lần trong toàn tỉnh.")
    if mapping is None:
        mapping = DirectoryMapping(created_at=now())
        db.session.add(mapping)
    mapping.group_dn = dn
    for k in ("unit_id", "role", "priority", "active"):
        setattr(mapping, k, data[k])
    mapping.title = data.get("title") or None
    mapping.updated_at = now()
    db.session.commit()
    return mapping


def delete_mapping(admin: User, mapping: DirectoryMapping) -> None:
    require_admin(admin)
    db.session.delete(mapping)
    db.session.commit()
