"""Reports flow up to the province: an agency sends its issued report; the province office sees
it (never a draft), returns it with a reason or accepts it; follows who reported, reminds the
late ones and consolidates the sent figures (page, DOCX, XLSX)."""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, Report, ReportEvent, ReportingReminder, ReportingRequest
from app.reports import services as reports
from tests.agencies.test_province import province  # noqa: F401  (fixture)
from tests.conftest import login
from tests.sendup.helpers import FIGS_A, FIGS_X, issued_report, request_q2, third_agency
from tests.register.helpers import make_next


def _send(client, user, report, name="send_up", **data):
    login(client, user)
    return client.post(f"/province/report/{report.id}/{name}", data=data)


def _state(report):
    db.session.expire_all()
    return db.session.get(Report, report.id).sendup_state


def test_send_return_new_version_send_accept(world, province, client, monkeypatch, app):
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-09")
    draft = reports.open_report(province.x.office, "quarter", 2022, 3)
    r = issued_report(world.office_user, world.leader, "113/BC-SLĐTBXH", FIGS_A, world.div_a)
    # the province never sees a draft or an unsent issued report
    login(client, province.office)
    assert client.get(f"/reports/{draft.id}").status_code == 404
    assert client.get(f"/reports/{r.id}").status_code == 404
    assert client.post(f"/province/report/{r.id}/province_accept").status_code == 404
    # a draft cannot be sent; a division head cannot send; another agency cannot send
    assert _send(client, province.x.office, draft).status_code == 403
    assert _send(client, world.head_a, r).status_code in (403, 404)
    assert _send(client, province.x.office, r).status_code == 404
    assert _state(r) is None
    # the agency's office sends it up: frozen as issued, who and when recorded
    assert _send(client, world.office_user, r).status_code == 302
    db.session.expire_all()
    sent = db.session.get(Report, r.id)
    assert sent.sendup_state == "sent" and sent.sent_up_by_id == world.office_user.id and sent.sent_up_at
    assert sent.state == "issued" and sent.snapshot["figures"]["dossiers"]["received"] == 3238
    again = _send(client, world.office_user, r)                            # not twice
    assert again.status_code == 409 and "Không thể “Gửi UBND tỉnh”" in again.get_data(as_text=True)
    notified = db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == province.office.id))
    assert notified == 1
    # the province office reads it; the Chủ tịch reads it but does not act; agency X sees nothing
    login(client, province.office)
    page = client.get(f"/reports/{r.id}").get_data(as_text=True)
    assert "Đã gửi UBND tỉnh" in page and "113/BC-SLĐTBXH" in page and 'id="open-province_return"' in page
    assert client.get(f"/reports/{r.id}/report.docx").status_code == 200
    login(client, province.leader)
    assert 'id="open-province_return"' not in client.get(f"/reports/{r.id}").get_data(as_text=True)
    assert client.post(f"/province/report/{r.id}/province_accept").status_code == 403
    login(client, province.x.office)
    assert client.get(f"/reports/{r.id}").status_code == 404
    # a return needs its reason, then is recorded and shown to the agency
    resp = _send(client, province.office, r, "province_return", comment="")
    assert resp.status_code == 409 and "cần ghi rõ lý do" in resp.get_data(as_text=True) and _state(r) == "sent"
    _send(client, province.office, r, "province_return", comment="Bổ sung số liệu phường Đông Kinh")
    assert _state(r) == "returned"
    login(client, world.office_user)
    page = client.get(f"/reports/{r.id}").get_data(as_text=True)
    assert "Bổ sung số liệu phường Đông Kinh" in page and "Bị UBND tỉnh trả lại" in page
    # the agency fixes it in a new version, issues and sends it again; the province accepts
    assert client.post(f"/reports/{r.id}/new-version").status_code == 302
    v2 = db.session.scalar(select(Report).where(Report.previous_id == r.id))
    reports.transition(world.office_user, v2, "submit")
    make_next(v2.agency_id, 2022, "120/BC-SLĐTBXH")
    reports.transition(world.leader, v2, "issue", None, "120/BC-SLĐTBXH", date(2022, 6, 12), confirm_gaps=True)
    assert _send(client, world.leader, v2).status_code == 302
    assert _send(client, province.office, v2, "province_accept").status_code == 302
    assert _state(v2) == "accepted"
    assert _send(client, province.office, v2, "province_return", comment="x").status_code == 409
    assert _state(v2) == "accepted"     # refused: accepted is final
    actions = [e.action for e in db.session.scalars(select(ReportEvent).where(
        ReportEvent.report_id.in_([r.id, v2.id])).order_by(ReportEvent.id))]
    assert [a for a in actions if a in ("send_up", "province_return", "province_accept")] == [
        "send_up", "province_return", "send_up", "province_accept"]


def test_requests_status_remind_and_consolidation(world, province, client, monkeypatch, app):
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-09")
    stp, stp_office = third_agency()
    a = issued_report(world.office_user, world.leader, "113/BC-SLĐTBXH", FIGS_A, world.div_a)
    x = issued_report(province.x.office, province.x.leader, "7/BC-SYT", FIGS_X, province.x.div)
    _send(client, world.office_user, a)
    # agency offices and the province leader may not record requests
    for user in (world.office_user, province.leader):
        login(client, user)
        assert client.post("/province/requests", data={"kind": "quarter", "number_in_year": "2", "year": "2022",
                                                       "number": "1/VP", "letter_date": "03/06/2022",
                                                       "deadline": "10/06/2022"}).status_code == 403
    login(client, world.office_user)
    assert client.get("/province/requests").status_code == 403
    # the province office records the request; bad input is refused next to its field
    login(client, province.office)
    bad = client.post("/province/requests", data={"kind": "quarter", "number_in_year": "2", "year": "2022",
                                                  "number": "2445/VP-TTPVHCC", "letter_date": "03/06/2022",
                                                  "deadline": "31/02/2022", "time_cut_target": "20"})
    assert bad.status_code == 400 and "Hạn gửi báo cáo phải có dạng dd/mm/yyyy." in bad.get_data(as_text=True)
    assert "2445/VP-TTPVHCC" in bad.get_data(as_text=True)          # what was typed stays
    resp = client.post("/province/requests", data={"kind": "quarter", "number_in_year": "2", "year": "2022",
                                                   "number": "2445/VP-TTPVHCC", "letter_date": "03/06/2022",
                                                   "deadline": "10/06/2022", "time_cut_target": "20",
                                                   "cost_cut_target": "20"})
    assert resp.status_code == 302
    req = db.session.scalar(select(ReportingRequest))
    assert req.deadline == date(2022, 6, 10) and float(req.time_cut_target) == 20
    # agency X sends late (14/06 after the 10/06 deadline)
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-14")
    _send(client, province.x.office, x)
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-15")
    login(client, province.office)
    page = client.get(f"/province/requests/{req.id}").get_data(as_text=True)
    assert "Đã gửi đúng hạn" in page and "Gửi muộn 4 ngày" in page and "Chưa gửi (quá hạn 5 ngày)" in page
    assert "2445/VP-TTPVHCC" in page and "10/06/2022" in page
    # remind all late ones: only Sở Tư pháp (not sent), its office notified, the reminder recorded
    assert client.post(f"/province/requests/{req.id}/remind").status_code == 302
    rem = db.session.scalars(select(ReportingReminder)).all()
    assert [(r.agency_id, r.actor_id) for r in rem] == [(stp.id, province.office.id)]
    note = db.session.scalar(select(Notification).where(Notification.user_id == stp_office.id))
    assert "2445/VP-TTPVHCC" in note.text and "quý II năm 2022" in note.text
    # remind one: an agency that sent is refused with a reason
    resp = client.post(f"/province/requests/{req.id}/remind", data={"agency_id": str(world.agency.id)})
    assert resp.status_code == 400 and "không cần nhắc nhở" in resp.get_data(as_text=True)
    assert client.post(f"/province/requests/{req.id}/remind", data={"agency_id": str(stp.id)}).status_code == 302
    assert "2 lần" in client.get(f"/province/requests/{req.id}").get_data(as_text=True)
    # the leader reads, may not remind; other agencies see nothing
    login(client, province.leader)
    assert client.get(f"/province/requests/{req.id}").status_code == 200
    assert client.post(f"/province/requests/{req.id}/remind").status_code == 403
    for user in (world.office_user, province.x.leader, stp_office):
        login(client, user)
        assert client.get(f"/province/requests/{req.id}").status_code == 403
        assert client.get(f"/province/requests/{req.id}/consolidation.docx").status_code == 403
    # consolidation: 3.238 + 100 received, 2.525 + 90 resolved; Sở Tư pháp missing
    login(client, province.office)
    page = client.get(f"/province/requests/{req.id}/consolidation").get_data(as_text=True)
    assert "3.338" in page and "2.615" in page and "Sở Tư pháp" in page
    resp = client.get(f"/province/requests/{req.id}/consolidation.docx")
    assert resp.status_code == 200
    d = Document(io.BytesIO(resp.data))
    text = "\n".join(p.text for p in d.paragraphs)
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in cells and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "/BC-UBND" in cells and "TM. ỦY BAN NHÂN DÂN" in cells and "CHỦ TỊCH" in cells and "Nơi nhận:" in cells
    assert "Tổng số hồ sơ tiếp nhận: 3.338" in text and "đã giải quyết: 2.615" in text
    assert "2/3 cơ quan" in text and "Sở Tư pháp" in text
    annex = d.tables[-1]
    total_row = [c.text for c in annex.rows[-1].cells]
    assert "Tổng cộng" in total_row and "3.338" in total_row and "2.615" in total_row
    resp = client.get(f"/province/requests/{req.id}/consolidation.xlsx")
    wb = load_workbook(io.BytesIO(resp.data), data_only=True)   # the values written with the formulas
    ws = wb["Biểu II.06a"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    total = next(r for r in rows if "Tổng cộng" in r)
    names = [r[1] for r in rows if isinstance(r[0], int)]
    assert names == ["Sở Lao động – Thương binh và Xã hội", "Sở Y tế"]
    # received, carried over, online, direct, resolved, early, on time, late, pending ...
    assert total[2:11] == [3338, 207, 42, 3089, 2615, 308, 2307, 0, 723]
    cuts = [[c.value for c in row] for row in wb["Cắt giảm"].iter_rows()]
    assert any(r[1] == "Tỷ lệ cắt giảm thời gian giải quyết" and r[2] == "—" for r in cuts)


def test_a_set_that_does_not_add_up_blocks_the_total(world, province, client, monkeypatch, app):
    monkeypatch.setitem(app.config, "PORTAL_TODAY", "2022-06-15")
    req = request_q2(province)
    a = issued_report(world.office_user, world.leader, "113/BC-SLĐTBXH", FIGS_A, world.div_a)
    _send(client, world.office_user, a)
    # seed 001's typing error: "đã giải quyết: 3.525" while its parts add to 2.525
    snap = dict(a.snapshot)
    snap["figures"] = dict(snap["figures"], dossiers=dict(snap["figures"]["dossiers"], resolved=3525))
    db.session.get(Report, a.id).snapshot = snap
    db.session.commit()
    login(client, province.office)
    page = client.get(f"/province/requests/{req.id}/consolidation").get_data(as_text=True)
    assert "Sở Lao động – Thương binh và Xã hội: " in page and "3.525" in page
    assert 'id="consolidation-total"' not in page and "download-consolidation-docx" not in page
    assert client.get(f"/province/requests/{req.id}/consolidation.docx").status_code == 409
    assert client.get(f"/province/requests/{req.id}/consolidation.xlsx").status_code == 409


def test_the_province_request_belongs_to_its_province(world, province, client):
    req = request_q2(province)
    login(client, province.office)
    assert client.get(f"/province/requests/{req.id + 99}").status_code == 404
    assert client.get("/province/requests").status_code == 200
    assert "2445/VP-TTPVHCC" in client.get("/province/requests").get_data(as_text=True)
    dup = client.post("/province/requests", data={"kind": "quarter", "number_in_year": "2", "year": "2022",
                                                  "number": "9/VP", "letter_date": "03/06/2022",
                                                  "deadline": "10/06/2022"})
    assert dup.status_code == 400 and "Đã có yêu cầu báo cáo" in dup.get_data(as_text=True)


def test_one_version_of_a_period_at_the_province_at_a_time(world, province, client):
    """A second version may go up only once the province returned the first."""
    r = issued_report(world.office_user, world.leader, "113/BC-SLĐTBXH", FIGS_A, world.div_a)
    assert _send(client, world.office_user, r).status_code == 302
    login(client, world.office_user)
    client.post(f"/reports/{r.id}/new-version")
    v2 = db.session.scalar(select(Report).where(Report.previous_id == r.id))
    reports.transition(world.office_user, v2, "submit")
    make_next(v2.agency_id, 2022, "120/BC-SLĐTBXH")
    reports.transition(world.leader, v2, "issue", None, "120/BC-SLĐTBXH", date(2022, 6, 12), confirm_gaps=True)
    resp = _send(client, world.office_user, v2)
    assert resp.status_code == 409 and "đã được gửi UBND tỉnh (phiên bản 1)" in resp.get_data(as_text=True)
    assert _state(v2) is None
    _send(client, province.office, r, "province_return", comment="Sửa số liệu")
    assert _send(client, world.office_user, v2).status_code == 302 and _state(v2) == "sent"
