"""Issue 17, item 2 in Chromium: "Trình Trưởng phòng" without "Lưu nháp" submits what is typed;
a refusal is shown, focused, beside the buttons; text typed in another form of the task page
(the head's explanation) survives the panel's refresh."""
from datetime import date

import pytest

from app.extensions import db
from app.models import Submission
from tests.conftest import browser_login
from tests.factories import make_plan

pytestmark = pytest.mark.browser

IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && document.activeElement === el; }"""


def _relogin(page, base, username):
    page.goto("about:blank")
    page.context.clear_cookies()
    browser_login(page, base, username)


def test_submit_without_saving_keeps_and_sends_the_typed_result(page, live_server, world):
    plan = make_plan(world, tasks=[{"lead": world.div_a, "due_on": date(2022, 5, 10)}])
    task = plan.tasks[0]
    base = live_server
    page.set_viewport_size({"width": 1000, "height": 600})

    browser_login(page, base, "cv_btxh")
    page.goto(f"{base}/tasks/{task.id}")
    page.wait_for_load_state()
    page.get_by_role("button", name="Trình Trưởng phòng").click()
    msg = page.locator("#submission-panel [data-focus-message]")
    msg.filter(has_text="Chưa có kết quả").wait_for()
    page.wait_for_function(f"() => {{ const el = document.querySelector('#submission-panel [data-focus-message]');"
                           f" return ({IN_VIEW})(el); }}")

    page.fill("#result_text", "Đã rà soát 03 TTHC, gửi kèm biểu mẫu 02.")
    page.get_by_role("button", name="Trình Trưởng phòng").click()
    page.wait_for_selector(".badge-submitted")
    assert "Đã rà soát 03 TTHC, gửi kèm biểu mẫu 02." in page.locator("#submission-panel").inner_text()
    assert page.locator("#submission-panel [data-focus-message]").evaluate(IN_VIEW)
    db.session.expire_all()
    sub = db.session.scalar(db.select(Submission).where(Submission.task_id == task.id))
    assert (sub.state, sub.result_text) == ("submitted", "Đã rà soát 03 TTHC, gửi kèm biểu mẫu 02.")

    # The head starts an explanation (overdue task), then approves before sending it.
    _relogin(page, base, "tp_btxh")
    page.goto(f"{base}/tasks/{task.id}")
    page.wait_for_load_state()
    page.fill("#explain-text", "Chờ ý kiến của Sở Tư pháp.")
    page.get_by_role("button", name="Duyệt, gửi Văn phòng").click()
    page.wait_for_selector(".badge-approved")
    assert page.input_value("#explain-text") == "Chờ ý kiến của Sở Tư pháp."
