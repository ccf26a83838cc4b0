"""Issue 17 item 9i: after Back, a live filter shows the values of the rows it shows (the URL
is pushed by hx-push-url; the boxes are filled from it on render and on history restore)."""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.conftest import browser_login
from tests.factories import make_plan

pytestmark = pytest.mark.browser


def test_filter_boxes_match_the_rows_after_back(page, live_server, world):
    make_plan(world, tasks=[
        {"content": "Rà soát thủ tục bảo trợ xã hội", "lead": world.div_a, "due_on": date(2022, 5, 10)},
        {"content": "Đăng ký lao động", "lead": world.div_b, "due_on": date(2022, 5, 12)},
    ])
    base = live_server
    browser_login(page, base, "vanphong")
    page.goto(f"{base}/tasks/")
    page.fill("main input[name=q]", "bao tro")
    expect(page.locator("#rows")).not_to_contain_text("Đăng ký lao động")
    assert "q=bao+tro" in page.url or "q=bao%20tro" in page.url
    page.select_option("main select[name=unit_id]", str(world.div_a.id))
    page.wait_for_url(lambda url: f"unit_id={world.div_a.id}" in url)
    page.wait_for_load_state("networkidle")
    page.click("nav a:has-text('Kế hoạch')")           # a boosted link: htmx keeps a snapshot
    page.wait_for_url(lambda url: "/plans/" in url)
    page.go_back()
    page.wait_for_url(lambda url: "/tasks/" in url and "unit_id" in url)
    page.wait_for_load_state("networkidle")
    assert "Rà soát thủ tục bảo trợ xã hội" in page.inner_text("#rows")
    assert "Đăng ký lao động" not in page.inner_text("#rows")
    assert page.input_value("main input[name=q]") == "bao tro"
    assert page.input_value("main select[name=unit_id]") == str(world.div_a.id)
    page.go_back()  # one step further: the search only, no unit chosen
    page.wait_for_url(lambda url: "unit_id" not in url or f"unit_id={world.div_a.id}" not in url)
    page.wait_for_load_state("networkidle")
    assert page.input_value("main input[name=q]") == "bao tro"
    assert page.input_value("main select[name=unit_id]") == ""
