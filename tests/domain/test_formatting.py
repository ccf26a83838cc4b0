from datetime import date, datetime
from decimal import Decimal

from app.domain.formatting import parse_vn_date, vn_date, vn_long_date, vn_number, vn_percent
from app.domain.text import fold


def test_numbers_use_dot_thousands():
    assert vn_number(3238) == "3.238"
    assert vn_number(2525) == "2.525"
    assert vn_number(109) == "109"
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(-3238) == "-3.238"
    assert vn_number(1234.5, 2) == "1.234,50"
    assert vn_number(None) == ""


def test_percent_half_up():
    assert vn_percent(Decimal(19) / Decimal(32)) == "59,38 %"
    assert vn_percent(0.59375) == "59,38 %"
    assert vn_percent(0.3) == "30,00 %"
    assert vn_percent(None) == ""


def test_dates():
    assert vn_date(date(2022, 4, 5)) == "05/04/2022"
    assert vn_date(datetime(2022, 4, 5, 10, 0)) == "05/04/2022"
    assert parse_vn_date("05/4/2022") == date(2022, 4, 5)
    assert parse_vn_date("2022-04-05") == date(2022, 4, 5)
    assert parse_vn_date("31/02/2022") is None
    assert parse_vn_date("abc") is None
    assert parse_vn_date("") is None


def test_long_date_follows_decree_30():
    assert vn_long_date("Lạng Sơn", date(2022, 4, 28)) == "Lạng Sơn, ngày 28 tháng 4 năm 2022"
    assert vn_long_date("Lạng Sơn", date(2022, 2, 5)) == "Lạng Sơn, ngày 05 tháng 02 năm 2022"


def test_fold_removes_diacritics():
    assert fold("Bảo trợ  Xã hội") == "bao tro xa hoi"
    assert fold("Đường") == "duong"
    assert fold(None) == ""
