"""The words of the report: markup, figure paragraphs, signature block."""
from app.reports import drafting


def test_paragraph_markup():
    ps = drafting.paragraphs("Mở đầu **đậm** cuối\n\n- ý một\n+ ý con\r\n")
    assert [p["kind"] for p in ps] == ["para", "item", "subitem"]
    assert ps[0]["runs"] == [("Mở đầu ", False), ("đậm", True), (" cuối", False)]
    assert drafting.paragraphs(None) == []


def test_signature_of_director_and_deputy():
    assert drafting.signature("Giám đốc", "Phạm Đức Huân") == {
        "authority": "GIÁM ĐỐC", "title": None, "name": "Phạm Đức Huân"}
    assert drafting.signature("Phó Giám đốc", "Nguyễn Văn B") == {
        "authority": "KT. GIÁM ĐỐC", "title": "PHÓ GIÁM ĐỐC", "name": "Nguyễn Văn B"}


def test_figure_paragraphs_as_seed_001_writes_them():
    d = {"received": 3238, "received_new": 3031, "received_online": 32, "received_direct": 2999,
         "carried_over": 207, "resolved": 2525, "resolved_early": 288, "resolved_on_time": 2237,
         "resolved_late": 0, "pending": 713, "pending_in_time": 713, "pending_late": 0}
    lines = drafting.dossier_lines(d, [{"unit": "Phòng A", "dossier_code": "H37-1",
                                        "procedure_name": "Trợ cấp", "explanation": "Chờ xác minh"}],
                                   "II.06a/VPCP/KSTT")
    assert lines[0] == ("- Tổng số hồ sơ TTHC đã tiếp nhận trong kỳ báo cáo 3.238, trong đó: Số mới "
                        "tiếp nhận trong kỳ: 3.031 (trực tuyến: 32; trực tiếp và qua dịch vụ bưu chính: "
                        "2.999); số từ kỳ trước chuyển qua: 207 hồ sơ.")
    assert "+ Phòng A: hồ sơ H37-1 (Trợ cấp): Chờ xác minh" in lines
    assert lines[-1] == "(Có biểu số II.06a/VPCP/KSTT kèm theo)"
    assert drafting.review_lines({"reviewed": 0}) == [
        "Trong kỳ báo cáo chưa có kết quả rà soát, đơn giản hóa TTHC được tiếp nhận."]
    review = drafting.review_lines({"reviewed": 2, "days_current": 32, "days_cut": 19, "cut_ratio": 0.59375,
                                    "proposals": {"amend": 2, "abolish": 1}, "cost_before": 1000,
                                    "cost_after": 600, "cost_saving": 400, "cost_ratio": 0.4})
    assert review[1] == "- Phương án đề xuất: sửa đổi, bổ sung: 02; bãi bỏ: 01."
    assert "tỷ lệ 40,00 %" in review[2]
    fb = drafting.feedback_lines({"received": 3, "handled": 2}, "quý II năm 2022", "Sở")
    assert fb == ["Trong quý II năm 2022, Sở đã tiếp nhận 3 phản ánh, kiến nghị; đã xử lý 2, đang xử lý 1."]
    assert drafting.plan_report_title("19/KH-SLĐTBXH", "Rà soát TTHC năm 2022") == \
        "Kết quả thực hiện Kế hoạch số 19/KH-SLĐTBXH về rà soát TTHC năm 2022"


def _results_section(results):
    sections = drafting.default_sections({"results": results}, "quý II năm 2022", "Sở")
    return next(s for s in sections if s["key"] == "II.3")["text"].splitlines()


def test_few_results_are_quoted_many_are_counted_per_unit():
    few = [{"unit": "Phòng A", "task": "Rà soát TTHC", "result_text": "Đã rà soát\n 03 TTHC."}]
    assert _results_section(few) == ["Kết quả thực hiện của các đơn vị trong kỳ:",
                                     "- Phòng A (Rà soát TTHC): Đã rà soát 03 TTHC."]
    many = [{"unit": "Phòng B" if i % 3 else "Phòng A", "task": f"Việc {i}", "result_text": "Xong."}
            for i in range(drafting.MAX_QUOTED_RESULTS * 40)]
    # A province's quarter has thousands: the draft stays as long as the list of units.
    assert _results_section(many) == [
        "Trong kỳ, Văn phòng Sở đã tiếp nhận 1.200 kết quả thực hiện nhiệm vụ của các đơn vị:",
        "- Phòng B: 800 nhiệm vụ đã hoàn thành.", "- Phòng A: 400 nhiệm vụ đã hoàn thành."]


def test_review_lines_compare_targets_exactly_and_say_a_hidden_miss():
    """Issue 14: 59,99 of 200 days is 29,995 %, shown "30,00 %" and counted as meeting 30 %."""
    from app.exports.report_xlsx import review_rows
    r = {"reviewed": 1, "days_current": 200.0, "days_cut": 59.99, "cut_ratio": 0.29995,
         "proposals": {}, "cost_before": 20000.0, "cost_after": 16000.0, "cost_saving": 4000.0,
         "cost_ratio": 0.2, "targets": {"time_cut": 30.0, "cost_cut": 20.0}}
    lines = drafting.review_lines(r)
    assert "59,99/200 ngày, tỷ lệ cắt giảm **29,995%**" in lines[0]
    assert lines[1] == "- Tỷ lệ cắt giảm thời hạn giải quyết: 29,995 % — chưa đạt 30 %."
    assert lines[-1] == "- So với chỉ tiêu cắt giảm chi phí tuân thủ tối thiểu 20 % của kế hoạch: đạt."
    rows = dict(review_rows(r))
    assert rows["So với chỉ tiêu cắt giảm thời hạn (30 %)"] == "29,995 % — chưa đạt 30 %"
    assert rows["So với chỉ tiêu cắt giảm chi phí tuân thủ (20 %)"] == "Đạt"


def test_review_lines_percentage_of_nothing_is_a_dash():
    from app.exports.report_xlsx import review_rows
    r = {"reviewed": 2, "days_current": 0, "days_cut": 0, "cut_ratio": None, "proposals": {"keep": 2},
         "cost_before": 0, "cost_ratio": None}
    assert "0/0 ngày, tỷ lệ cắt giảm **—**" in drafting.review_lines(r)[0]
    assert dict(review_rows(r))["Tỷ lệ cắt giảm thời hạn"] == "—"
    assert dict(review_rows(r))["Tỷ lệ cắt giảm chi phí"] == "—"
    # Half days are kept, not rounded away.
    assert "2,5/12,5 ngày" in drafting.review_lines({"reviewed": 1, "days_current": 12.5, "days_cut": 2.5})[0]


def test_dossier_lines_say_how_many_overdue_dossiers_are_not_explained():
    d = {"received": 5, "received_new": 5, "received_online": 5, "received_direct": 0, "carried_over": 0,
         "resolved": 3, "resolved_early": 0, "resolved_on_time": 2, "resolved_late": 1,
         "pending": 2, "pending_in_time": 0, "pending_late": 2}
    one = [{"unit": "Phòng A", "dossier_code": "H37-1", "procedure_name": "Trợ cấp", "explanation": "Chờ xác minh"}]
    lines = drafting.dossier_lines(d, one, "II.06a/VPCP/KSTT")
    assert "- Còn 2 hồ sơ quá hạn chưa có giải trình của Thủ trưởng đơn vị." in lines
    assert not any("chưa có giải trình" in line for line in drafting.dossier_lines(d, one * 3, "II.06a"))
