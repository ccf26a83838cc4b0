"""Plan tables as clerks make them (issue 14 item 7): the numbering row under the header,
section headings in a row, and Excel date cells shown as the clerk sees them."""
from datetime import date, datetime

import pytest

from app.domain.plantable import excel_cell_text, parse_table, rows_from_text

HEAD = ["STT", "Nội dung nhiệm vụ", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Ghi chú"]


def _table(rows):
    return "".join("\t".join(r) + "\n" for r in rows)


# ---- the numbering row ("(1) (2) ... (6)") -----------------------------------------------------

@pytest.mark.parametrize("numbers", [
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
    ["1", "2", "3", "4", "5", "6"],
    ["( 1 )", "( 2 )", "( 3 )", "( 4 )", "( 5 )", "( 6 )"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", ""],            # the last column left blank
    ["A", "B", "1", "2", "3", "4"],                     # letters for the text columns
    ["(1) (2) (3) (4) (5) (6)", "", "", "", "", ""],    # typed in one merged cell
])
def test_the_numbering_row_is_not_a_task(numbers):
    rows = [HEAD, numbers, ["1", "Rà soát TTHC", "Quý III/2024", "Văn phòng Sở", "", ""],
            ["2", "Đối thoại", "Tháng 7/2024", "Thanh tra Sở", "", ""]]
    t = parse_table(rows_from_text(_table(rows)))
    assert [x.content for x in t.tasks] == ["Rà soát TTHC", "Đối thoại"]


def test_the_numbering_row_repeated_with_the_header_on_the_next_page():
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    rows = [HEAD, numbers, ["1", "Rà soát TTHC", "Quý III/2024", "Văn phòng Sở", "", ""],
            HEAD, numbers, ["2", "Đối thoại", "Tháng 7/2024", "Thanh tra Sở", "", ""]]
    t = parse_table(rows)
    assert [x.stt for x in t.tasks] == ["1", "2"]


def test_the_numbering_row_of_a_table_with_a_group_column():
    rows = [["Nội dung", "Nhiệm vụ", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["(1)", "(2)", "(3)", "(4)", "(5)"],
            ["I. Cải cách thể chế", "1. Xây dựng kế hoạch", "Tháng 03/2022", "Văn phòng Sở", ""]]
    t = parse_table(rows)
    assert [(x.group_label, x.content) for x in t.tasks] == [("I. Cải cách thể chế", "Xây dựng kế hoạch")]
    assert t.groups == ["I. Cải cách thể chế"]


def test_numbers_that_do_not_count_up_are_a_real_row():
    rows = [HEAD, ["1", "2", "Quý III/2024", "Văn phòng Sở", "", ""]]
    assert [x.content for x in parse_table(rows).tasks] == ["2"]


# ---- section headings in a row: each its own group ----------------------------------------------

def _labels(t):
    return [(x.group_label, x.content) for x in t.tasks]


def test_two_roman_sections_in_a_row_split_form():
    rows = [HEAD, ["I", "CÔNG TÁC CHỈ ĐẠO", "", "", "", ""], ["II", "CẢI CÁCH TTHC", "", "", "", ""],
            ["1", "Rà soát", "Quý III/2024", "Văn phòng Sở", "", ""]]
    t = parse_table(rows)
    assert t.groups == ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC"]
    assert _labels(t) == [("II. CẢI CÁCH TTHC", "Rà soát")]


@pytest.mark.parametrize("first,second,labels", [
    ("I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC", ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC"]),
    ("I. CÔNG TÁC CHỈ ĐẠO", "II.CẢI CÁCH TTHC", ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC"]),
    ("I - CÔNG TÁC CHỈ ĐẠO", "II - CẢI CÁCH TTHC", ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC"]),
    ("I: Công tác chỉ đạo", "II) Cải cách TTHC", ["I. Công tác chỉ đạo", "II. Cải cách TTHC"]),
    ("Phần I. Công tác chỉ đạo", "Phần II. Cải cách TTHC", ["I. Công tác chỉ đạo", "II. Cải cách TTHC"]),
])
def test_headings_merged_across_the_row_then_the_split_form(first, second, labels):
    """A heading merged over every column arrives in the first cell only."""
    rows = [HEAD, [first, "", "", "", "", ""], [second, "", "", "", "", ""],
            ["1", "Rà soát", "Quý III/2024", "Văn phòng Sở", "", ""],
            ["III", "Cải cách tài chính công", "", "", "", ""],
            ["1", "Chi trả không dùng tiền mặt", "Năm 2024", "Văn phòng Sở", "", ""]]
    t = parse_table(rows)
    assert t.groups == labels + ["III. Cải cách tài chính công"]
    assert _labels(t) == [(labels[1], "Rà soát"), ("III. Cải cách tài chính công", "Chi trả không dùng tiền mặt")]


def test_headings_typed_in_the_content_column_do_not_join_the_task_above():
    rows = [HEAD, ["", "I. CÔNG TÁC CHỈ ĐẠO", "", "", "", ""],
            ["1", "Ban hành kế hoạch", "Tháng 01/2024", "Văn phòng Sở", "", ""],
            ["", "II. CẢI CÁCH TTHC", "", "", "", ""], ["", "III. CẢI CÁCH TÀI CHÍNH CÔNG", "", "", "", ""],
            ["1", "Rà soát", "Quý III/2024", "Văn phòng Sở", "", ""]]
    t = parse_table(rows)
    assert t.groups == ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC", "III. CẢI CÁCH TÀI CHÍNH CÔNG"]
    assert _labels(t) == [("I. CÔNG TÁC CHỈ ĐẠO", "Ban hành kế hoạch"), ("III. CẢI CÁCH TÀI CHÍNH CÔNG", "Rà soát")]


def test_headings_in_a_table_without_a_number_column():
    rows = [["Nội dung nhiệm vụ", "Thời gian thực hiện", "Đơn vị chủ trì"],
            ["I. Công tác chỉ đạo", "", ""], ["II. Cải cách TTHC", "", ""],
            ["1. Rà soát", "Quý III/2024", "Văn phòng Sở"], ["2. Đối thoại", "Tháng 7/2024", "Thanh tra Sở"]]
    t = parse_table(rows)
    assert t.groups == ["I. Công tác chỉ đạo", "II. Cải cách TTHC"]
    assert _labels(t) == [("II. Cải cách TTHC", "Rà soát"), ("II. Cải cách TTHC", "Đối thoại")]


@pytest.mark.parametrize("second", ["II- Cải cách TTHC", "II.Cải cách TTHC", "II Cải cách TTHC", "II. Cải cách TTHC"])
def test_two_sections_in_a_row_in_the_group_column(second):
    rows = [["Nội dung", "Nhiệm vụ", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["I. Cải cách thể chế", "", "", "", ""],
            [second, "1. Rà soát", "Quý III/2024", "Văn phòng Sở", ""],
            ["", "2. Đối thoại", "Tháng 7/2024", "Thanh tra Sở", ""]]
    t = parse_table(rows)
    assert t.groups == ["I. Cải cách thể chế", "II. Cải cách TTHC"]
    assert {x.group_label for x in t.tasks} == {"II. Cải cách TTHC"}


def test_a_group_cell_continued_on_the_next_page_still_joins():
    """Seed 004: "V. Xây dựng" / "Chính quyền điện tử, Chính quyền số" split by a page break."""
    rows = [["Nội dung", "Nhiệm vụ", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp"],
            ["V. Xây dựng", "1. Rà soát, đăng ký dịch vụ công theo lộ", "Thường xuyên", "Văn phòng Sở", ""],
            ["Chính quyền điện tử, Chính quyền số", "trình của tỉnh", "", "", ""],
            ["", "2. Xây dựng kế hoạch", "Tháng 01/2022", "Văn phòng Sở", ""]]
    t = parse_table(rows)
    assert t.groups == ["V. Xây dựng Chính quyền điện tử, Chính quyền số"]
    assert t.tasks[0].content == "Rà soát, đăng ký dịch vụ công theo lộ trình của tỉnh"


# ---- Excel date cells: the words the clerk sees --------------------------------------------------

@pytest.mark.parametrize("value,fmt,text", [
    (datetime(2024, 9, 30), "dd/mm/yyyy", "30/09/2024"),
    (datetime(2024, 9, 30), "d/m/yyyy", "30/09/2024"),
    (datetime(2024, 9, 30), "yyyy-mm-dd", "30/09/2024"),
    (datetime(2024, 9, 30), "mm-dd-yy", "30/09/2024"),
    (datetime(2024, 9, 30), "General", "30/09/2024"),
    (datetime(2024, 9, 30, 0, 0), "dd/mm/yyyy h:mm", "30/09/2024"),
    (date(2024, 9, 30), "dd/mm/yyyy", "30/09/2024"),
    (datetime(2024, 7, 1), "mm/yyyy", "Tháng 07/2024"),
    (datetime(2024, 7, 1), "mmm-yy", "Tháng 07/2024"),
    (datetime(2024, 1, 1), "yyyy", "Năm 2024"),
    (datetime(2024, 9, 30), '"Trước ngày "dd/mm/yyyy', "Trước ngày 30/09/2024"),
    (datetime(2024, 9, 30), r'\T\r\ư\ớ\c\ \n\g\à\y\ dd/mm/yyyy', "Trước ngày 30/09/2024"),
    (datetime(2024, 9, 30), "[$-42A]dd/mm/yyyy;@", "30/09/2024"),
    (3238, "General", "3238"),
    (5.0, "General", "5"),
    (None, "General", ""),
    ("Quý III/2024", "@", "Quý III/2024"),
])
def test_excel_cell_text(value, fmt, text):
    assert excel_cell_text(value, fmt) == text


def test_headings_pasted_from_word_arrive_without_tabs():
    """A row merged over a Word table is one cell: pasted, its line has no tab."""
    text = ("PHỤ LỤC KẾ HOẠCH\n"
            "STT\tNội dung nhiệm vụ\tThời gian thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\n"
            "(1)\t(2)\t(3)\t(4)\t(5)\n"
            "I. CÔNG TÁC CHỈ ĐẠO\n"
            "II. CẢI CÁCH TTHC\n"
            "1\tRà soát quy định\tQuý III/2024\tVăn phòng Sở\tThanh tra Sở\n"
            "A. Truyền thông\n"
            "1\tVideo hướng dẫn\tTháng 7/2024\tVăn phòng Sở\t\n"
            "Nơi nhận:\n- Như trên;\n")
    t = parse_table(rows_from_text(text))
    assert t.groups == ["I. CÔNG TÁC CHỈ ĐẠO", "II. CẢI CÁCH TTHC", "II. CẢI CÁCH TTHC / A. Truyền thông"]
    assert _labels(t) == [("II. CẢI CÁCH TTHC", "Rà soát quy định"),
                          ("II. CẢI CÁCH TTHC / A. Truyền thông", "Video hướng dẫn")]
