"""In real Chromium: the office pastes seed 004's table, previews it and creates the plan."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Plan
from tests.conftest import browser_login
from tests.planimport.conftest import seed_text

pytestmark = pytest.mark.browser


def test_import_seed004_in_the_browser(page, live_server, thai_binh):
    base = live_server
    browser_login(page, base, "vanphong")

    page.goto(f"{base}/plans/import/")
    page.fill("textarea[name=text]", seed_text("004"))
    page.click("button:has-text('Xem trước')")
    page.wait_for_selector("tr.task-row")
    assert page.locator("tr.task-row").count() == 22
    assert page.locator("tr.group-row").count() == 6
    assert page.locator("#task-0 .due").inner_text() == "31/03/2022"
    assert "Thời hạn phụ thuộc một sự kiện" in page.locator("#task-5").inner_text()

    page.fill("#number", "15/KH-SLĐTBXH")
    page.fill("#title", "Kế hoạch thực hiện cải cách hành chính năm 2022")
    page.click("button:has-text('Xác nhận')")
    page.wait_for_selector("text=Kế hoạch 15/KH-SLĐTBXH (dự thảo)")
    body = page.locator("main").inner_text()
    assert "Thực hiện báo cáo CCHC năm 2022" in body and "Quý II/2022" in body
    assert "Xây dựng Kế hoạch công tác cải cách hành chính năm 2022 của Sở." in body
    db.session.expire_all()
    plan = db.session.scalar(select(Plan))
    assert plan.state == "draft" and len([t for t in plan.tasks if t.parent_id is None]) == 22
