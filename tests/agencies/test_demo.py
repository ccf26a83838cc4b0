"""The province in the demo: plan 28/KH-UBND cascaded into the Sở's 19/KH-SLĐTBXH, other
agencies isolated, seed 003's internal-procedure plan waiting for the Chủ tịch."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Plan, Report, Task
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


def test_province_consolidates_quarter_two(ctx, client, app, monkeypatch):
    """Quý II/2022 on the demo's day (10/06/2022): four agencies sent up (Sở Y tế accepted, Đông
    Kinh returned once then sent version 2, the Sở LĐ-TB&XH late), Mai Pha late with nothing."""
    from app.demo import load_demo
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-10")
    from app.models import ReportingRequest
    load_demo()
    req = db.session.scalar(select(ReportingRequest).where(ReportingRequest.number == "2445/VP-TTPVHCC"))
    _demo_login(client, "kstt_tinh")
    page = client.get(f"/province/requests/{req.id}").get_data(as_text=True)
    assert "Gửi muộn 2 ngày" in page and "Đã tiếp nhận" in page and "Chưa gửi (quá hạn" in page
    cons = client.get(f"/province/requests/{req.id}/consolidation").get_data(as_text=True)
    # 3.238 (Sở LĐ-TB&XH) + 1.695 (Sở Y tế) + 2.700 (Sở Tư pháp) + 675 (Đông Kinh) received
    assert "8.308" in cons and "UBND xã Mai Pha" in cons and "consolidation-problems" not in cons
    assert "30,19 %" in cons and "24,00 %" in cons
    assert client.get(f"/province/requests/{req.id}/consolidation.docx").status_code == 200
    returned = db.session.scalar(select(Report).where(Report.number == "31/BC-UBND"))
    _demo_login(client, "vp_dongkinh")
    assert "Đề nghị bổ sung số hồ sơ kỳ trước" in client.get(f"/reports/{returned.id}").get_data(as_text=True)


def test_quarter_one_makes_punctuality_differ(ctx, client, app, monkeypatch):
    """Quý I/2022 (request 1125/VP-KSTT, due 15/03/2022): four agencies sent, Sở Tư pháp two
    days late, Mai Pha nothing; on 10/06/2022 "Báo cáo đúng hạn" is 1/1 or 0/1 by agency, not
    0/1 everywhere."""
    import re
    from app.demo import load_demo
    from app.models import ReportingRequest
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-10")
    load_demo()
    req = db.session.scalar(select(ReportingRequest).where(ReportingRequest.number == "1125/VP-KSTT"))
    assert req is not None and req.period_key == "2022-q1"
    _demo_login(client, "kstt_tinh")
    page = client.get(f"/province/requests/{req.id}").get_data(as_text=True)
    assert "Đã tiếp nhận (gửi muộn 2 ngày)" in page and page.count("Đã tiếp nhận") >= 4
    assert "Chưa gửi (quá hạn 87 ngày)" in page
    html = client.get("/province/?year=2022").get_data(as_text=True)
    rows = {}
    for tr in re.findall(r'<tr id="agency-\d+">(.*?)</tr>', html, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        rows[cells[1]] = cells[5]
    on_time = {name: cell for name, cell in rows.items() if cell.startswith("1/1")}
    assert any(n.startswith("Sở Y tế") for n in on_time) and any(n.startswith("Sở Lao động") for n in on_time)
    assert any(n.startswith("UBND phường Đông Kinh") or "Đông Kinh" in n for n in on_time)
    assert next(c for n, c in rows.items() if n.startswith("Sở Tư pháp")).startswith("0/1")
    assert next(c for n, c in rows.items() if "Mai Pha" in n).startswith("0/1")
    cons = client.get(f"/province/requests/{req.id}/consolidation").get_data(as_text=True)
    # received in quarter I with the carried-over: 883 + 1.480 + 2.400 + 615
    assert "5.378" in cons and "consolidation-problems" not in cons
