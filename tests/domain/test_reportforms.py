"""Report forms as data: shipped definitions, computed totals, checks as data, versions by date."""
from datetime import date

import pytest

from app.domain.reportforms import FormError, FormSpec, parse_count, pick
from app.exports.report_docx import header_spans
from app.reportforms.services import definition, definitions

II07B = "II.07b/VPCP/KSTT"


def spec(code=II07B, version=1):
    return FormSpec.from_data(definition(code, version))


def test_shipped_definitions_are_valid_and_ii06a_is_unchanged():
    codes = {(d["code"], d["version"]) for d in definitions()}
    assert {("II.06a/VPCP/KSTT", 1), (II07B, 1)} <= codes
    ii06a = spec("II.06a/VPCP/KSTT")
    assert len(ii06a.columns) == 13 and ii06a.total_keys == ["received", "resolved", "pending"]
    spans = header_spans(list(ii06a.columns))
    assert (0, 2, 0, 5, "Số hồ sơ nhận giải quyết") in spans and (0, 6, 0, 12, "Kết quả giải quyết") in spans


def test_ii07b_columns_group_headers_and_totals():
    s = spec()
    assert s.sheet == "Biểu II.07b" and s.count_unit == "phản ánh, kiến nghị" and s.slug == "ii-07b-vpcp-kstt"
    assert len(s.columns) == 14 and s.total_keys == ["fb_received", "fb_handled", "fb_pending"]
    spans = header_spans(list(s.columns))
    assert (0, 2, 0, 6, "Số phản ánh, kiến nghị được tiếp nhận") in spans
    assert (1, 3, 1, 4, "Theo nội dung") in spans and (1, 2, 2, 2, "Tổng số") in spans
    assert (0, 13, 2, 13, "Số phản ánh, kiến nghị đã xử lý được công khai") in spans
    full = s.complete({"fb_carried_over": 1, "fb_new": 4, "fb_handled_regulation": "2"})
    assert (full["fb_received"], full["fb_handled"], full["fb_pending"]) == (5, 2, 0)


def test_ii07b_checks_name_the_figures():
    s = spec()
    good = {"fb_carried_over": 1, "fb_new": 4, "fb_regulation": 3, "fb_behaviour": 2,
            "fb_handled_regulation": 2, "fb_handled_behaviour": 2, "fb_pending_regulation": 1,
            "fb_published": 3}
    assert s.check(good) == []
    errors = s.check(good | {"fb_behaviour": 1, "fb_published": 5})
    assert ("Tổng số phản ánh, kiến nghị đã tiếp nhận (5) phải bằng tiếp nhận về quy định hành chính + "
            "tiếp nhận về hành vi hành chính (3 + 1 = 4)") in errors
    assert ("Tiếp nhận về hành vi hành chính (1) phải bằng đã xử lý về hành vi hành chính + đang xử lý "
            "về hành vi hành chính (2 + 0 = 2)") in errors
    assert "Số đã xử lý được công khai (5) vượt quá đã xử lý (4)" in errors
    # a total as printed elsewhere must match its parts
    assert s.check(good, {"fb_received": 6}) == [
        "Tổng số phản ánh, kiến nghị đã tiếp nhận (6) phải bằng từ kỳ trước chuyển qua + mới tiếp nhận "
        "trong kỳ (1 + 4 = 5)"]
    assert "Mới tiếp nhận trong kỳ không được âm (-1)" in s.check(
        {"fb_new": -1, "fb_regulation": -1, "fb_pending_regulation": -1})


def test_builtin_check_of_ii06a_still_names_seed_001_typing_error():
    s = spec("II.06a/VPCP/KSTT")
    parts = {"received_online": 32, "received_direct": 2999, "carried_over": 207, "resolved_early": 288,
             "resolved_on_time": 2237, "resolved_late": 0, "pending_in_time": 713, "pending_late": 0}
    assert s.check(parts) == []
    assert ("Đã giải quyết (3.525) phải bằng trước hạn + đúng hạn + quá hạn (288 + 2.237 + 0 = 2.525)"
            in s.check(parts, {"resolved": 3525}))


def test_broken_definitions_are_refused():
    base = {"code": "X", "title": "x", "columns": [{"key": "a", "headers": ["A"]},
                                                    {"key": "t", "headers": ["T"], "sum_of": ["a", "b"]}]}
    with pytest.raises(FormError):
        FormSpec.from_data(base)
    loop = {"code": "X", "title": "x", "columns": [{"key": "a", "headers": ["A"], "sum_of": ["b"]},
                                                    {"key": "b", "headers": ["B"], "sum_of": ["a"]}]}
    with pytest.raises(FormError):
        FormSpec.from_data(loop)
    with pytest.raises(FormError):
        FormSpec.from_data({**base, "columns": base["columns"][:1], "checks": [{"builtin": "nope"}]})
    with pytest.raises(FormError):
        FormSpec.from_data({**base, "columns": base["columns"][:1],
                            "checks": [{"rule": "sum", "total": "a", "parts": ["zz"]}]})


def test_a_total_of_totals_is_computed_in_order():
    s = FormSpec.from_data({"code": "X", "title": "x", "columns": [
        {"key": "all", "headers": ["Tất cả"], "sum_of": ["left", "c"]},
        {"key": "left", "headers": ["Trái"], "sum_of": ["a", "b"]},
        {"key": "a", "headers": ["A"]}, {"key": "b", "headers": ["B"]}, {"key": "c", "headers": ["C"]}]})
    assert s.complete({"a": 1, "b": 2, "c": 4})["all"] == 7


def test_the_latest_version_in_force_is_picked_per_period():
    v1 = spec()
    v2 = FormSpec.from_data({**definition(II07B, 1), "version": 2, "valid_from": "2026-02-15",
                             "legal_basis": "Thông tư 5/2025/TT-VPCP"})
    assert pick([v1, v2], date(2025, 9, 15), date(2025, 12, 14)) == [v1]
    assert pick([v1, v2], date(2025, 12, 15), date(2026, 3, 14)) == [v2]
    ended = FormSpec.from_data({**definition(II07B, 1), "valid_to": "2026-02-14"})
    assert pick([ended], date(2026, 3, 15), date(2026, 6, 14)) == []


@pytest.mark.parametrize("text,value", [("3.238", 3238), ("3238", 3238), ("1.234.567", 1234567),
                                        ("", 0), (None, 0), (" 12 ", 12), (7.0, 7), ("3 238", 3238)])
def test_counts_as_people_type_them(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["3,5", "abc", "3.23", 2.5, "12a"])
def test_what_is_not_a_count(text):
    with pytest.raises(ValueError):
        parse_count(text)
