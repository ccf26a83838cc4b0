"""The province in the demo: plan 28/KH-UBND cascaded into the Sở's 19/KH-SLĐTBXH, other
agencies isolated, seed 003's internal-procedure plan waiting for the Chủ tịch."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Plan, Task
from tests.conftest import login


def _demo_login(client, username):
    client.post("/logout")
    assert client.post("/login", data={"username": username, "password": "Demo@2022"}).status_code == 302


def test_province_demo(ctx, client):
    from app.demo import load_demo
    load_demo()
    kinds = dict(db.session.execute(select(Agency.kind, func.count()).group_by(Agency.kind)).all())
    assert kinds["province"] == 1 and kinds["department"] >= 3 and kinds["commune"] >= 2
    p28 = db.session.scalar(select(Plan).where(Plan.number == "28/KH-UBND"))
    p19 = db.session.scalar(select(Plan).where(Plan.number == "19/KH-SLĐTBXH"))
    first = db.session.scalar(select(Task).where(Task.plan_id == p28.id, Task.position == 1))
    assert db.session.scalar(select(func.count(Task.id)).where(Task.source_task_id == first.id)) == 2
    _demo_login(client, "kstt_tinh")
    page = client.get(f"/tasks/{first.id}").get_data(as_text=True)
    assert "1 kế hoạch triển khai, 2 nhiệm vụ" in page
    assert client.get(f"/plans/{p19.id}").status_code == 404    # the Sở's plan is the Sở's
    internal = client.get("/plans/?q=nội bộ").get_data(as_text=True)
    assert "Rà soát, đơn giản hóa thủ tục hành chính nội bộ" in internal
    _demo_login(client, "vanphong")                            # the Sở's office receives task 1
    assert "Lập kế hoạch triển khai" in client.get(f"/tasks/{first.id}").get_data(as_text=True)
    _demo_login(client, "gd_syt")                              # another Sở: neither plan 19 nor task 1
    assert client.get(f"/plans/{p19.id}").status_code == 404
    assert client.get(f"/tasks/{first.id}").status_code == 404
    _demo_login(client, "chutich")
    assert client.get(f"/plans/{p28.id}").status_code == 200
