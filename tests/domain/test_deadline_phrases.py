"""Deadline phrases a civil servant reads as a clear date (issue 14 item 5), by kind, and the
ones that must stay flagged. Phrasings taken from the seeds are marked with their seed."""
import unicodedata
from datetime import date

import pytest

from app.domain.deadlines import parse_deadline, period_instances

D = date


def _dues(p):
    return [(d.label, d.on) for d in p.dues]


# ---- half-year periods ------------------------------------------------------------------------

@pytest.mark.parametrize("text,due", [
    ("6 tháng đầu năm 2024", D(2024, 6, 30)),
    ("6 tháng cuối năm 2024", D(2024, 12, 31)),
    ("06 tháng đầu năm 2025", D(2025, 6, 30)),
    ("Sáu tháng cuối năm 2024", D(2024, 12, 31)),
    ("Trong 6 tháng đầu năm 2024", D(2024, 6, 30)),
    ("Xong trong 6 THÁNG CUỐI NĂM 2024.", D(2024, 12, 31)),
    ("Nửa đầu năm 2024", D(2024, 6, 30)),
])
def test_half_year_with_its_year(text, due):
    p = parse_deadline(text)
    assert (p.kind, p.due_on, p.needs_date, p.year_from_plan) == ("period", due, False, False)


def test_half_year_without_a_year_takes_the_plans_and_says_so():
    p = parse_deadline("6 tháng cuối năm", context_year=2024)
    assert (p.kind, p.due_on, p.needs_date) == ("period", D(2024, 12, 31), False)
    assert p.year_from_plan and "năm 2024 của kế hoạch" in p.note
    assert parse_deadline("6 tháng đầu năm", context_year=2023).due_on == D(2023, 6, 30)
    alone = parse_deadline("6 tháng cuối năm")
    assert alone.needs_date and alone.due_on is None and "Thiếu năm" in alone.reason


# ---- "đến hết ..." ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,year,due", [
    ("Đến hết năm 2024", None, D(2024, 12, 31)),
    ("đến hết năm 2025", None, D(2025, 12, 31)),
    ("Hết năm 2024", None, D(2024, 12, 31)),
    ("Đến năm 2025", None, D(2025, 12, 31)),
    ("hết quý III", 2024, D(2024, 9, 30)),
    ("Đến hết quý II/2024", None, D(2024, 6, 30)),
    ("Hết quý 4 năm 2024", None, D(2024, 12, 31)),
    ("Đến hết tháng 6/2024", None, D(2024, 6, 30)),
    ("Đến hết ngày 30/9/2024", None, D(2024, 9, 30)),
    ("Hết năm", 2024, D(2024, 12, 31)),
    ("Cuối năm", 2024, D(2024, 12, 31)),
    ("Trong năm", 2024, D(2024, 12, 31)),
    ("Quý III", 2024, D(2024, 9, 30)),
    ("Trong tháng 7", 2024, D(2024, 7, 31)),
])
def test_until_the_end_of(text, year, due):
    p = parse_deadline(text, context_year=year)
    assert (p.due_on, p.needs_date) == (due, False), p.reason
    assert p.kind in ("date", "period")
    assert p.year_from_plan == (year is not None)


@pytest.mark.parametrize("text", ["hết quý III", "Hết năm", "Tháng 10", "Quý I"])
def test_a_period_without_year_needs_the_plans_year(text):
    p = parse_deadline(text)
    assert p.needs_date and p.kind == "unknown" and "Thiếu năm" in p.reason


# ---- year ranges: one milestone per year, due at the end of the range ---------------------------

@pytest.mark.parametrize("text,first,last", [
    ("Năm 2024 - 2025", 2024, 2025),
    ("Năm 2024-2025", 2024, 2025),
    ("năm 2024 – 2025", 2024, 2025),
    ("giai đoạn 2021-2025", 2021, 2025),
    ("Giai đoạn 2022 – 2025", 2022, 2025),                 # seed 003
    ("Trong giai đoạn 2022 - 2025", 2022, 2025),           # seed 003
    ("Từ năm 2024 đến năm 2026", 2024, 2026),
    ("2024 - 2025", 2024, 2025),
])
def test_year_ranges(text, first, last):
    p = parse_deadline(text)
    assert p.kind == "multi" and not p.needs_date
    assert _dues(p) == [(f"Năm {y}", D(y, 12, 31)) for y in range(first, last + 1)]
    assert p.due_on == D(last, 12, 31)
    # The reading is stated where the preview shows it.
    assert "mỗi năm một mốc" in p.note and f"31/12/{last}" in p.note


@pytest.mark.parametrize("text", ["Năm 2025 - 2024", "Giai đoạn 2020 - 2035", "Năm 2024 - 2024"])
def test_impossible_or_unbounded_ranges_are_flagged(text):
    p = parse_deadline(text)
    assert p.needs_date and p.due_on is None and p.reason


# ---- lists of quarters, months, years, dates in one cell -----------------------------------

@pytest.mark.parametrize("text,dues", [
    ("Quý I, II năm 2024", [("Quý I/2024", D(2024, 3, 31)), ("Quý II/2024", D(2024, 6, 30))]),
    ("Quý I, Quý II/2024", [("Quý I/2024", D(2024, 3, 31)), ("Quý II/2024", D(2024, 6, 30))]),
    ("Quý II, III và IV năm 2024", [("Quý II/2024", D(2024, 6, 30)), ("Quý III/2024", D(2024, 9, 30)),
                                   ("Quý IV/2024", D(2024, 12, 31))]),
    ("Quý 1, 2/2024", [("Quý I/2024", D(2024, 3, 31)), ("Quý II/2024", D(2024, 6, 30))]),
    ("Quý IV/2024 và Quý I/2025", [("Quý IV/2024", D(2024, 12, 31)), ("Quý I/2025", D(2025, 3, 31))]),
    ("Tháng 3, 6, 9 năm 2024", [("Tháng 03/2024", D(2024, 3, 31)), ("Tháng 06/2024", D(2024, 6, 30)),
                                ("Tháng 09/2024", D(2024, 9, 30))]),
    ("Tháng 3,6,9/2024", [("Tháng 03/2024", D(2024, 3, 31)), ("Tháng 06/2024", D(2024, 6, 30)),
                          ("Tháng 09/2024", D(2024, 9, 30))]),
    ("Tháng 6 và tháng 12/2024", [("Tháng 06/2024", D(2024, 6, 30)), ("Tháng 12/2024", D(2024, 12, 31))]),
    ("Năm 2024, 2025", [("Năm 2024", D(2024, 12, 31)), ("Năm 2025", D(2025, 12, 31))]),
    ("6 tháng đầu năm và cả năm 2024", [("6 tháng đầu năm 2024", D(2024, 6, 30)),
                                        ("Năm 2024", D(2024, 12, 31))]),
    ("Trước ngày 15/6 và 15/12/2024", [("Mốc 1", D(2024, 6, 15)), ("Mốc 2", D(2024, 12, 15))]),
    ("Lần 1: Trước 30/11/2023, Lần 2: Trước 30/11/2024",
     [("Lần 1", D(2023, 11, 30)), ("Lần 2", D(2024, 11, 30))]),
])
def test_lists_give_one_milestone_each(text, dues):
    p = parse_deadline(text)
    assert p.kind == "multi" and not p.needs_date, p.reason
    assert _dues(p) == dues
    assert p.due_on == dues[-1][1]
    assert f"{len(dues)} mốc" in p.note


def test_a_list_without_year_takes_the_plans_year():
    p = parse_deadline("Quý I, II", context_year=2024)
    assert _dues(p) == [("Quý I/2024", D(2024, 3, 31)), ("Quý II/2024", D(2024, 6, 30))]
    assert p.year_from_plan and "năm 2024 của kế hoạch" in p.note
    assert parse_deadline("Quý I, II").needs_date


@pytest.mark.parametrize("text", [
    "Tháng 12, tháng 1 năm 2025",          # which year is December? out of order: a person decides
    "Tháng 13, 14 năm 2024",
    "Tháng 6/2024 và các năm tiếp theo",
    "Quý I, khi có chỉ đạo",
])
def test_lists_that_are_not_safe_are_flagged(text):
    p = parse_deadline(text)
    assert p.kind == "unknown" and p.needs_date and p.due_on is None and p.reason


# ---- spans ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,year,due", [
    ("Từ tháng 3 đến tháng 6/2024", None, D(2024, 6, 30)),
    ("Từ ngày 01/3 - 30/6/2024", None, D(2024, 6, 30)),
    ("Từ quý I đến quý III", 2024, D(2024, 9, 30)),
])
def test_spans_are_due_at_their_end(text, year, due):
    p = parse_deadline(text, context_year=year)
    assert (p.due_on, p.needs_date) == (due, False)
    assert "đến" in p.note


def test_a_span_ending_before_it_starts_is_flagged():
    assert parse_deadline("Từ tháng 7 đến tháng 3/2024").needs_date


# ---- a clear date with a note in brackets ---------------------------------------------------

@pytest.mark.parametrize("text,due,note", [
    ("Trước ngày 30/9/2024 (báo cáo kết quả)", D(2024, 9, 30), "báo cáo kết quả"),
    ("Quý III/2024 (gửi Văn phòng Sở)", D(2024, 9, 30), "gửi Văn phòng Sở"),
    ("Tháng 7/2024 (theo Kế hoạch số 123/KH-UBND).", D(2024, 7, 31), "theo Kế hoạch số 123/KH-UBND"),
    ("(Báo cáo) Trước ngày 15/12/2024", D(2024, 12, 15), "Báo cáo"),
])
def test_date_followed_by_a_note(text, due, note):
    p = parse_deadline(text)
    assert (p.due_on, p.needs_date) == (due, False)
    assert p.text == text and note in p.note


def test_a_note_on_continuous_and_event_phrases_is_kept():
    p = parse_deadline("Thường xuyên (theo quy định)")
    assert p.kind == "continuous" and "theo quy định" in p.note
    p = parse_deadline("Sau khi UBND tỉnh ban hành Kế hoạch (dự kiến tháng 6/2024)")
    assert p.kind == "event" and p.needs_date and "dự kiến tháng 6/2024" in p.note


@pytest.mark.parametrize("text", [
    "Quý III/2024 (trước ngày 15/9/2024)",   # which one? a person decides
    "Trước ngày 30/9/2024 (lần 1)",
    "Tháng 7/2024 (báo cáo 6 tháng)",
    "Trước ngày 30/9/2024 (hoặc sớm hơn) hoặc khi có yêu cầu",
])
def test_a_note_about_time_is_not_dropped(text):
    p = parse_deadline(text)
    assert p.kind == "unknown" and p.needs_date and p.due_on is None and p.reason


# ---- yearly (and monthly, quarterly) recurring phrases with their own day ---------------------

@pytest.mark.parametrize("text,month,day", [
    ("trước ngày 30/6 hằng năm", 6, 30),
    ("Trước ngày 30/6 hàng năm", 6, 30),
    ("TRƯỚC NGÀY 30/6 HẰNG NĂM", 6, 30),
    ("truoc ngay 30/6 hang nam", 6, 30),
    ("Trước   ngày 30 / 6   hằng  năm", 6, 30),
    ("Trước ngày 15 tháng 12 hằng năm", 12, 15),
    ("Ngày 15/12 hàng năm", 12, 15),
    ("Hằng năm, trước ngày 30/6", 6, 30),
    ("Định kỳ hằng năm trước ngày 31/3", 3, 31),
    ("Hằng năm (trước ngày 30/6)", 6, 30),
    ("Trước ngày 30/6 của mỗi năm", 6, 30),
    ("tháng 10 hàng năm", 10, 31),
    ("Tháng 10 hằng năm", 10, 31),
    ("Trong tháng 2 hằng năm", 2, 31),
    ("Hàng năm vào tháng 10", 10, 31),
    ("Quý I hằng năm", 3, 31),
    ("Trong quý III hàng năm", 9, 31),
])
def test_yearly_with_a_day_and_month(text, month, day):
    p = parse_deadline(text)
    assert (p.kind, p.recurrence, p.needs_date, p.due_on) == ("recurring", ("yearly",), False, None)
    assert p.report_days == {"yearly": {"month": month, "day": day}}
    assert p.note.startswith("Mỗi năm một lượt")


def test_decomposed_unicode_is_read_the_same():
    text = unicodedata.normalize("NFD", "Trước ngày 30/6 hằng năm")
    assert parse_deadline(text).report_days == {"yearly": {"month": 6, "day": 30}}


def test_the_phrase_day_replaces_the_office_report_day():
    p = parse_deadline("tháng 10 hàng năm")
    office = {"yearly": {"month": 12, "day": 15}}
    items = period_instances(p.recurrence, D(2024, 1, 1), D(2025, 12, 31), {**office, **p.report_days})
    assert [(i.label, i.due_on) for i in items] == [("Năm 2024", D(2024, 10, 31)), ("Năm 2025", D(2025, 10, 31))]
    feb = parse_deadline("Trong tháng 2 hằng năm")
    assert [i.due_on for i in period_instances(feb.recurrence, D(2025, 1, 1), D(2025, 12, 31),
                                               feb.report_days)] == [D(2025, 2, 28)]


@pytest.mark.parametrize("text,rec,rules", [
    ("Trước ngày 25 hằng tháng", "monthly", {"day": 25}),
    ("Hàng tháng, trước ngày 20", "monthly", {"day": 20}),
    ("Trước ngày 15 của tháng cuối quý hằng quý", "quarterly", {"month_of_quarter": 3, "day": 15}),
    ("Trước ngày 15 tháng cuối mỗi quý", "quarterly", {"month_of_quarter": 3, "day": 15}),
    ("Hằng quý, trước ngày 10 tháng đầu quý", "quarterly", {"month_of_quarter": 1, "day": 10}),
])
def test_monthly_and_quarterly_with_a_day(text, rec, rules):
    p = parse_deadline(text)
    assert (p.kind, p.recurrence, p.needs_date, p.report_days) == ("recurring", (rec,), False, {rec: rules})


@pytest.mark.parametrize("text,rec", [
    ("Hằng quý, năm", ("quarterly", "yearly")),
    ("hang quy, nam", ("quarterly", "yearly")),
    ("HẰNG THÁNG", ("monthly",)),
    ("Định kỳ hằng năm", ("yearly",)),                  # seed 000
    ("Hằng quý và năm", ("quarterly", "yearly")),
])
def test_plain_recurring_in_every_spelling_keeps_the_office_days(text, rec):
    p = parse_deadline(text)
    assert (p.kind, p.recurrence, p.report_days) == ("recurring", rec, {})


@pytest.mark.parametrize("text", [
    "Trước ngày 31/02 hằng năm", "Tháng 13 hằng năm", "Trước ngày 15 hằng quý",
    "30/6 và 31/12 hằng năm", "Báo cáo hằng năm",
])
def test_recurring_phrases_that_are_not_clear_are_flagged(text):
    p = parse_deadline(text)
    assert p.kind == "unknown" and p.needs_date and p.reason


# ---- phrasings of the seeds (prose and tables) ------------------------------------------------

@pytest.mark.parametrize("text,dues", [
    ("Trước ngày 30 tháng 11 năm 2023", [(None, D(2023, 11, 30))]),                # seed 003
    ("Trước ngày 01 tháng 01 năm 2025", [(None, D(2025, 1, 1))]),                  # seed 003
    ("trước ngày **15/6/2022**", [(None, D(2022, 6, 15))]),                        # seed 000
    ("xong **trước ngày 05/4/2022**", [(None, D(2022, 4, 5))]),                    # seed 000
    ("quý II năm 2022", [(None, D(2022, 6, 30))]),                                 # seed 001
    ("Quý III năm 2022", [(None, D(2022, 9, 30))]),                                # seed 001
    ("lần 1 trước ngày 31/12/2023; lần 2 trước ngày 31/12/2024",                    # seed 003
     [("Lần 1", D(2023, 12, 31)), ("Lần 2", D(2024, 12, 31))]),
    ("Lần 1 trước ngày 25/11/2023; lần 2 trước ngày 25/11/2024.",                   # seed 003
     [("Lần 1", D(2023, 11, 25)), ("Lần 2", D(2024, 11, 25))]),
    ("Thời gian gửi kết quả: Lần 1 trước ngày 25/11/2023; lần 2 trước ngày 25/11/2024.",   # seed 003
     [("Lần 1", D(2023, 11, 25)), ("Lần 2", D(2024, 11, 25))]),
    ("Thời gian thực hiện: Quý III/2024", [(None, D(2024, 9, 30))]),
])
def test_seed_phrasings(text, dues):
    p = parse_deadline(text)
    assert not p.needs_date, p.reason
    assert _dues(p) == dues
