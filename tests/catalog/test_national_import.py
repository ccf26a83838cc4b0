"""The catalog import reads the national TTHC database's and the provincial one-stop system's
exports: headers by name in any order, title, numbering and section rows, durations and fees in
words, a preview of what is new, changed (old → new) and no longer in force, never a delete."""
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.domain.catalogtext import (DurationError, is_numbering_row, parse_duration, parse_money,
                                    section_heading)
from app.extensions import db
from app.models import Procedure, ProcedureChange
from tests.reviews.helpers import make_procedure

HEADER = ["STT", "Tên thủ tục", "MÃ TTHC", "Cấp thực hiện", "Lĩnh vực", "Cơ quan thực hiện",
          "Thời hạn giải quyết", "Phí", "Lệ phí", "Mức độ / dịch vụ công trực tuyến",
          "Quyết định công bố", "Tình trạng hiệu lực"]


def national_export(agency_of_ours: str) -> io.BytesIO:
    """A file shaped like the national database's export (built here, no real file needed)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["CƠ SỞ DỮ LIỆU QUỐC GIA VỀ THỦ TỤC HÀNH CHÍNH"])
    ws.append(["Danh sách thủ tục hành chính", None, None, "Ngày xuất: 01/12/2026"])
    ws.append([])
    ws.append(HEADER)
    ws.append([f"({i})" for i in range(1, len(HEADER) + 1)])
    ws.append(["I", "Lĩnh vực Bảo trợ xã hội"])
    ws.append([1, "Trợ cấp xã hội hàng tháng", "1.001776", "Cấp Xã", "", "UBND cấp xã",
               "Trong thời hạn 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "Không", "Không",
               "Toàn trình", "Quyết định số 1234/QĐ-BLĐTBXH", "Còn hiệu lực"])
    ws.append([2, "Xác định mức độ khuyết tật", "1.001758", "Cấp xã", "", "UBND cấp xã",
               "05 ngày làm việc", "50.000 đồng/hồ sơ", "", "Một phần", "", "Còn hiệu lực"])
    ws.append([3, "Hỗ trợ chi phí mai táng", "2.000286", "Cấp xã", "", "UBND cấp xã", "10", "", "",
               "", "", "Hết hiệu lực"])
    ws.append(["II. Lĩnh vực Việc làm"])
    ws.append([4, "Cấp giấy phép dịch vụ việc làm", "1.009999", "Cấp Tỉnh", "", agency_of_ours,
               "03 tháng", "1,5 triệu đồng", "Lệ phí: 50.000đ", "Mức độ 2", "", "Còn hiệu lực"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.fixture
def catalog(world):
    make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", field="Bảo trợ xã hội", fees="Không")
    make_procedure("2.000286", "Hỗ trợ chi phí mai táng", field="Bảo trợ xã hội", days=10)
    make_procedure("1.000111", "Thủ tục cũ không còn trong tệp", field="Bảo trợ xã hội")
    make_procedure("1.000222", "Thủ tục lĩnh vực khác", field="Người có công")
    make_procedure("1.000333", "Thủ tục nội bộ", field="Bảo trợ xã hội", internal=True)
    db.session.commit()


def _preview(c, world, full=False):
    data = {"file": (national_export(world.div_a.name), "csdlqg.xlsx")}
    if full:
        data["full"] = "1"
    r = c.post("/catalog/import", data=data, content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_data(as_text=True)
    return body, body.split("/catalog/import/")[1].split("/confirm")[0]


def test_preview_says_new_changed_field_by_field_and_no_longer_in_force(world, as_user, catalog):
    c = as_user(world.office_user)
    body, _ = _preview(c, world, full=True)
    assert "Thêm mới <strong>2</strong>" in body and "cập nhật <strong>2</strong>" in body
    assert "dòng lỗi <strong class=\"\">0</strong>" in body  # title, numbering and section rows skipped
    assert ("Thời hạn giải quyết: <del>20</del> → <ins>Trong thời hạn 15 ngày làm việc kể từ ngày nhận "
            "đủ hồ sơ hợp lệ</ins>") in body
    assert "Cơ quan thực hiện: <del>—</del> → <ins>UBND cấp xã</ins>" in body
    assert "Dịch vụ công trực tuyến: <del>—</del> → <ins>Trực tuyến toàn trình</ins>" in body
    assert "Trạng thái: <del>Còn hiệu lực</del> → <ins>Đã bãi bỏ</ins>" in body
    assert "(hết hiệu lực)" in body and 'id="count-retire">2<' in body
    assert "1.000111 – Thủ tục cũ không còn trong tệp" in body
    assert "1.000222" not in body and "1.000333" not in body  # another field; internal
    assert "lĩnh vực: Bảo trợ xã hội, Việc làm" in body
    assert "thời hạn tính bằng tháng, không quy ra ngày làm việc (giữ nguyên chữ)" in body
    assert "Các cột không dùng: STT" in body
    assert db.session.scalar(select(func.count(Procedure.id))) == 5  # nothing saved yet


def test_confirm_updates_by_code_keeps_words_and_never_deletes(world, as_user, catalog):
    c = as_user(world.office_user)
    _, token = _preview(c, world, full=True)
    assert c.post(f"/catalog/import/{token}/confirm").status_code == 302
    db.session.expire_all()
    procs = {p.code: p for p in db.session.scalars(select(Procedure))}
    assert len(procs) == 7  # 5 + 2 new, none deleted
    p = procs["1.001776"]
    assert p.processing_days == 15 and p.processing_text.startswith("Trong thời hạn 15 ngày làm việc")
    assert (p.fees, p.fee_amount, p.charges, p.charge_amount) == ("Không", 0, "Không", 0)
    assert p.online_service == "full" and p.agency == "UBND cấp xã" and p.lead_unit_id is None
    assert p.decision == "Quyết định số 1234/QĐ-BLĐTBXH" and p.level == "Cấp xã"
    new = procs["1.001758"]
    assert new.field == "Bảo trợ xã hội"  # from its section row
    assert (new.processing_days, new.processing_text, new.fee_amount) == (5, None, 50000)
    assert new.fees == "50.000 đồng/hồ sơ" and new.online_service == "partial"
    job = procs["1.009999"]
    assert job.field == "Việc làm" and job.lead_unit_id == world.div_a.id  # the agency is one of ours
    assert (job.processing_days, job.processing_text) == (None, "03 tháng")
    assert (job.fee_amount, job.charges, job.charge_amount) == (1500000, "Lệ phí: 50.000đ", 50000)
    assert job.online_service == ""
    assert procs["2.000286"].status == "abolished"
    assert procs["1.000111"].status == "abolished"  # absent from the whole catalog: marked, kept
    assert procs["1.000222"].status == "active" and procs["1.000333"].status == "active"
    change = db.session.scalars(select(ProcedureChange).where(
        ProcedureChange.procedure_id == procs["1.000111"].id)).one()
    assert change.action == "import_absent"
    assert json.loads(change.changes) == {"status": ["Còn hiệu lực", "Đã bãi bỏ"]}
    page = c.get(f"/catalog/{procs['1.000111'].id}").get_data(as_text=True)
    assert "hết hiệu lực (không có trong danh mục đầy đủ đã nhập)" in page


def test_a_partial_file_marks_nothing_absent(world, as_user, catalog):
    c = as_user(world.office_user)
    body, token = _preview(c, world)
    assert "1.000111" not in body
    c.post(f"/catalog/import/{token}/confirm")
    db.session.expire_all()
    assert db.session.scalar(select(Procedure.status).where(Procedure.code == "1.000111")) == "active"
    assert db.session.scalar(select(Procedure.status).where(Procedure.code == "2.000286")) == "abolished"


def test_reimporting_the_same_export_changes_nothing(world, as_user, catalog):
    c = as_user(world.office_user)
    _, token = _preview(c, world)
    c.post(f"/catalog/import/{token}/confirm")
    body, _ = _preview(c, world)
    assert "Thêm mới <strong>0</strong>" in body and "cập nhật <strong>0</strong>" in body
    assert "không đổi <strong>4</strong>" in body


@pytest.mark.parametrize("text,days,kept", [
    ("20", Decimal(20), None), ("2,5", Decimal("2.5"), None), ("20 ngày làm việc", Decimal(20), None),
    ("05 ngày", Decimal(5), None),
    ("Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ", Decimal(5), "same"),
    ("10 ngày làm việc; trường hợp phải xác minh: 15 ngày làm việc", Decimal(10), "same"),
    ("Không quy định", None, "Không quy định"), ("khong quy dinh", None, "Không quy định"),
    ("03 tháng", None, "same"), ("04 giờ làm việc", None, "same"), ("Trong ngày", None, "same"),
    ("", None, None)])
def test_durations_in_words(text, days, kept):
    d = parse_duration(text)
    assert d.days == days and d.text == (text if kept == "same" else kept)


def test_a_duration_without_any_number_is_refused():
    with pytest.raises(DurationError):
        parse_duration("hai mươi ngày")


@pytest.mark.parametrize("text,amount", [
    ("Không", 0), ("Miễn phí", 0), ("Không thu phí", 0), ("0 đồng", 0), ("50.000 đồng", 50000),
    ("50.000 đồng/hồ sơ", 50000), ("Lệ phí: 50.000đ", 50000), ("50000 VNĐ", 50000),
    ("1,5 triệu đồng", 1500000), ("200 nghìn đồng", 200000), ("100000", 100000),
    ("Cấp mới: 100.000 đồng; cấp lại: 50.000 đồng", None), ("0,1% giá trị hợp đồng", None),
    ("Theo quy định của Bộ Tài chính", None), ("", None)])
def test_fees_in_words(text, amount):
    value, words = parse_money(text)
    assert value == (Decimal(amount) if amount is not None else None)
    assert words == (text or None)


def test_numbering_and_section_rows():
    assert is_numbering_row(["(1)", "(2)", "(3)", ""]) and is_numbering_row(["1", "2", "3"])
    assert not is_numbering_row(["1", "1.001776", "Tên"])
    assert section_heading(["I. Lĩnh vực Bảo trợ xã hội"]) == "Bảo trợ xã hội"
    assert section_heading(["II", "LĨNH VỰC VIỆC LÀM"]) == "VIỆC LÀM"
    assert section_heading(["A.", "Thủ tục hành chính cấp tỉnh"]) == "Thủ tục hành chính cấp tỉnh"
    assert section_heading(["3", "Thiếu mã"]) is None  # a procedure missing its code, not a heading
    assert section_heading(["Trợ cấp", "x", "y"]) is None


def test_two_row_header_with_merged_group(world, as_user):
    """'Phí, lệ phí' merged over 'Phí' | 'Lệ phí', as one-stop systems export it."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH MỤC TTHC THUỘC THẨM QUYỀN GIẢI QUYẾT"])
    ws.append(["Mã thủ tục", "Tên thủ tục hành chính", "Thời hạn giải quyết (ngày làm việc)", "Phí, lệ phí", None,
               "Mức độ DVC (toàn trình, một phần)"])
    ws.merge_cells("D2:E2")
    ws.append([None, None, None, "Phí", "Lệ phí", None])
    ws.append(["1.000001", "Cấp lại giấy chứng nhận", "7", "Không", "20.000 đồng", "DVC trực tuyến toàn trình"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    c = as_user(world.office_user)
    r = c.post("/catalog/import", data={"file": (buf, "motcua.xlsx")}, content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert "Thêm mới <strong>1</strong>" in body and "dòng lỗi <strong class=\"\">0</strong>" in body
    c.post(f"/catalog/import/{body.split('/catalog/import/')[1].split('/confirm')[0]}/confirm")
    p = db.session.scalar(select(Procedure))
    assert (p.processing_days, p.fees, p.fee_amount, p.charges, p.charge_amount, p.online_service) == \
        (7, "Không", 0, "20.000 đồng", 20000, "full")

