"""Per-unit figures: entry with consistency checks, overdue explanations, sending, the XLSX
import with its template, and who may see and change what."""
from io import BytesIO

from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.models import FigureEvent, FigureSet, OverdueCase

SEED_PRINTED = {  # seed 001 as printed, parts and totals
    "received_online": 32, "received_direct": 2999, "carried_over": 207, "resolved_early": 288,
    "resolved_on_time": 2237, "resolved_late": 0, "pending_in_time": 713, "pending_late": 0,
    "received": 3238, "received_new": 3031, "resolved": 3525, "pending": 713,
    "feedback_received": 0, "feedback_handled": 0}


def url(unit, key="2022-q2", tail=""):
    return f"/figures/{key}/{unit.id}{tail}"


def test_seed_001_figures_refused_with_the_figures_named_and_input_kept(world, as_user):
    c = as_user(world.staff_a)
    r = c.post(url(world.div_a), data=SEED_PRINTED)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Đã giải quyết (3.525) phải bằng trước hạn + đúng hạn + quá hạn (288 + 2.237 + 0 = 2.525)" in body
    assert 'value="3525"' in body and 'value="2999"' in body
    assert db.session.scalar(db.select(FigureSet)) is None


def test_unit_saves_corrected_figures_with_history(world, as_user):
    c = as_user(world.staff_a)
    r = c.post(url(world.div_a), data=SEED_PRINTED | {"resolved": 2525})
    assert r.status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert (fs.state, fs.received_direct, fs.resolved_on_time) == ("draft", 2999, 2237)
    page = c.get(url(world.div_a)).get_data(as_text=True)
    assert "3.238" in page and "2.525" in page and "713" in page
    c.post(url(world.div_a), data=SEED_PRINTED | {"resolved": None, "received": None,
                                                  "received_new": None, "pending": None,
                                                  "resolved_early": 289, "pending_in_time": 712})
    events = db.session.scalars(db.select(FigureEvent).order_by(FigureEvent.id)).all()
    assert events[-1].changes == {"resolved_early": [288, 289], "pending_in_time": [713, 712]}
    assert events[-1].actor_id == world.staff_a.id


def test_feedback_and_negative_checks(world, as_user):
    c = as_user(world.staff_a)
    r = c.post(url(world.div_a), data={"feedback_received": 1, "feedback_handled": 2})
    assert r.status_code == 400
    assert "Số phản ánh, kiến nghị đã xử lý (2) vượt quá số đã tiếp nhận (1)" in r.get_data(as_text=True)
    r = c.post(url(world.div_a), data={"received_online": -3})
    assert r.status_code == 400 and "Phải là số không âm." in r.get_data(as_text=True)


def test_overdue_explanations_required_before_sending(world, as_user):
    c = as_user(world.staff_a)
    c.post(url(world.div_a), data={"received_online": 3, "resolved_late": 1, "pending_late": 1,
                                   "resolved_on_time": 1})
    assert c.post(url(world.div_a, tail="/send")).status_code == 403  # staff do not send
    c = as_user(world.head_a)
    r = c.post(url(world.div_a, tail="/send"))
    assert r.status_code == 400
    assert ("Số hồ sơ quá hạn có giải trình (0) phải bằng quá hạn đã giải quyết + quá hạn đang "
            "giải quyết (1 + 1 = 2)") in r.get_data(as_text=True)
    r = c.post(url(world.div_a, tail="/overdue"), data={"dossier_code": "", "procedure_name": "",
                                                        "explanation": ""})
    assert r.status_code == 400 and "Nhập mã hồ sơ." in r.get_data(as_text=True)
    for code in ("000.00.01.H37-220401-0001", "000.00.01.H37-220402-0002"):
        assert c.post(url(world.div_a, tail="/overdue"), data={
            "dossier_code": code, "procedure_name": "Trợ cấp xã hội hằng tháng",
            "explanation": "Chờ xác minh của UBND xã."}).status_code == 302
    assert c.post(url(world.div_a, tail="/send")).status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert fs.state == "sent" and len(fs.overdue_cases) == 2
    # once sent the unit cannot change it any more
    c = as_user(world.staff_a)
    assert c.post(url(world.div_a), data={"received_online": 4}).status_code == 403
    case = db.session.scalar(db.select(OverdueCase))
    assert c.post(url(world.div_a, tail=f"/overdue/{case.id}/delete")).status_code == 403


def test_units_see_only_their_own_figures(world, as_user):
    db.session.add(FigureSet(unit_id=world.div_b.id, period_key="2022-q2", state="draft",
                             received_online=7, resolved_on_time=7))
    db.session.commit()
    c = as_user(world.staff_a)
    assert c.get(url(world.div_b)).status_code == 404
    assert c.post(url(world.div_b), data={"received_online": 1, "resolved_on_time": 1}).status_code == 404
    overview = c.get("/figures/2022-q2").get_data(as_text=True)
    assert world.div_a.name in overview and world.div_b.name not in overview
    c = as_user(world.office_user)
    overview = c.get("/figures/2022-q2").get_data(as_text=True)
    assert world.div_b.name in overview and world.div_a.name in overview
    assert c.get(url(world.div_b)).status_code == 200
    assert c.get(f"/figures/2022-q2/{world.leadership.id}").status_code == 404
    assert c.get("/figures/2022-q9").status_code == 404
    assert c.get("/figures/").headers["Location"].endswith("/figures/2022-q2")


def test_office_entry_counts_as_sent(world, as_user):
    c = as_user(world.office_user)
    assert c.post(url(world.div_b), data={"received_online": 5, "resolved_on_time": 5}).status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert fs.state == "sent" and fs.sent_at is not None
    assert c.post(url(world.div_b), data={"received_online": 6, "resolved_on_time": 6}).status_code == 302


def _workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Tên đơn vị"])
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_template_and_import(world, as_user):
    c = as_user(world.office_user)
    r = c.get("/figures/2022-q2/template.xlsx")
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.data)).active
    assert ws["A1"].value == "Mã đơn vị" and ws["C1"].value == "Tổng số hồ sơ tiếp nhận"
    codes = [ws.cell(i, 1).value for i in range(2, ws.max_row + 1)]
    assert "BTXH" in codes and "LD" not in codes
    assert ws["C2"].value == "=D2+E2+F2"
    # seed 001 as printed: refused whole, naming the row and the figures
    bad = [["BTXH", "x", 3238, 207, 32, 2999, 3525, 288, 2237, 0, 713, 713, 0, 0, 0],
           ["LDVL", "y", 2, 0, 1, 1, 2, 0, 2, 0, 0, 0, 0, 0, 0]]
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook(bad), "so-lieu.xlsx")},
               content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert ("Dòng 2 (Phòng Bảo trợ xã hội – Trẻ em): Đã giải quyết (3.525) phải bằng trước hạn + "
            "đúng hạn + quá hạn (288 + 2.237 + 0 = 2.525)") in body
    assert db.session.scalar(db.select(FigureSet)) is None
    good = [bad[0][:6] + [2525] + bad[0][7:], bad[1], ["", None]]
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook(good), "so-lieu.xlsx")},
               content_type="multipart/form-data")
    assert r.status_code == 302
    sets = {fs.unit_id: fs for fs in db.session.scalars(db.select(FigureSet))}
    assert sets[world.div_a.id].received_direct == 2999 and sets[world.div_a.id].state == "sent"
    assert sets[world.div_b.id].resolved_on_time == 2


def test_import_rejects_wrong_files_and_roles(world, as_user):
    c = as_user(world.office_user)
    r = c.post("/figures/2022-q2/import", data={"file": (BytesIO(b"not xlsx"), "a.xlsx")},
               content_type="multipart/form-data")
    assert r.status_code == 400 and "Tệp không đọc được" in r.get_data(as_text=True)
    r = c.post("/figures/2022-q2/import", data={"file": (BytesIO(b"x"), "a.exe")},
               content_type="multipart/form-data")
    assert r.status_code == 400 and "Chỉ nhận tệp .xlsx" in r.get_data(as_text=True)
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook([["ZZZ", "?", 1]]), "a.xlsx")},
               content_type="multipart/form-data")
    assert "không có đơn vị mã “ZZZ”" in r.get_data(as_text=True)
    c = as_user(world.head_a)
    assert c.get("/figures/2022-q2/template.xlsx").status_code == 403
    assert c.post("/figures/2022-q2/import").status_code == 403


def test_figures_typed_the_vietnamese_way(world, as_user):
    """Issue 14: '3.238' and '2.999' were refused with "Not a valid integer value."."""
    c = as_user(world.staff_a)
    typed = {k: (f"{v:,}".replace(",", ".") if isinstance(v, int) else v) for k, v in SEED_PRINTED.items()}
    assert typed["received_direct"] == "2.999" and typed["received"] == "3.238"
    r = c.post(url(world.div_a), data=typed)
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Not a valid" not in body
    assert "Đã giải quyết (3.525) phải bằng trước hạn + đúng hạn + quá hạn (288 + 2.237 + 0 = 2.525)" in body
    assert 'value="3.525"' in body and 'value="2.999"' in body  # kept as typed
    r = c.post(url(world.div_a), data=typed | {"resolved": "2 525", "carried_over": "mười"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Giá trị phải là số nguyên (ví dụ 3.238)." in body
    assert 'value="mười"' in body and 'value="2 525"' in body
    assert c.post(url(world.div_a), data=typed | {"resolved": "2.525"}).status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert (fs.received_direct, fs.resolved_on_time) == (2999, 2237)
    page = c.get(url(world.div_a)).get_data(as_text=True)
    assert 'value="2.999"' in page and 'value="2.237"' in page


def test_office_entry_with_unexplained_overdue_dossiers_needs_a_confirmation(world, as_user):
    """Issue 14: the office's entry counts as sent at once; with late dossiers and no explanation
    it used to go through silently. Now the missing count is shown and a confirmation recorded."""
    c = as_user(world.office_user)
    data = {"received_online": "5", "resolved_on_time": "2", "resolved_late": "1", "pending_late": "2"}
    r = c.post(url(world.div_b), data=data)
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Còn 3 hồ sơ quá hạn chưa có giải trình của Thủ trưởng đơn vị." in body
    assert 'id="confirm-missing"' in body and 'value="5"' in body
    assert db.session.scalar(db.select(FigureSet)) is None
    r = c.post(url(world.div_b), data=data | {"confirm_missing": "y"})
    assert r.status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert fs.state == "sent"
    ev = db.session.scalars(db.select(FigureEvent).order_by(FigureEvent.id)).all()[-1]
    assert (ev.action, ev.changes, ev.actor_id) == ("confirm_missing", {"missing_explanations": [None, 3]},
                                                    world.office_user.id)
    page = c.get(url(world.div_b)).get_data(as_text=True)
    assert 'id="missing-explanations"' in page and "Còn <strong>3</strong> hồ sơ quá hạn" in page
    assert "Xác nhận ghi nhận khi còn hồ sơ quá hạn chưa giải trình" in page and "3 hồ sơ chưa giải trình" in page
    # Figures without overdue dossiers need nothing more.
    assert c.post(url(world.div_a), data={"received_online": 4, "resolved_on_time": 4}).status_code == 302


def test_import_with_unexplained_overdue_dossiers_needs_a_confirmation(world, as_user):
    c = as_user(world.office_user)
    rows = [["BTXH", "x", 3, 0, 3, 0, 3, 0, 2, 1, 0, 0, 0, 0, 0],
            ["LDVL", "y", 2, 0, 1, 1, 2, 0, 2, 0, 0, 0, 0, 0, 0]]
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook(rows), "so-lieu.xlsx")},
               content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "Phòng Bảo trợ xã hội – Trẻ em: còn 1 hồ sơ quá hạn chưa có giải trình" in body
    assert 'name="confirm_missing"' in body and db.session.scalar(db.select(FigureSet)) is None
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook(rows), "so-lieu.xlsx"),
                                                "confirm_missing": "y"}, content_type="multipart/form-data")
    assert r.status_code == 302
    actions = {(e.figure_set_id, e.action) for e in db.session.scalars(db.select(FigureEvent))}
    sets = {fs.unit_id: fs.id for fs in db.session.scalars(db.select(FigureSet))}
    assert (sets[world.div_a.id], "confirm_missing") in actions
    assert (sets[world.div_b.id], "confirm_missing") not in actions


def test_import_accepts_numbers_typed_as_text(world, as_user):
    c = as_user(world.office_user)
    rows = [["BTXH", "x", "3.238", 207, 32, "2.999", "2.525", 288, "2.237", 0, 713, 713, 0, 0, 0]]
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook(rows), "so-lieu.xlsx")},
               content_type="multipart/form-data")
    assert r.status_code == 302
    fs = db.session.scalar(db.select(FigureSet))
    assert (fs.received_direct, fs.resolved_on_time) == (2999, 2237)
    rows = [["BTXH", "x", "1.5", 207, 32, "2,5", 0, 0, 0, 0, 0, 0, 0, 0, 0]]
    r = c.post("/figures/2022-q2/import", data={"file": (_workbook(rows), "so-lieu.xlsx")},
               content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Dòng 2: “Mới tiếp nhận trực tiếp, bưu chính” phải là số nguyên" in body


# ---- "Gửi Văn phòng Sở" posts the figures in the form with it (issue 17, item 2) -------------

def test_send_button_sits_in_the_figure_form(world, as_user):
    import re
    c = as_user(world.head_a)
    c.post(url(world.div_a), data={"received_online": 3, "resolved_on_time": 3})
    body = c.get(url(world.div_a)).get_data(as_text=True)
    form = re.search(r'<form[^>]*class="figure-form".*?</form>', body, re.S).group(0)
    assert f'formaction="{url(world.div_a, tail="/send")}"' in form and "Gửi Văn phòng Sở" in form


def test_send_saves_the_figures_typed_without_saving_first(world, as_user):
    c = as_user(world.head_a)
    c.post(url(world.div_a), data={"received_online": 3, "resolved_on_time": 3})
    r = c.post(url(world.div_a, tail="/send"), data={"received_online": 5, "resolved_on_time": 5})
    assert r.status_code == 302
    db.session.expire_all()
    fs = db.session.scalar(db.select(FigureSet))
    assert (fs.state, fs.received_online, fs.resolved_on_time) == ("sent", 5, 5)
    actions = [e.action for e in sorted(fs.events, key=lambda e: e.id)]
    assert actions[-2:] == ["save", "send"]


def test_send_with_inconsistent_figures_is_refused_and_keeps_them(world, as_user):
    c = as_user(world.head_a)
    c.post(url(world.div_a), data={"received_online": 3, "resolved_on_time": 3})
    r = c.post(url(world.div_a, tail="/send"), data={"received_online": 7, "resolved_on_time": 3,
                                                   "resolved": 9})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'value="7"' in body and 'value="9"' in body and "Đã giải quyết (9)" in body
    db.session.expire_all()
    fs = db.session.scalar(db.select(FigureSet))
    assert (fs.state, fs.received_online) == ("draft", 3)
