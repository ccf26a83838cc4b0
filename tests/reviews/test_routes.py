import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models.review import ProcedureReview
from app.reviews.services import review_totals
from tests.reviews.helpers import make_procedure, make_review_task, set_state


def _body(r):
    return r.get_data(as_text=True)


def _two_procedures():
    a = make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", days=20)
    b = make_procedure("1.001758", "Xác định mức độ khuyết tật", days=12)
    db.session.flush()
    return a, b


def _version(task):
    db.session.expire_all()
    return db.session.get(type(task), task.id).submission.version


def _state(task):
    db.session.expire_all()
    return db.session.get(type(task), task.id).submission.state


def _fill(current, proposed, **extra):
    data = {"current_days": current, "proposed_days": proposed, "proposal": "amend",
            "legal_change": "Điều 5 Nghị định 20/2021/NĐ-CP", "recommendation": "Trình UBND tỉnh",
            "time_necessary": "yes", "time_reasonable": "no", "time_lawful": "yes",
            "time_reason": "Thời hạn dài hơn thực tế"}
    data.update(extra)
    return data


def test_fill_save_submit_approve_accept_totals(world, as_user):
    a, b = _two_procedures()
    task = make_review_task(world, procedures=[a, b])
    r1, r2 = db.session.scalars(select(ProcedureReview).order_by(ProcedureReview.position)).all()
    c = as_user(world.staff_a)
    body = _body(c.get(f"/reviews/item/{r1.id}"))
    assert 'value="20"' in body and "Lưu bản nháp" in body  # current days prefilled from the catalog
    r = c.post(f"/reviews/item/{r1.id}", data=_fill("20", "8"))
    assert r.status_code == 302
    r = c.post(f"/reviews/item/{r2.id}", data=_fill("12", "5", cost_phase=["before", "after"],
                                                   cost_activity=["Nộp hồ sơ", "Nộp trực tuyến"],
                                                   cost_hours=["4", "2"], cost_income_per_hour=["25.000", "25.000"],
                                                   cost_fees=["", ""], cost_other_costs=["20000", ""],
                                                   cost_per_year=["100", "100"]))
    assert r.status_code == 302
    body = _body(c.get(f"/reviews/item/{r2.id}"))
    assert "Cắt giảm <strong>7</strong> ngày, tỷ lệ <strong>58,33 %</strong>" in body
    assert 'value="Nộp hồ sơ"' in body and "12.000.000" in body and "5.000.000" in body
    body = _body(c.get(f"/reviews/task/{task.id}"))
    assert "59,38 %" in body and "chỉ tiêu ≥ 30 % · Đạt" in body and "target-met" in body
    # Not accepted yet: the report's totals do not count it.
    assert review_totals().reviewed == 0
    # The review's state is the task's submission: submit -> approve -> accept on the lead's routes.
    c.post(f"/tasks/{task.id}/result", data={"result_text": "Đã rà soát 02 TTHC cấp xã.",
                                             "version": _version(task)})
    r = c.post(f"/tasks/{task.id}/transition/submit", data={"version": _version(task)})
    assert r.status_code == 302 and _state(task) == "submitted"
    r = c.post(f"/reviews/item/{r1.id}", data=_fill("20", "1"))
    assert r.status_code == 403  # locked once submitted
    assert "locked-note" in _body(c.get(f"/reviews/item/{r1.id}"))
    head = as_user(world.head_a)
    head.post(f"/tasks/{task.id}/transition/approve", data={"version": _version(task)})
    assert _state(task) == "approved"
    office = as_user(world.office_user)
    assert "Lưu bản nháp" not in _body(office.get(f"/reviews/item/{r1.id}"))  # office reads, not edits
    office.post(f"/tasks/{task.id}/transition/accept", data={"version": _version(task)})
    assert _state(task) == "accepted"
    t = review_totals()
    assert (t.reviewed, t.days_current, t.days_proposed, t.days_cut) == (2, 32, 13, 19)
    assert t.cut_ratio == Decimal("0.59375")
    assert t.cost_before == 12_000_000 and t.cost_after == 5_000_000
    assert t.proposals == {"keep": 0, "amend": 2, "replace": 0, "abolish": 0}
    body = _body(office.get(f"/reviews/plan/{task.plan_id}?accepted=1"))
    assert 'id="plan-cut"' in body and "59,38 %" in body and "(19/32 ngày)" in body


def test_bad_numbers_give_messages_and_keep_input(world, as_user):
    a, b = _two_procedures()
    make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    c = as_user(world.staff_a)
    cases = [
        (_fill("-3", "1"), "Thời hạn hiện hành không được âm."),
        (_fill("12", "15"), "Thời hạn đề xuất không được lớn hơn thời hạn hiện hành."),
        (_fill("mười hai", "5"), "Thời hạn hiện hành phải là số"),
        (_fill("", "5"), "Nhập thời hạn hiện hành để tính số ngày cắt giảm."),
        (_fill("12", "5", time_reason=""), "Ghi rõ lý do khi đánh giá “Không”."),
        (_fill("12", "5", cost_phase=["before"], cost_activity=["Nộp hồ sơ"], cost_hours=["hai"],
               cost_income_per_hour=["-1"], cost_fees=[""], cost_other_costs=[""], cost_per_year=["10"]),
         "Số giờ thực hiện phải là số"),
    ]
    for data, message in cases:
        r = c.post(f"/reviews/item/{review.id}", data=data)
        body = _body(r)
        assert r.status_code == 400, message
        assert message in body
        assert "Những gì bạn đã nhập vẫn được giữ nguyên" in body
        assert 'Điều 5 Nghị định 20/2021/NĐ-CP' in body  # typed text kept
        if "mười hai" in data["current_days"]:
            assert 'value="mười hai"' in body
    assert "Thu nhập bình quân/giờ (đồng) không được âm." in body and 'value="hai"' in body
    db.session.expire_all()
    saved = db.session.get(ProcedureReview, review.id)
    assert saved.proposed_days is None and saved.proposal is None and not saved.cost_items


def test_live_cut_preview(world, as_user):
    c = as_user(world.staff_a)
    body = _body(c.get("/reviews/cut-preview?current_days=32&proposed_days=13"))
    assert "Cắt giảm <strong>19</strong> ngày, tỷ lệ <strong>59,38 %</strong>" in body
    assert "không được lớn hơn" in _body(c.get("/reviews/cut-preview?current_days=3&proposed_days=5"))
    assert "Nhập cả thời hạn" in _body(c.get("/reviews/cut-preview?current_days=3"))
    body = _body(c.get("/reviews/cut-preview?current_days=0&proposed_days=0"))
    # Issue 14: 0 -> 0 days was previewed as "Cắt giảm 0 ngày"; it is refused, with the reason.
    assert "Cắt giảm" not in body and "Thời hạn hiện hành bằng 0 ngày" in body


def test_other_units_cannot_see_or_edit(world, as_user):
    a, _ = _two_procedures()
    task = make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    for user in (world.staff_b, world.head_b, world.local_user):
        c = as_user(user)
        assert c.get(f"/reviews/task/{task.id}").status_code == 404
        assert c.get(f"/reviews/item/{review.id}").status_code == 404
        assert c.post(f"/reviews/item/{review.id}", data=_fill("20", "8")).status_code == 404
        assert f"/reviews/task/{task.id}" not in _body(c.get("/reviews/"))
    # Unassigned staff of the same unit read but may not write; the office reads drafts only once approved.
    c = as_user(world.staff_a2)
    assert c.post(f"/reviews/item/{review.id}", data=_fill("20", "8")).status_code == 403
    c = as_user(world.office_user)
    assert c.get(f"/reviews/item/{review.id}").status_code == 404
    assert "đang thực hiện" in _body(c.get(f"/reviews/task/{task.id}"))
    set_state(task, "approved")
    assert c.get(f"/reviews/item/{review.id}").status_code == 200
    assert c.post(f"/reviews/item/{review.id}", data=_fill("20", "8")).status_code == 403
    # The head of the unit edits a returned submission.
    set_state(task, "returned")
    assert as_user(world.head_a).post(f"/reviews/item/{review.id}", data=_fill("20", "8")).status_code == 302


def test_office_picks_procedures(world, as_user):
    a, b = _two_procedures()
    task = make_review_task(world, procedures=[a])
    c = as_user(world.office_user)
    body = _body(c.get(f"/reviews/task/{task.id}/candidates?q=khuyet tat"))
    assert "1.001758" in body and "1.001776" not in body  # already on the task
    assert c.post(f"/reviews/task/{task.id}/procedures", data={"procedure_id": b.id}).status_code == 302
    assert len(db.session.scalars(select(ProcedureReview)).all()) == 2
    assert as_user(world.staff_a).post(f"/reviews/task/{task.id}/procedures",
                                       data={"procedure_id": b.id}).status_code == 403
    assert as_user(world.staff_a).get(f"/reviews/task/{task.id}/candidates?q=a").data.count(b"<form") == 0
    # Removing a filled review is refused with the reason; an empty one goes.
    first = db.session.scalar(select(ProcedureReview).where(ProcedureReview.procedure_id == a.id))
    as_user(world.staff_a).post(f"/reviews/item/{first.id}", data=_fill("20", "8"))
    c = as_user(world.office_user)
    r = c.post(f"/reviews/item/{first.id}/remove", follow_redirects=True)
    assert "đơn vị đã nhập kết quả rà soát" in _body(r)
    second = db.session.scalar(select(ProcedureReview).where(ProcedureReview.procedure_id == b.id))
    c.post(f"/reviews/item/{second.id}/remove")
    assert len(db.session.scalars(select(ProcedureReview)).all()) == 1


def test_plan_targets_and_export(world, as_user):
    a, b = _two_procedures()
    task = make_review_task(world, procedures=[a, b])
    r1, r2 = db.session.scalars(select(ProcedureReview).order_by(ProcedureReview.position)).all()
    staff = as_user(world.staff_a)
    staff.post(f"/reviews/item/{r1.id}", data=_fill("20", "8"))
    staff.post(f"/reviews/item/{r2.id}", data=_fill("12", "5", proposal="keep"))
    set_state(task, "accepted")
    c = as_user(world.office_user)
    r = c.post(f"/reviews/plan/{task.plan_id}/targets", data={"time_cut_target": "70", "cost_cut_target": "abc",
                                                              "simplified_target": "120"})
    body = _body(r)
    assert r.status_code == 400 and "phải là số" in body and "không vượt quá 100 %" in body and 'value="abc"' in body
    c.post(f"/reviews/plan/{task.plan_id}/targets", data={"time_cut_target": "70", "simplified_target": "50"})
    body = _body(c.get(f"/reviews/plan/{task.plan_id}"))
    assert "chỉ tiêu ≥ 70 % · Chưa đạt" in body and "target-missed" in body
    assert "1/2 ·" in body and "50,00 %" in body
    assert as_user(world.staff_a).post(f"/reviews/plan/{task.plan_id}/targets",
                                       data={"time_cut_target": "1"}).status_code == 403
    wb = load_workbook(io.BytesIO(c.get(f"/reviews/plan/{task.plan_id}/export.xlsx").data))
    assert wb.sheetnames == ["Cắt giảm thời hạn", "Phiếu 02-RS-KSTT", "Chi phí tuân thủ"]
    ws = wb["Cắt giảm thời hạn"]
    cells = {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row if cell.value is not None}
    values = list(cells.values())
    assert "Tổng cộng (2 TTHC)" in values and "Chưa đạt" in values
    total_row = next(r for (r, col), v in cells.items() if v == "Tổng cộng (2 TTHC)")
    assert cells[(total_row, 6)] == "=SUM(F5:F6)" and cells[(total_row, 8)].startswith("=F")
    ws2 = wb["Phiếu 02-RS-KSTT"]
    flat = [c.value for row in ws2.iter_rows() for c in row]
    assert "Thời hạn dài hơn thực tế" in flat and "Sửa đổi, bổ sung" in flat and "Giữ nguyên" in flat


def test_every_save_is_kept_in_the_task_timeline(world, as_user):
    from app.models import SubmissionEvent
    a, _ = _two_procedures()
    task = make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    c = as_user(world.staff_a)
    c.post(f"/reviews/item/{review.id}", data=_fill("20", "10"))
    c.post(f"/reviews/item/{review.id}", data=_fill("20", "8", cost_phase=["before"], cost_activity=["Nộp hồ sơ"],
                                                   cost_hours=["2"], cost_income_per_hour=["25.000"],
                                                   cost_fees=[""], cost_other_costs=[""], cost_per_year=["10"]))
    events = db.session.scalars(select(SubmissionEvent).order_by(SubmissionEvent.id)).all()
    assert [e.action for e in events] == ["save", "save"]
    assert "Thời hạn: 20 → 10 ngày (cắt giảm 10 ngày, 50,00 %)" in events[0].snapshot
    assert "Thời hạn: 20 → 8 ngày (cắt giảm 12 ngày, 60,00 %)" in events[1].snapshot
    assert "Thời hạn giải quyết: cần thiết: có, hợp lý: không, hợp pháp: có — Thời hạn dài hơn thực tế" in events[1].snapshot
    assert "Chi phí (trước đơn giản hóa): Nộp hồ sơ — Số giờ thực hiện 2; Thu nhập bình quân/giờ (đồng) 25.000" in events[1].snapshot
    body = c.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Phiếu rà soát TTHC 1.001776" in body
    assert f'href="/reviews/task/{task.id}"' in body  # the task page leads to the review forms


def test_office_finds_review_tasks_without_procedures(world, as_user):
    task = make_review_task(world)
    body = as_user(world.office_user).get("/reviews/").get_data(as_text=True)
    assert 'id="pickable"' in body and f"/reviews/task/{task.id}" in body
    assert 'id="pickable"' not in as_user(world.staff_a).get("/reviews/").get_data(as_text=True)
    body = as_user(world.office_user).get(f"/reviews/task/{task.id}").get_data(as_text=True)
    assert 'id="pick-q"' in body


def test_pages_make_a_bounded_number_of_queries(world, as_user, app):
    from sqlalchemy import event
    from app.catalog import demo as catalog_demo
    from app.clock import today
    from app.models import Procedure
    catalog_demo.load(today())
    procs = db.session.scalars(select(Procedure).limit(30)).all()
    small = make_review_task(world, procedures=procs[:2])
    big = make_review_task(world, procedures=procs[2:30], plan=small.plan)
    set_state(small, "approved")
    set_state(big, "approved")
    c = as_user(world.office_user)
    counts = []

    def count(*_):
        if counts:
            counts[-1] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for url in (f"/reviews/task/{small.id}", f"/reviews/task/{small.id}", f"/reviews/task/{big.id}", "/catalog/?page=1",
                    "/catalog/?q=a&page=2", f"/reviews/plan/{small.plan_id}", f"/reviews/plan/{small.plan_id}/export.xlsx"):
            db.session.expire_all()  # requests share the test session: start each from the same state
            counts.append(0)
            assert c.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert counts[1] == counts[2], counts  # 2 or 28 procedures: the same queries (after a warm-up)
    # 13 for the page itself (the task's agency included since the province work), and the
    # sidebar's work counters: one COUNT per queue shown, three for the office.
    assert max(counts) <= 16, counts


def test_filled_review_forms_count_as_a_result(world, as_user):
    a, _ = _two_procedures()
    task = make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    c = as_user(world.staff_a)
    r = c.post(f"/tasks/{task.id}/transition/submit", data={"version": _version(task)})
    assert r.status_code == 409 and "điền phiếu rà soát" in _body(r)
    c.post(f"/reviews/item/{review.id}", data=_fill("20", "8"))
    r = c.post(f"/tasks/{task.id}/transition/submit", data={"version": _version(task)})
    assert r.status_code == 302 and _state(task) == "submitted"


# ---- issue 14: Vietnamese numbers, exact targets, zero and empty cases ----------------------

def test_review_days_and_costs_typed_the_vietnamese_way(world, as_user):
    a = make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", days=20)
    make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    c = as_user(world.staff_a)
    r = c.post(f"/reviews/item/{review.id}", data=_fill("1.234,5", "1.000", cost_phase=["before"],
                                                        cost_activity=["Nộp hồ sơ"], cost_hours=["2,5"],
                                                        cost_income_per_hour=["25 000"], cost_fees=["1.500"],
                                                        cost_other_costs=[""], cost_per_year=["3.238"]))
    assert r.status_code == 302
    db.session.expire_all()
    review = db.session.get(ProcedureReview, review.id)
    assert (review.current_days, review.proposed_days) == (Decimal("1234.5"), Decimal(1000))
    item = review.cost_items[0]
    assert (item.hours, item.income_per_hour, item.fees, item.per_year) == (2.5, 25000, 1500, 3238)
    body = _body(c.get(f"/reviews/item/{review.id}"))
    assert 'value="1.234,5"' in body and 'value="1.000"' in body and 'value="3.238"' in body
    assert 'value="2,5"' in body and 'value="25.000"' in body
    r = c.post(f"/reviews/item/{review.id}", data=_fill("20", "2,125"))
    assert r.status_code == 400 and "tối đa 2 chữ số thập phân" in _body(r) and 'value="2,125"' in _body(r)


def test_zero_days_and_zero_dossiers_are_refused(world, as_user):
    a = make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", days=0)
    make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    c = as_user(world.staff_a)
    r = c.post(f"/reviews/item/{review.id}", data=_fill("0", "0"))
    body = _body(r)
    assert r.status_code == 400 and "Thời hạn hiện hành bằng 0 ngày" in body and "Cắt giảm <strong>0" not in body
    db.session.expire_all()
    assert db.session.get(ProcedureReview, review.id).proposed_days is None
    # A cost with 0 dossiers (subjects) a year would be 0 whatever it costs: refused, row kept.
    r = c.post(f"/reviews/item/{review.id}", data=_fill("20", "8", cost_phase=["before"],
                                                        cost_activity=["Nộp hồ sơ"], cost_hours=["4"],
                                                        cost_income_per_hour=["25.000"], cost_fees=[""],
                                                        cost_other_costs=[""], cost_per_year=["0"]))
    body = _body(r)
    assert r.status_code == 400 and "Nhập số hồ sơ/năm lớn hơn 0" in body and 'value="Nộp hồ sơ"' in body
    r = c.post(f"/reviews/item/{review.id}", data=_fill("20", "8", cost_phase=["before"],
                                                        cost_activity=["Nộp hồ sơ"], cost_hours=["4"],
                                                        cost_income_per_hour=[""], cost_fees=[""],
                                                        cost_other_costs=[""], cost_per_year=[""]))
    assert r.status_code == 400 and "Nhập số hồ sơ/năm lớn hơn 0" in _body(r)


def test_target_missed_by_a_rounding_is_shown_as_missed(world, as_user):
    # 59,99 of 200 days cut = 29,995 %: two decimals would show 30,00 % against a 30 % target.
    a = make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", days=200)
    task = make_review_task(world, procedures=[a])
    review = db.session.scalar(select(ProcedureReview))
    staff = as_user(world.staff_a)
    assert staff.post(f"/reviews/item/{review.id}", data=_fill("200", "140,01")).status_code == 302
    set_state(task, "accepted")
    c = as_user(world.office_user)
    body = _body(c.get(f"/reviews/plan/{task.plan_id}"))
    assert "29,995 % — chưa đạt 30 %" in body and "target-missed" in body
    assert "30,00 %" not in body and "· Đạt" not in body
    assert "29,995 % — chưa đạt 30 %" in _body(c.get(f"/reviews/task/{task.id}"))
    wb = load_workbook(io.BytesIO(c.get(f"/reviews/plan/{task.plan_id}/export.xlsx").data))
    values = [cell.value for row in wb["Cắt giảm thời hạn"].iter_rows() for cell in row]
    assert "29,995 % — chưa đạt 30 %" in values and "Chỉ tiêu cắt giảm thời hạn tối thiểu: 30 %" in values


def test_targets_typed_with_percent_and_zero_or_empty_targets(world, as_user):
    a = make_procedure("1.001776", "Trợ cấp xã hội hàng tháng", days=20)
    task = make_review_task(world, procedures=[a])
    c = as_user(world.office_user)
    url = f"/reviews/plan/{task.plan_id}/targets"
    r = c.post(url, data={"time_cut_target": "0", "cost_cut_target": "", "simplified_target": ""})
    assert r.status_code == 400 and "Chỉ tiêu phải lớn hơn 0 %" in _body(r)
    assert c.post(url, data={"time_cut_target": "30 %", "cost_cut_target": "19,5",
                             "simplified_target": ""}).status_code == 302
    from app.models import Plan
    db.session.expire_all()
    plan = db.session.get(Plan, task.plan_id)
    assert (plan.time_cut_target, plan.cost_cut_target, plan.simplified_target) == (30, Decimal("19.5"), None)
    body = _body(c.get(f"/reviews/plan/{task.plan_id}"))
    assert 'value="19,5"' in body
    wb = load_workbook(io.BytesIO(c.get(f"/reviews/plan/{task.plan_id}/export.xlsx").data))
    values = [cell.value for row in wb["Chi phí tuân thủ"].iter_rows() for cell in row]
    assert "Chỉ tiêu cắt giảm chi phí tuân thủ tối thiểu: 19,5 %" in values and "Chưa đặt chỉ tiêu" in values
