from datetime import date

import pytest

from app.domain.periods import make_period, parse_period_key, quarter_of, recent_periods


def test_quarter_window_runs_15th_to_14th():
    q2 = make_period("quarter", 2022, 2)
    assert (q2.start, q2.end) == (date(2022, 3, 15), date(2022, 6, 14))
    q1 = make_period("quarter", 2022, 1)
    assert (q1.start, q1.end) == (date(2021, 12, 15), date(2022, 3, 14))
    assert q2.label == "quý II năm 2022" and q2.short_label == "Quý II/2022" and q2.key == "2022-q2"


def test_half_and_year_windows():
    h1 = make_period("half", 2022, 1)
    assert (h1.start, h1.end, h1.label) == (date(2021, 12, 15), date(2022, 6, 14), "6 tháng đầu năm 2022")
    y = make_period("year", 2022)
    assert (y.start, y.end, y.label, y.key) == (date(2021, 12, 15), date(2022, 12, 14), "năm 2022", "2022-y")


def test_parse_key_round_trip_and_errors():
    assert parse_period_key("2022-q2") == make_period("quarter", 2022, 2)
    assert parse_period_key("2022-h2").number == 2
    for bad in ("", "2022", "2022-q5", "x-q1", "2022-z1", "2022-h3"):
        with pytest.raises(ValueError):
            parse_period_key(bad)


def test_quarter_of_day_and_recent():
    assert quarter_of(date(2022, 6, 10)).key == "2022-q2"
    assert quarter_of(date(2022, 6, 15)).key == "2022-q3"
    assert quarter_of(date(2022, 12, 20)).key == "2023-q1"
    assert [p.key for p in recent_periods(date(2022, 6, 10), 3)] == ["2022-q2", "2022-q1", "2021-q4"]
