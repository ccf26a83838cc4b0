from decimal import Decimal

import pytest

from app.domain import metrics as m
from app.domain.formatting import vn_percent


def test_seed_001_time_cut_is_59_38_percent():
    # Seed 001: two commune-level procedures, 19 of 32 days cut.
    total = m.total_time_cut([(Decimal(20), Decimal(8)), (Decimal(12), Decimal(5))])
    assert (total.current, total.proposed, total.cut) == (32, 13, 19)
    assert total.ratio == Decimal("0.59375")
    assert m.round_percent(total.ratio) == Decimal("59.38")  # half-up, not banker's 59,37
    assert vn_percent(total.ratio) == "59,38 %"
    assert m.target_met(total.ratio, 30) is True
    assert m.target_met(Decimal("0.25"), 30) is False


def test_time_cut_per_procedure():
    t = m.time_cut(Decimal(20), Decimal(8))
    assert t.cut == 12 and m.round_percent(t.ratio) == Decimal("60.00")
    assert m.time_cut(Decimal("2.5"), Decimal("0.5")).cut == 2


@pytest.mark.parametrize("cur,prop,msg", [
    (None, Decimal(1), "Chưa nhập thời hạn hiện hành"),
    (Decimal(5), None, "Chưa nhập thời hạn đề xuất"),
    (Decimal(-1), Decimal(0), "không được âm"),
    (Decimal(5), Decimal(6), "không được lớn hơn thời hạn hiện hành"),
])
def test_time_cut_refuses_bad_figures(cur, prop, msg):
    with pytest.raises(m.MetricError) as e:
        m.time_cut(cur, prop)
    assert msg in e.value.message


def test_zero_current_has_no_ratio():
    assert m.time_cut(Decimal(0), Decimal(0)).ratio is None
    empty = m.total_time_cut([])
    assert empty.ratio is None and empty.current == 0
    assert m.target_met(None, 30) is None
    # Blank pairs are skipped, not counted as zero.
    assert m.total_time_cut([(Decimal(10), None), (Decimal(4), Decimal(3))]).current == 4


@pytest.mark.parametrize("text,value", [
    ("12", Decimal(12)), ("2,5", Decimal("2.5")), ("2.5", Decimal("2.5")),
    ("1.234,5", Decimal("1234.5")), ("25.000", Decimal(25000)), ("1.234.567", Decimal(1234567)),
    ("0.5", Decimal("0.5")), ("12.50", Decimal("12.50")), (" ", None), ("", None), (None, None), (7, Decimal(7)),
])
def test_parse_number(text, value):
    assert m.parse_number(text) == value


def test_parse_number_messages():
    with pytest.raises(m.MetricError, match="Số ngày hiện hành phải là số"):
        m.parse_number("mười", "Số ngày hiện hành")
    with pytest.raises(m.MetricError, match="không được âm"):
        m.parse_number("-3", "Số giờ")
    with pytest.raises(m.MetricError):
        m.parse_number("NaN")


def test_standard_cost_model():
    # (2 h × 25.000 đ + 10.000 fee + 5.000 other) × 100 dossiers = 6.500.000 đ
    before = m.procedure_cost([m.CostRow(Decimal(2), Decimal(25000), Decimal(10000), Decimal(5000), Decimal(100))])
    assert before == Decimal(6500000)
    after = m.procedure_cost([m.CostRow(Decimal(1), Decimal(25000), Decimal(10000), None, Decimal(100))])
    assert after == Decimal(3500000)
    s = m.cost_saving(before, after)
    assert s.saving == 3000000 and m.round_percent(s.ratio) == Decimal("46.15")
    total = m.total_cost_saving([s, m.cost_saving(Decimal(1000), Decimal(1000))])
    assert total.before == 6501000 and total.saving == 3000000
    assert m.target_met(total.ratio, 20) is True


def test_cost_edge_cases():
    assert m.procedure_cost([]) == 0
    assert m.row_cost(m.CostRow()) == 0
    assert m.cost_saving(Decimal(0), Decimal(0)).ratio is None
    assert m.simplified_share(1, 5) == Decimal("0.2")
    assert m.target_met(m.simplified_share(1, 5), 20) is True
    assert m.simplified_share(0, 0) is None


def test_burndown_months_has_every_month_of_the_year_zero_months_included():
    """Issue 17 item 9j: the burn-down axis skipped months without open tasks."""
    from datetime import date

    from app.domain.metrics import burndown_months
    rows = burndown_months([(date(2022, 5, 10), 2), (date(2022, 5, 20), 1), (date(2022, 8, 1), 4)], 2022)
    assert [r[0] for r in rows] == [f"{m:02d}/2022" for m in range(1, 13)]
    by = {label: (due, left) for label, due, left in rows}
    assert by["01/2022"] == (0, 7) and by["05/2022"] == (3, 4)
    assert by["06/2022"] == (0, 4) and by["07/2022"] == (0, 4) and by["08/2022"] == (4, 0)
    assert by["12/2022"] == (0, 0)
    # work due outside the plan year widens the axis, still month by month
    rows = burndown_months([(date(2021, 11, 30), 1), (date(2023, 2, 1), 1)], 2022)
    assert rows[0][0] == "11/2021" and rows[-1] == ("02/2023", 1, 0) and len(rows) == 16
    assert burndown_months([], 2022) == []
