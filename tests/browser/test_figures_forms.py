"""Biểu II.07b in real headless Chromium: a unit's staff types the feedback figures the way
people write them, a mistake is named next to the form with the input kept, then it saves."""
import os

import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_staff_enters_ii07b(page, live_server, world):
    browser_login(page, live_server, "cv_btxh")
    page.goto(f"{live_server}/figures/2022-q2/{world.div_a.id}")
    form = page.locator("#form-ii-07b-vpcp-kstt form")
    for name, value in (("fb_carried_over", "1"), ("fb_new", "3.237"), ("fb_regulation", "3.000"),
                        ("fb_behaviour", "237"), ("fb_handled_regulation", "3.000"),
                        ("fb_handled_behaviour", "238")):
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    errors = page.locator("#form-ii-07b-vpcp-kstt-errors")
    errors.wait_for()
    assert "(3.000 + 237 = 3.237)" in errors.inner_text()
    assert page.locator("#ii-07b-vpcp-kstt-fb_new").input_value() == "3.237"  # nothing typed is lost
    if os.environ.get("REPORT_PNG_DIR"):
        page.screenshot(path=os.path.join(os.environ["REPORT_PNG_DIR"], "ii07b-error.png"), full_page=True)
    page.locator("#ii-07b-vpcp-kstt-fb_behaviour").fill("238")
    page.locator("#form-ii-07b-vpcp-kstt form button[type=submit]").click()
    page.wait_for_selector("text=Đã lưu số liệu.")
    assert "3.238" in page.inner_text("#form-ii-07b-vpcp-kstt")
    if os.environ.get("REPORT_PNG_DIR"):
        page.screenshot(path=os.path.join(os.environ["REPORT_PNG_DIR"], "ii07b-saved.png"), full_page=True)
