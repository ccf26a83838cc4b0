"""The core loop in real headless Chromium: plan → issue → submit → approve → return →
resubmit → accept, then the overdue list and the tracker XLSX reflect it."""
import io

import openpyxl
import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _as(page, base, user):
    # Leave the page first: a bell poll still in flight would set the old session cookie again.
    page.goto("about:blank")
    page.context.clear_cookies()
    browser_login(page, base, user)


def _task_action(page, label, confirm=None):
    page.get_by_role("button", name=label).click()
    if confirm:  # an irreversible move asks in a dialog first (issue 17 item 9h)
        page.locator(f"dialog#dlg-{confirm}[open] #confirm-{confirm}").click()
    page.wait_for_load_state("networkidle")


def test_core_loop(page, live_server, world):
    base = live_server
    # today is pinned to 20/05/2022; the task is due 10/05/2022, so it is overdue.
    _as(page, base, "vanphong")
    page.goto(f"{base}/plans/new")
    page.fill("#number", "25/KH-SLĐTBXH")
    page.fill("#issued_on", "01/03/2022")
    page.fill("#title", "Rà soát TTHC lĩnh vực bảo trợ xã hội")
    page.fill("#year", "2022")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã tạo dự thảo kế hoạch")
    page.click("summary:has-text('Thêm nhiệm vụ')")
    page.fill("#content", "Rà soát 03 TTHC cấp Sở theo biểu mẫu 02/RS-KSTT")
    page.select_option("#lead_unit_id", label=world.div_a.name)
    page.check(f"input[name=cooperating_unit_ids][value='{world.div_b.id}']")
    page.fill("#due_text", "Trước ngày 10/5/2022")
    page.fill("#due_on", "10/05/2022")
    page.click("button:has-text('Thêm nhiệm vụ')")
    page.wait_for_selector("text=Đã thêm nhiệm vụ.")
    plan_url = page.url
    page.once("dialog", lambda d: d.accept())
    page.click("button:has-text('Trình Lãnh đạo duyệt')")
    page.wait_for_selector("text=Chờ Lãnh đạo duyệt")

    _as(page, base, "giamdoc")
    page.goto(plan_url)
    page.click("button:has-text('Duyệt, ban hành')")
    dialog = page.locator("dialog#dlg-issue[open]")
    assert "không sửa được nữa" in dialog.inner_text()
    dialog.locator("#confirm-issue").click()
    page.wait_for_selector(".badge-issued")

    _as(page, base, "tp_btxh")
    page.goto(plan_url)
    page.click("text=Rà soát 03 TTHC cấp Sở")
    task_url = page.url
    page.click("summary:has-text('Giao việc cho chuyên viên')")
    page.check(f"input[name=user_ids][value='{world.staff_a.id}']")
    page.click("button:has-text('Lưu phân công')")
    page.wait_for_selector("#assignees:has-text('Lê Chuyên A')")

    _as(page, base, "cv_btxh")
    page.goto(task_url)
    page.fill("#result_text", "Đã rà soát 03 TTHC; đề xuất sửa đổi thành phần hồ sơ.")
    page.click("button:has-text('Lưu nháp')")
    page.wait_for_selector("text=Đã lưu bản nháp.")
    _task_action(page, "Trình Trưởng phòng")
    page.wait_for_selector(".badge-submitted")

    _as(page, base, "tp_btxh")
    page.goto(task_url)
    _task_action(page, "Duyệt, gửi Văn phòng")
    page.wait_for_selector(".badge-approved")

    _as(page, base, "vanphong")
    page.goto(task_url)
    page.click("button:has-text('Trả lại đơn vị')")  # opens the modal
    dialog = page.locator("dialog#dlg-office_return")
    dialog.locator("textarea[name=comment]").fill("Bổ sung biểu mẫu cho từng TTHC")
    dialog.locator("button[type=submit]").click()
    page.wait_for_selector(".badge-returned")
    assert "Bổ sung biểu mẫu cho từng TTHC" in page.inner_text("#timeline")

    _as(page, base, "cv_btxh")
    page.goto(task_url)
    page.fill("#result_text", "Đã rà soát 03 TTHC; kèm biểu mẫu 02/RS-KSTT cho từng TTHC.")
    page.click("button:has-text('Lưu nháp')")
    page.wait_for_selector("text=Đã lưu bản nháp.")
    _task_action(page, "Trình Trưởng phòng")
    page.wait_for_selector(".badge-submitted")
    _as(page, base, "tp_btxh")
    page.goto(task_url)
    _task_action(page, "Duyệt, gửi Văn phòng")
    page.wait_for_selector(".badge-approved")

    # before acceptance the task is in the overdue list (10 days late)
    _as(page, base, "vanphong")
    page.goto(f"{base}/overdue")
    row = page.locator("#task-table tr", has_text="Rà soát 03 TTHC cấp Sở")
    assert "Quá hạn 8 ngày làm việc" in row.inner_text()  # 11/05–20/05 less the weekend

    page.goto(task_url)
    # issue 17 item 9h: the office is asked first; cancelling changes nothing
    page.get_by_role("button", name="Tiếp nhận, hoàn thành").click()
    dialog = page.locator("dialog#dlg-accept[open]")
    assert "không trả lại được nữa" in dialog.inner_text()
    dialog.get_by_role("button", name="Hủy").click()
    assert page.locator("dialog#dlg-accept[open]").count() == 0 and page.locator(".badge-approved").count()
    _task_action(page, "Tiếp nhận, hoàn thành", confirm="accept")
    page.wait_for_selector(".badge-accepted")
    timeline = page.inner_text("#timeline")
    assert timeline.count("Trình Trưởng phòng") == 2 and "Tiếp nhận, hoàn thành" in timeline

    page.goto(f"{base}/overdue")
    assert "Rà soát 03 TTHC cấp Sở" not in page.inner_text("#rows")

    page.goto(plan_url)
    with page.expect_download() as info:
        page.click("text=Tải bảng theo dõi (XLSX)")
    assert info.value.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))
    ws = wb["Theo dõi nhiệm vụ"]
    assert ws["B6"].value == "Rà soát 03 TTHC cấp Sở theo biểu mẫu 02/RS-KSTT"
    assert ws["C6"].value == world.div_a.name and ws["D6"].value == world.div_b.name
    assert ws["E6"].value == "Trước ngày 10/5/2022"
    assert ws["G6"].value == "Hoàn thành"
    assert ws["J6"].value == 8  # accepted Fri 20/05 for Tue 10/05: 8 working days
    assert ws["K6"].value == "Đã rà soát 03 TTHC; kèm biểu mẫu 02/RS-KSTT cho từng TTHC."
    summary = wb["Tổng hợp theo đơn vị"]
    assert summary["A5"].value == world.div_a.name
    assert (summary["B5"].value, summary["C5"].value, summary["D5"].value) == (1, 0, 1)
