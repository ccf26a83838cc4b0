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
    with pytest.raises(m.MetricError, match="Thời hạn hiện hành bằng 0 ngày"):  # issue 14: 0 -> 0 refused
        m.time_cut(Decimal(0), Decimal(0))
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


# ---- issue 14: targets on exact values, zero and empty cases ------------------------------

def test_a_miss_hidden_by_display_rounding_is_a_miss():
    # 5.999 of 20 days = 29,995 %: shown as 30,00 % with two decimals, but below a 30 % target.
    cut = m.time_cut(Decimal(20), Decimal("14.001"))
    assert cut.ratio == Decimal("0.29995") and m.round_percent(cut.ratio) == Decimal("30.00")
    assert m.target_met(cut.ratio, 30) is False
    c = m.check_target(cut.ratio, 30)
    assert (c.met, c.hidden_miss, c.percent, c.verdict) == (False, True, "29,995 %", "Chưa đạt")
    assert c.text == "29,995 % — chưa đạt 30 %"
    # Totals too: 5.999 + 0 of 20 + 0.
    total = m.total_time_cut([(Decimal(20), Decimal("14.001"))])
    assert m.check_target(total.ratio, Decimal("30.00")).text == "29,995 % — chưa đạt 30 %"


def test_exact_comparison_of_repeating_fractions():
    third = m.ratio(1, 3)  # 33,333... %
    assert m.target_met(third, Decimal("33.33")) is True
    assert m.target_met(third, Decimal("33.34")) is False
    c = m.check_target(m.ratio(2, 3), Decimal("66.67"))  # 66,666...: displayed 66,67 %
    assert c.met is False and c.hidden_miss and c.text == "66,667 % — chưa đạt 66,67 %"
    tiny = m.ratio(Decimal("2999999"), Decimal("10000000"))  # 29,99999 %
    assert m.check_target(tiny, 30).percent == "29,99999 %"
    assert m.check_target(m.ratio(3, 10), 30).met is True  # exactly the target is met
    assert m.check_target(m.ratio(19, 32), 30).text == "59,38 % — đạt chỉ tiêu 30 %"


def test_cost_and_simplified_targets_compare_exactly():
    s = m.cost_saving(Decimal(20000), Decimal("16001"))  # 19,995 %
    assert m.target_met(s.ratio, 20) is False and m.check_target(s.ratio, 20).hidden_miss
    share = m.simplified_share(1999, 10000)  # 19,99 %
    assert m.target_met(share, 20) is False and not m.check_target(share, 20).hidden_miss


def test_empty_and_zero_cases_say_so():
    assert m.check_target(None, 30).percent == "—" and m.check_target(None, 30).verdict == "Chưa xác định"
    assert m.check_target(Decimal("0.4"), None).verdict == "Chưa đặt chỉ tiêu"
    assert m.check_target(Decimal("0.4"), None).text == "40,00 %"
    assert m.ratio(5, 0) is None and m.ratio(0, 0) is None and m.simplified_share(0, 0) is None
    assert m.cost_saving(Decimal(0), Decimal(0)).ratio is None
