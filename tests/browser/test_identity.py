"""Identity in real headless Chromium: a directory account logs in; the admin ends that user's
sessions and the old browser is sent to the login page on its next click."""
import pytest

from app.extensions import db
from app.models import DirectoryMapping
from tests.conftest import LDAP_SUFFIX, browser_login

pytestmark = pytest.mark.browser


def test_directory_login_then_admin_ends_the_session(browser, live_server, world, directory_on):
    db.session.add(DirectoryMapping(group_dn=f"cn=kstt-btxh-truongphong,ou=groups,{LDAP_SUFFIX}",
                                    unit_id=world.div_a.id, role="head", title="Trưởng phòng"))
    db.session.commit()
    base = live_server
    head_ctx, admin_ctx = browser.new_context(), browser.new_context()
    head, admin = head_ctx.new_page(), admin_ctx.new_page()
    try:
        browser_login(head, base, "tranthibinh", "Dir@2022b")
        assert "Trần Thị Bình" in head.content()
        browser_login(admin, base, "admin")
        admin.goto(f"{base}/admin/users?q=tranthibinh")
        admin.click("text=tranthibinh")
        assert admin.locator("#sessions tbody tr").count() == 1
        admin.once("dialog", lambda d: d.accept())
        admin.click("button:has-text('Kết thúc mọi phiên của người dùng')")
        admin.wait_for_selector("text=Đã kết thúc 1 phiên đăng nhập")
        # The directory user's browser still shows the page; its next click goes to the login page.
        head.locator("a[href='/tasks/']").first.click()
        head.wait_for_url(lambda url: "/login" in url)
        assert head.locator("#username").is_visible()
    finally:
        head_ctx.close()
        admin_ctx.close()
