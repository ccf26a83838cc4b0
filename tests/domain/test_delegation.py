"""The pure delegation rules: dates inclusive, plan scope, revoked, creation checks."""
from datetime import date

from app.domain.delegation import Grant, check_new, is_active, overlaps, status

D = date(2022, 5, 20)


def grant(start=date(2022, 5, 16), end=date(2022, 5, 20), plan_id=None, revoked=False):
    return Grant(id=1, kind="unit_head", delegator_id=1, unit_id=3, agency_id=1, plan_id=plan_id,
                 starts_on=start, ends_on=end, revoked=revoked)


def test_both_ends_are_inclusive():
    g = grant()
    assert is_active(g, date(2022, 5, 16)) and is_active(g, date(2022, 5, 20))
    assert not is_active(g, date(2022, 5, 15)) and not is_active(g, date(2022, 5, 21))


def test_one_day_delegation():
    g = grant(D, D)
    assert is_active(g, D) and not is_active(g, date(2022, 5, 21))


def test_revoked_gives_nothing():
    assert not is_active(grant(revoked=True), D)


def test_plan_scope():
    all_plans, one = grant(), grant(plan_id=7)
    assert is_active(all_plans, D, 7) and is_active(all_plans, D, None)
    assert is_active(one, D, 7)
    assert not is_active(one, D, 8)
    assert not is_active(one, D, None)  # a one-plan delegation gives no rights outside plans


def test_status():
    assert status(date(2022, 5, 21), date(2022, 5, 30), False, D) == "upcoming"
    assert status(D, D, False, D) == "active"
    assert status(date(2022, 5, 1), date(2022, 5, 19), False, D) == "expired"
    assert status(D, D, True, D) == "revoked"


def test_check_new():
    assert check_new(None, None, D) == {"starts_on": "Nhập ngày bắt đầu (dd/mm/yyyy).",
                                        "ends_on": "Nhập ngày kết thúc (dd/mm/yyyy)."}
    assert "ends_on" in check_new(date(2022, 5, 25), date(2022, 5, 24), D)
    assert check_new(date(2022, 5, 1), date(2022, 5, 19), D)["ends_on"].startswith("Ngày kết thúc đã qua")
    assert check_new(date(2022, 5, 1), D, D) == {}   # started before, still running today: fine


def test_overlaps():
    assert overlaps(date(2022, 5, 1), date(2022, 5, 10), date(2022, 5, 10), date(2022, 5, 20))
    assert not overlaps(date(2022, 5, 1), date(2022, 5, 9), date(2022, 5, 10), date(2022, 5, 20))
