"""Evaluations in real headless Chromium (issue 15): the head opens May 2022 for the unit, drills
from a figure to its tasks and on to a task's timeline, marks a person's quality and proposes;
the leader confirms; the unit's XLSX, opened with openpyxl, has the computed figures."""
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import browser_login
from tests.evaluations.test_routes import scenario

pytestmark = pytest.mark.browser


def _as(page, base, user):
    page.goto("about:blank")
    page.context.clear_cookies()
    browser_login(page, base, user)


def test_evaluation_loop(page, live_server, world):
    w = world
    scenario(w)
    staff_id = w.staff_a.id
    base = live_server
    _as(page, base, "tp_btxh")
    page.goto(f"{base}/")
    page.click("nav >> text=Đánh giá, xếp loại")
    page.select_option("#kind", "month")
    page.fill("#number", "5")
    page.fill("#year", "2022")
    page.click("#open-evaluation")
    page.wait_for_selector("#evaluation-people")
    sheet_url = page.url
    row = page.locator(f"tr[data-person='{staff_id}']")
    assert row.locator("a[data-figure=late]").inner_text() == "1"
    # drill down: the late figure -> its task -> the task's timeline
    row.locator("a[data-figure=late]").click()
    page.wait_for_selector("#figure-tasks")
    assert "NV-CHAMHAN" in page.inner_text("#figure-tasks")
    assert "Chậm 3 ngày làm việc" in page.inner_text("#figure-tasks")
    page.click("#figure-tasks a.task-link")
    page.wait_for_url(lambda url: "/tasks/" in url and "/evaluations/" not in url)
    assert "Làm lại" in page.content()   # the head's return, on the task's timeline
    # the head marks quality and comments on the person's page
    page.goto(sheet_url)
    page.click(f"tr[data-person='{staff_id}'] a.person-link")
    page.fill("#quality", "90")
    page.fill("#head_comment", "Chủ động, cần bảo đảm tiến độ.")
    page.click("#save-mark")
    page.wait_for_selector("text=Đã lưu điểm chất lượng")
    assert "Chủ động, cần bảo đảm tiến độ." in page.inner_text("#head-comment")
    page.goto(sheet_url)
    page.click("#open-propose")
    page.locator("dialog#dlg-propose #confirm-propose").click()
    page.wait_for_selector(".badge-proposed")

    _as(page, base, "giamdoc")
    page.goto(sheet_url)
    page.click("button[value=confirm]")
    page.wait_for_selector(".badge-confirmed")
    with page.expect_download() as dl:
        page.click("#download-xlsx")
    ws = load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).active
    header = [ws.cell(5, c).value or ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    rows = {ws.cell(r, 2).value: r for r in range(6, ws.max_row + 1)}
    r = rows["Lê Chuyên A"]
    got = {h: ws.cell(r, header.index(h) + 1).value for h in
           ("Tổng số", "Đúng hạn", "Chậm hạn", "Số ngày chậm", "Chưa hoàn thành, quá hạn", "Bị trả lại",
            "Điểm chất lượng của Trưởng phòng", "Nhận xét của Trưởng phòng")}
    assert got == {"Tổng số": 4, "Đúng hạn": 2, "Chậm hạn": 1, "Số ngày chậm": 3, "Chưa hoàn thành, quá hạn": 1,
                   "Bị trả lại": 1, "Điểm chất lượng của Trưởng phòng": 90,
                   "Nhận xét của Trưởng phòng": "Chủ động, cần bảo đảm tiến độ."}
    assert isinstance(ws.cell(r, header.index("Tổng điểm") + 1).value, float)
