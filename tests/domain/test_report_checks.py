"""Consistency rules of report figures, fed with seed 001's printed figures."""
from app.domain.checks import (Dossiers, check_catalog, check_dossiers, check_feedback,
                               check_overdue_cases, check_sum, check_within, cut_ratio)

# Seed 001 as printed: received 3.238 = 3.031 new (32 online + 2.999 direct) + 207 carried over;
# "đã giải quyết: 3.525; trước hạn 288, đúng hạn 2.237, quá hạn 0"; pending 713 (713 + 0).
SEED = Dossiers(received_online=32, received_direct=2999, carried_over=207, resolved_early=288,
                resolved_on_time=2237, resolved_late=0, pending_in_time=713, pending_late=0)


def test_seed_001_typo_is_caught_with_the_figures_named():
    errors = check_dossiers(SEED, received=3238, received_new=3031, resolved=3525, pending=713)
    assert ("Đã giải quyết (3.525) phải bằng trước hạn + đúng hạn + quá hạn "
            "(288 + 2.237 + 0 = 2.525)") in errors
    # and the balance with the typed total fails too: 3.525 + 713 = 4.238 ≠ 3.238
    assert any("3.525 + 713 = 4.238" in e for e in errors)


def test_seed_001_corrected_passes_and_totals_are_computed():
    assert check_dossiers(SEED, received=3238, received_new=3031, resolved=2525, pending=713) == []
    assert (SEED.received, SEED.received_new, SEED.resolved, SEED.pending) == (3238, 3031, 2525, 713)


def test_received_must_equal_new_plus_carried_over():
    errors = check_dossiers(SEED, received=3300)
    assert errors[0] == ("Tổng số hồ sơ đã tiếp nhận (3.300) phải bằng số mới tiếp nhận + "
                         "từ kỳ trước chuyển qua (3.031 + 207 = 3.238)")


def test_new_must_equal_online_plus_direct():
    errors = check_dossiers(SEED, received_new=3000)
    assert errors == ["Số mới tiếp nhận (3.000) phải bằng trực tuyến + trực tiếp và qua dịch vụ "
                      "bưu chính (32 + 2.999 = 3.031)"]


def test_pending_must_equal_in_time_plus_late():
    errors = check_dossiers(SEED, pending=700)
    assert any(e.startswith("Đang giải quyết (700) phải bằng trong hạn + quá hạn (713 + 0 = 713)")
               for e in errors)


def test_received_must_equal_resolved_plus_pending_from_parts():
    unbalanced = Dossiers(received_online=10, resolved_on_time=4, pending_in_time=5)
    assert check_dossiers(unbalanced) == [
        "Tổng số hồ sơ đã tiếp nhận (10) phải bằng đã giải quyết + đang giải quyết (4 + 5 = 9)"]


def test_negative_parts_refused():
    errors = check_dossiers(Dossiers(received_online=-1, pending_in_time=-1))
    assert "Trực tuyến không được âm (-1)" in errors


def test_catalog_parts_exceeding_their_whole_seed_001():
    printed = dict(published=109, public=109, total=109, central=109, local=109, one_stop=56,
                   interconnected=33, postal=98, online_total=109, online_partial=30, online_full=47)
    assert check_catalog(printed) == [
        "Số TTHC do Trung ương quy định + số TTHC do địa phương quy định (109 + 109 = 218) "
        "vượt quá tổng số TTHC thuộc thẩm quyền (109)"]
    fixed = dict(printed, local=0)
    assert check_catalog(fixed) == []


def test_catalog_single_parts_and_online_levels():
    errors = check_catalog(dict(published=10, public=11, one_stop=12, online_total=5,
                                online_partial=3, online_full=3))
    assert "Số TTHC được công khai (11) vượt quá số TTHC được công bố (10)" in errors
    assert "Số TTHC một cửa (12) vượt quá tổng số TTHC thuộc thẩm quyền (10)" in errors
    assert ("Mức độ 3 (một phần) + mức độ 4 (toàn trình) (3 + 3 = 6) vượt quá số TTHC dịch vụ "
            "công trực tuyến (5)") in errors


def test_feedback_handled_within_received():
    assert check_feedback(3, 3) == []
    assert check_feedback(1, 2) == ["Số phản ánh, kiến nghị đã xử lý (2) vượt quá số đã tiếp nhận (1)"]


def test_overdue_cases_need_an_explanation_each():
    d = Dossiers(received_online=5, resolved_late=2, pending_late=3)
    assert check_overdue_cases(d, 5) == []
    assert check_overdue_cases(d, 1) == [
        "Số hồ sơ quá hạn có giải trình (1) phải bằng quá hạn đã giải quyết + quá hạn đang giải "
        "quyết (2 + 3 = 5)"]


def test_generic_helpers_and_sum_of_units():
    assert check_sum("Tổng", None, [("a", 1)]) is None
    assert check_within("tổng", None, [("a", 5)]) is None
    total = SEED + Dossiers(received_online=1, resolved_early=1)
    assert total.received == 3239 and total.resolved == 2526
    assert Dossiers.from_mapping({"received_online": "7"}).received == 7
    assert round(cut_ratio(32, 13), 5) == 0.59375 and cut_ratio(0, 0) is None


def test_zero_totals_with_parts_are_refused_not_taken_as_blank():
    """Issue 14 zero cases: a typed 0 is a figure (checked), only a blank total is "not given"."""
    from app.domain.checks import Dossiers, check_dossiers, check_within, missing_explanations
    d = Dossiers(received_online=3, resolved_on_time=3)
    assert check_dossiers(d, received=0) == [
        "Tổng số hồ sơ đã tiếp nhận (0) phải bằng số mới tiếp nhận + từ kỳ trước chuyển qua (3 + 0 = 3)",
        "Tổng số hồ sơ đã tiếp nhận (0) phải bằng đã giải quyết + đang giải quyết (3 + 0 = 3)"]
    assert check_dossiers(d, received=None) == []
    assert check_within("tổng số TTHC", 0, [("số TTHC một cửa", 2)]) == \
        "Số TTHC một cửa (2) vượt quá tổng số TTHC (0)"
    assert missing_explanations(Dossiers(resolved_late=1, pending_late=2), 1) == 2
    assert missing_explanations(Dossiers(), 3) == 0
