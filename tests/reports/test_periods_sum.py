"""Issue 17.5: a half-year or yearly report sums its quarters' figure sets (it found none under
its own period key and printed 0 everywhere), says which quarters and units are missing, flags
empty sections, and the leader confirms those gaps before issuing."""
from datetime import date

from sqlalchemy import select

from app.domain.periods import make_period
from app.extensions import db
from app.models import FigureSet, ReportEvent
from app.reports import services
from tests.conftest import login
from tests.register.helpers import make_next


def _sent(unit, key, **figures):
    db.session.add(FigureSet(unit_id=unit.id, period_key=key, state="sent", **figures))


def _figures(world):
    _sent(world.div_a, "2022-q1", received_online=10, resolved_on_time=10, feedback_received=2,
          feedback_handled=2)
    _sent(world.div_a, "2022-q2", received_online=5, resolved_early=4, pending_in_time=1)
    _sent(world.div_b, "2022-q1", received_direct=3, resolved_on_time=3)
    db.session.add(FigureSet(unit_id=world.div_b.id, period_key="2022-q2", state="draft",
                             received_direct=99, resolved_on_time=99))  # not sent: not counted
    for unit in (world.office, world.local):
        for q in ("2022-q1", "2022-q2", "2022-q3", "2022-q4"):
            _sent(unit, q)
    db.session.commit()


def test_quarters_of_each_period_kind():
    from app.domain.periods import quarters_of
    assert [q.key for q in quarters_of(make_period("quarter", 2022, 3))] == ["2022-q3"]
    assert [q.key for q in quarters_of(make_period("half", 2022, 1))] == ["2022-q1", "2022-q2"]
    assert [q.key for q in quarters_of(make_period("half", 2022, 2))] == ["2022-q3", "2022-q4"]
    assert [q.key for q in quarters_of(make_period("year", 2022))] == [
        "2022-q1", "2022-q2", "2022-q3", "2022-q4"]


def test_half_year_report_sums_its_quarters_and_names_the_gaps(world):
    _figures(world)
    report = services.open_report(world.office_user, "half", 2022, 1)
    doc = services.document(report)
    d = doc["figures"]["dossiers"]
    assert (d["received"], d["received_online"], d["received_direct"], d["resolved"], d["pending"]) == (
        18, 15, 3, 17, 1)
    units = {u["unit"]: u["received"] for u in doc["figures"]["units"]}
    assert units[world.div_a.name] == 15 and units[world.div_b.name] == 3
    assert doc["figures"]["feedback"] == {"received": 2, "handled": 2}
    gaps = "\n".join(doc["warnings"])
    assert f"Quý II/2022: chưa có số liệu đã gửi của {world.div_b.name}" in gaps
    assert "Quý I/2022" not in gaps


def test_yearly_report_sums_four_quarters(world):
    _figures(world)
    _sent(world.div_a, "2022-q3", received_online=7, resolved_on_time=7)
    db.session.commit()
    doc = services.document(services.open_report(world.office_user, "year", 2022))
    assert doc["figures"]["dossiers"]["received"] == 25
    gaps = "\n".join(doc["warnings"])
    assert f"Quý III/2022: chưa có số liệu đã gửi của {world.div_b.name}" in gaps
    assert f"Quý IV/2022: chưa có số liệu đã gửi của {world.div_a.name}, {world.div_b.name}" in gaps


def test_leader_sees_the_gaps_and_confirms_them_before_issuing(world, client):
    _figures(world)
    report = services.open_report(world.office_user, "half", 2022, 1)
    services.transition(world.office_user, report, "submit")
    make_next(world.agency, 2022, "15/BC-SLĐTBXH")   # the register's next number is the one typed
    db.session.commit()
    login(client, world.leader)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Quý II/2022: chưa có số liệu đã gửi" in page and 'name="confirm_gaps"' in page
    r = client.post(f"/reports/{report.id}/move/issue", data={"number": "15/BC-SLĐTBXH", "issued_on": "20/07/2022"})
    assert r.status_code == 400 and "Quý II/2022: chưa có số liệu đã gửi" in r.get_data(as_text=True)
    db.session.expire_all()
    assert services.get_report(world.leader, report.id).state == "pending"
    r = client.post(f"/reports/{report.id}/move/issue", data={
        "number": "15/BC-SLĐTBXH", "issued_on": "20/07/2022", "confirm_gaps": "1"})
    assert r.status_code == 302
    db.session.expire_all()
    report = services.get_report(world.leader, report.id)
    assert report.state == "issued" and report.snapshot["figures"]["dossiers"]["received"] == 18
    comment = db.session.scalar(select(ReportEvent.comment).where(ReportEvent.action == "issue"))
    assert "Quý II/2022" in comment


def test_report_gaps_flag_empty_sections_and_zero_dossiers():
    from app.domain.checks import report_gaps
    zero = {k: 0 for k in ("received", "resolved", "pending")}
    sections = [
        {"key": "II", "level": 1, "heading": "II. TÌNH HÌNH", "text": "", "figure_lines": []},
        {"key": "II.5", "level": 2, "heading": "5. Tình hình, kết quả giải quyết TTHC", "text": "",
         "figures": "dossiers", "figure_lines": ["- Tổng số hồ sơ 0"]},
        {"key": "II.6", "level": 2, "heading": "6. Triển khai cơ chế một cửa", "text": "  ", "figure_lines": []},
        {"key": "II.7", "level": 2, "heading": "7. Thực hiện TTHC trên môi trường điện tử", "text": "Đã triển khai.",
         "figure_lines": []},
    ]
    gaps = report_gaps([("Quý I/2022", ["Phòng A"])], sections, zero)
    assert gaps[0] == "Quý I/2022: chưa có số liệu đã gửi của Phòng A."
    assert any("5. Tình hình, kết quả giải quyết TTHC" in g and "bằng 0" in g for g in gaps)
    assert any("6. Triển khai cơ chế một cửa" in g and "chưa có nội dung" in g for g in gaps)
    assert not any("II. TÌNH HÌNH" in g or "7. Thực hiện" in g for g in gaps)
    assert report_gaps([], sections[3:], {"received": 5, "resolved": 5, "pending": 0}) == []
