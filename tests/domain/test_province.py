"""Province dashboard arithmetic: rates, seed 003's review rounds, reporting slots, ranking."""
from __future__ import annotations

from datetime import date

import pytest

from app.domain import province as p
from app.domain.deadlines import report_due

R1, R2 = p.REVIEW_ROUNDS


def test_rate():
    assert p.rate(3, 4) == 0.75
    assert p.rate(0, 5) == 0.0
    assert p.rate(2, 0) is None and p.rate(None, None) is None


def test_rounds_are_seed_003():
    assert (R1.deadline, R1.target) == (date(2023, 11, 30), 0.5)
    assert (R2.deadline, R2.target) == (date(2024, 11, 30), 1.0)
    assert R1.label == "Lần 1 (≥ 50 % trước 30/11/2023)"


@pytest.mark.parametrize("reviewed,total,on,state", [
    (5, 10, date(2023, 12, 1), "met"),         # exactly 50 % by the deadline
    (6, 10, date(2023, 6, 1), "met"),          # early
    (4, 10, date(2023, 12, 1), "missed"),      # deadline passed below target
    (4, 10, date(2023, 11, 30), "on_track"),   # still the deadline day: 40 % ≥ half of 50 %
    (2, 10, date(2023, 11, 30), "behind"),
    (0, 0, date(2023, 12, 1), "none"),         # no internal procedure: nothing to review
])
def test_round_one(reviewed, total, on, state):
    g = p.round_progress(R1, reviewed, total, on)
    assert g.state == state and g.state_label == p.ROUND_STATES[state]
    assert g.share == (reviewed / total if total else None)


def test_round_two_needs_every_procedure():
    assert p.round_progress(R2, 9, 10, date(2024, 12, 1)).state == "missed"
    assert p.round_progress(R2, 10, 10, date(2024, 12, 1)).state == "met"
    assert p.round_progress(R2, 5, 10, date(2024, 1, 1)).state == "on_track"


def _slots(year=2022):
    return p.report_slots(year, lambda q: report_due("yearly" if q == 4 else "quarterly", year, q))


def test_report_slots_and_which_are_due():
    slots = _slots()
    assert [s.keys for s in slots] == [("2022-q1",), ("2022-q2", "2022-h1"), ("2022-q3",),
                                      ("2022-q4", "2022-h2", "2022-y")]
    assert [s.deadline for s in slots] == [date(2022, 3, 15), date(2022, 6, 15), date(2022, 9, 15),
                                           date(2022, 12, 15)]
    assert [s.label for s in p.due_slots(slots, date(2022, 6, 15))] == ["Quý I"]   # today still counts
    assert len(p.due_slots(slots, date(2022, 6, 16))) == 2


def test_punctuality_counts_reports_by_their_deadline():
    slots = _slots()
    on = date(2022, 10, 1)   # quarters I-III due
    first = {1: date(2022, 3, 15), 2: date(2022, 6, 20), 4: date(2022, 9, 1)}
    assert p.punctual(first, slots, on) == (1, 3)   # Q1 on the day, Q2 late, Q3 missing
    assert p.punctual({}, slots, date(2022, 1, 1)) == (0, 0)


def test_parse_sort():
    assert p.parse_sort(None, None) == ("on_time", True)
    assert p.parse_sort("overdue", None) == ("overdue", False)      # fewest overdue first
    assert p.parse_sort("overdue", "desc") == ("overdue", True)
    assert p.parse_sort("name", "asc") == ("name", False)
    assert p.parse_sort("drop table", "sideways") == ("on_time", True)


def test_ranks():
    assert p.ranks([0.9, 0.8, 0.8, 0.5]) == [1, 2, 2, 4]
    assert p.ranks([3, 3, 3]) == [1, 1, 1]
    assert p.ranks([0.9, None, None]) == [1, None, None]
    assert p.ranks([]) == []


def test_parse_sort_reads_the_tables_convention():
    assert p.parse_sort("-overdue") == ("overdue", True)
    assert p.parse_sort("on_time") == ("on_time", False)
    assert p.parse_sort("-bogus") == ("on_time", True)
    assert p.parse_sort("-name", "asc") == ("name", False)
    assert p.sort_param("punctuality", True) == "-punctuality"
    assert p.parse_sort(p.sort_param("round1", False)) == ("round1", False)
