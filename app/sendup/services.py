"""Use cases of the send-up: move an issued report to the province (send, return, accept),
record a reporting request, read who has reported (one aggregate query), remind the late
agencies, and consolidate the sent reports' figures into the province's report."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import abort
from sqlalchemy import and_, func, select
from sqlalchemy.orm import defer, selectinload

from app import access
from app.clock import now, today
from app.domain import workflow as wf
from app.domain.checks import DOSSIER_PARTS
from app.domain.consolidation import AgencyFigures, consolidate, sendup_status
from app.domain.formatting import local_date, vn_date, vn_long_date, vn_number, vn_percent
from app.domain.periods import Period, make_period, parse_period_key
from app.extensions import db
from app.models import Agency, Report, ReportEvent, ReportingReminder, ReportingRequest, Unit, User
from app.notifications.services import notify, users_with
from app.reports import drafting
from app.reports import services as reports

DEFAULT_TARGETS = {"time_cut": 20, "cost_cut": 20}   # seed 003: 20 % procedures, 20 % cost


class SendupError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# ---- the report's journey ------------------------------------------------------------------

def state_of(report: Report) -> str:
    return report.sendup_state or wf.REPORT_SENDUP.initial


def panel(user: User, report: Report) -> dict:
    """What the report page shows of the send-up: state, who sent it when, the moves this
    user may make, the send-up history."""
    events = [e for e in report.events if wf.REPORT_SENDUP.transition(e.action) is not None]
    return {"state": state_of(report), "label": wf.REPORT_SENDUP.label(state_of(report)),
            "applies": report.state == "issued", "sent_up_at": report.sent_up_at,
            "sent_up_by": report.sent_up_by, "moves": access.available_sendup_transitions(user, report),
            "events": events, "standing_return": wf.standing_return(wf.REPORT_SENDUP, report.events)}


def move(user: User, report: Report, name: str, comment: str | None = None) -> None:
    old = state_of(report)
    try:
        new = wf.move(wf.REPORT_SENDUP, old, name, access.sendup_actors(user, report), comment)
    except wf.TransitionRefused as e:
        raise SendupError(e.reason) from None
    label = f"Báo cáo {reports.period_of(report).label} của {report.issued_agency_name or report.agency.short_name}"
    url = f"/reports/{report.id}"
    if name == "send_up":
        other = db.session.scalar(select(Report.version).where(
            Report.agency_id == report.agency_id, Report.period_key == report.period_key,
            Report.plan_id.is_(None) if report.plan_id is None else Report.plan_id == report.plan_id,
            Report.id != report.id, Report.sendup_state.in_(("sent", "accepted"))))
        if other is not None:
            raise SendupError(f"Báo cáo kỳ này đã được gửi UBND tỉnh (phiên bản {other}); chỉ gửi phiên bản "
                              "mới khi UBND tỉnh đã trả lại.")
        report.sent_up_by_id, report.sent_up_at = user.id, now()
        province = _province_of(report.agency)
        if province is not None:
            notify(users_with("office", agency_id=province.id), "report", f"{label} đã gửi UBND tỉnh.", url)
    elif name == "province_return":
        notify(users_with(("office", "leader"), agency_id=report.agency_id), "report",
               f"{label} bị UBND tỉnh trả lại: {comment}", url, exclude=user)
    elif name == "province_accept":
        notify(users_with("office", agency_id=report.agency_id), "report",
               f"{label} đã được UBND tỉnh tiếp nhận.", url, exclude=user)
    report.sendup_state = new
    report.events.append(ReportEvent(actor_id=user.id, action=name, from_state=old, to_state=new,
                                     comment=(comment or "").strip() or None, created_at=now()))
    db.session.commit()


def _province_of(agency: Agency | None) -> Agency | None:
    if agency is not None and agency.parent is not None and agency.parent.kind == "province":
        return agency.parent
    return db.session.scalar(select(Agency).where(Agency.kind == "province", Agency.active.is_(True))
                             .order_by(Agency.id).limit(1))


# ---- reporting requests -------------------------------------------------------------------

def _province(user: User) -> Agency:
    if not access.can_view_province_reporting(user):
        abort(403)
    return user.agency


def list_requests(user: User) -> list[ReportingRequest]:
    province = _province(user)
    return list(db.session.scalars(select(ReportingRequest).where(ReportingRequest.agency_id == province.id)
                                   .order_by(ReportingRequest.period_key.desc()).limit(40)))


def get_request(user: User, request_id: int) -> ReportingRequest:
    province = _province(user)
    req = db.session.get(ReportingRequest, request_id)
    if req is None or req.agency_id != province.id:
        abort(404)
    return req


def default_targets(province: Agency) -> dict:
    return {**DEFAULT_TARGETS, **((province.settings or {}).get("targets") or {})}


@dataclass
class NewRequest:
    kind: str
    number_in_year: int
    year: int
    number: str
    letter_date: str
    deadline: str
    subject: str
    time_cut_target: str
    cost_cut_target: str


def _target(text: str, field: str) -> Decimal | None:
    text = (text or "").strip().replace("%", "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise SendupError("Chỉ tiêu là một số phần trăm, ví dụ 20 hoặc 20,5.", field) from None
    if not 0 <= value <= 100:
        raise SendupError("Chỉ tiêu phải từ 0 đến 100 %.", field)
    return value


def create_request(user: User, new: NewRequest) -> ReportingRequest:
    from app.domain.formatting import parse_vn_date
    if not access.can_manage_province_reporting(user):
        abort(403)
    province = user.agency
    try:
        period = make_period(new.kind, new.year, new.number_in_year)
    except ValueError as e:
        raise SendupError(str(e), "year") from None
    number = (new.number or "").strip()
    if not number or "/" not in number:
        raise SendupError("Nhập số ký hiệu công văn, ví dụ 2445/VP-TTPVHCC.", "number")
    letter_date = parse_vn_date(new.letter_date)
    if letter_date is None:
        raise SendupError("Ngày công văn phải có dạng dd/mm/yyyy.", "letter_date")
    deadline = parse_vn_date(new.deadline)
    if deadline is None:
        raise SendupError("Hạn gửi báo cáo phải có dạng dd/mm/yyyy.", "deadline")
    if deadline < letter_date:
        raise SendupError("Hạn gửi báo cáo không được trước ngày công văn.", "deadline")
    time_t = _target(new.time_cut_target, "time_cut_target")
    cost_t = _target(new.cost_cut_target, "cost_cut_target")
    if db.session.scalar(select(ReportingRequest.id).where(ReportingRequest.agency_id == province.id,
                                                           ReportingRequest.period_key == period.key)):
        raise SendupError(f"Đã có yêu cầu báo cáo {period.label}.", "year")
    req = ReportingRequest(agency_id=province.id, period_key=period.key, number=number, letter_date=letter_date,
                           deadline=deadline, subject=(new.subject or "").strip() or None,
                           time_cut_target=time_t, cost_cut_target=cost_t, created_by_id=user.id,
                           created_at=now())
    db.session.add(req)
    db.session.commit()
    return req


def period_of(req: ReportingRequest) -> Period:
    return parse_period_key(req.period_key)


# ---- who has reported (one aggregate query) ------------------------------------------------

def status_rows(req: ReportingRequest, on: date | None = None) -> list[dict]:
    """Every reporting agency with its latest sent report of the period (state, number, sent
    date), its first send date (on time or late), and the reminders it got: one query."""
    on = on or today()
    sent = access.sent_reports_filter(req.period_key)
    latest = (select(Report.agency_id, func.max(Report.version).label("version"),
                     func.min(Report.sent_up_at).label("first_sent"))
              .where(sent).group_by(Report.agency_id).subquery())
    reminded = (select(ReportingReminder.agency_id, func.count(ReportingReminder.id).label("n"),
                       func.max(ReportingReminder.created_at).label("last"))
                .where(ReportingReminder.request_id == req.id).group_by(ReportingReminder.agency_id).subquery())
    q = (select(Agency.id, Agency.short_name, Report.id, Report.sendup_state, Report.number, Report.sent_up_at,
                latest.c.first_sent, reminded.c.n, reminded.c.last)
         .select_from(Agency)
         .outerjoin(latest, latest.c.agency_id == Agency.id)
         .outerjoin(Report, and_(Report.agency_id == Agency.id, Report.version == latest.c.version, sent))
         .outerjoin(reminded, reminded.c.agency_id == Agency.id)
         .where(access.reporting_agencies_filter(req.agency))
         .order_by(Agency.sort_order, Agency.name))
    rows = []
    for aid, name, rid, state, number, sent_at, first, n, last in db.session.execute(q):
        status = sendup_status(state, local_date(first), req.deadline, on)
        rows.append({"agency_id": aid, "agency": name, "report_id": rid, "state": state, "number": number,
                     "sent_at": sent_at, "first_sent": first, "status": status,
                     "reminders": n or 0, "last_reminded": last})
    return rows


def summary(rows: list[dict]) -> dict:
    keys = [r["status"].key for r in rows]
    return {k: keys.count(k) for k in ("on_time", "late", "returned", "accepted", "missing", "overdue")} | {
        "total": len(rows), "late_agencies": sum(1 for r in rows if r["status"].is_late)}


def remind(user: User, req: ReportingRequest, agency_id: int | None = None) -> int:
    """Remind one agency (any not yet validly reported) or every late one; each reminder is
    recorded (who, when) and each agency's office users are notified. Returns how many."""
    if not access.can_manage_province_reporting(user) or req.agency_id != user.agency_id:
        abort(403)
    rows = status_rows(req)
    if agency_id is not None:
        targets = [r for r in rows if r["agency_id"] == agency_id]
        if not targets:
            abort(404)
        if not targets[0]["status"].remindable:
            raise SendupError(f"{targets[0]['agency']} đã gửi báo cáo, không cần nhắc nhở.")
    else:
        targets = [r for r in rows if r["status"].is_late]
        if not targets:
            raise SendupError("Không có cơ quan nào chậm gửi báo cáo.")
    ids = [r["agency_id"] for r in targets]
    offices = db.session.scalars(select(User).join(Unit, Unit.id == User.unit_id).where(
        Unit.agency_id.in_(ids), User.role == "office", User.active.is_(True)).options(selectinload(User.unit)))
    by_agency: dict[int, list[User]] = {}
    for u in offices:
        by_agency.setdefault(u.unit.agency_id, []).append(u)
    period = period_of(req)
    for r in targets:
        text = (f"Nhắc nhở: chưa gửi báo cáo {period.label} theo Công văn số {req.number} ngày "
                f"{vn_date(req.letter_date)} (hạn {vn_date(req.deadline)}). {r['status'].label}.")
        notify(by_agency.get(r["agency_id"], []), "report", text, "/reports/")
        db.session.add(ReportingReminder(request_id=req.id, agency_id=r["agency_id"], actor_id=user.id,
                                         created_at=now()))
    db.session.commit()
    return len(targets)


def recent_reminders(req: ReportingRequest, limit: int = 20) -> list[tuple]:
    q = (select(ReportingReminder.created_at, Agency.short_name, User.full_name)
         .join(Agency, Agency.id == ReportingReminder.agency_id).join(User, User.id == ReportingReminder.actor_id)
         .where(ReportingReminder.request_id == req.id).order_by(ReportingReminder.id.desc()).limit(limit))
    return list(db.session.execute(q))


# ---- the province's consolidated report ----------------------------------------------------

def _num(value) -> Decimal:
    try:
        return Decimal(str(value or 0))
    except InvalidOperation:
        return Decimal(0)


def consolidation(req: ReportingRequest, on: date | None = None) -> dict:
    """The consolidated document: sent (or accepted) reports' frozen figure sets summed per
    agency, problems naming agency and figure, cut totals against the targets, the agencies
    missing. Read by the page, the DOCX and the XLSX (which query nothing)."""
    rows = status_rows(req, on)
    used = [r for r in rows if r["state"] in ("sent", "accepted")]
    snaps = {}
    if used:
        q = (select(Report.id, Report.snapshot).where(Report.id.in_([r["report_id"] for r in used])))
        snaps = {rid: snap or {} for rid, snap in db.session.execute(q)}
    sets = []
    for r in used:
        figures = (snaps.get(r["report_id"]) or {}).get("figures") or {}
        review = figures.get("review") or {}
        sets.append(AgencyFigures(agency=r["agency"], dossiers=figures.get("dossiers") or {},
                                  days_current=_num(review.get("days_current")),
                                  days_proposed=_num(review.get("days_proposed")),
                                  cost_before=_num(review.get("cost_before")),
                                  cost_after=_num(review.get("cost_after")), sent_on=local_date(r["first_sent"])))
    c = consolidate(sets)
    province = req.agency
    ident = reports.agency_identity(province)
    period = period_of(req)
    time_t = float(req.time_cut_target) if req.time_cut_target is not None else None
    cost_t = float(req.cost_cut_target) if req.cost_cut_target is not None else None
    meets = c.meets(time_t, cost_t)
    table = []
    for r, (name, d), s in zip(used, c.rows, sets):
        table.append({"unit": name, "agency_id": r["agency_id"], "report_id": r["report_id"], "number": r["number"],
                      "sent_on": vn_date(r["first_sent"]), "status": r["status"].label,
                      "late_days": r["status"].late_days, **d.as_dict(),
                      "days_current": float(s.days_current), "days_proposed": float(s.days_proposed),
                      "cost_before": float(s.cost_before), "cost_after": float(s.cost_after)})
    missing = [{"agency": r["agency"], "status": r["status"].label} for r in rows
               if r["state"] not in ("sent", "accepted")]
    doc = {
        **ident, "agency_short": province.short_name,
        "number_line": f"Số:      /BC-{province.abbreviation}",
        "place_date": f"{ident['province']}, ngày      tháng      năm {period.year}",
        "title": drafting.report_title(period.label),
        "period": {"key": period.key, "label": period.label, "short": period.short_label,
                   "start": vn_date(period.start), "end": vn_date(period.end)},
        "request": {"number": req.number, "letter_date": vn_date(req.letter_date), "deadline": vn_date(req.deadline)},
        "rows": table, "total": c.total.as_dict() if c.total is not None else None, "problems": c.problems,
        "missing": missing, "expected": len(rows), "reported": len(used),
        "time": {"current": float(c.days_current), "proposed": float(c.days_proposed),
                 "cut": float(c.days_current - c.days_proposed), "ratio": c.time_cut_ratio,
                 "target": time_t, "met": meets["time"]},
        "cost": {"before": float(c.cost_before), "after": float(c.cost_after),
                 "saving": float(c.cost_before - c.cost_after), "ratio": c.cost_cut_ratio,
                 "target": cost_t, "met": meets["cost"]},
        "recipients": ["Văn phòng Chính phủ (Cục Kiểm soát TTHC)", "Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh",
                       "Chủ tịch, các PCT UBND tỉnh", "Các sở, ban, ngành", "UBND các xã, phường",
                       "C, PVP UBND tỉnh", "Lưu: VT, KSTT."],
        "signature": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": ""},
    }
    doc["lines"] = body_lines(doc)
    return doc


def _target_line(what: str, ratio, target, met) -> str:
    if ratio is None:
        return f"- Tỷ lệ cắt giảm {what}: chưa có số liệu để tính."
    text = f"- Tỷ lệ cắt giảm {what}: {vn_percent(ratio)}"
    if target is None:
        return text + "."
    return text + f"; so với chỉ tiêu tối thiểu {vn_number(target)} %: {'đạt' if met else 'chưa đạt'}."


def body_lines(d: dict) -> dict[str, list[str]]:
    """The sentences of the consolidated report (pure: from the document dict)."""
    rows, total = d["rows"], d["total"]
    on_time = sum(1 for r in rows if not r["late_days"])
    status = [f"Thực hiện Công văn số {d['request']['number']} ngày {d['request']['letter_date']} của Văn phòng "
              f"UBND tỉnh (hạn gửi {d['request']['deadline']}), đã có {vn_number(d['reported'])}/"
              f"{vn_number(d['expected'])} cơ quan, đơn vị gửi báo cáo {d['period']['label']} "
              f"({vn_number(on_time)} đúng hạn, {vn_number(len(rows) - on_time)} muộn)."]
    if d["missing"]:
        status.append("- Chưa gửi hoặc đang hoàn thiện: " + "; ".join(
            f"{m['agency']} – {m['status'][0].lower()}{m['status'][1:]}" for m in d["missing"]) + ".")
    if total is None:
        dossiers = ["Chưa tổng hợp được số liệu toàn tỉnh vì số liệu sau chưa khớp:"] + [
            f"- {p}" for p in d["problems"]]
    else:
        dossiers = [
            f"- Tổng số hồ sơ tiếp nhận: {vn_number(total['received'])} (trực tuyến "
            f"{vn_number(total['received_online'])}; trực tiếp, bưu chính {vn_number(total['received_direct'])}; "
            f"kỳ trước chuyển qua {vn_number(total['carried_over'])}).",
            f"- Số hồ sơ đã giải quyết: {vn_number(total['resolved'])} (trước hạn "
            f"{vn_number(total['resolved_early'])}, đúng hạn {vn_number(total['resolved_on_time'])}, quá hạn "
            f"{vn_number(total['resolved_late'])}).",
            f"- Số hồ sơ đang giải quyết: {vn_number(total['pending'])} (trong hạn "
            f"{vn_number(total['pending_in_time'])}, quá hạn {vn_number(total['pending_late'])}).",
        ]
    t, c = d["time"], d["cost"]
    cuts = [f"- Tổng thời gian giải quyết được rà soát: {vn_number(t['current'], 0)} ngày, đề xuất còn "
            f"{vn_number(t['proposed'], 0)} ngày (cắt giảm {vn_number(t['cut'], 0)} ngày).",
            _target_line("thời gian giải quyết", t["ratio"], t["target"], t["met"]),
            f"- Chi phí tuân thủ trước đơn giản hóa {vn_number(c['before'])} đồng/năm, sau đơn giản hóa "
            f"{vn_number(c['after'])} đồng/năm (tiết kiệm {vn_number(c['saving'])} đồng/năm).",
            _target_line("chi phí tuân thủ", c["ratio"], c["target"], c["met"])]
    return {"status": status, "dossiers": dossiers, "cuts": cuts}
