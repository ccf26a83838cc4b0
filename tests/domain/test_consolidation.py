from datetime import date
from decimal import Decimal

from app.domain.consolidation import AgencyFigures, consolidate, reporting_status

SO_LDTBXH = {"received_online": 32, "received_direct": 2999, "carried_over": 207, "resolved_early": 288,
             "resolved_on_time": 2237, "resolved_late": 0, "pending_in_time": 713, "pending_late": 0}


def test_the_province_total_is_the_sum_of_the_agencies():
    syt = {"received_online": 10, "received_direct": 5, "carried_over": 0, "resolved_early": 5,
           "resolved_on_time": 8, "resolved_late": 1, "pending_in_time": 1, "pending_late": 0}
    c = consolidate([AgencyFigures("Sở Lao động – Thương binh và Xã hội", SO_LDTBXH, 32, 13, 1000, 800),
                     AgencyFigures("Sở Y tế", syt, 10, 8, 500, 450)])
    assert c.problems == [] and c.total.received == 3238 + 15 and c.total.resolved == 2525 + 14
    assert c.total.received == c.total.resolved + c.total.pending
    assert c.days_current == 42 and c.days_proposed == 21 and c.time_cut_ratio == 0.5
    assert round(c.cost_cut_ratio, 4) == round(250 / 1500, 4)
    assert c.meets(20, 20) == {"time": True, "cost": False}
    assert c.meets(None, 20)["time"] is None


def test_a_set_that_does_not_add_up_blocks_the_total_and_names_agency_and_figure():
    typed = dict(SO_LDTBXH, resolved=3525)   # seed 001's typing error
    c = consolidate([AgencyFigures("Sở Lao động – Thương binh và Xã hội", typed),
                     AgencyFigures("Sở Y tế", {"received_online": 1, "resolved_on_time": 1})])
    assert c.total is None
    assert c.problems == [
        "Sở Lao động – Thương binh và Xã hội: Đã giải quyết (3.525) phải bằng trước hạn + đúng hạn + quá hạn "
        "(288 + 2.237 + 0 = 2.525)",
        "Sở Lao động – Thương binh và Xã hội: Tổng số hồ sơ đã tiếp nhận (3.238) phải bằng đã giải quyết "
        "+ đang giải quyết (3.525 + 713 = 4.238)"]
    assert len(c.rows) == 2 and c.rows[1][1].received == 1


def test_who_reported_on_time_late_or_not_yet():
    deadline = date(2022, 6, 15)
    sent = {"Sở Y tế": date(2022, 6, 14), "Sở Tư pháp": date(2022, 6, 17)}
    agencies = ["Sở Lao động – Thương binh và Xã hội", "Sở Y tế", "Sở Tư pháp"]
    before = reporting_status(agencies, sent, deadline, date(2022, 6, 10))
    assert before["missing"] == ["Sở Lao động – Thương binh và Xã hội"] and before["overdue"] == []
    after = reporting_status(agencies, sent, deadline, date(2022, 6, 20))
    assert after == {"on_time": ["Sở Y tế"], "late": ["Sở Tư pháp"], "missing": [],
                     "overdue": ["Sở Lao động – Thương binh và Xã hội"]}
    assert Decimal(0) == consolidate([]).days_current and consolidate([]).total.received == 0
