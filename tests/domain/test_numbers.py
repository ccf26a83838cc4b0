"""The one number parser: Vietnamese grouping '.' and decimal ',', the ambiguous lone dot, refusals."""
from decimal import Decimal

import pytest

from app.domain.numbers import NumberError, format_vn_number, parse_vn_decimal, parse_vn_integer


@pytest.mark.parametrize("text,value", [
    ("3.238", 3238), ("3238", 3238), ("2.999", 2999), ("3 238", 3238), ("3\u00a0238", 3238),
    (" 1.234.567 ", 1234567), ("0", 0), ("007", 7), ("+12", 12), (3238, 3238), (3238.0, 3238),
    ("", None), ("   ", None), (None, None),
])
def test_integers_as_people_type_them(text, value):
    assert parse_vn_integer(text) == value


@pytest.mark.parametrize("text,value", [
    ("1.234,5", Decimal("1234.5")), ("59,38", Decimal("59.38")), ("2,5", Decimal("2.5")),
    ("1 234,5", Decimal("1234.5")), ("25.000", Decimal(25000)), ("3.238", Decimal(3238)),
    # A lone dot that cannot group thousands is a decimal point (documented in domain.numbers).
    ("1.5", Decimal("1.5")), ("0.125", Decimal("0.125")), ("12.50", Decimal("12.50")),
    ("2.25", Decimal("2.25")), ("0,5", Decimal("0.5")), (Decimal("2.5"), Decimal("2.5")),
    (2.5, Decimal("2.5")),
])
def test_decimals_as_people_type_them(text, value):
    assert parse_vn_decimal(text) == value


@pytest.mark.parametrize("text", ["mười", "12ab", "1.2.3", "5e3", "NaN", "Infinity", "1,2,3", ",5",
                                  "5,", "1..5", "--1", "1.23.456", "0.000.1", "%", "abc"])
def test_garbage_is_refused_in_vietnamese(text):
    with pytest.raises(NumberError) as e:
        parse_vn_decimal(text, "Số hồ sơ")
    assert e.value.message.startswith("Số hồ sơ")
    assert "ví dụ 3.238 hoặc 59,38" in e.value.message


@pytest.mark.parametrize("text", ["1,234,567", "1,234.5"])
def test_english_grouping_is_refused_with_the_vietnamese_convention(text):
    with pytest.raises(NumberError, match="dấu chấm để phân cách hàng nghìn và dấu phẩy"):
        parse_vn_decimal(text)


def test_integers_refuse_decimals_and_negatives_unless_allowed():
    with pytest.raises(NumberError, match="Số hồ sơ phải là số nguyên"):
        parse_vn_integer("2,5", "Số hồ sơ")
    with pytest.raises(NumberError, match="không được âm"):
        parse_vn_integer("-3", "Số hồ sơ")
    assert parse_vn_integer("-3", allow_negative=True) == -3
    assert parse_vn_decimal("\u22121,5", allow_negative=True) == Decimal("-1.5")
    with pytest.raises(NumberError):
        parse_vn_integer(True)


def test_decimal_places_bound():
    assert parse_vn_decimal("2,50", max_decimals=2) == Decimal("2.5")
    assert parse_vn_decimal("2,500", max_decimals=2) == Decimal("2.5")
    with pytest.raises(NumberError, match="tối đa 2 chữ số thập phân"):
        parse_vn_decimal("2,125", "Số giờ", max_decimals=2)


@pytest.mark.parametrize("value,text", [
    (3238, "3.238"), (Decimal("1234.50"), "1.234,5"), (Decimal("59.38"), "59,38"), (0, "0"),
    (Decimal("2.00"), "2"), (Decimal("0.125"), "0,125"), (-1500, "-1.500"), (None, ""),
    (Decimal("25000"), "25.000"), (Decimal("1E+3"), "1.000"),
])
def test_format_is_the_inverse(value, text):
    assert format_vn_number(value) == text
    if value is not None:
        assert parse_vn_decimal(text, allow_negative=True) == Decimal(value)


def test_years_are_shown_without_grouping():
    assert format_vn_number(2025, grouping=False) == "2025"


def test_catalog_processing_time_uses_the_same_parser():
    from app.catalog.services import format_days, parse_processing
    from app.domain.metrics import MetricError
    assert parse_processing("2,5 ngày làm việc") == (Decimal("2.5"), None)
    assert parse_processing("1.000") == (Decimal(1000), None)
    assert parse_processing("20 ngày kể từ ngày nhận đủ hồ sơ")[0] == 20
    assert parse_processing("Không quy định") == (None, "Không quy định")
    with pytest.raises(MetricError, match="tối đa 2 chữ số thập phân"):
        parse_processing("2,125")
    assert format_days(Decimal("1234.50")) == "1.234,5" and format_days(Decimal("20.00")) == "20"
