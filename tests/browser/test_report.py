"""The consolidated report in real headless Chromium: the office opens quarter II/2022, edits a
section and submits; the leader returns it with a comment; the office resubmits; the leader
issues it; the DOCX and XLSX download with the issued number and figures."""
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from app.extensions import db
from app.models import FigureSet
from tests.conftest import browser_login
from tests.register.helpers import make_next

pytestmark = pytest.mark.browser


def _as(page, base, user):
    # Leave the page first: a bell poll still in flight would otherwise set the old session's
    # cookie again after clear_cookies() (Flask refreshes the permanent session on each request).
    page.goto("about:blank")
    page.context.clear_cookies()
    browser_login(page, base, user)


def open_quarter_two(page, base):
    """The office opens the draft report of quarter II/2022 from the reports page."""
    page.goto(f"{base}/reports/")
    page.select_option("#kind", "quarter")
    page.select_option("#number", "2")
    page.fill("#year", "2022")
    page.click("button:has-text('Mở dự thảo')")
    page.wait_for_selector("text=Đã mở dự thảo báo cáo")


def _dialog_submit(page, name, **fields):
    page.click(f"#open-{name}")
    dialog = page.locator(f"dialog#dlg-{name}")
    for field, value in fields.items():
        dialog.locator(f"[name={field}]").fill(value)
    dialog.locator(f"#confirm-{name}").click()


def test_report_loop(page, live_server, world):
    db.session.add(FigureSet(unit_id=world.div_a.id, period_key="2022-q2", state="sent",
                             received_online=32, received_direct=2999, carried_over=207,
                             resolved_early=288, resolved_on_time=2237, pending_in_time=713))
    make_next(world.agency, 2022, "113/BC-SLĐTBXH")
    db.session.commit()
    base = live_server
    _as(page, base, "vanphong")
    open_quarter_two(page, base)
    report_url = page.url
    assert "3.238" in page.inner_text("#sec-II-5")
    page.click("#edit-report")
    page.fill("#text-I-2", "Lãnh đạo Sở chỉ đạo sát sao.\n- Đôn đốc các phòng hằng tuần")
    page.click("#save-report")
    page.wait_for_selector("text=Đã lưu báo cáo.")
    assert "Đôn đốc các phòng hằng tuần" in page.inner_text("#sec-I-2")
    page.click("#move-submit")
    page.wait_for_selector(".badge-pending")

    _as(page, base, "giamdoc")
    page.goto(report_url)
    _dialog_submit(page, "return", comment="Bổ sung đánh giá chung")
    page.wait_for_selector("text=Đã trả lại Văn phòng.")
    assert "Bổ sung đánh giá chung" in page.inner_text("#report-history")

    _as(page, base, "vanphong")
    page.goto(report_url)
    page.click("#move-submit")
    page.wait_for_selector(".badge-pending")

    _as(page, base, "giamdoc")
    page.goto(report_url)
    # The leader sees what the report lacks (units without figures, empty sections) in the
    # dialog and confirms it before issuing (issue 17.5).
    page.click("#open-issue")
    dialog = page.locator("dialog#dlg-issue")
    assert "Quý II/2022: chưa có số liệu đã gửi của" in dialog.inner_text()
    dialog.locator("[name=confirm_gaps]").check()
    # the register gives the number: its next one is the seed's 113 (1..112 given on paper)
    assert dialog.locator("[name=number]").input_value() == ""
    dialog.locator("[name=issued_on]").fill("15/06/2022")
    dialog.locator("#confirm-issue").click()
    page.wait_for_selector(".badge-issued")
    assert "Số: 113/BC-SLĐTBXH" in page.inner_text("#report-doc")
    assert "Lạng Sơn, ngày 15 tháng 6 năm 2022" in page.inner_text("#report-doc")

    with page.expect_download() as dl:
        page.click("#download-docx")
    d = Document(io.BytesIO(open(dl.value.path(), "rb").read()))
    texts = [p.text for p in d.paragraphs]
    assert "- Số lượng hồ sơ đã giải quyết: 2.525; trong đó, giải quyết trước hạn: 288, đúng hạn: 2.237, quá hạn: 0." in texts
    assert "- Đôn đốc các phòng hằng tuần" in texts
    assert d.tables[0].cell(1, 0).text == "Số: 113/BC-SLĐTBXH"

    with page.expect_download() as dl:
        page.click("#download-xlsx")
    wb = load_workbook(io.BytesIO(open(dl.value.path(), "rb").read()), data_only=True)
    ws = wb["Biểu II.06a"]
    assert ws["B9"].value == world.div_a.name
    assert [ws.cell(10, c).value for c in range(3, 14)] == [3238, 207, 32, 2999, 2525, 288, 2237, 0, 713, 713, 0]
