"""The send-up of an issued report (workflow.REPORT_SENDUP): every allowed and refused move, and
each agency's standing on the province's request (consolidation.sendup_status)."""
import itertools
from datetime import date

import pytest

from app.domain import workflow as wf
from app.domain.consolidation import sendup_status

ACTORS = ["agency", "province", "office", "leader"]
ALLOWED = {
    ("unsent", "send_up", "agency"): "sent",
    ("sent", "province_return", "province"): "returned",
    ("sent", "province_accept", "province"): "accepted",
}
CASES = [(s, t.name, a, ALLOWED.get((s, t.name, a)))
         for s, t, a in itertools.product(wf.REPORT_SENDUP.states, wf.REPORT_SENDUP.transitions, ACTORS)]


@pytest.mark.parametrize("state,name,actor,expected", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_every_move(state, name, actor, expected):
    if expected:
        assert wf.move(wf.REPORT_SENDUP, state, name, {actor}, "lý do") == expected
        assert name in [t.name for t in wf.REPORT_SENDUP.available(state, {actor})]
    else:
        with pytest.raises(wf.TransitionRefused):
            wf.move(wf.REPORT_SENDUP, state, name, {actor}, "lý do")
        assert name not in [t.name for t in wf.REPORT_SENDUP.available(state, {actor})]


def test_a_return_needs_its_reason_and_accepted_is_final():
    with pytest.raises(wf.TransitionRefused, match="cần ghi rõ lý do"):
        wf.move(wf.REPORT_SENDUP, "sent", "province_return", {"province"}, "  ")
    assert wf.REPORT_SENDUP.available("accepted", set(ACTORS)) == []
    # a returned report is fixed through a new version, never sent again itself
    assert wf.REPORT_SENDUP.available("returned", set(ACTORS)) == []
    assert wf.WORKFLOWS["report_sendup"] is wf.REPORT_SENDUP


DEADLINE = date(2022, 6, 10)


@pytest.mark.parametrize("state,sent,today,key,label,late", [
    (None, None, date(2022, 6, 9), "missing", "Chưa gửi", False),
    (None, None, date(2022, 6, 10), "missing", "Chưa gửi", False),
    (None, None, date(2022, 6, 15), "overdue", "Chưa gửi (quá hạn 5 ngày)", True),
    ("sent", date(2022, 6, 10), date(2022, 6, 15), "on_time", "Đã gửi đúng hạn", False),
    ("sent", date(2022, 6, 14), date(2022, 6, 15), "late", "Gửi muộn 4 ngày", False),
    ("returned", date(2022, 6, 8), date(2022, 6, 15), "returned", "Bị trả lại", True),
    ("returned", date(2022, 6, 8), date(2022, 6, 9), "returned", "Bị trả lại", False),
    ("accepted", date(2022, 6, 12), date(2022, 6, 15), "accepted", "Đã tiếp nhận (gửi muộn 2 ngày)", False),
])
def test_sendup_status(state, sent, today, key, label, late):
    s = sendup_status(state, sent, DEADLINE, today)
    assert (s.key, s.label, s.is_late) == (key, label, late)
    assert s.remindable == (key in ("missing", "overdue", "returned"))
