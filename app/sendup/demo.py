"""Demo: quarter II/2022 reports flowing up to UBND tỉnh Lạng Sơn (seed 001's "Công văn số
2445/VP-TTPVHCC ngày 03/06/2022 ... đôn đốc ... báo cáo quý II"): Sở Y tế sent on time and was
accepted, Sở Tư pháp sent on time, UBND phường Đông Kinh was returned once and sent its second
version, the Sở LĐ-TB&XH sent its report 113/BC-SLĐTBXH two days late, UBND xã Mai Pha has sent
nothing (deadline passed). Quarter I/2022 before it (request 1125/VP-KSTT, due 15/03/2022): the
four agencies sent and were accepted, Sở Tư pháp two days late, Mai Pha nothing; so "Báo cáo
đúng hạn" on the province dashboard reads 1/1 or 0/1 by agency on 10/06/2022. Loaded after the
province (app.agencies.demo)."""
from __future__ import annotations

import copy
from datetime import date, datetime

from sqlalchemy import select

from app.domain.formatting import utc_of_local
from app.extensions import db
from app.models import Agency, FigureSet, Report, ReportEvent, ReportingRequest, Unit, User
from app.reports import services as reports
from app.domain.register import parse_symbol
from app.register import services as register

PERIOD = "2022-q2"
FIELDS = ("received_online", "received_direct", "carried_over", "resolved_early", "resolved_on_time",
          "resolved_late", "pending_in_time", "pending_late")
# agency abbreviation/place key -> (office, leader, unit code, figures, number, review: days before/after,
# cost before/after)
AGENCY_REPORTS = {
    "SYT": ("vp_syt", "gd_syt", "NVY", (120, 1480, 95, 310, 1260, 12, 105, 8), "45/BC-SYT",
            (120, 90, 500_000_000, 380_000_000)),
    "STP": ("vp_stp", "gd_stp", "HCTP", (210, 2350, 140, 520, 2010, 0, 170, 0), "88/BC-STP",
            (60, 45, 0, 0)),
    "DONGKINH": ("vp_dongkinh", "ct_dongkinh", "VP", (45, 610, 20, 150, 480, 5, 40, 0), "31/BC-UBND",
                 (0, 0, 0, 0)),
}
REQUEST = {"period_key": PERIOD, "number": "2445/VP-TTPVHCC", "letter_date": date(2022, 6, 3),
           "deadline": date(2022, 6, 8), "time_cut_target": 20, "cost_cut_target": 20,
           "subject": ("Đôn đốc thực hiện đánh giá việc giải quyết TTHC, báo cáo công tác kiểm soát TTHC "
                       "quý II năm 2022")}


def _at(day: date, hour: int = 9) -> datetime:
    return utc_of_local(day, hour)  # office hours in Vietnam, stored in UTC


def _issue(office: User, leader: User, number: str, issued_on: date, review) -> Report:
    r = reports.open_report(office, "quarter", 2022, 2)
    reports.transition(office, r, "submit")
    # The agency's earlier reports of the year were numbered on its paper register.
    register.set_opening(None, r.agency, issued_on.year, "BC", parse_symbol(number)[0] - 1)
    reports.transition(leader, r, "issue", None, number, issued_on, confirm_gaps=True)
    snap = copy.deepcopy(r.snapshot)
    days_current, days_proposed, cost_before, cost_after = review
    snap["figures"]["review"] = dict(snap["figures"].get("review") or {}, days_current=days_current,
                                     days_proposed=days_proposed, days_cut=days_current - days_proposed,
                                     cost_before=cost_before, cost_after=cost_after,
                                     cost_saving=cost_before - cost_after)
    r.snapshot = snap
    return r


def _move(report: Report, actor: User, action: str, old: str, new: str, day: date, comment=None) -> None:
    at = _at(day, 10 if action == "send_up" else 15)
    report.sendup_state = new
    if action == "send_up":
        report.sent_up_by_id, report.sent_up_at = actor.id, at
    db.session.add(ReportEvent(report_id=report.id, actor_id=actor.id, action=action, from_state=old,
                               to_state=new, comment=comment, created_at=at))


def load(today: date) -> None:
    kstt = db.session.scalar(select(User).where(User.username == "kstt_tinh"))
    province = db.session.scalar(select(Agency).where(Agency.kind == "province"))
    if kstt is None or province is None:
        return
    province.settings = {**(province.settings or {}), "targets": {"time_cut": 20, "cost_cut": 20}}
    _quarter_one(kstt, province)
    db.session.add(ReportingRequest(agency_id=province.id, created_by_id=kstt.id, created_at=_at(date(2022, 6, 3)),
                                    **REQUEST))
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(
        [v[0] for v in AGENCY_REPORTS.values()] + [v[1] for v in AGENCY_REPORTS.values()] + ["vanphong"])))}
    agencies = {}
    for key, (office, leader, code, numbers, number, review) in AGENCY_REPORTS.items():
        office_user = users[office]
        agencies[key] = agency = office_user.unit.agency
        unit = db.session.scalar(select(Unit).where(Unit.agency_id == agency.id, Unit.code == code))
        db.session.add(FigureSet(unit_id=unit.id, period_key=PERIOD, state="sent", sent_at=_at(date(2022, 6, 1)),
                                 updated_by_id=office_user.id, **dict(zip(FIELDS, numbers))))
        db.session.commit()
        r = _issue(office_user, users[leader], number, date(2022, 6, 6), review)
        if key == "DONGKINH":   # returned once (a figure missing), fixed in version 2
            _move(r, office_user, "send_up", "unsent", "sent", date(2022, 6, 6))
            _move(r, kstt, "province_return", "sent", "returned", date(2022, 6, 7),
                  "Đề nghị bổ sung số hồ sơ kỳ trước chuyển qua tại Biểu II.06a.")
            db.session.commit()
            r = reports.new_version(office_user, r)
            reports.transition(office_user, r, "submit")
            # Number 32 went to another report, issued outside the portal: the office reserved it.
            register.reserve(office_user, 2022, "BC", "Báo cáo chuyên đề cải cách hành chính (ban hành ngoài cổng)")
            reports.transition(users[leader], r, "issue", None, "33/BC-UBND", date(2022, 6, 8), confirm_gaps=True)
            r.snapshot = copy.deepcopy(r.snapshot)
        _move(r, office_user, "send_up", "unsent", "sent", date(2022, 6, 8) if key != "SYT" else date(2022, 6, 7))
        if key == "SYT":
            _move(r, kstt, "province_accept", "sent", "accepted", date(2022, 6, 8))
        db.session.commit()
    # The Sở LĐ-TB&XH's report 113/BC-SLĐTBXH (app.reports.demo) went up two days late.
    so_report = reports_demo_report()
    if so_report is not None:
        _move(so_report, users["vanphong"], "send_up", "unsent", "sent", date(2022, 6, 10))
    db.session.commit()


# Quarter I/2022: (office, leader, unit code, figures, number, issued on, sent on)
Q1 = "2022-q1"
Q1_REQUEST = {"period_key": Q1, "number": "1125/VP-KSTT", "letter_date": date(2022, 3, 1),
              "deadline": date(2022, 3, 15), "time_cut_target": 20, "cost_cut_target": 20,
              "subject": "Báo cáo công tác kiểm soát TTHC quý I năm 2022"}
Q1_REPORTS = (
    ("vanphong", "giamdoc", "BTXH", (8, 820, 55, 70, 640, 0, 173, 0), "41/BC-SLĐTBXH", date(2022, 3, 11),
     date(2022, 3, 14)),
    ("vp_syt", "gd_syt", "NVY", (100, 1300, 80, 280, 1100, 10, 90, 0), "19/BC-SYT", date(2022, 3, 10),
     date(2022, 3, 11)),
    ("vp_stp", "gd_stp", "HCTP", (180, 2100, 120, 480, 1790, 0, 130, 0), "27/BC-STP", date(2022, 3, 16),
     date(2022, 3, 17)),   # two days late
    ("vp_dongkinh", "ct_dongkinh", "VP", (40, 560, 15, 130, 450, 0, 35, 0), "12/BC-UBND", date(2022, 3, 14),
     date(2022, 3, 15)),   # the deadline's own day is still on time
)


def _quarter_one(kstt: User, province: Agency) -> None:
    db.session.add(ReportingRequest(agency_id=province.id, created_by_id=kstt.id, created_at=_at(date(2022, 3, 1)),
                                    **Q1_REQUEST))
    names = [n for row in Q1_REPORTS for n in row[:2]]
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}
    for office, leader, code, numbers, number, issued_on, sent_on in Q1_REPORTS:
        if office not in users or leader not in users:
            continue
        office_user = users[office]
        unit = db.session.scalar(select(Unit).where(Unit.agency_id == office_user.unit.agency_id, Unit.code == code))
        if unit is not None and db.session.scalar(select(FigureSet.id).where(
                FigureSet.unit_id == unit.id, FigureSet.period_key == Q1)) is None:
            db.session.add(FigureSet(unit_id=unit.id, period_key=Q1, state="sent", sent_at=_at(date(2022, 3, 8)),
                                     updated_by_id=office_user.id, **dict(zip(FIELDS, numbers))))
            db.session.commit()
        r = reports.open_report(office_user, "quarter", 2022, 1)
        reports.transition(office_user, r, "submit")
        # Issued in March on the agencies' paper registers (the Sở's numbers 1..112 of 2022 were
        # given there): the demo enters them in the register with their own numbers at the end.
        reports.transition(users[leader], r, "issue", None, number, issued_on, confirm_gaps=True,
                           outside_register=True)
        for e in r.events:   # the moves happened in March, not on the demo's day
            e.created_at = _at(issued_on, {"create": 8, "submit": 9}.get(e.action, 14))
        r.created_at = r.updated_at = _at(issued_on, 8)
        _move(r, office_user, "send_up", "unsent", "sent", sent_on)
        _move(r, kstt, "province_accept", "sent", "accepted", date(2022, 3, 18))
        db.session.commit()


def reports_demo_report() -> Report | None:
    from app.reports.demo import demo_report
    return demo_report()
