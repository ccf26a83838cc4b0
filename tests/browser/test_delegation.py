"""Delegation in real headless Chromium (issue 12.4): a directory account logs in as the
deputy, the head delegates to them on the "Ủy quyền" page, the deputy approves a result
(the timeline says "thay mặt"), the admin ends the deputy's session and the old browser is
sent to the login page on its next click."""
import pytest

from app.extensions import db
from app.models import DirectoryMapping
from tests.conftest import LDAP_SUFFIX, browser_login
from tests.factories import make_plan

pytestmark = pytest.mark.browser


def test_a_delegated_deputy_approves_then_the_admin_ends_the_session(browser, live_server, world, directory_on):
    db.session.add(DirectoryMapping(group_dn=f"cn=kstt-btxh-chuyenvien,ou=groups,{LDAP_SUFFIX}",
                                    unit_id=world.div_a.id, role="staff", title="Phó trưởng phòng"))
    plan = make_plan(world, tasks=[{"lead": world.div_a, "state": "submitted", "content": "Rà soát 02 TTHC bảo trợ",
                                    "result_text": "Đã rà soát 02 TTHC"}])
    task_id = plan.tasks[0].id
    base = live_server
    deputy_ctx, head_ctx, admin_ctx = browser.new_context(), browser.new_context(), browser.new_context()
    deputy, head, admin = deputy_ctx.new_page(), head_ctx.new_page(), admin_ctx.new_page()
    try:
        browser_login(deputy, base, "nguyenvana", "Dir@2022a")       # a directory account
        deputy.goto(f"{base}/tasks/{task_id}")
        assert deputy.get_by_role("button", name="Duyệt, gửi Văn phòng").count() == 0

        browser_login(head, base, "tp_btxh")
        head.goto(f"{base}/delegations/")
        head.select_option("#delegate_id", label="Nguyễn Văn An – Phó trưởng phòng")
        head.fill("#starts_on", "20/05/2022")
        head.fill("#ends_on", "19/05/2022")
        head.click("#delegation-new button[type=submit]")
        head.wait_for_selector("text=Ngày kết thúc phải từ ngày bắt đầu trở đi.")
        assert head.input_value("#ends_on") == "19/05/2022"     # what was typed stays
        head.fill("#ends_on", "31/05/2022")
        head.click("#delegation-new button[type=submit]")
        head.wait_for_selector("text=Đã ủy quyền cho Nguyễn Văn An")
        assert "Đang hiệu lực" in head.locator("#delegations").inner_text()

        deputy.goto(f"{base}/tasks/{task_id}")
        deputy.get_by_role("button", name="Duyệt, gửi Văn phòng").click()
        deputy.wait_for_selector(".badge-approved")
        assert "Nguyễn Văn An, thay mặt Trần Trưởng A" in deputy.locator("#timeline").inner_text()

        browser_login(admin, base, "admin")
        admin.goto(f"{base}/admin/users?q=nguyenvana")
        admin.click("text=nguyenvana")
        admin.once("dialog", lambda d: d.accept())
        admin.click("button:has-text('Kết thúc mọi phiên của người dùng')")
        admin.wait_for_selector("text=Đã kết thúc 1 phiên đăng nhập")
        deputy.locator("a[href='/tasks/']").first.click()
        deputy.wait_for_url(lambda url: "/login" in url)
        assert deputy.locator("#username").is_visible()
    finally:
        for c in (deputy_ctx, head_ctx, admin_ctx):
            c.close()
