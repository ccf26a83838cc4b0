"""Issue 17 item 8: every search box folds accents and case, on both databases."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from app.domain.text import fold, like_pattern
from app.extensions import db
from app.models import Plan, Task, User
from tests.conftest import login, make_user
from tests.factories import make_plan


def test_fold_and_like_pattern():
    assert fold("  Bảo TRỢ   xã hội – Trẻ em ") == "bao tro xa hoi – tre em"
    assert fold("ĐĂNG KÝ") == "dang ky"
    assert like_pattern("Bảo trợ") == "%bao tro%"
    # LIKE wildcards typed by a user are literal
    assert like_pattern("50%_x\\") == "%50\\%\\_x\\\\%"


def _tasks(world):
    return make_plan(world, tasks=[
        {"content": "Rà soát thủ tục Bảo trợ xã hội", "lead": world.div_a, "due_on": date(2022, 5, 10)},
        {"content": "Tổng hợp BẢO TRỢ trẻ em", "lead": world.div_a, "due_on": date(2022, 5, 11)},
        {"content": "Đăng ký lao động", "lead": world.div_a, "due_on": date(2022, 5, 12)},
    ])


def test_task_search_ignores_accents_and_case(client, world):
    _tasks(world)
    login(client, world.office_user)
    for q in ("bao tro", "bảo trợ", "BAO TRO", "Bảo Trợ"):
        body = client.get(f"/tasks/?q={q}&year=").get_data(as_text=True)
        assert "Rà soát thủ tục Bảo trợ xã hội" in body and "Tổng hợp BẢO TRỢ trẻ em" in body, q
        assert "Đăng ký lao động" not in body, q
    body = client.get("/tasks/?q=dang+ky").get_data(as_text=True)
    assert "Đăng ký lao động" in body


def test_overdue_search_ignores_accents(client, world):
    _tasks(world)
    login(client, world.head_a)
    body = client.get("/overdue?q=bao+tro").get_data(as_text=True)
    assert "Rà soát thủ tục Bảo trợ xã hội" in body and "Tổng hợp BẢO TRỢ trẻ em" in body
    assert "Đăng ký lao động" not in body


def test_plan_search_ignores_accents(client, world):
    make_plan(world, number="19/KH-SLĐTBXH")
    p2 = make_plan(world, number="7/KH-UBND")
    p2.title = "Kiểm soát thủ tục nội bộ"
    db.session.commit()
    login(client, world.office_user)
    body = client.get("/plans/?q=sldtbxh").get_data(as_text=True)
    assert "19/KH-SLĐTBXH" in body and "7/KH-UBND" not in body
    body = client.get("/plans/?q=noi+bo").get_data(as_text=True)
    assert "7/KH-UBND" in body and "19/KH-SLĐTBXH" not in body


def test_user_search_ignores_accents(client, world):
    login(client, world.admin)
    body = client.get("/admin/users?q=pham+duc").get_data(as_text=True)
    assert "Phạm Đức Huân" in body and "Nguyễn Văn Phòng" not in body


def test_folded_columns_follow_edits_and_core_inserts(ctx, world):
    plan = make_plan(world, tasks=[{"content": "Nội dung cũ"}])
    task = plan.tasks[0]
    task.content = "Nội dung MỚI"
    plan.title = "Tiêu đề Mới"
    world.staff_a.full_name = "Lê Thị Ánh"
    db.session.commit()
    assert db.session.scalar(select(Task.content_folded).where(Task.id == task.id)) == "noi dung moi"
    assert "tieu de moi" in db.session.scalar(select(Plan.search_folded).where(Plan.id == plan.id))
    assert "le thi anh" in db.session.scalar(select(User.search_folded).where(User.id == world.staff_a.id))
    # a Core insert (gen-data, imports) fills the folded column too
    db.session.execute(insert(Task), [{"plan_id": plan.id, "position": 9, "content": "Đề án Ưu tiên",
                                       "lead_unit_id": world.div_a.id}])
    db.session.commit()
    assert db.session.scalar(select(Task.content_folded).where(Task.position == 9)) == "de an uu tien"
