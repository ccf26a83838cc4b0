"""Signing certificates (PKCS#12 files, the passphrase only named) and the trust material the
verification page checks against (root CA certificates, CRLs), configured by the admin."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import now
from app.extensions import db
from app.models.agency import Agency
from app.models.org import User


class SigningCertificate(db.Model):
    """A certificate an agency (its seal) or a user (a leader) signs with. The private key stays
    in the PKCS#12 file under instance/secrets; its passphrase is never stored here, only where
    to find it: `passphrase_ref` names an environment variable (`env:NAME`) or a key of the
    secrets file (`file:KEY`)."""
    __tablename__ = "signing_certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(100))
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    fingerprint: Mapped[str] = mapped_column(String(100))   # SHA-256, hex
    p12_path: Mapped[str] = mapped_column(String(500))
    passphrase_ref: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)

    agency: Mapped[Agency] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class TrustMaterial(db.Model):
    """A trusted root CA certificate (kind "root") or a CRL (kind "crl"), DER bytes. Per
    deployment: every agency verifies against the same roots."""
    __tablename__ = "trust_materials"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)
    label: Mapped[str] = mapped_column(String(500))
    der: Mapped[bytes] = mapped_column(LargeBinary)
    not_after: Mapped[datetime | None]      # a root's expiry, a CRL's next update
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
