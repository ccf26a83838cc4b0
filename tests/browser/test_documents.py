"""Issue 13 end to end in real headless Chromium, with Redis and a real `flask jobs worker`:
the office submits the quarterly report, the leader issues it and the number comes from the
register (sổ văn bản đi); the PDF is rendered by LibreOffice in the background while the page
shows a progress bar; it carries the leader's and the agency's PAdES signatures, which the
verification page shows as valid, and a tampered copy is shown as changed."""
import re

import pytest

from app.extensions import db
from app.models import RegisterEntry, Report, TrustMaterial
from tests.browser.test_report import _as, open_quarter_two
from tests.conftest import browser_login  # noqa: F401  (the login helper _as uses)
from tests.jobs.conftest import redis_url, worker  # noqa: F401  (fixtures)
from tests.signing.pki import PASSPHRASE, make_pki

pytestmark = pytest.mark.browser


@pytest.fixture
def signing_world(app, world, monkeypatch, tmp_path):
    """The leader's and the agency's certificates registered by the admin (PKCS#12 on disk, the
    passphrase named by an environment variable the worker inherits), the test CA as the trusted
    root and its CRL; issued PDFs on."""
    from app.signing import services
    pki = make_pki()
    monkeypatch.setenv("KSTT_E2E_P12", PASSPHRASE.decode())
    app.config["SIGNING_SECRETS_DIR"] = str(tmp_path / "secrets")
    services.register_certificate(world.admin, label="Chữ ký Giám đốc", owner_user_id=world.leader.id,
                                  filename="giamdoc.p12", data=pki.leader.p12([pki.ca.cert]),
                                  passphrase_ref="env:KSTT_E2E_P12")
    services.register_certificate(world.admin, label="Chữ ký cơ quan", owner_user_id=None,
                                  filename="coquan.p12", data=pki.agency.p12([pki.ca.cert]),
                                  passphrase_ref="env:KSTT_E2E_P12")
    db.session.add_all([TrustMaterial(kind="root", label="CA thử nghiệm", der=pki.ca.der),
                        TrustMaterial(kind="crl", label="CRL thử nghiệm", der=pki.crl)])
    db.session.commit()
    saved = app.config.get("ISSUED_PDF")
    app.config["ISSUED_PDF"] = True
    yield pki
    app.config["ISSUED_PDF"] = saved


def _tampered(pdf: bytes) -> bytes:
    """One byte changed inside the first content stream: same length, still a parseable PDF,
    but no longer the bytes that were signed."""
    start = pdf.index(b"stream", pdf.index(b"/Length")) + len(b"stream\n") + 16
    bad = bytearray(pdf)
    bad[start] ^= 0x01
    return bytes(bad)


def test_issue_register_pdf_signature_verification(page, live_server, world, signing_world, worker, tmp_path):
    base = live_server
    _as(page, base, "vanphong")
    open_quarter_two(page, base)
    report_url = page.url
    page.click("#move-submit")
    page.wait_for_selector(".badge-pending")

    # The leader issues it; the number is the register's next one (the dialog's default).
    _as(page, base, "giamdoc")
    page.goto(report_url)
    page.click("#open-issue")
    dialog = page.locator("dialog#dlg-issue")
    assert "Số tiếp theo của sổ" in dialog.inner_text()
    dialog.locator("[name=confirm_gaps]").check()
    dialog.locator("#confirm-issue").click()
    page.wait_for_selector(".badge-issued")
    number = re.search(r"Số: (\S+/BC-\S+)", page.inner_text("#report-doc")).group(1)

    db.session.expire_all()
    report = db.session.scalar(db.select(Report).where(Report.number == number))
    entry = db.session.scalar(db.select(RegisterEntry).where(RegisterEntry.doc_kind == "report",
                                                             RegisterEntry.doc_id == report.id))
    assert entry is not None and entry.state == "issued" and entry.symbol == number
    assert number.startswith(f"{entry.number}/")
    page.goto(f"{base}/register/?year={entry.series.year}")
    assert number in page.inner_text("main")

    # The PDF is made in the background: a progress bar first (or at once the link, if the
    # worker was quicker than the page), then "Tải PDF".
    page.goto(report_url)
    page.wait_for_selector("#issued-pdf .job-progress")
    page.wait_for_selector("#issued-pdf .job-download", timeout=180_000)
    with page.expect_download() as dl:
        page.click("#issued-pdf .job-download")
    pdf = open(dl.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/ByteRange") == 2   # the leader's, then the agency's

    # Anyone logged in checks it on the verification page.
    _as(page, base, "cv_btxh")
    page.goto(f"{base}/signatures/verify")
    signed = tmp_path / "bao-cao.pdf"
    signed.write_bytes(pdf)
    page.set_input_files("input[type=file][name=file]", str(signed))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert body.count("Hợp lệ") >= 2, body
    assert "Hoàng Văn Giám" in body        # the leader's certificate (tests/signing/pki.py)
    assert "Văn bản đã bị sửa sau khi ký" not in body

    bad = tmp_path / "bao-cao-sua.pdf"
    bad.write_bytes(_tampered(pdf))
    page.goto(f"{base}/signatures/verify")
    page.set_input_files("input[type=file][name=file]", str(bad))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Văn bản đã bị sửa sau khi ký" in page.inner_text("main")
