from datetime import date

from app.domain.cascade import CascadeProgress, summarize

TODAY = date(2022, 5, 20)


def test_counts_only_issued_work_and_overdue_by_due_date():
    rows = [(1, "accepted", date(2022, 4, 5)), (1, "draft", date(2022, 5, 10)),
            (1, "approved", date(2022, 6, 30)), (2, None, date(2022, 5, 1)), (3, "submitted", None)]
    p = summarize(rows, TODAY)
    assert (p.total, p.accepted, p.overdue, p.plans) == (4, 1, 1, 2)
    assert p.ratio == 0.25 and not p.done


def test_nothing_linked_has_no_ratio_and_all_accepted_is_done():
    assert summarize([], TODAY).ratio is None and not CascadeProgress().done
    p = summarize([(1, "accepted", date(2022, 4, 5)), (2, "accepted", None)], TODAY)
    assert p.done and p.ratio == 1.0 and p.overdue == 0
