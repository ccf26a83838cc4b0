"""Issue 17, item 3 in Chromium: the session expires while a form is filled; submitting opens
the log-in-again dialog, the page keeps the text, and after logging in the same request is sent
again and saved. A stale CSRF token (a login in another tab) is renewed without asking."""
import pytest

from app.extensions import db
from app.models import Report, Submission
from tests.browser.test_report import open_quarter_two
from tests.conftest import PASSWORD, browser_login
from tests.factories import make_plan
from tests.reports.test_workflow import _sent_set

pytestmark = pytest.mark.browser


def _expire_session(page):
    page.context.clear_cookies()  # what the browser has once the session cookie expired


def _log_in_again(page):
    dialog = page.locator("dialog#relogin")
    dialog.wait_for(state="visible")
    dialog.locator("#relogin-password").fill(PASSWORD)
    dialog.locator("#relogin-submit").click()


def test_report_editor_keeps_the_text_through_an_expired_session(page, live_server, world):
    _sent_set(world.div_a)
    base = live_server
    browser_login(page, base, "vanphong")
    open_quarter_two(page, base)
    page.click("#edit-report")
    page.wait_for_load_state()
    page.fill("#text-I-2", "Lãnh đạo Sở chỉ đạo sát sao, viết trong lúc phiên hết hạn.")
    _expire_session(page)
    page.click("#save-report")
    page.locator("dialog#relogin").wait_for(state="visible")
    # Nothing was replaced: the editor and the text are still there.
    assert page.input_value("#text-I-2") == "Lãnh đạo Sở chỉ đạo sát sao, viết trong lúc phiên hết hạn."
    assert "/login" not in page.url
    _log_in_again(page)
    page.wait_for_selector("text=Đã lưu báo cáo.")
    assert "Lãnh đạo Sở chỉ đạo sát sao, viết trong lúc phiên hết hạn." in page.inner_text("#report-doc")
    db.session.expire_all()
    report = db.session.scalar(db.select(Report))
    sec = next(s for s in report.sections if s["key"] == "I.2")
    assert sec["text"] == "Lãnh đạo Sở chỉ đạo sát sao, viết trong lúc phiên hết hạn."


def test_task_result_survives_expiry_and_a_stale_token(page, live_server, world):
    task = make_plan(world, tasks=[{"lead": world.div_a}]).tasks[0]
    base = live_server
    browser_login(page, base, "cv_btxh")
    page.goto(f"{base}/tasks/{task.id}")
    page.wait_for_load_state()

    # A login in another tab gives a new session: this tab's token is stale, the login is not.
    other = page.context.new_page()
    other.goto(f"{base}/")
    other.locator(".topbar .dropdown-toggle").click()  # "Đăng xuất" is in the user menu
    other.get_by_role("button", name="Đăng xuất").click()
    other.wait_for_url("**/login**")
    browser_login(other, base, "cv_btxh")
    other.close()
    page.fill("#result_text", "Nháp viết trước khi tab khác đăng nhập.")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_selector("text=Đã lưu bản nháp.")
    assert not page.locator("dialog#relogin").is_visible()

    page.fill("#result_text", "Kết quả cuối, trình khi phiên đã hết hạn.")
    _expire_session(page)
    page.get_by_role("button", name="Trình Trưởng phòng").click()
    page.locator("dialog#relogin").wait_for(state="visible")
    assert page.input_value("#result_text") == "Kết quả cuối, trình khi phiên đã hết hạn."
    _log_in_again(page)
    page.wait_for_selector(".badge-submitted")
    db.session.expire_all()
    sub = db.session.scalar(db.select(Submission).where(Submission.task_id == task.id))
    assert (sub.state, sub.result_text) == ("submitted", "Kết quả cuối, trình khi phiên đã hết hạn.")
