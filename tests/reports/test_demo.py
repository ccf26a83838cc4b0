from datetime import date

from app.reports import services
from tests.reports.helpers import issued_demo


def test_demo_issues_quarter_ii_2022_with_seed_figures(world):
    report = issued_demo(world, date(2022, 6, 10))
    assert report.state == "issued" and report.number == "113/BC-SLĐTBXH"
    doc = services.document(report)
    d = doc["figures"]["dossiers"]
    assert (d["received"], d["received_new"], d["carried_over"]) == (3238, 3031, 207)
    assert (d["resolved"], d["resolved_early"], d["resolved_on_time"], d["resolved_late"]) == (2525, 288, 2237, 0)
    assert (d["pending"], d["pending_in_time"], d["pending_late"]) == (713, 713, 0)
    assert len(doc["figures"]["units"]) == 5
    lines = [l for s in doc["sections"] for l in s["figure_lines"]]
    assert any("Số lượng hồ sơ đã giải quyết: 2.525; trong đó, giải quyết trước hạn: 288, đúng hạn: 2.237" in l
               for l in lines)
    assert any("19/32 ngày, tỷ lệ cắt giảm **59,38%**" in l for l in lines)
    assert doc["place_date"] == "Lạng Sơn, ngày 10 tháng 6 năm 2022"
    assert doc["signature"] == {"authority": "GIÁM ĐỐC", "title": None, "name": "Phạm Đức Huân"}
