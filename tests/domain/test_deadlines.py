"""Every deadline phrase of the seeds' tables, and the recurring report days."""
from datetime import date

import pytest

from app.domain.deadlines import parse_deadline, period_instances, report_due

D = date

SINGLE = [
    # seed 000 (prose deadlines)
    ("Trước ngày 05/4/2022", D(2022, 4, 5), "date"),
    ("xong trước ngày 29/4/2022", D(2022, 4, 29), "date"),
    ("trước ngày 31/5/2022", D(2022, 5, 31), "date"),
    ("xong trước ngày 30/6/2022", D(2022, 6, 30), "date"),
    # seed 002
    ("Tháng 12/2024", D(2024, 12, 31), "period"),
    ("Tháng 7/2024", D(2024, 7, 31), "period"),
    ("Xong trước ngày 30/9/2024", D(2024, 9, 30), "date"),
    ("Quý III/2024", D(2024, 9, 30), "period"),
    ("Trước ngày 01/6/2024", D(2024, 6, 1), "date"),
    ("Tháng 6 năm 2024", D(2024, 6, 30), "period"),
    # seed 003
    ("Trước ngày 10/11/2022", D(2022, 11, 10), "date"),
    ("Trước ngày 15/02/2023", D(2023, 2, 15), "date"),
    ("Trước ngày 01/3/2023", D(2023, 3, 1), "date"),
    ("Trước ngày 01/4/2023", D(2023, 4, 1), "date"),
    ("Trước ngày 01 tháng 4 năm 2023", D(2023, 4, 1), "date"),
    # seed 004
    ("Tháng 03/2022", D(2022, 3, 31), "period"),
    ("Tháng 01/2022", D(2022, 1, 31), "period"),
    ("Năm 2022", D(2022, 12, 31), "period"),
    ("Trong năm 2022", D(2022, 12, 31), "period"),
    ("Quý I/2023", D(2023, 3, 31), "period"),
    ("Quý 4/2023", D(2023, 12, 31), "period"),
]


@pytest.mark.parametrize("text,due,kind", SINGLE)
def test_single_dates(text, due, kind):
    p = parse_deadline(text)
    assert (p.kind, p.due_on, p.needs_date) == (kind, due, False)
    assert p.text == text


@pytest.mark.parametrize("text,dues", [
    ("Lần 1: Trước 30/11/2023; Lần 2: Trước 30/11/2024",
     [("Lần 1", D(2023, 11, 30)), ("Lần 2", D(2024, 11, 30))]),
    ("- Lần 1: Trước 30/11/2023; - Lần 2: Trước 30/11/2024",
     [("Lần 1", D(2023, 11, 30)), ("Lần 2", D(2024, 11, 30))]),
    ("- Lần 1: Trước 31/12/2023; - Lần 2: Trước 31/12/2024",
     [("Lần 1", D(2023, 12, 31)), ("Lần 2", D(2024, 12, 31))]),
    ("- Lần 1: Trước 01/7/2024; - Lần 2: Trước 01/7/2025",
     [("Lần 1", D(2024, 7, 1)), ("Lần 2", D(2025, 7, 1))]),
    ("- Cấp huyện: trước ngày 10/01/2023 - Cấp tỉnh: Trước ngày 15/01/2023",
     [("Cấp huyện", D(2023, 1, 10)), ("Cấp tỉnh", D(2023, 1, 15))]),
])
def test_multi(text, dues):
    p = parse_deadline(text)
    assert p.kind == "multi" and not p.needs_date
    assert [(d.label, d.on) for d in p.dues] == dues
    assert p.due_on == dues[-1][1]


@pytest.mark.parametrize("text,rec", [
    ("Hàng tháng", ("monthly",)),
    ("Hàng quý, năm", ("quarterly", "yearly")),
    ("Hàng quý", ("quarterly",)),
    ("Hàng năm", ("yearly",)),
    ("Định kỳ hàng tháng", ("monthly",)),
])
def test_recurring(text, rec):
    p = parse_deadline(text)
    assert (p.kind, p.recurrence, p.needs_date, p.due_on) == ("recurring", rec, False, None)


def test_continuous():
    p = parse_deadline("Thường xuyên")
    assert (p.kind, p.needs_date, p.due_on) == ("continuous", False, None)


@pytest.mark.parametrize("text", [
    "Sau khi UBND tỉnh ban hành KH kiểm soát TTHC 2022 của tỉnh",
    "Ngay sau khi Quyết định công bố được ban hành",
])
def test_event_needs_a_date(text):
    p = parse_deadline(text)
    assert p.kind == "event" and p.needs_date and p.due_on is None and p.reason


@pytest.mark.parametrize("text", [
    "", "   ", "Trước ngày 31/02/2023", "Tháng 13/2022", "Sớm nhất có thể",
    "Trước 30/11", "Lần 1: Trước 30/11/2023; Lần 2: khi có chỉ đạo",
    "Trước ngày 05/4/2022 hoặc sớm hơn",
])
def test_never_a_silent_wrong_date(text):
    p = parse_deadline(text)
    assert p.kind == "unknown" and p.needs_date and p.due_on is None and p.reason


def test_day_month_without_year_uses_the_plan_year():
    assert parse_deadline("Trước ngày 10/11", context_year=2022).due_on == D(2022, 11, 10)


def test_report_days_default_and_configured():
    assert report_due("quarterly", 2022, 2) == D(2022, 6, 15)
    assert report_due("quarterly", 2022, 1, {"quarterly": {"month_of_quarter": 3, "day": 20}}) == D(2022, 3, 20)
    assert report_due("monthly", 2022, 2, {"monthly": {"day": 31}}) == D(2022, 2, 28)
    assert report_due("yearly", 2022, 0) == D(2022, 12, 15)


def test_period_instances():
    items = period_instances(("quarterly", "yearly"), D(2022, 1, 1), D(2022, 12, 31))
    assert [(i.label, i.due_on) for i in items] == [
        ("Quý I/2022", D(2022, 3, 15)), ("Quý II/2022", D(2022, 6, 15)),
        ("Quý III/2022", D(2022, 9, 15)), ("Quý IV/2022", D(2022, 12, 15)),
        ("Năm 2022", D(2022, 12, 15))]
    monthly = period_instances(("monthly",), D(2022, 5, 1), D(2022, 7, 31))
    assert [i.label for i in monthly] == ["Tháng 05/2022", "Tháng 06/2022", "Tháng 07/2022"]


def test_stage_budgets_of_seed_002():
    from app.domain.deadlines import parse_stage_budgets
    text = "thời gian thực hiện 05 ngày; trong đó: Phòng chuyên môn: 03 ngày; Văn phòng Sở: 02 ngày"
    assert parse_stage_budgets(text) == (5, [("Phòng chuyên môn", 3), ("Văn phòng Sở", 2)])
    assert parse_stage_budgets("Phòng chuyên môn: 02 ngày; Văn phòng Sở: 03 ngày") == (
        None, [("Phòng chuyên môn", 2), ("Văn phòng Sở", 3)])
    for bad in ("thời gian thực hiện 05 ngày; trong đó: Phòng chuyên môn: 03 ngày; Văn phòng Sở: 03 ngày",
                "Phòng chuyên môn trong ba ngày", ""):
        with pytest.raises(ValueError):
            parse_stage_budgets(bad)


# ---- a hand-written task's due date (issue 17.4) ---------------------------------------------

from app.domain.deadlines import needs_due_date, resolve_due  # noqa: E402


def test_words_give_the_date_when_none_is_typed():
    r = resolve_due("Trước ngày 05/4/2022", None)
    assert (r.due_on, r.error, r.note, r.undated) == (D(2022, 4, 5), None, None, False)
    assert resolve_due("Quý III/2022", None).due_on == D(2022, 9, 30)
    assert resolve_due("Trước ngày 10/11", None, context_year=2022).due_on == D(2022, 11, 10)
    # "Lần 1 ...; Lần 2 ...": the last part is the task's own date.
    assert resolve_due("Lần 1: Trước 30/11/2023; Lần 2: Trước 30/11/2024", None).due_on == D(2024, 11, 30)


def test_a_typed_date_agreeing_with_or_completing_the_words_is_kept():
    assert resolve_due("Trước ngày 05/4/2022", D(2022, 4, 5)).due_on == D(2022, 4, 5)
    event = resolve_due("Sau khi UBND tỉnh ban hành KH kiểm soát TTHC", D(2022, 7, 1))
    assert (event.due_on, event.error, event.undated) == (D(2022, 7, 1), None, False)
    assert resolve_due("", D(2022, 7, 1)).due_on == D(2022, 7, 1)


def test_a_typed_date_contradicting_the_words_is_an_error():
    r = resolve_due("Trước ngày 05/4/2022", D(2022, 4, 15))
    assert r.error and "05/04/2022" in r.error


def test_undated_tasks_say_why_and_excused_kinds_need_no_date():
    event = resolve_due("Sau khi UBND tỉnh ban hành KH kiểm soát TTHC", None)
    assert event.due_on is None and event.undated and "sự kiện" in event.note
    blank = resolve_due(None, None)
    assert blank.undated and blank.note == "Chưa ghi thời hạn."
    for words in ("Thường xuyên", "Hàng quý, năm"):
        r = resolve_due(words, None)
        assert (r.due_on, r.undated, r.note) == (None, False, None)
        assert not needs_due_date(words, None)
    assert needs_due_date("Sau khi UBND tỉnh ban hành KH", None)
    assert not needs_due_date("Sau khi UBND tỉnh ban hành KH", D(2022, 7, 1))


def test_an_edit_of_the_words_alone_recomputes_the_date():
    # The form still shows the date the old words gave: the new words decide.
    r = resolve_due("Quý III/2022", D(2022, 4, 5), previous_text="Trước ngày 05/4/2022",
                    previous_on=D(2022, 4, 5))
    assert (r.due_on, r.error) == (D(2022, 9, 30), None)
    r = resolve_due("Sau khi UBND tỉnh ban hành KH", D(2022, 4, 5), previous_text="Trước ngày 05/4/2022",
                    previous_on=D(2022, 4, 5))
    assert r.due_on is None and r.undated
    # A date typed by hand for an event stays when the event's words are reworded.
    r = resolve_due("Sau khi Quyết định công bố được ban hành", D(2022, 7, 1),
                    previous_text="Sau khi UBND tỉnh ban hành KH", previous_on=D(2022, 7, 1))
    assert r.due_on == D(2022, 7, 1)
