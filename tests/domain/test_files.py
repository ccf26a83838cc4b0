from app.domain.files import icon_class, size_text


def test_icons_by_extension():
    assert icon_class("Báo cáo.PDF") == "bi-file-earmark-pdf"
    assert icon_class("bieu-mau.xlsx") == "bi-file-earmark-excel"
    assert icon_class("du-thao.docx") == "bi-file-earmark-word"
    assert icon_class("khong-duoi") == "bi-file-earmark"


def test_sizes_in_vietnamese_units():
    assert size_text(900) == "900 B"
    assert size_text(1536) == "1,5 KB"
    assert size_text(12 * 1024) == "12 KB"
    assert size_text(int(3.2 * 1024 * 1024)) == "3,2 MB"
    assert size_text(None) == "—"
