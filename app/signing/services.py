"""Signing use cases: the admin registers certificates (PKCS#12 under instance/secrets, the
passphrase only referenced) and trust material (root CAs, CRLs); the issuing hook signs a PDF
with the issuing leader's and the agency's certificates; anyone logged in verifies a PDF."""
from __future__ import annotations

import hashlib
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import abort, current_app
from sqlalchemy import select

from app import access
from app.clock import now
from app.extensions import db
from app.models import Agency, PlanEvent, ReportEvent, User
from app.models.signing import SigningCertificate, TrustMaterial
from app.signing import pdf as pdfsign

log = logging.getLogger("portal.signing")
REF_PREFIXES = ("env:", "file:")


class SigningError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---- passphrases: never in the database ---------------------------------------------------------

def resolve_passphrase(ref: str) -> bytes | None:
    """`env:NAME` reads the environment variable NAME; `file:KEY` the line KEY=value of the
    secrets file (SIGNING_SECRETS_FILE). None when it is not there."""
    ref = (ref or "").strip()
    if ref.startswith("env:"):
        value = os.environ.get(ref[4:])
        return value.encode() if value is not None else None
    if ref.startswith("file:"):
        path = Path(current_app.config["SIGNING_SECRETS_FILE"])
        if not path.is_file():
            return None
        for line in path.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() == ref[5:]:
                return value.strip().encode()
    return None


def _valid_ref(ref: str) -> bool:
    name = ref.split(":", 1)[1] if ":" in ref else ""
    return ref.startswith(REF_PREFIXES) and bool(name) and all(c.isalnum() or c in "_-." for c in name)


# ---- certificates ------------------------------------------------------------------------------

def _name(n: x509.Name) -> str:
    return n.rfc4514_string()[:500]


def register_certificate(admin: User, *, label: str, owner_user_id: int | None, filename: str,
                         data: bytes, passphrase_ref: str) -> SigningCertificate:
    if not access.can_manage_certificates(admin):
        abort(403)
    label = (label or "").strip()
    if not label:
        raise SigningError("Nhập tên gợi nhớ của chứng thư số.", "label")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in ("p12", "pfx"):
        raise SigningError("Chỉ nhận tệp PKCS#12 (.p12 hoặc .pfx).", "file")
    if not data or len(data) > current_app.config["SIGNING_MAX_P12_KB"] * 1024:
        raise SigningError(f"Tệp PKCS#12 rỗng hoặc lớn quá {current_app.config['SIGNING_MAX_P12_KB']} KB.", "file")
    ref = (passphrase_ref or "").strip()
    if not _valid_ref(ref):
        raise SigningError("Nơi giữ mật khẩu phải có dạng env:TEN_BIEN hoặc file:KHOA "
                           "(mật khẩu không được lưu trong cơ sở dữ liệu).", "passphrase_ref")
    passphrase = resolve_passphrase(ref)
    if passphrase is None:
        raise SigningError(f"Không tìm thấy mật khẩu theo “{ref}” trên máy chủ: đặt biến môi trường hoặc "
                           "dòng trong tệp bí mật trước khi đăng ký.", "passphrase_ref")
    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError:
        raise SigningError("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.", "file") from None
    if key is None or cert is None:
        raise SigningError("Tệp PKCS#12 phải chứa cả khóa bí mật và chứng thư số.", "file")
    if owner_user_id is not None:
        owner = db.session.get(User, owner_user_id)
        if owner is None or not access.same_agency(admin, owner.agency_id):
            raise SigningError("Chọn người ký thuộc cơ quan của bạn.", "owner")
    fingerprint = hashlib.sha256(cert.public_bytes(_der())).hexdigest()
    folder = Path(current_app.config["SIGNING_SECRETS_DIR"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{fingerprint[:32]}-{int(now().timestamp())}.p12"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    row = SigningCertificate(agency_id=admin.agency_id, user_id=owner_user_id, label=label[:255],
                             subject=_name(cert.subject), issuer=_name(cert.issuer), serial=format(cert.serial_number, "x"),
                             not_before=cert.not_valid_before_utc.replace(tzinfo=None),
                             not_after=cert.not_valid_after_utc.replace(tzinfo=None), fingerprint=fingerprint,
                             p12_path=str(path), passphrase_ref=ref, created_by_id=admin.id, created_at=now())
    db.session.add(row)
    db.session.commit()
    return row


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding
    return Encoding.DER


def list_certificates(admin: User) -> list[SigningCertificate]:
    if not access.can_manage_certificates(admin):
        abort(403)
    from sqlalchemy.orm import selectinload
    return list(db.session.scalars(select(SigningCertificate).where(SigningCertificate.agency_id == admin.agency_id)
                                   .options(selectinload(SigningCertificate.user))
                                   .order_by(SigningCertificate.active.desc(), SigningCertificate.not_after.desc())))


def get_certificate(admin: User, cert_id: int) -> SigningCertificate:
    row = db.session.get(SigningCertificate, cert_id)
    if row is None or not access.can_manage_certificates(admin) or not access.same_agency(admin, row.agency_id):
        abort(404)
    return row


def deactivate_certificate(admin: User, row: SigningCertificate) -> None:
    if not row.active:
        raise SigningError("Chứng thư số này đã ngừng dùng.")
    row.active = False
    db.session.commit()


def signers_of_agency(admin: User) -> list[User]:
    return list(db.session.scalars(select(User).where(access.agency_users_filter(admin), User.active.is_(True),
                                                     User.role.in_(("leader", "office", "admin")))
                                   .order_by(User.full_name)))


def real_now() -> datetime:
    """Certificates live in real time (the signature's time is the system's), never in the
    portal's pinned demo day."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _usable(agency_id: int, user_id: int | None) -> SigningCertificate | None:
    t = real_now()
    q = select(SigningCertificate).where(SigningCertificate.agency_id == agency_id, SigningCertificate.active.is_(True),
                                         SigningCertificate.not_before <= t, SigningCertificate.not_after > t)
    q = q.where(SigningCertificate.user_id == user_id) if user_id is not None else q.where(SigningCertificate.user_id.is_(None))
    return db.session.scalar(q.order_by(SigningCertificate.not_after.desc()).limit(1))


def load_signer(row: SigningCertificate):
    passphrase = resolve_passphrase(row.passphrase_ref)
    if passphrase is None:
        raise SigningError(f"Thiếu mật khẩu của chứng thư số “{row.label}” ({row.passphrase_ref}).")
    return pdfsign.load_pkcs12(Path(row.p12_path).read_bytes(), passphrase)


# ---- the issuing hook ----------------------------------------------------------------------

def issuing_leader(kind: str, document) -> User | None:
    """Who approved the issue: the actor of the "issue" event (else the report's signer)."""
    event = PlanEvent if kind == "plan" else ReportEvent
    fk = PlanEvent.plan_id if kind == "plan" else ReportEvent.report_id
    actor = db.session.scalar(select(User).join(event, event.actor_id == User.id).where(
        fk == document.id, event.action == "issue").order_by(event.created_at.desc()).limit(1))
    if actor is None and getattr(document, "signer_id", None):
        actor = db.session.get(User, document.signer_id)
    return actor


def sign_document(pdf_bytes: bytes, kind: str, document) -> bytes:
    """app.extensions["pdf_signer"]: the issued plan's or report's PDF signed by its issuing
    leader and its agency, with the certificates the admin configured. Without either
    certificate the PDF is returned as it is (and the log says so)."""
    leader = issuing_leader(kind, document)
    agency = db.session.get(Agency, document.agency_id)
    leader_row = _usable(document.agency_id, leader.id) if leader is not None else None
    agency_row = _usable(document.agency_id, None)
    if leader_row is None and agency_row is None:
        log.info("%s %s: no signing certificate for the leader or the agency; PDF left unsigned", kind, document.id)
        return pdf_bytes
    position = (leader.title or leader.role_label) if leader is not None else ""
    return pdfsign.sign_pdf(pdf_bytes, signer_cert=load_signer(leader_row) if leader_row else None,
                            agency_cert=load_signer(agency_row) if agency_row else None,
                            signer_name=leader.full_name if leader else "", position=position,
                            when=datetime.now(timezone.utc), agency_name=agency.name if agency else "")


# ---- trust material and verification ------------------------------------------------------------

def add_trust(admin: User, kind: str, filename: str, data: bytes) -> TrustMaterial:
    if not access.can_manage_certificates(admin):
        abort(403)
    if kind not in ("root", "crl"):
        raise SigningError("Chọn loại: chứng thư gốc hoặc danh sách thu hồi (CRL).", "kind")
    if not data or len(data) > 1024 * 1024:
        raise SigningError("Tệp rỗng hoặc lớn quá 1 MB.", "trust_file")
    try:
        if kind == "root":
            cert = pdfsign.load_certificate(data)
            label, until, der = cert.subject.human_friendly, cert["tbs_certificate"]["validity"]["not_after"].native, cert.dump()
        else:
            crl = pdfsign.load_crl(data)
            label = "CRL: " + crl.issuer.human_friendly
            until, der = crl["tbs_cert_list"]["next_update"].native, crl.dump()
    except Exception:
        raise SigningError("Tệp không phải " + ("chứng thư số X.509 (PEM/DER)." if kind == "root"
                                                  else "danh sách thu hồi CRL (PEM/DER)."), "trust_file") from None
    row = TrustMaterial(kind=kind, label=label[:500], der=der,
                        not_after=until.astimezone(timezone.utc).replace(tzinfo=None) if until else None,
                        created_by_id=admin.id, created_at=now())
    db.session.add(row)
    db.session.commit()
    return row


def list_trust() -> list[TrustMaterial]:
    return list(db.session.scalars(select(TrustMaterial).order_by(TrustMaterial.kind.desc(), TrustMaterial.created_at)))


def verify_upload(user: User, filename: str, data: bytes) -> list[pdfsign.SignatureReport]:
    if not access.can_verify_signatures(user):
        abort(403)
    limit = current_app.config["VERIFY_MAX_PDF_MB"] * 1024 * 1024
    if not data:
        raise SigningError("Chọn tệp PDF đã ký số.", "file")
    if len(data) > limit:
        raise SigningError(f"Tệp lớn quá {current_app.config['VERIFY_MAX_PDF_MB']} MB.", "file")
    if not filename.lower().endswith(".pdf") or not data.startswith(b"%PDF"):
        raise SigningError("Tệp không phải PDF (phần đầu tệp không phải %PDF).", "file")
    rows = list_trust()
    try:
        reports = pdfsign.verify_pdf(data, trust_roots=[r.der for r in rows if r.kind == "root"],
                                     crls=[r.der for r in rows if r.kind == "crl"])
    except Exception:
        log.exception("verification of %s failed", filename)
        raise SigningError("Không đọc được cấu trúc tệp PDF.", "file") from None
    if not reports:
        raise SigningError("Tệp PDF không có chữ ký số nào.", "file")
    return reports
