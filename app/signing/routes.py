"""Kiểm tra chữ ký số (anyone logged in) and the admin's certificates and trust roots."""
from __future__ import annotations

from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required

from app import access
from app.signing import services
from app.web import go, page

bp = Blueprint("signing", __name__)


@bp.record_once
def _install_hook(state):
    # Issuing (the jobs helper's PDF rendering) calls this to sign an issued plan's or report's PDF.
    state.app.extensions["pdf_signer"] = services.sign_document


def _verify_page(reports=None, error=None, filename=None, status=200):
    return page("signing/verify.html", status=status, reports=reports, error=error, filename=filename,
                has_roots=any(t.kind == "root" for t in services.list_trust()))


@bp.get("/signatures/verify")
@login_required
def verify():
    return _verify_page()


@bp.post("/signatures/verify")
@login_required
def verify_upload():
    f = request.files.get("file")
    name = (f.filename or "") if f else ""
    data = f.read() if f else b""
    try:
        reports = services.verify_upload(current_user, name, data)
    except services.SigningError as e:
        return _verify_page(error=e.message, filename=name, status=400)
    return _verify_page(reports, filename=name)


def _admin_page(errors=None, typed=None, status=200):
    return page("signing/admin.html", status=status, certs=services.list_certificates(current_user),
                trust=services.list_trust(), signers=services.signers_of_agency(current_user),
                errors=errors or {}, typed=typed or {}, now=services.real_now())


@bp.get("/admin/signing")
@login_required
def admin():
    if not access.can_manage_certificates(current_user):
        abort(403)
    return _admin_page()


@bp.post("/admin/signing/certificates")
@login_required
def add_certificate():
    if not access.can_manage_certificates(current_user):
        abort(403)
    typed = {k: (request.form.get(k) or "").strip() for k in ("label", "owner", "passphrase_ref")}
    f = request.files.get("file")
    try:
        owner = int(typed["owner"]) if typed["owner"] else None
    except ValueError:
        owner = -1
    try:
        row = services.register_certificate(current_user, label=typed["label"], owner_user_id=owner,
                                            filename=(f.filename or "") if f else "", data=f.read() if f else b"",
                                            passphrase_ref=typed["passphrase_ref"])
    except services.SigningError as e:
        return _admin_page({e.field or "file": e.message}, typed, 400)
    flash(f"Đã đăng ký chứng thư số “{row.label}”.", "success")
    return go("signing.admin")


@bp.post("/admin/signing/certificates/<int:cert_id>/deactivate")
@login_required
def deactivate_certificate(cert_id: int):
    row = services.get_certificate(current_user, cert_id)
    try:
        services.deactivate_certificate(current_user, row)
    except services.SigningError as e:
        return _admin_page({"list": e.message}, status=409)
    flash(f"Đã ngừng dùng chứng thư số “{row.label}”.", "success")
    return go("signing.admin")


@bp.post("/admin/signing/trust")
@login_required
def add_trust():
    if not access.can_manage_certificates(current_user):
        abort(403)
    kind = request.form.get("kind") or ""
    f = request.files.get("trust_file")
    try:
        row = services.add_trust(current_user, kind, (f.filename or "") if f else "", f.read() if f else b"")
    except services.SigningError as e:
        return _admin_page({e.field or "trust_file": e.message}, {"kind": kind}, 400)
    flash(f"Đã thêm {'chứng thư gốc tin cậy' if row.kind == 'root' else 'danh sách thu hồi'}: {row.label}.", "success")
    return go("signing.admin")
