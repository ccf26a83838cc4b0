"""Main flow in Chromium: fill the review form (live cut %), a refused bad number keeps the input,
save the draft, submit -> approve -> accept on the task page, totals 19/32 = 59,38 %."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.review import ProcedureReview
from tests.conftest import browser_login
from tests.reviews.helpers import make_procedure, make_review_task

pytestmark = pytest.mark.browser


def _relogin(page, base, username):
    page.goto(f"{base}/")
    page.locator(".topbar .dropdown-toggle").click()  # "Đăng xuất" is in the user menu
    page.get_by_role("button", name="Đăng xuất").click()
    browser_login(page, base, username)


def _transition(page, base, task_id, label):
    page.goto(f"{base}/tasks/{task_id}")
    page.get_by_role("button", name=label).first.click()
    if label == "Tiếp nhận, hoàn thành":  # an irreversible move asks first (issue 17 item 9h)
        page.locator("dialog#dlg-accept[open] #confirm-accept").click()
    page.get_by_text("Đã chuyển:").wait_for()


def test_time_cut_review_flow(page, live_server, world):
    a = make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", days=20)
    b = make_procedure("1.001758", "Xác định mức độ khuyết tật", days=12)
    db.session.flush()
    task = make_review_task(world, procedures=[a, b])
    r1, r2 = db.session.scalars(select(ProcedureReview).order_by(ProcedureReview.position)).all()
    base = live_server

    browser_login(page, base, "cv_btxh")
    page.goto(f"{base}/reviews/task/{task.id}")
    page.locator("a", has_text="Điền phiếu").first.click()
    page.wait_for_url(f"**/reviews/item/{r1.id}")
    page.wait_for_load_state()  # htmx (deferred) is ready before we type
    page.fill("#proposed_days", "8")
    page.locator("#cut-result").filter(has_text="60,00 %").wait_for()
    # A proposal above the current time is refused with a message; what was typed stays.
    page.fill("#proposed_days", "25")
    page.locator("#cut-result").filter(has_text="không được lớn hơn").wait_for()
    page.fill("#legal_change", "Điều 5 Nghị định 20/2021/NĐ-CP")
    page.select_option("#proposal", "amend")
    page.click("#save-review")
    assert page.locator("#err-proposed_days").inner_text() == \
        "Thời hạn đề xuất không được lớn hơn thời hạn hiện hành."
    assert page.input_value("#legal_change") == "Điều 5 Nghị định 20/2021/NĐ-CP"
    assert page.input_value("#proposed_days") == "25"
    page.fill("#proposed_days", "8")
    page.click("#save-review")
    page.get_by_text("Đã lưu phiếu rà soát (bản nháp).").wait_for()

    page.wait_for_load_state("networkidle")  # the preview request of the last keystroke has ended
    page.goto(f"{base}/reviews/item/{r2.id}")
    page.wait_for_load_state()  # htmx (deferred) is ready, so the save is the boosted request
    page.fill("#proposed_days", "5")
    page.click("#save-review")
    page.get_by_text("Đã lưu phiếu rà soát (bản nháp).").wait_for()
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/reviews/task/{task.id}")
    assert "59,38 % · chỉ tiêu ≥ 30 % · Đạt" in page.locator("#task-totals").inner_text()

    # Submit on the task page (the submission workflow), then the head approves, the office accepts.
    page.goto(f"{base}/tasks/{task.id}")
    page.fill("#result_text", "Đã rà soát 02 TTHC cấp xã, cắt giảm 19/32 ngày.")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state("networkidle")
    _transition(page, base, task.id, "Trình Trưởng phòng")
    page.goto(f"{base}/reviews/item/{r1.id}")
    assert page.locator("#locked-note").is_visible() and page.locator("#save-review").count() == 0

    _relogin(page, base, "tp_btxh")
    _transition(page, base, task.id, "Duyệt, gửi Văn phòng")
    _relogin(page, base, "vanphong")
    _transition(page, base, task.id, "Tiếp nhận, hoàn thành")
    page.goto(f"{base}/reviews/plan/{task.plan_id}?accepted=1")
    assert page.locator("#plan-cut").inner_text().startswith("59,38 %")
    assert "Đạt" in page.locator("#plan-cut").inner_text()
    assert "(19/32 ngày)" in page.content()
