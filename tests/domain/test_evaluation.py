"""Scoring from figures and a scheme version (app/domain/evaluation.py), and the workflow."""
from datetime import date

import pytest

from app.domain import evaluation as de
from app.domain import workflow as wf


def test_periods_are_calendar_months_and_quarters():
    assert de.make_period("month", 2022, 2).end == date(2022, 2, 28)
    q = de.make_period("quarter", 2022, 1)
    assert (q.start, q.end, q.label) == (date(2022, 1, 1), date(2022, 3, 31), "Quý I/2022")
    assert de.make_period("month", 2022, 6).label == "Tháng 06/2022"
    with pytest.raises(ValueError, match="Tháng phải từ 1 đến 12"):
        de.make_period("month", 2022, 13)
    with pytest.raises(ValueError):
        de.make_period("week", 2022, 1)


def test_buckets_on_the_reference_day():
    ref = date(2022, 5, 20)
    assert de.bucket_of(date(2022, 5, 10), date(2022, 5, 10), ref) == "on_time"
    assert de.bucket_of(date(2022, 5, 10), date(2022, 5, 13), ref) == "late"
    assert de.bucket_of(date(2022, 5, 10), None, ref) == "overdue"
    assert de.bucket_of(date(2022, 5, 10), date(2022, 5, 25), ref) == "overdue"   # accepted after ref
    assert de.bucket_of(date(2022, 5, 30), None, ref) == "open"


def _figs():
    f = de.Figures()
    f.add("on_time", 2, 2.0)
    f.add("late", 1, 1.0, late_days=3)
    f.add("overdue", 1, 1.0)
    f.add("open", 1, 1.0)
    f.add("open", 0, 0, returned=1)
    return f


def test_figures_add_up():
    f = _figs()
    assert f.counts == {"assigned": 5, "on_time": 2, "late": 1, "late_days": 3, "not_done": 2, "overdue": 1,
                        "returned": 1}


def test_score_from_the_default_scheme():
    s = de.score(_figs(), de.DEFAULT_WEIGHTS)
    # due = 4; quantity 3/4 = 75; progress (2 + 1 * (1 - 0.1 * 3)) / 4 = 67,5; quality 100 - 10 = 90
    assert (s.quantity, s.progress, s.quality) == (75.0, 67.5, 90.0)
    assert s.total == round(0.3 * 75 + 0.4 * 90 + 0.3 * 67.5, 2) == 78.75
    assert (s.rating, s.rating_label) == ("good", "Hoàn thành tốt nhiệm vụ")
    # the head's quality mark replaces the returns' count
    assert de.score(_figs(), de.DEFAULT_WEIGHTS, quality_mark=100).total == 82.75


def test_bands_and_nothing_due():
    w = de.DEFAULT_WEIGHTS
    assert de.rate(90, w)[0] == "excellent" and de.rate(89.99, w)[0] == "good"
    assert de.rate(50, w)[0] == "done" and de.rate(49, w) == ("failed", "Không hoàn thành nhiệm vụ")
    f = de.Figures()
    f.add("open", 2, 2.0)
    s = de.score(f, w)
    assert s.total is None and s.rating is None and s.rating_label == de.NO_TASKS


def test_corrections_keep_the_totals_consistent():
    f = _figs().corrected({"overdue": 0, "on_time": 3})
    assert f.counts["on_time"] == 3 and f.counts["overdue"] == 0
    assert f.counts["not_done"] == 1 and f.counts["assigned"] == 5
    assert de.score(f, de.DEFAULT_WEIGHTS).quantity == 100.0


def test_weights_by_role_priority_difficulty():
    w = de.DEFAULT_WEIGHTS
    assert de.task_weight(w, "cooperating", None, None) == 0.5
    assert de.task_weight(w, "lead", "high", "hard") == 2.25


def test_scheme_form_validation():
    values = {p: str(de.field_value(de.DEFAULT_WEIGHTS, p)).replace(".", ",") for p, *_ in de.SCHEME_FIELDS}
    weights, errors = de.scheme_from_fields(values)
    assert not errors and weights == {k: v for k, v in de.DEFAULT_WEIGHTS.items()} | weights
    assert weights["criteria"]["quality"] == 0.4
    bad = dict(values, **{"criteria.quality": "0,5", "roles.lead": "abc"})
    _, errors = de.scheme_from_fields(bad)
    assert "cần nhập một số" in errors["roles.lead"]
    _, errors = de.scheme_from_fields(dict(values, **{"criteria.quality": "0,5"}))
    assert "phải bằng 1" in errors["criteria.quality"]
    _, errors = de.scheme_from_fields(dict(values, **{"bands.good": "95"}))
    assert "giảm dần" in errors["bands.good"]


def test_evaluation_workflow():
    E = wf.EVALUATION
    assert wf.move(E, "open", "propose", {"unit_head"}) == "proposed"
    assert wf.move(E, "proposed", "confirm", {"leader"}) == "confirmed"
    assert wf.move(E, "confirmed", "close", {"leader"}) == "closed"
    # a closed sheet stays closed: reopening is the version action that starts n+1 in "open"
    assert not E.available("closed", {"leader", "unit_head"})
    V = wf.EVALUATION_VERSIONS
    assert wf.move(V, "closed", "reopen", {"leader"}, "Sai số liệu tháng 2") == "open"
    with pytest.raises(wf.TransitionRefused, match="cần ghi rõ lý do"):
        wf.move(V, "closed", "reopen", {"leader"})
    with pytest.raises(wf.TransitionRefused, match="không có quyền"):
        wf.move(V, "closed", "reopen", {"unit_head"}, "Sai số liệu")
    with pytest.raises(wf.TransitionRefused, match="không có quyền"):
        wf.move(E, "open", "propose", {"leader"})
    with pytest.raises(wf.TransitionRefused, match="Đã khóa sổ"):
        wf.move(E, "closed", "propose", {"unit_head"})
    with pytest.raises(wf.TransitionRefused):
        wf.move(E, "proposed", "return", {"leader"}, "")
