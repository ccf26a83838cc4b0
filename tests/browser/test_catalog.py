"""Catalog in Chromium: live accent-insensitive search, import preview then confirm."""

import pytest
from openpyxl import Workbook

from app.catalog import demo as catalog_demo
from app.clock import today
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_live_search_and_import(page, live_server, world, tmp_path):
    catalog_demo.load(today())
    base = live_server
    browser_login(page, base, "vanphong")
    page.goto(f"{base}/catalog/")
    assert page.locator("#count-published").inner_text() == "109"
    page.fill("main input[name=q]", "khuyet tat")
    page.locator("#rows").filter(has_text="1 dòng").wait_for()
    assert "Xác định, xác định lại mức độ khuyết tật" in page.locator("#catalog-table").inner_text()
    assert "q=khuyet%20tat" in page.url  # the filter is in the address (hx-push-url)
    page.select_option("select[name=mechanism]", "interconnected")
    page.locator("#catalog-table").filter(has_text="Không có TTHC nào").wait_for()

    wb = Workbook()
    wb.active.append(["Mã TTHC", "Tên thủ tục hành chính", "Cấp thực hiện", "Thời hạn giải quyết"])
    wb.active.append(["9.000001", "Thủ tục thử nghiệm nhập từ Excel", "Cấp xã", "10"])
    wb.active.append(["9.000002", "Thủ tục có lỗi", "Cấp thôn", "mười"])
    path = tmp_path / "nhap.xlsx"
    wb.save(path)
    page.goto(f"{base}/catalog/import")
    page.set_input_files("#import-file", str(path))
    page.get_by_role("button", name="Xem trước").click()
    page.locator("#import-summary").wait_for()
    assert "Thêm mới 1" in page.locator("#import-summary").inner_text()
    assert "Cấp thực hiện phải là một trong" in page.locator("#preview-table").inner_text()
    page.get_by_role("button", name="Xác nhận nhập 1 dòng (bỏ qua 1 dòng lỗi)").click()
    page.get_by_text("Đã nhập danh mục: thêm mới 1").wait_for()
    page.fill("main input[name=q]", "thu nghiem nhap")
    page.locator("#catalog-table").filter(has_text="9.000001").wait_for()
