import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_login_in_chromium(page, live_server, world):
    browser_login(page, live_server, "cv_btxh")
    assert "Trang chủ" in page.content()
    assert page.locator(".who").inner_text().startswith("Lê Chuyên A")
