"""The working-day calendar over Tết 2024–2026, the 30/4–1/5 bridge and a make-up Saturday."""
from datetime import date

import pytest

from app.domain.workdays import WorkCalendar, build_calendar

cal = WorkCalendar()


@pytest.mark.parametrize("d", [
    date(2024, 2, 8), date(2024, 2, 9), date(2024, 2, 12), date(2024, 2, 14),   # Tết 2024
    date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 31),  # Tết 2025
    date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 20),                     # Tết 2026
    date(2024, 4, 18), date(2024, 4, 29), date(2024, 4, 30), date(2024, 5, 1),   # Giỗ Tổ, nghỉ bù, 30/4, 1/5
    date(2024, 9, 2), date(2024, 9, 3), date(2025, 9, 1), date(2025, 9, 2),      # 2/9 and the day beside it
    date(2022, 5, 2), date(2022, 5, 3),                                          # nghỉ bù 2022
    date(2022, 5, 21), date(2022, 5, 22),                                        # weekend
])
def test_days_off(d):
    assert not cal.is_working_day(d)
    assert cal.holiday_name(d) or d.weekday() >= 5


def test_make_up_saturday_is_a_working_day():
    assert cal.is_working_day(date(2024, 5, 4))      # làm bù for 29/04/2024
    assert cal.is_makeup_day(date(2024, 5, 4))
    assert cal.is_working_day(date(2025, 4, 26))
    assert not cal.is_working_day(date(2024, 5, 11))  # an ordinary Saturday


def test_add_working_days_over_tet_2024():
    # Wed 07/02/2024 + 1 working day: 08–14 are Tết, 10–11 weekend -> Thu 15/02.
    assert cal.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert cal.add_working_days(date(2024, 2, 7), 3) == date(2024, 2, 19)
    assert cal.add_working_days(date(2024, 2, 15), -1) == date(2024, 2, 7)
    assert cal.add_working_days(date(2024, 2, 7), 0) == date(2024, 2, 7)


def test_add_working_days_over_tet_2025_and_2026():
    assert cal.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_add_working_days_counts_the_make_up_saturday():
    # Fri 26/04/2024 + 2: 27–28 weekend, 29 nghỉ bù, 30/4, 1/5 off, Thu 2/5, Fri 3/5.
    assert cal.add_working_days(date(2024, 4, 26), 2) == date(2024, 5, 3)
    assert cal.add_working_days(date(2024, 4, 26), 3) == date(2024, 5, 4)   # Saturday làm bù
    assert cal.add_working_days(date(2024, 4, 26), 4) == date(2024, 5, 6)


def test_working_days_between_is_signed():
    due, today = date(2022, 5, 20), date(2022, 5, 23)
    assert cal.working_days_between(due, today) == 1      # overdue by one working day
    assert cal.working_days_between(today, due) == -1
    assert cal.working_days_between(due, due) == 0
    # Across Tết 2024: Wed 07/02 -> Thu 15/02 is one working day.
    assert cal.working_days_between(date(2024, 2, 7), date(2024, 2, 15)) == 1
    assert cal.working_days_between(date(2024, 4, 26), date(2024, 5, 6)) == 4


def test_next_working_day():
    assert cal.next_working_day(date(2022, 5, 20)) == date(2022, 5, 23)
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert cal.next_working_day(date(2024, 5, 3)) == date(2024, 5, 4)


def test_admin_overrides():
    c = build_calendar([(date(2022, 5, 23), "off", "Nghỉ bù theo quyết định"),
                        (date(2022, 5, 21), "work", "Làm bù")])
    assert not c.is_working_day(date(2022, 5, 23))
    assert c.holiday_name(date(2022, 5, 23)) == "Nghỉ bù theo quyết định"
    assert c.is_working_day(date(2022, 5, 21))
    assert c.next_working_day(date(2022, 5, 20)) == date(2022, 5, 21)
    # An admin may also reopen a public holiday.
    c2 = build_calendar([(date(2022, 9, 1), "work", "")])
    assert c2.is_working_day(date(2022, 9, 1))


def test_month_grid():
    weeks = cal.month_days(2024, 2)
    assert weeks[0][:3] == [None, None, None] and weeks[0][3] == date(2024, 2, 1)
    assert sum(1 for w in weeks for d in w if d) == 29


def test_closed_form_matches_day_by_day_count():
    """working_days_between (arithmetic + exceptions) equals counting each day."""
    import random
    from datetime import date, timedelta

    from app.domain.workdays import build_calendar

    cal = build_calendar([(date(2024, 5, 4), "work", "Làm bù"), (date(2023, 1, 3), "off", "Nghỉ"),
                          (date(2025, 12, 31), "off", "Nghỉ")])
    rng = random.Random(7)
    for _ in range(300):
        a = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 2200))
        b = a + timedelta(days=rng.randrange(-400, 400))
        lo, hi = min(a, b), max(a, b)
        naive = sum(cal.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
        assert cal.working_days_between(a, b) == (naive if b >= a else -naive), (a, b)
