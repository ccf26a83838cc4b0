"""Importing a plan whose deadline cells use the everyday phrases of issue 14 item 5: the
preview states how each was read, the plan gets the milestones and the recurring day."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Task
from tests.conftest import login

HEADER = "STT\tNội dung nhiệm vụ\tThời gian thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\n"
ROWS = [
    ("Báo cáo 6 tháng cuối năm", "6 tháng cuối năm"),
    ("Triển khai đề án", "Năm 2024 - 2025"),
    ("Rà soát quy định", "Quý I, II năm 2024"),
    ("Đối thoại doanh nghiệp", "Trước ngày 30/9/2024 (báo cáo kết quả)"),
    ("Báo cáo đánh giá TTHC", "trước ngày 30/6 hằng năm"),
    ("Kiểm tra công vụ", "Tháng 3/2024"),
]
TEXT = HEADER + "".join(f"{i}\t{c}\t{d}\tVăn phòng Sở\tThanh tra Sở\n" for i, (c, d) in enumerate(ROWS, 1))


def _token(client) -> str:
    resp = client.post("/plans/import/", data={"text": TEXT})
    assert resp.status_code == 302
    return re.search(r"/plans/import/([0-9a-f]{32})$", resp.headers["Location"]).group(1)


def _confirm(client, token, year):
    return client.post(f"/plans/import/{token}", data={
        "number": "07/KH-SLĐTBXH", "title": "Kế hoạch thử cụm từ", "year": str(year), "kind": "reform"})


def test_phrases_are_dated_and_the_reading_is_shown(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _token(client)
    html = client.get(f"/plans/import/{token}").get_data(as_text=True)
    assert "cần nhập ngày" not in html.lower() and 'name="due_' not in html
    assert "Không ghi năm: lấy năm 2024 của kế hoạch." in html                 # 6 tháng cuối năm
    assert "Giai đoạn 2024–2025: mỗi năm một mốc (31/12); hạn của nhiệm vụ là cuối giai đoạn, 31/12/2025." in html
    assert 'Quý II/2024: <span class="due">30/06/2024</span>' in html
    assert "Ghi chú: báo cáo kết quả." in html
    assert "Mỗi năm một lượt, hạn ngày 30/06." in html

    assert _confirm(client, token, 2024).status_code == 302
    by = {t.content: t for t in db.session.scalars(select(Task).where(Task.parent_id.is_(None)))}
    assert by["Báo cáo 6 tháng cuối năm"].due_on == date(2024, 12, 31)
    scheme = by["Triển khai đề án"]
    assert scheme.due_on == date(2025, 12, 31)
    assert [(s.name, s.due_on) for s in scheme.stages] == [("Năm 2024", date(2024, 12, 31)),
                                                           ("Năm 2025", date(2025, 12, 31))]
    assert [(s.name, s.due_on) for s in by["Rà soát quy định"].stages] == [
        ("Quý I/2024", date(2024, 3, 31)), ("Quý II/2024", date(2024, 6, 30))]
    assert by["Đối thoại doanh nghiệp"].due_on == date(2024, 9, 30)
    yearly = by["Báo cáo đánh giá TTHC"]
    children = db.session.scalars(select(Task).where(Task.parent_id == yearly.id)).all()
    # The phrase's own day, not the office's default (15/12).
    assert [(c.period_label, c.due_on) for c in children] == [("Năm 2024", date(2024, 6, 30))]


def test_a_phrase_without_year_follows_the_plan_year_chosen(thai_binh, client):
    units, office, _ = thai_binh
    login(client, office)
    token = _token(client)   # the preview guessed 2024 from the other rows
    assert _confirm(client, token, 2025).status_code == 302
    t = db.session.scalar(select(Task).where(Task.content == "Báo cáo 6 tháng cuối năm"))
    assert t.due_on == date(2025, 12, 31)
    # Phrases with their own year keep it.
    assert db.session.scalar(select(Task.due_on).where(Task.content == "Kiểm tra công vụ")) == date(2024, 3, 31)
