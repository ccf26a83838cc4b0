import io
import json

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.catalog import demo as catalog_demo
from app.clock import today
from app.extensions import db
from app.models import Procedure, ProcedureChange
from tests.reviews.helpers import make_procedure


def _body(r):
    return r.get_data(as_text=True)


def test_list_shows_seed_counts_and_accent_insensitive_search(world, as_user):
    catalog_demo.load(today())
    c = as_user(world.staff_a)  # everyone logged in reads the catalog
    r = c.get("/catalog/")
    body = _body(r)
    assert r.status_code == 200
    assert 'id="count-published">109<' in body and 'id="count-one-stop">56<' in body
    assert 'id="count-interconnected">33<' in body and 'id="count-postal">98<' in body
    assert 'id="count-online">109<' in body
    assert "Thêm TTHC" not in body  # staff may not edit
    r = c.get("/catalog/?q=bao tro", headers={"HX-Request": "true", "HX-Target": "rows"})
    frag = _body(r)
    assert "<html" not in frag and "Bảo trợ xã hội" in frag
    assert "Việc làm" not in frag
    r = c.get("/catalog/?q=khuyet tat")
    assert "Xác định, xác định lại mức độ khuyết tật" in _body(r)
    r = c.get("/catalog/?q=1.001776")
    assert "1.001776" in _body(r) and "1 dòng" in _body(r)


def test_filters_and_pagination(world, as_user):
    catalog_demo.load(today())
    c = as_user(world.office_user)
    body = _body(c.get("/catalog/?level=Cấp xã&mechanism=interconnected"))
    assert "Cấp tỉnh</td>" not in body
    body = _body(c.get("/catalog/?status=abolished"))
    assert "1.000999" in body and "1.001776" not in body
    body = _body(c.get("/catalog/?page=2"))
    assert "Trang 2/5" in body


def test_create_records_history_and_edit_shows_old_to_new(world, as_user):
    c = as_user(world.office_user)
    form = {"code": "1.001776", "name": "Thủ tục trợ cấp xã hội hàng tháng", "field": "Bảo trợ xã hội",
            "level": "Cấp xã", "lead_unit": "BTXH", "processing": "20", "one_stop": "x",
            "online_service": "partial", "status": "active"}
    r = c.post("/catalog/new", data=form)
    assert r.status_code == 302
    p = db.session.scalar(select(Procedure).where(Procedure.code == "1.001776"))
    assert p.name_folded == "thu tuc tro cap xa hoi hang thang" and p.lead_unit_id == world.div_a.id
    assert p.processing_days == 20 and p.one_stop and not p.postal
    r = c.post(f"/catalog/{p.id}/edit", data={**form, "processing": "2,5", "postal": "x"})
    assert r.status_code == 302
    body = _body(c.get(f"/catalog/{p.id}"))
    assert "<del>20</del> → <ins>2,5</ins>" in body
    assert "Qua bưu chính công ích: <ins>x</ins>" in body
    assert "Nguyễn Văn Phòng" in body
    changes = db.session.scalars(select(ProcedureChange).where(ProcedureChange.procedure_id == p.id)).all()
    assert [ch.action for ch in changes] == ["create", "update"]
    assert json.loads(changes[1].changes)["processing"] == ["20", "2,5"]


def test_validation_errors_keep_input(world, as_user):
    make_procedure("1.000001", "Đã có")
    db.session.commit()
    c = as_user(world.admin)
    r = c.post("/catalog/new", data={"code": "1.000001", "name": "Thủ tục mới gõ dở", "processing": "hai mươi",
                                     "level": "Cấp thôn", "status": "active"})
    body = _body(r)
    assert r.status_code == 400
    assert "Mã “1.000001” đã có trong danh mục." in body
    assert "Thời hạn giải quyết phải là số ngày làm việc" in body
    assert "Cấp thực hiện phải là một trong" in body
    assert "Thủ tục mới gõ dở" in body and 'value="hai mươi"' in body
    assert db.session.scalar(select(func.count(Procedure.id))) == 1
    r = c.post("/catalog/new", data={"code": "", "name": "", "status": "replaced"})
    body = _body(r)
    assert "Nhập mã TTHC." in body and "Nhập tên thủ tục hành chính." in body
    assert "nhập mã TTHC thay thế" in body


def test_only_admin_and_office_edit(world, as_user):
    p = make_procedure("1.000002", "Thủ tục A")
    db.session.commit()
    for user in (world.staff_a, world.head_a, world.leader, world.local_user):
        c = as_user(user)
        assert c.get("/catalog/new").status_code == 403
        assert c.post(f"/catalog/{p.id}/edit", data={"code": "x", "name": "y"}).status_code == 403
        assert c.get("/catalog/import").status_code == 403
        assert c.get(f"/catalog/{p.id}").status_code == 200
    assert as_user(world.office_user).get(f"/catalog/{p.id}/edit").status_code == 200
    assert as_user(world.office_user).get("/catalog/99999").status_code == 404


def _xlsx(rows, header=None, title_rows=0):
    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH"])
    ws.append(header or ["STT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện",
                         "Thời hạn giải quyết", "Một cửa", "Liên thông", "Bưu chính công ích",
                         "Mức độ DVC", "Cột lạ"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_import_preview_then_confirm_then_reimport_updates(world, as_user):
    c = as_user(world.office_user)
    f = _xlsx([
        [1, "1.001776", "Trợ cấp xã hội hàng tháng", "Bảo trợ xã hội", "Xã", "20 ngày làm việc", "x", "", "x", "Mức độ 4", "?"],
        [2, "1.001758", "Xác định mức độ khuyết tật", "Bảo trợ xã hội", "Cấp Xã, Cấp Huyện", "Không quy định", "x", "", "", "DVC trực tuyến một phần", ""],
        [3, "", "Thiếu mã", "", "", "abc", "", "", "", "", ""],
        [4, "1.001776", "Trùng mã", "", "", "", "", "", "", "", ""],
    ], title_rows=2)
    r = c.post("/catalog/import", data={"file": (f, "danh-muc.xlsx")}, content_type="multipart/form-data")
    body = _body(r)
    assert r.status_code == 200
    assert "Thêm mới <strong>2</strong>" in body and "dòng lỗi <strong class=\"bad\">2</strong>" in body
    assert "Mã TTHC: Nhập mã TTHC." in body and "lặp lại trong tệp" in body
    assert "Cột lạ" in body and "STT" in body  # ignored columns are listed
    assert db.session.scalar(select(func.count(Procedure.id))) == 0  # nothing saved before confirming
    token = body.split("/catalog/import/")[1].split("/confirm")[0]
    assert as_user(world.admin).post(f"/catalog/import/{token}/confirm").status_code == 404  # not theirs
    c = as_user(world.office_user)
    r = c.post(f"/catalog/import/{token}/confirm")
    assert r.status_code == 302
    procs = {p.code: p for p in db.session.scalars(select(Procedure))}
    assert set(procs) == {"1.001776", "1.001758"}
    p = procs["1.001776"]
    assert p.level == "Cấp xã" and p.processing_days == 20 and p.online_service == "full" and p.postal
    assert procs["1.001758"].processing_days is None and procs["1.001758"].processing_text == "Không quy định"
    assert procs["1.001758"].level == "Cấp xã" and procs["1.001758"].online_service == "partial"
    # Re-import: same code updates, blank cells keep what is there, no duplicate.
    f = _xlsx([[1, "1.001776", "Trợ cấp xã hội hàng tháng (sửa)", "", "", "15", "", "", "", "", ""]])
    r = c.post("/catalog/import", data={"file": (f, "lan2.xlsx")}, content_type="multipart/form-data")
    assert "cập nhật <strong>1</strong>" in _body(r)
    token = _body(r).split("/catalog/import/")[1].split("/confirm")[0]
    c.post(f"/catalog/import/{token}/confirm")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Procedure.id))) == 2
    p = db.session.get(Procedure, p.id)
    assert p.name == "Trợ cấp xã hội hàng tháng (sửa)" and p.processing_days == 15
    assert p.level == "Cấp xã" and p.postal  # kept
    assert p.name_folded == "tro cap xa hoi hang thang (sua)"
    last = db.session.scalars(select(ProcedureChange).where(ProcedureChange.procedure_id == p.id)
                              .order_by(ProcedureChange.id.desc())).first()
    assert last.action == "import" and json.loads(last.changes)["processing"] == ["20", "15"]
    assert c.post(f"/catalog/import/{token}/confirm").status_code == 404  # used up


def test_import_refuses_bad_files(world, as_user):
    c = as_user(world.office_user)
    r = c.post("/catalog/import", data={"file": (io.BytesIO(b"hello"), "a.xlsx")},
               content_type="multipart/form-data")
    assert r.status_code == 400 and "không phải Excel" in _body(r)
    r = c.post("/catalog/import", data={"file": (io.BytesIO(b"x"), "a.csv")}, content_type="multipart/form-data")
    assert r.status_code == 400 and "Chỉ nhận tệp Excel .xlsx." in _body(r)
    r = c.post("/catalog/import", data={}, content_type="multipart/form-data")
    assert "Chọn tệp Excel" in _body(r)
    r = c.post("/catalog/import", data={"file": (_xlsx([["a"]], header=["Cột 1", "Cột 2"]), "a.xlsx")},
               content_type="multipart/form-data")
    assert r.status_code == 400 and "Không tìm thấy dòng tiêu đề" in _body(r)


def test_template_and_export_round_trip(world, as_user):
    catalog_demo.load(today())
    c = as_user(world.office_user)
    r = c.get("/catalog/template.xlsx")
    ws = load_workbook(io.BytesIO(r.data)).active
    assert ws["A1"].value == "Mã TTHC" and ws["B1"].value == "Tên thủ tục hành chính"
    r = c.get("/catalog/export.xlsx?q=bao tro")
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows and all(row[2] == "Bảo trợ xã hội" for row in rows)
    # The export re-imports as "unchanged" (no duplicates).
    r = c.post("/catalog/import", data={"file": (io.BytesIO(c.get("/catalog/export.xlsx?q=bao tro").data), "x.xlsx")},
               content_type="multipart/form-data")
    assert f"không đổi <strong>{len(rows)}</strong>" in _body(r)


def test_catalog_counts_by_unit(world):
    from app.catalog.services import catalog_counts
    make_procedure("1", "A", one_stop=True, lead_unit_id=world.div_a.id, online_service="full")
    make_procedure("2", "B", level="Cấp tỉnh", internal=True, lead_unit_id=world.div_b.id)
    make_procedure("3", "C", status="abolished", lead_unit_id=world.div_a.id)
    db.session.commit()
    c = catalog_counts(world.div_a.id)
    assert c["published"] == 1 and c["one_stop"] == 1 and c["online_full"] == 1 and c["by_level"] == {"Cấp xã": 1}
    # Internal procedures are counted apart from the published (public) ones.
    assert catalog_counts()["internal"] == 1 and catalog_counts()["published"] == 1


def test_large_import_is_one_light_preview_and_one_commit(world, as_user):
    c = as_user(world.office_user)
    rows = [[i, f"1.{i:06d}", f"Thủ tục số {i}", "", "Cấp xã", "20", "x", "", "", "", ""] for i in range(600)]
    r = c.post("/catalog/import", data={"file": (_xlsx(rows), "lon.xlsx")}, content_type="multipart/form-data")
    body = _body(r)
    assert "Thêm mới <strong>600</strong>" in body and "… và 500 dòng hợp lệ khác." in body
    token = body.split("/catalog/import/")[1].split("/confirm")[0]
    c.post(f"/catalog/import/{token}/confirm")
    assert db.session.scalar(select(func.count(Procedure.id))) == 600
    assert db.session.scalar(select(func.count(ProcedureChange.id))) == 600


def test_unit_pickers_list_the_viewers_agency_only(world, client):
    """Province scale: the filter's and the form's units are the viewer's agency's own (codes
    repeat in every agency; a procedure's lead unit is of the agency owning it)."""
    from tests.conftest import login
    from tests.security.matrix_fixtures import build_x
    x = build_x()
    login(client, world.office_user)
    for url in ("/catalog/", "/catalog/new"):
        html = client.get(url).get_data(as_text=True)
        assert world.div_a.name in html, url
        assert x.div.name not in html, url          # Phòng Nghiệp vụ Y of Sở Y tế
    login(client, x.office)
    html = client.get("/catalog/").get_data(as_text=True)
    assert x.div.name in html and world.div_a.name not in html
