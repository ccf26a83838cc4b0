"""A province with two reporting agencies (the world's Sở LĐ-TB&XH and agency X, Sở Y tế) and a
third that never reports, each agency's quarter II/2022 report issued from its sent figures."""
from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import FigureSet, ReportingRequest
from app.reports import services as reports
from tests.conftest import make_agency, make_unit, make_user
from tests.register.helpers import make_next

# online, direct, carried over, early, on time, late, pending in time, pending late
FIGS_A = (32, 2999, 207, 288, 2237, 0, 713, 0)      # seed 001: 3.238 received, 2.525 resolved
FIGS_X = (10, 90, 0, 20, 70, 0, 10, 0)              # 100 received, 90 resolved
FIELDS = ("received_online", "received_direct", "carried_over", "resolved_early", "resolved_on_time",
          "resolved_late", "pending_in_time", "pending_late")


def figures(unit, numbers, key="2022-q2"):
    db.session.add(FigureSet(unit_id=unit.id, period_key=key, state="sent", **dict(zip(FIELDS, numbers))))
    db.session.commit()


def issued_report(office, leader, number, numbers=None, unit=None, issued_on=date(2022, 6, 8)):
    if numbers is not None:
        figures(unit, numbers)
    r = reports.open_report(office, "quarter", 2022, 2)
    reports.transition(office, r, "submit")
    make_next(r.agency_id, issued_on.year, number)
    reports.transition(leader, r, "issue", None, number, issued_on, confirm_gaps=True)
    return r


def third_agency():
    """An agency that never reports (its office is reminded)."""
    a = make_agency("Sở Tư pháp tỉnh Lạng Sơn", "Sở Tư pháp", "STP", order=30, header="SỞ TƯ PHÁP")
    vp = make_unit("Văn phòng Sở", "VP", "office", 2, agency=a)
    office = make_user("vp_stp", "office", vp, "Văn Phòng Tư Pháp")
    db.session.commit()
    return a, office


def request_q2(province, deadline=date(2022, 6, 10)) -> ReportingRequest:
    req = ReportingRequest(agency_id=province.agency.id, period_key="2022-q2", number="2445/VP-TTPVHCC",
                           letter_date=date(2022, 6, 3), deadline=deadline, time_cut_target=20,
                           cost_cut_target=20, created_by_id=province.office.id)
    db.session.add(req)
    db.session.commit()
    return req
