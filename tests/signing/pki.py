"""A throwaway PKI for the signing tests, made with `cryptography`: a root CA, a leader's and an
agency's signing certificates, an expired one, a revoked one and the CA's CRL listing it; and a
small one-page A4 PDF written with pyHanko's own writer."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = b"mat-khau-thu-nghiem"
CRL_URL = "http://ca.example.test/crl.der"
NOW = datetime.now(timezone.utc)


def _name(cn: str, org: str = "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def p12(self, chain: list[x509.Certificate] = (), passphrase: bytes = PASSPHRASE) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"signer", self.key, self.cert, list(chain),
            serialization.BestAvailableEncryption(passphrase))

    def signer(self, chain=()):
        from app.signing.pdf import load_pkcs12
        return load_pkcs12(self.p12(chain), PASSPHRASE)


def make_ca(cn: str = "CA thử nghiệm KSTT") -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn, "Ban Cơ yếu thử nghiệm")).issuer_name(_name(cn, "Ban Cơ yếu thử nghiệm"))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=3650)).not_valid_after(NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Issued(cert, key)


def issue(ca: Issued, cn: str, *, not_before: datetime | None = None, not_after: datetime | None = None) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca.cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before or NOW - timedelta(days=30))
            .not_valid_after(not_after or NOW + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            # Where the CA publishes its CRL (real CAs do): the validator then checks revocation.
            .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(CRL_URL)], relative_name=None, reasons=None,
                crl_issuer=None)]), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return Issued(cert, key)


def make_crl(ca: Issued, revoked: list[Issued]) -> bytes:
    b = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
         .last_update(NOW - timedelta(days=1)).next_update(NOW + timedelta(days=30))
         .add_extension(x509.CRLNumber(1), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False))
    for r in revoked:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(r.cert.serial_number)
                                      .revocation_date(NOW - timedelta(days=2)).build())
    return b.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass
class Pki:
    ca: Issued
    leader: Issued
    agency: Issued
    expired: Issued
    revoked: Issued
    crl: bytes
    other_ca: Issued


def make_pki() -> Pki:
    ca = make_ca()
    revoked = issue(ca, "Nguyễn Văn Thu Hồi")
    return Pki(ca=ca, leader=issue(ca, "Hoàng Văn Giám"), agency=issue(ca, "Sở Lao động - Thương binh và Xã hội Lạng Sơn"),
               expired=issue(ca, "Trần Thị Hết Hạn", not_before=NOW - timedelta(days=400),
                             not_after=NOW - timedelta(days=5)),
               revoked=revoked, crl=make_crl(ca, [revoked]), other_ca=make_ca("CA lạ"))


def small_pdf(text: str = "BAO CAO 113/BC-SLDTBXH") -> bytes:
    """A one-page A4 PDF (pyHanko's writer): enough for a signature to cover."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PdfFileWriter
    w = PdfFileWriter()
    font = generic.DictionaryObject({generic.NameObject("/Type"): generic.NameObject("/Font"),
                                     generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                                     generic.NameObject("/BaseFont"): generic.NameObject("/Times-Roman")})
    stream = generic.StreamObject(stream_data=f"BT /F1 14 Tf 100 700 Td ({text}) Tj ET".encode())
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(0), generic.NumberObject(0),
                                                              generic.NumberObject(595), generic.NumberObject(842)]),
        generic.NameObject("/Resources"): generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
            {generic.NameObject("/F1"): w.add_object(font)})}),
        generic.NameObject("/Contents"): w.add_object(stream)})
    w.insert_page(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
