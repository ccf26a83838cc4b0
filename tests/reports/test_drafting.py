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
