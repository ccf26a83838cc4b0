"""PAdES signing and verification with a throwaway PKI (tests/signing/pki.py): valid, tampered,
changed by a later update, expired, revoked (CRL), untrusted; the issuing hook; the pages."""
from __future__ import annotations

import io
import os
import stat
from datetime import datetime, timezone

import pytest

from app.extensions import db
from app.models.signing import SigningCertificate, TrustMaterial
from app.reports import services as reports
from app.signing import pdf as pdfsign
from tests.signing.pki import PASSPHRASE, make_pki, small_pdf

WHEN = datetime(2022, 6, 8, 2, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture(scope="module")
def signed(pki):
    return pdfsign.sign_pdf(small_pdf(), signer_cert=pki.leader.signer([pki.ca.cert]),
                            agency_cert=pki.agency.signer([pki.ca.cert]), signer_name="Hoàng Văn Giám",
                            position="Giám đốc", when=WHEN, agency_name="Sở LĐ-TB&XH Lạng Sơn")


def _verify(pki, data, crl=True, roots=None):
    return pdfsign.verify_pdf(data, trust_roots=roots or [pki.ca.der], crls=[pki.crl] if crl else [])


# ---- the signing module ------------------------------------------------------------------------

def test_leader_then_agency_signature_both_valid(pki, signed):
    reports_ = _verify(pki, signed)
    assert [(r.field, r.signer, r.verdict) for r in reports_] == [
        ("ChuKyLanhDao", "Hoàng Văn Giám", "valid"),
        ("ChuKyCoQuan", "Sở Lao động - Thương binh và Xã hội Lạng Sơn", "valid")]
    leader, agency = reports_
    assert leader.intact and leader.trusted and not leader.modified and not leader.covers_whole_file
    assert agency.covers_whole_file    # the agency signs last, over the leader's signature
    assert leader.verdict_label == "Hợp lệ" and leader.signing_time is not None


def test_signing_and_checking_inside_a_running_event_loop(pki):
    """pyHanko's sync calls use asyncio.run(): from a thread whose loop runs, they go to a thread.
    The loop runs in a thread of its own here (this thread may already have one, Playwright's)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        asyncio.get_running_loop()
        out = pdfsign.sign_pdf(small_pdf(), signer_cert=pki.leader.signer([pki.ca.cert]), agency_cert=None,
                               signer_name="Hoàng Văn Giám", position="Giám đốc", when=WHEN)
        return _verify(pki, out)
    with ThreadPoolExecutor(max_workers=1) as pool:
        verdicts = pool.submit(lambda: asyncio.run(inside())).result()
    assert [r.verdict for r in verdicts] == ["valid"]


def test_visible_box_bottom_right_of_last_page(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    x1, y1, x2, y2 = (float(v) for v in sig.sig_field["/Rect"])
    assert x1 > 595 / 2 and x2 <= 595 - 40 and y2 < 842 / 4   # right half, above the bottom margin
    ap_obj = sig.sig_field["/AP"]["/N"].get_object()
    ap = ap_obj.data
    if pdfsign._font_factory() is None:   # base font: the text is readable in the stream
        assert b"Hoang Van Giam" in ap and b"Giam doc" in ap
        assert b"09\\07230 08\\05706\\0572022" in ap    # 09:30 08/06/2022, Vietnam time (UTC+7)
    else:   # an embedded TrueType font carries the Vietnamese letters (pyHanko's opentype extra)
        fonts = [f.get_object() for f in _font_dicts(ap_obj)]
        assert fonts and all(f["/Subtype"] == "/Type0" for f in fonts)
        assert any("Serif" in str(f["/BaseFont"]) for f in fonts)
        cmap = b"".join(f["/ToUnicode"].get_object().data for f in fonts)
        # "Hoàng Văn Giám, Giám đốc": the glyphs map back to à, ă, á, đ, ố
        for code in (b"00E0", b"0103", b"00E1", b"0111", b"1ED1"):
            assert code in cmap.upper()


def _font_dicts(xobj):
    res = xobj.get("/Resources")
    found = list(res.get("/Font", {}).values()) if res is not None and "/Font" in res else []
    if res is not None and "/XObject" in res:
        for sub in res["/XObject"].values():
            found += _font_dicts(sub.get_object())
    return found


def test_tampered_bytes_are_shown_as_changed(pki, signed):
    bad = bytearray(signed)
    i = bad.find(b"BAO CAO")
    bad[i:i + 3] = b"XAO"
    verdicts = {r.verdict for r in _verify(pki, bytes(bad))}
    assert verdicts == {"changed"}
    assert all(r.verdict_label == "Văn bản đã bị sửa sau khi ký" for r in _verify(pki, bytes(bad)))


def test_page_changed_by_a_later_update_is_shown_as_changed(pki, signed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref = w.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page["/Contents"] = w.add_object(generic.StreamObject(stream_data=b"BT /F1 14 Tf 100 700 Td (SUA) Tj ET"))
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    leader, agency = _verify(pki, out.getvalue())
    assert leader.verdict == agency.verdict == "changed" and leader.modified


def test_expired_certificate(pki):
    data = pdfsign.sign_pdf(small_pdf(), signer_cert=pki.expired.signer([pki.ca.cert]), agency_cert=None,
                            signer_name="Trần Thị Hết Hạn", position="Phó Giám đốc", when=WHEN)
    [r] = _verify(pki, data)
    assert (r.verdict, r.verdict_label, r.expired, r.modified) == ("expired", "Chứng thư số đã hết hạn", True, False)


def test_revoked_certificate_by_the_ca_crl(pki):
    data = pdfsign.sign_pdf(small_pdf(), signer_cert=pki.revoked.signer([pki.ca.cert]), agency_cert=None,
                            signer_name="Nguyễn Văn Thu Hồi", position="Giám đốc", when=WHEN)
    [r] = _verify(pki, data)
    assert (r.verdict, r.verdict_label, r.revoked) == ("revoked", "Chứng thư số đã bị thu hồi", True)
    [without_crl] = _verify(pki, data, crl=False)   # no CRL supplied: not known as revoked
    assert without_crl.verdict == "valid"


def test_unknown_root(pki, signed):
    verdicts = [r.verdict_label for r in _verify(pki, signed, roots=[pki.other_ca.der])]
    assert verdicts == ["Không xác định được nguồn tin cậy"] * 2


# ---- certificates, the hook --------------------------------------------------------------------

def _register_cert(app, admin, issued, chain, label, owner=None, monkeypatch=None):
    from app.signing import services
    monkeypatch.setenv("KSTT_TEST_P12", PASSPHRASE.decode())
    return services.register_certificate(admin, label=label, owner_user_id=owner, filename="chu-ky.p12",
                                         data=issued.p12(chain), passphrase_ref="env:KSTT_TEST_P12")


def test_hook_signs_issued_report_with_leader_and_agency(app, world, pki, monkeypatch, tmp_path):
    app.config["SIGNING_SECRETS_DIR"] = str(tmp_path / "secrets")
    r = reports.open_report(world.office_user, "quarter", 2022, 2)
    reports.transition(world.office_user, r, "submit")
    reports.transition(world.leader, r, "issue", confirm_gaps=True)
    hook = app.extensions["pdf_signer"]
    pdf = small_pdf()
    assert hook(pdf, "report", r) == pdf     # no certificate yet: left unsigned
    leader_cert = _register_cert(app, world.admin, pki.leader, [pki.ca.cert], "Giám đốc", world.leader.id, monkeypatch)
    _register_cert(app, world.admin, pki.agency, [pki.ca.cert], "Cơ quan", None, monkeypatch)
    assert stat.S_IMODE(os.stat(leader_cert.p12_path).st_mode) == 0o600
    assert leader_cert.passphrase_ref == "env:KSTT_TEST_P12"
    row = db.session.execute(db.select(SigningCertificate.__table__)).first()
    assert PASSPHRASE.decode() not in " ".join(str(v) for v in row)   # never in the database
    out = hook(pdf, "report", r)
    checked = _verify(pki, out)
    assert [(x.signer, x.verdict) for x in checked] == [
        ("Hoàng Văn Giám", "valid"), ("Sở Lao động - Thương binh và Xã hội Lạng Sơn", "valid")]


# ---- pages -------------------------------------------------------------------------------------

def test_admin_registers_certificate_with_checks(app, world, pki, as_user, monkeypatch, tmp_path):
    app.config["SIGNING_SECRETS_DIR"] = str(tmp_path / "secrets")
    monkeypatch.setenv("KSTT_P12_GD", PASSPHRASE.decode())
    c = as_user(world.admin)
    assert "Chữ ký số" in c.get("/admin/signing").get_data(as_text=True)

    def post(**kw):
        data = {"label": "Chữ ký Giám đốc", "owner": str(world.leader.id), "passphrase_ref": "env:KSTT_P12_GD",
                "file": (io.BytesIO(pki.leader.p12([pki.ca.cert])), "giamdoc.p12")}
        data.update(kw)
        return c.post("/admin/signing/certificates", data=data, content_type="multipart/form-data")

    r = post(file=(io.BytesIO(b"%PDF-1.4"), "giamdoc.pdf"))
    assert r.status_code == 400 and "Chỉ nhận tệp PKCS#12" in r.get_data(as_text=True)
    r = post(passphrase_ref="Matkhau123")
    assert r.status_code == 400 and "env:TEN_BIEN" in r.get_data(as_text=True) and 'value="Chữ ký Giám đốc"' in r.get_data(as_text=True)
    r = post(passphrase_ref="env:KHONG_CO")
    assert r.status_code == 400 and "Không tìm thấy mật khẩu" in r.get_data(as_text=True)
    monkeypatch.setenv("KSTT_SAI", "sai-mat-khau")
    r = post(passphrase_ref="env:KSTT_SAI")
    assert r.status_code == 400 and "sai mật khẩu" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(SigningCertificate)) == 0
    assert post().status_code == 302
    cert = db.session.scalar(db.select(SigningCertificate))
    assert (cert.user_id, cert.agency_id, "Hoàng Văn Giám" in cert.subject) == (world.leader.id, world.agency.id, True)
    page = c.get("/admin/signing").get_data(as_text=True)
    assert "Chữ ký Giám đốc" in page and "env:KSTT_P12_GD" in page
    assert c.post(f"/admin/signing/certificates/{cert.id}/deactivate").status_code == 302
    db.session.refresh(cert)
    assert cert.active is False
    assert as_user(world.office_user).get("/admin/signing").status_code == 403


def test_admin_uploads_trust_roots_and_crls(world, pki, as_user):
    c = as_user(world.admin)
    r = c.post("/admin/signing/trust", data={"kind": "root", "trust_file": (io.BytesIO(b"not a cert"), "ca.pem")},
               content_type="multipart/form-data")
    assert r.status_code == 400 and "không phải chứng thư số X.509" in r.get_data(as_text=True)
    assert c.post("/admin/signing/trust", data={"kind": "root", "trust_file": (io.BytesIO(pki.ca.pem), "ca.pem")},
                  content_type="multipart/form-data").status_code == 302
    assert c.post("/admin/signing/trust", data={"kind": "crl", "trust_file": (io.BytesIO(pki.crl), "ca.crl")},
                  content_type="multipart/form-data").status_code == 302
    kinds = sorted(t.kind for t in db.session.scalars(db.select(TrustMaterial)))
    assert kinds == ["crl", "root"]


def test_verification_page_verdicts(world, pki, signed, as_user):
    db.session.add_all([TrustMaterial(kind="root", label="CA", der=pki.ca.der),
                        TrustMaterial(kind="crl", label="CRL", der=pki.crl)])
    db.session.commit()
    c = as_user(world.staff_a)   # anyone logged in

    def check(data, name="van-ban.pdf"):
        return c.post("/signatures/verify", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    assert "Kiểm tra chữ ký số" in c.get("/signatures/verify").get_data(as_text=True)
    body = check(signed).get_data(as_text=True)
    assert body.count("Hợp lệ") == 2 and "Hoàng Văn Giám" in body
    bad = bytearray(signed)
    i = bad.find(b"BAO CAO")
    bad[i:i + 3] = b"XAO"
    assert "Văn bản đã bị sửa sau khi ký" in check(bytes(bad)).get_data(as_text=True)
    expired = pdfsign.sign_pdf(small_pdf(), signer_cert=pki.expired.signer([pki.ca.cert]), agency_cert=None,
                               signer_name="X", position="Y", when=WHEN)
    assert "Chứng thư số đã hết hạn" in check(expired).get_data(as_text=True)
    revoked = pdfsign.sign_pdf(small_pdf(), signer_cert=pki.revoked.signer([pki.ca.cert]), agency_cert=None,
                               signer_name="X", position="Y", when=WHEN)
    assert "Chứng thư số đã bị thu hồi" in check(revoked).get_data(as_text=True)
    r = check(b"MZ\x90\x00 not a pdf", "van-ban.pdf")
    assert r.status_code == 400 and "không phải PDF" in r.get_data(as_text=True)
    r = check(small_pdf())
    assert r.status_code == 400 and "không có chữ ký số" in r.get_data(as_text=True)
    r = c.post("/signatures/verify", data={}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Chọn tệp PDF" in r.get_data(as_text=True)


def test_verification_without_trust_roots_says_unknown_source(world, signed, as_user):
    body = as_user(world.leader).post("/signatures/verify", data={"file": (io.BytesIO(signed), "a.pdf")},
                                      content_type="multipart/form-data").get_data(as_text=True)
    assert "Không xác định được nguồn tin cậy" in body and "chưa khai báo chứng thư gốc" in body
