"""The province dashboard: figures per agency, ranking and sorting, drill-down and refusals,
XLSX export. World: the province (its office and leader), agency A (the test world's Sở),
agency B (Sở Y tế) and agency C (a commune with nothing yet); today is 20/05/2022."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

import openpyxl
import pytest

from app.clock import now
from app.extensions import db
from app.models import Plan, Procedure, ProcedureReview, Report, Submission, Task
from tests.conftest import login, make_agency, make_unit, make_user


def _plan(agency, author, number, state="issued", year=2022):
    plan = Plan(number=number, title=f"Kế hoạch {number}", year=year, kind="review", state=state,
                created_by_id=author.id, agency_id=agency.id, issued_on=date(2022, 2, 1),
                created_at=now(), updated_at=now())
    db.session.add(plan)
    db.session.flush()
    return plan


def _task(plan, lead, due, state="draft", accepted=None, n=[0]):
    n[0] += 1
    t = Task(plan_id=plan.id, position=n[0], content=f"Nhiệm vụ {n[0]}", lead_unit_id=lead.id, due_on=due,
             created_at=now())
    db.session.add(t)
    db.session.flush()
    if plan.state == "issued":
        db.session.add(Submission(task_id=t.id, state=state, result_text="", updated_at=now(),
                                  accepted_at=datetime.combine(accepted, datetime.min.time()).replace(hour=9)
                                  if accepted else None))
        db.session.flush()
    return t


def _procedure(agency, code, internal=True, status="active"):
    p = Procedure(code=code, name=f"TTHC nội bộ {code}", agency_id=agency.id, internal=internal, status=status,
                  created_at=now(), updated_at=now())
    db.session.add(p)
    db.session.flush()
    return p


def _report(agency, author, period_key, issued_on, state="issued", sent_on="same day"):
    """An agency's report, issued on `issued_on` and sent up to UBND tỉnh at 16:30 Vietnam time
    on `sent_on` (the day of issue by default; None: kept at the agency)."""
    from datetime import datetime, time, timedelta
    sent = issued_on if sent_on == "same day" else sent_on
    sent_at = datetime.combine(sent, time(16, 30)) - timedelta(hours=7) if sent and state == "issued" else None
    db.session.add(Report(agency_id=agency.id, period_key=period_key, title="Báo cáo", state=state,
                          issued_on=issued_on, number="1/BC" if issued_on else None, created_by_id=author.id,
                          sections=[], created_at=now(), updated_at=now(),
                          sendup_state="sent" if sent_at else None, sent_up_at=sent_at))


class P:
    pass


@pytest.fixture
def prov(world):
    w, p = world, P()
    p.w = w
    p.province = make_agency("Ủy ban nhân dân tỉnh Lạng Sơn", "UBND tỉnh", "UBND", kind="province", order=1)
    kstt = make_unit("Phòng Kiểm soát TTHC", "KSTT", "office", 1, p.province)
    ld = make_unit("Lãnh đạo UBND tỉnh", "LD", "leadership", 2, p.province)
    p.kstt = make_user("kstt_tinh", "office", kstt)
    p.chutich = make_user("chutich", "leader", ld, title="Chủ tịch")
    p.b = make_agency("Sở Y tế tỉnh Lạng Sơn", "Sở Y tế", "SYT", order=20, header="SỞ Y TẾ")
    b_office = make_unit("Văn phòng Sở", "VP", "office", 1, p.b)
    b_div = make_unit("Phòng Nghiệp vụ Y", "NVY", "division", 2, p.b)
    p.b_office_user = make_user("vp_syt", "office", b_office)
    p.b_leader = make_user("gd_syt", "leader", make_unit("Lãnh đạo Sở", "LD", "leadership", 3, p.b))
    p.c = make_agency("Ủy ban nhân dân xã Mai Pha", "UBND xã Mai Pha", "UBND", kind="commune", order=50, header=None)
    db.session.flush()
    a = w.agency
    # Agency A: one on time, one late, one overdue, one not due yet.
    pa = _plan(a, w.office_user, "19/KH-SLĐTBXH")
    _task(pa, w.div_a, date(2022, 4, 30), "accepted", date(2022, 4, 20))
    _task(pa, w.div_b, date(2022, 3, 31), "accepted", date(2022, 4, 10))
    _task(pa, w.div_a, date(2022, 5, 1), "submitted")
    _task(pa, w.div_a, date(2022, 6, 30))
    _task(_plan(a, w.office_user, "5/KH-SLĐTBXH", year=2021), w.div_a, date(2021, 5, 1))   # another year
    # Agency B: two on time in its plan; its draft plan's overdue task counts nowhere.
    pb = _plan(p.b, p.b_office_user, "7/KH-SYT")
    _task(pb, b_div, date(2022, 4, 30), "accepted", date(2022, 4, 1))
    _task(pb, b_div, date(2022, 5, 10), "accepted", date(2022, 5, 10))
    _task(pb, b_div, date(2022, 5, 12), "accepted", date(2022, 5, 3))
    _task(_plan(p.b, p.b_office_user, "8/KH-SYT", state="draft"), b_div, date(2022, 1, 31))
    # The province's plan gives B's office a task, accepted late: it counts for B.
    p28 = _plan(p.province, p.kstt, "28/KH-UBND")
    p.given = _task(p28, b_office, date(2022, 3, 1), "accepted", date(2022, 3, 20))
    # Reports of quarter I (due 15/03/2022): A on time, B late; C none.
    _report(a, w.office_user, "2022-q1", date(2022, 3, 10))
    _report(p.b, p.b_office_user, "2022-q1", date(2022, 3, 20))
    _report(p.b, p.b_office_user, "2022-q2", None, state="draft")
    # Internal procedures: A has 4 in force (2 reviewed and accepted), B 2 (1 reviewed, not accepted).
    procs = [_procedure(a, f"A.{i}") for i in range(4)]
    _procedure(a, "A.old", status="abolished")
    _procedure(a, "A.pub", internal=False)
    pb1, _ = _procedure(p.b, "B.1"), _procedure(p.b, "B.2")
    review_task = _task(pa, w.div_a, date(2022, 5, 15), "accepted", date(2022, 5, 2))
    for proc in procs[:2]:
        db.session.add(ProcedureReview(task_id=review_task.id, procedure_id=proc.id))
    db.session.add(ProcedureReview(task_id=_task(pb, b_div, date(2022, 9, 30), "submitted").id,
                                   procedure_id=pb1.id))
    db.session.commit()
    return p


def _rows(html: str) -> list[list[str]]:
    body = html[html.index('id="ranking"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_province_office_ranks_every_agency(prov, client):
    login(client, prov.kstt)
    r = client.get("/province/?year=2022")
    assert r.status_code == 200
    rows = _rows(r.get_data(as_text=True))
    assert [row[1] for row in rows] == ["Sở Y tế tỉnh Lạng Sơn", "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn",
                                        "Ủy ban nhân dân xã Mai Pha"]
    b, a, c = rows
    # B: 3 on time in its plan, the province's task accepted late; Q1 report after the deadline.
    assert b[:6] == ["1", "Sở Y tế tỉnh Lạng Sơn", "4", "75,00 %", "0", "0/1 (0,00 %)"]
    assert a[0] == "2"
    # A: 3 accepted (on time, late, the review task), 2 on time; 1 overdue; Q1 report on time.
    assert a[2:6] == ["3", "66,67 %", "1", "1/1 (100,00 %)"]
    assert c[0] == "—" and c[3] == "—"
    # Review rounds: A 2 of 4 internal procedures (≥ 50 %: round 1 met), B 0 of 2 accepted.
    assert a[6] == "4" and a[7].startswith("2 (50,00 %)") and "Đạt" in a[7] and "Đang thực hiện" in a[8]
    assert b[6] == "2" and b[7].startswith("0 (0,00 %)") and "Chưa đạt" in b[7]
    assert "Không có TTHC nội bộ" in c[7]
    assert r.get_data(as_text=True).count('class="drill"') == 3
    assert "UBND tỉnh" not in [row[1] for row in rows]   # the province assigns, it is not ranked


def test_ties_share_a_rank_and_sorting_is_sql_side(prov, client):
    login(client, prov.chutich)
    rows = _rows(client.get("/province/?year=2022&sort=overdue").get_data(as_text=True))
    assert [(row[0], row[4]) for row in rows] == [("1", "0"), ("1", "0"), ("3", "1")]
    assert rows[-1][1].startswith("Sở Lao động")
    rows = _rows(client.get("/province/?year=2022&sort=-punctuality").get_data(as_text=True))
    assert rows[0][1].startswith("Sở Lao động") and rows[0][0] == "1"
    rows = _rows(client.get("/province/?year=2022&sort=name&dir=desc").get_data(as_text=True))
    assert [row[1][:6] for row in rows] == ["Ủy ban", "Sở Y t", "Sở Lao"]
    rows = _rows(client.get("/province/?year=2022&sort=-round1").get_data(as_text=True))
    assert rows[0][1].startswith("Sở Lao động")
    rows = _rows(client.get("/province/?year=2022&sort=bogus&dir=x").get_data(as_text=True))
    assert rows[0][1] == "Sở Y tế tỉnh Lạng Sơn"
    # Another year: nothing accepted, nobody ranked on the rate; A's 2021 task is overdue.
    rows = _rows(client.get("/province/?year=2021").get_data(as_text=True))
    assert all(row[0] == "—" and row[3] == "—" for row in rows)
    assert [row[4] for row in rows] == ["1", "0", "0"] and rows[0][1].startswith("Sở Lao động")


def test_htmx_sort_renders_the_table_only(prov, client):
    login(client, prov.kstt)
    r = client.get("/province/?year=2022&sort=overdue", headers={"HX-Request": "true", "HX-Target": "body"})
    html = r.get_data(as_text=True)
    assert 'id="ranking"' in html and "<html" not in html


def test_agency_leadership_sees_its_own_line_only(prov, client):
    login(client, prov.w.leader)
    html = client.get("/province/?year=2022").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == 1 and rows[0][1].startswith("Sở Lao động")
    assert "Sở Y tế" not in html and "Mai Pha" not in html
    # Its drill-down is its own dashboard; another agency's is refused on the server.
    r = client.get(f"/province/agencies/{prov.w.agency.id}?year=2022")
    assert r.status_code == 302 and r.headers["Location"].endswith("/dashboard/?year=2022")
    assert client.get(f"/province/agencies/{prov.b.id}").status_code == 404
    assert client.get(f"/province/agencies/{prov.province.id}").status_code == 404
    assert client.get("/province/agencies/9999").status_code == 404
    login(client, prov.b_office_user)
    assert client.get(f"/province/agencies/{prov.w.agency.id}").status_code == 404
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/province/ranking.xlsx?year=2022").data))
    names = [row[1] for row in wb.active.iter_rows(min_row=4, values_only=True)]
    assert names == ["Sở Y tế tỉnh Lạng Sơn"]


@pytest.mark.parametrize("who", ["head_a", "staff_a", "local_user"])
def test_units_are_refused(prov, client, who):
    login(client, getattr(prov.w, who))
    assert client.get("/province/").status_code == 403
    assert client.get("/province/ranking.xlsx").status_code == 403
    assert client.get(f"/province/agencies/{prov.w.agency.id}").status_code == 403
    assert "/province/" not in client.get("/").get_data(as_text=True)


def test_menu_entry(prov, client):
    login(client, prov.kstt)
    assert 'href="/province/"' in client.get("/").get_data(as_text=True)


def test_province_drills_into_what_it_assigned(prov, client):
    login(client, prov.kstt)
    html = client.get(f"/province/agencies/{prov.b.id}?year=2022").get_data(as_text=True)
    assert "28/KH-UBND" in html
    assert "7/KH-SYT" not in html and "8/KH-SYT" not in html   # B's own plans stay B's
    table = html[html.index('id="assigned-plans"'):]
    first_row = table[table.index("<tbody>"):table.index("</tr>", table.index("<tbody>"))]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", first_row, re.S)]
    assert cells == ["28/KH-UBND — Kế hoạch 28/KH-UBND", "1", "1", "0", "100,00 %"]
    html_a = client.get(f"/province/agencies/{prov.w.agency.id}?year=2022").get_data(as_text=True)
    assert "19/KH-SLĐTBXH" not in html_a and "UBND tỉnh chưa giao nhiệm vụ nào" in html_a


def test_export(prov, client):
    login(client, prov.kstt)
    r = client.get("/province/ranking.xlsx?year=2022&sort=overdue")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert "Xếp hạng cơ quan theo nhiệm vụ quá hạn — năm 2022 (tính đến 20/05/2022)" == ws["A1"].value
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    by_name = {row[1]: row for row in rows}
    a = by_name["Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn"]
    assert a[0] == 3 and a[2:9] == (3, 2, pytest.approx(2 / 3), 1, 1, 1, 1.0)
    assert a[9:] == (4, 2, 0.5, "Đạt", 2, 0.5, "Đang thực hiện")
    assert by_name["Ủy ban nhân dân xã Mai Pha"][4] is None


def test_punctuality_is_the_report_reaching_the_province(prov, client):
    """Issue 10, item 4 with item 5: an agency reported on time when its report reached UBND
    tỉnh by the deadline (15/03/2022, a Vietnamese day), not when it was issued at home."""
    from datetime import datetime

    from sqlalchemy import select
    login(client, prov.kstt)

    def a_row():
        rows = _rows(client.get("/province/?year=2022").get_data(as_text=True))
        return next(r for r in rows if r[1].startswith("Sở Lao động"))

    assert a_row()[5] == "1/1 (100,00 %)"
    rep = db.session.scalar(select(Report).where(Report.agency_id == prov.w.agency.id,
                                                 Report.period_key == "2022-q1"))
    rep.sent_up_at = datetime(2022, 3, 15, 16, 59)   # 23:59 on 15/03 in Vietnam: still on time
    db.session.commit()
    assert a_row()[5] == "1/1 (100,00 %)"
    rep.sent_up_at = datetime(2022, 3, 15, 17, 0)    # 00:00 on 16/03 in Vietnam: late
    db.session.commit()
    assert a_row()[5] == "0/1 (0,00 %)"
    rep.sent_up_at, rep.sendup_state = None, None     # issued on time, never sent: not reported
    db.session.commit()
    assert a_row()[5] == "0/1 (0,00 %)"


def test_column_headers_toggle_through_the_shared_macro(prov, client):
    """The ranking's headers are _macros.th_sort: a rate sorts best first on the first click,
    then the other way; the active column says its direction (aria-sort)."""
    import re
    login(client, prov.kstt)
    html = client.get("/province/?year=2022").get_data(as_text=True)
    head = html[html.index('id="ranking"'):html.index("</thead>")]
    assert 'aria-sort="descending"' in head                      # on_time, the default
    links = re.findall(r'href="([^"]+)"', head)
    assert any("sort=on_time" in u and "sort=-on_time" not in u for u in links)   # then ascending
    assert any("sort=-punctuality" in u for u in links)          # a rate: best first
    assert any("sort=overdue" in u and "sort=-overdue" not in u for u in links)   # fewest first
    html = client.get("/province/?year=2022&sort=overdue").get_data(as_text=True)
    assert "sort=-overdue" in html and 'name="sort" value="overdue"' in html
