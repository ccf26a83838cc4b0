"""Reading plan tables and matching unit names (accent-insensitive, collectives expanded)."""
import pytest

from app.domain.plantable import (TableError, UnitRef, choose_lead, match_cell, match_unit,
                                  parse_table, rows_from_text)

UNITS = [
    UnitRef(1, "Văn phòng Sở", "office", "VP"),
    UnitRef(2, "Phòng Bảo trợ xã hội – Trẻ em", "division", "BTXH"),
    UnitRef(3, "Phòng Lao động, Việc làm – Bảo hiểm xã hội", "division", "LDVL"),
    UnitRef(4, "Phòng Kế hoạch – Tài chính", "division", "KHTC"),
    UnitRef(5, "Thanh tra Sở", "division", "TTRA"),
    UnitRef(6, "Trung tâm Dịch vụ việc làm", "affiliate", "TTDVVL"),
    UnitRef(7, "UBND huyện Cao Lộc", "local", "CAOLOC"),
]


@pytest.mark.parametrize("text,uid", [
    ("Văn phòng Sở", 1), ("VĂN PHÒNG SỞ", 1), ("Van phong So", 1), ("Văn phòng", 1),
    ("Phòng Bảo trợ xã hội", 2), ("Bảo trợ xã hội – Trẻ em", 2),
    ("Phòng Lao động, Việc làm – Bảo hiểm xã hội", 3), ("Phòng Lao động việc làm", 3),
    ("Phòng Kế hoạch tài chính", 4), ("phòng kế hoạch – Tài chính", 4), ("Phòng Kế hoạch tài chinh", 4),
    ("Thanh tra", 5), ("TTRA", 5),
])
def test_match_unit(text, uid):
    assert match_unit(text, UNITS).id == uid


@pytest.mark.parametrize("text", ["Sở Thông tin và Truyền thông", "Phòng", "", "Văn phòng UBND tỉnh"])
def test_unknown_names_do_not_match(text):
    assert match_unit(text, UNITS) is None


def test_cells_with_several_units_and_collectives():
    m = match_cell("Thanh tra + Văn phòng Sở", UNITS)
    assert m.unit_ids == [5, 1] and choose_lead(m, UNITS) == (5, [1])
    m = match_cell("Văn phòng Sở, Các phòng chuyên môn.", UNITS)
    assert m.unit_ids == [1, 2, 3, 4, 5] and choose_lead(m, UNITS) == (1, [2, 3, 4, 5])
    m = match_cell("Các phòng thuộc Sở", UNITS)
    assert choose_lead(m, UNITS) == (1, [2, 3, 4, 5])  # the office coordinates a collective lead
    m = match_cell("Phòng Lao động, Việc làm – Bảo hiểm xã hội; Sở Tư pháp", UNITS)
    assert m.unit_ids == [3] and m.unknown == ["Sở Tư pháp"]
    m = match_cell("Các phòng chuyên môn và đơn vị thuộc Sở", UNITS)
    assert m.unit_ids == [2, 3, 4, 5, 6]
    assert match_cell("UBND cấp huyện", UNITS).unit_ids == [7]
    assert choose_lead(match_cell("Đơn vị trực thuộc Sở", UNITS), UNITS) == (6, [])


def test_tab_table_with_headings_and_page_continuation():
    text = ("TT\tNội dung\tThời gian thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\n"
            "I\tRà soát TTHC\t\t\t\n"
            "1\tRà soát lĩnh vực\tTháng 7/2024\tPhòng chuyên môn thuộc\tVăn phòng\n"
            "\tbảo trợ xã hội\t\tSở\tSở\n"
            "A\tTuyên truyền\t\t\t\n"
            "1\tVideo\tQuý III/2024\tVăn phòng Sở\t\n")
    t = parse_table(rows_from_text(text))
    assert t.groups == ["I. Rà soát TTHC", "I. Rà soát TTHC / A. Tuyên truyền"]
    first, second = t.tasks
    assert (first.content, first.lead, first.coop) == ("Rà soát lĩnh vực bảo trợ xã hội",
                                                       "Phòng chuyên môn thuộc Sở", "Văn phòng Sở")
    assert second.group_label == "I. Rà soát TTHC / A. Tuyên truyền"


def test_no_header_is_an_error():
    with pytest.raises(TableError):
        parse_table(rows_from_text("a\tb\nc\td\n"))
