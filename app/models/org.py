"""Organisation: units (data, not code) and the people who log in."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.folded import folded
from app.models.agency import Agency, default_unit_agency

UNIT_KINDS = {
    "leadership": "Lãnh đạo Sở",
    "office": "Văn phòng Sở",
    "division": "Phòng chuyên môn",
    "affiliate": "Đơn vị trực thuộc",
    "local": "Địa phương (huyện/xã)",
}

ROLES = {
    "admin": "Quản trị",
    "leader": "Lãnh đạo Sở",
    "office": "Văn phòng Sở (đầu mối KSTT)",
    "head": "Trưởng phòng / Thủ trưởng đơn vị",
    "staff": "Chuyên viên",
    "local": "Đầu mối địa phương (huyện/xã)",
}


class Unit(db.Model):
    __tablename__ = "units"
    # Names and codes are unique inside an agency (two Sở may each have a "Văn phòng Sở").
    __table_args__ = (UniqueConstraint("agency_id", "name", name="uq_units_agency_name"),
                      UniqueConstraint("agency_id", "code", name="uq_units_agency_code"))
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True,
                                           default=default_unit_agency)
    name: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=100)

    agency: Mapped[Agency] = relationship()
    parent: Mapped[Unit | None] = relationship(remote_side=[id])
    users: Mapped[list[User]] = relationship(back_populates="unit")

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)

    def __repr__(self) -> str:  # pragma: no cover
        return f"<Unit {self.code}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    search_folded: Mapped[str] = folded("username", "full_name")  # the user list's search box
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(120))  # Giám đốc, Phó Giám đốc, ...
    # A deputy (Phó trưởng phòng, Phó Giám đốc) the admin gives standing approval rights: the
    # unit head's approval in their unit, or the leader's in a leadership unit (no end date).
    standing_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # "local": the portal checks the password; "directory": the province's directory does
    # (app/auth/directory.py) and the unit, role and name follow the directory at each login.
    auth_source: Mapped[str] = mapped_column(String(20), default="local", server_default="local")
    directory_dn: Mapped[str | None] = mapped_column(String(500))
    # Set for an initial or reset password: nothing else opens until the user changes it.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Second factor (TOTP, RFC 6238): the shared secret, and since when it is required at login.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(back_populates="users")

    @property
    def agency_id(self) -> int:
        """Users belong to an agency through their unit."""
        return self.unit.agency_id

    @property
    def agency(self) -> Agency:
        return self.unit.agency

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.active

    @property
    def role_label(self) -> str:
        """The role as this user's agency names it: "Lãnh đạo UBND tỉnh", "Văn phòng UBND xã"."""
        kind = self.unit.agency.kind if self.unit is not None and self.unit.agency is not None else "department"
        return AGENCY_ROLES.get((kind, self.role)) or ROLES.get(self.role, self.role)


# Where an agency's kind names a role otherwise than a Sở does.
AGENCY_ROLES = {
    ("province", "leader"): "Lãnh đạo UBND tỉnh",
    ("province", "office"): "Văn phòng UBND tỉnh (đầu mối KSTT)",
    ("commune", "leader"): "Lãnh đạo UBND xã, phường",
    ("commune", "office"): "Văn phòng UBND xã, phường (đầu mối KSTT)",
    ("district", "leader"): "Lãnh đạo UBND huyện",
    ("district", "office"): "Văn phòng UBND huyện (đầu mối KSTT)",
}


AUTH_SOURCES = {"local": "Tài khoản nội bộ", "directory": "Thư mục (LDAP/AD)"}


class DirectoryMapping(db.Model):
    """A directory group that gives its members a unit and a role in the portal (data an admin
    edits, not code). A user in several mapped groups gets the lowest `priority` number."""
    __tablename__ = "directory_mappings"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_dn: Mapped[str] = mapped_column(String(500), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(120))  # overrides the directory's title
    priority: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    unit: Mapped[Unit] = relationship()

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


class RecoveryCode(db.Model):
    """One-time codes that stand in for the authenticator (a lost phone); only hashes are kept."""
    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=now)
    used_at: Mapped[datetime | None]


class UserSession(db.Model):
    """One row per login: the browser's signed cookie holds only a random token whose hash is
    `token_hash`, so ending a session here (logout, an admin, a role change) refuses that cookie's
    next request on every app server."""
    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "ended_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """Every login attempt, kept in the database so rate limits hold across app servers."""
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_created", "username", "created_at"),
                      Index("ix_login_attempts_ip_created", "ip", "created_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    ip: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=now)


def viewer_agency_id(user: User) -> int | None:
    """The agency a user looks from (their unit's): its units are named, others' by agency."""
    return user.unit.agency_id if user.unit is not None else None


def unit_label(user: User):
    """A unit as this user names it, for a query that joins Agency on Unit.agency_id: its own
    name inside the user's agency, the agency's name outside it (a province task led by the
    "Văn phòng Sở" of two Sở reads "Sở Tư pháp", "Sở Y tế")."""
    from sqlalchemy import case
    return case((Unit.agency_id == viewer_agency_id(user), Unit.name), else_=Agency.short_name)

