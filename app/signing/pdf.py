"""PAdES signing and validation with pyHanko, no Flask: the signer's visible signature where
Nghị định 30/2020 puts the signature block, then the agency's (a second incremental update);
and a verdict per signature for the verification page."""
from __future__ import annotations

import asyncio
import functools
import io
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

from asn1crypto import crl as asn1_crl
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

VERDICTS = {
    "valid": "Hợp lệ",
    "changed": "Văn bản đã bị sửa sau khi ký",
    "expired": "Chứng thư số đã hết hạn",
    "revoked": "Chứng thư số đã bị thu hồi",
    "untrusted": "Không xác định được nguồn tin cậy",
    "invalid": "Chữ ký không hợp lệ",
}

# Vietnamese glyphs need an embedded TrueType font: pyHanko does that with its "opentype"
# extra (fontTools, uharfbuzz). Without it the box falls back to the PDF base font, which has
# no Vietnamese letters, so the text is written without diacritics rather than as garbage.
FONT_FILES = ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _font_factory():
    try:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
        import fontTools  # noqa: F401
        import uharfbuzz  # noqa: F401
    except ImportError:
        return None
    import os
    for path in FONT_FILES:
        if os.path.exists(path):
            return GlyphAccumulatorFactory(path)
    return None


def plain(text: str) -> str:
    """Vietnamese without diacritics ("Giám đốc" -> "Giam doc") for the base font."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def load_pkcs12(data: bytes, passphrase: bytes | None) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    if signer is None:
        raise ValueError("Không đọc được tệp PKCS#12 (sai mật khẩu hoặc tệp hỏng).")
    return signer


def _last_page_box(pdf_bytes: bytes) -> tuple[int, float, float]:
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    count = int(reader.root["/Pages"]["/Count"])
    page = reader.find_page_for_modification(count - 1)[0].get_object()
    box = page.get("/MediaBox") or reader.root["/Pages"].get("/MediaBox") or [0, 0, 595, 842]
    return count - 1, float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def _sign_once(pdf_bytes: bytes, signer: signers.Signer, field_name: str, box: tuple, page: int,
               text: str, reason: str, name: str) -> bytes:
    font = _font_factory()
    style = TextStampStyle(stamp_text=text if font else plain(text), border_width=1,
                           text_box_style=TextBoxStyle(font=font, font_size=8) if font else TextBoxStyle(font_size=8))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field_name, reason=reason if font else plain(reason),
                                        name=name if font else plain(name), location=None,
                                        subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                   new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box))
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def _off_running_loop(fn):
    """pyHanko's synchronous calls run their coroutine with asyncio.run(), which refuses to
    start inside a thread whose event loop is already running (a caller that is itself async,
    or Playwright's sync API in the tests): there the call runs in a short-lived thread."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return fn(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(fn, *args, **kwargs).result()
    return call


@_off_running_loop
def sign_pdf(pdf_bytes: bytes, *, signer_cert: signers.Signer | None, agency_cert: signers.Signer | None,
             signer_name: str, position: str, when: datetime, agency_name: str = "") -> bytes:
    """The leader's visible signature (signer, position, time) at the bottom right of the last
    page, over the signature block ("KT./TM. ... chức vụ", Nghị định 30/2020, Phụ lục I), then
    the agency's, left of it and overlapping it, as the seal sits over the signature."""
    page, width, _height = _last_page_box(pdf_bytes)
    from app.domain.formatting import vn_datetime
    at = vn_datetime(when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when)  # Vietnam time
    right = width - 57   # 20 mm right margin
    if signer_cert is not None:
        pdf_bytes = _sign_once(pdf_bytes, signer_cert, "ChuKyLanhDao", (right - 200, 90, right, 160), page,
                               f"Ký bởi: {signer_name}\nChức vụ: {position}\nThời gian ký: {at}",
                               "Ký duyệt, ban hành", signer_name)
    if agency_cert is not None:
        pdf_bytes = _sign_once(pdf_bytes, agency_cert, "ChuKyCoQuan", (right - 290, 100, right - 150, 150), page,
                               f"{agency_name}\nThời gian ký: {at}", "Chữ ký số của cơ quan", agency_name)
    return pdf_bytes


# ---- validation ----------------------------------------------------------------------------

def load_certificate(data: bytes) -> asn1_x509.Certificate:
    """A certificate from PEM or DER bytes (ValueError if it is neither)."""
    if asn1_pem.detect(data):
        _, _, data = asn1_pem.unarmor(data)
    cert = asn1_x509.Certificate.load(data)
    cert.native  # parse now: a bad file fails here, not later
    return cert


def load_crl(data: bytes) -> asn1_crl.CertificateList:
    if asn1_pem.detect(data):
        _, _, data = asn1_pem.unarmor(data)
    crl = asn1_crl.CertificateList.load(data)
    crl.native
    return crl


@dataclass
class SignatureReport:
    field: str
    signer: str
    subject: str
    issuer: str
    signing_time: datetime | None
    intact: bool
    covers_whole_file: bool
    modified: bool
    trusted: bool
    revoked: bool
    expired: bool
    verdict: str                # key of VERDICTS
    problems: list[str] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"


@_off_running_loop
def verify_pdf(pdf_bytes: bytes, *, trust_roots: list, crls: list | None = None,
               moment: datetime | None = None) -> list[SignatureReport]:
    """Every signature of the PDF with its verdict. Trust: only `trust_roots` (certificates,
    DER/PEM bytes or asn1crypto objects); revocation from the given CRLs (no fetching: an
    intranet server may not reach the CA, and the admin uploads the CA's CRL); a certificate no
    CRL covers is checked softly (not refused for that alone)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    roots = [r if isinstance(r, asn1_x509.Certificate) else load_certificate(r) for r in trust_roots]
    lists = [c if isinstance(c, asn1_crl.CertificateList) else load_crl(c) for c in (crls or [])]
    reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
    out = []
    for emb in reader.embedded_signatures:
        vc = ValidationContext(trust_roots=roots, crls=lists, allow_fetching=False,
                               revocation_mode="soft-fail", moment=moment)
        try:
            status = validate_pdf_signature(emb, vc)
        except Exception as e:  # a malformed signature is a verdict, not a crash
            cert = emb.signer_cert
            out.append(SignatureReport(emb.field_name or "", _cn(cert), cert.subject.human_friendly if cert else "",
                                       cert.issuer.human_friendly if cert else "", None, False, False, True,
                                       False, False, False, "invalid", [str(e)]))
            continue
        cert = status.signing_cert
        indic = status.trust_problem_indic.name if status.trust_problem_indic else ""
        revoked = status.revoked or indic.startswith("REVOKED")
        expired = indic in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "NOT_YET_VALID")
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        level = status.modification_level
        # Later signatures and form filling are allowed updates; anything else changed the text.
        modified = not status.intact or (not whole and (level is None or level > ModificationLevel.FORM_FILLING))
        problems = []
        if not status.intact:
            problems.append("Nội dung không khớp với giá trị băm trong chữ ký.")
        if not status.valid:
            problems.append("Chữ ký không khớp với khóa của chứng thư số.")
        if status.docmdp_ok is False:
            problems.append("Có thay đổi sau khi ký vượt quá mức người ký cho phép.")
        if indic:
            problems.append(f"Kiểm tra chứng thư số: {indic}")
        if modified or not status.valid:
            verdict = "changed"
        elif revoked:
            verdict = "revoked"
        elif expired:
            verdict = "expired"
        elif not status.trusted:
            verdict = "untrusted"
        else:
            verdict = "valid"
        out.append(SignatureReport(emb.field_name or "", _cn(cert), cert.subject.human_friendly,
                                   cert.issuer.human_friendly, status.signer_reported_dt, status.intact, whole,
                                   modified, status.trusted, revoked, expired, verdict, problems))
    return out


def _cn(cert) -> str:
    if cert is None:
        return ""
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # pragma: no cover
        return ""
