"""Use cases of the consolidated report: open, draft from the data, edit, submit, return,
issue (freezing a snapshot), open a new version; the document dict the page and exports read."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from app import access
from app.clock import now, today
from app.domain import workflow as wf
from app.domain.checks import check_catalog, report_gaps
from app.domain.formatting import vn_date, vn_long_date
from app.domain.periods import Period, make_period, parse_period_key
from app.extensions import db
from app.models import Agency, Plan, Report, ReportEvent, ReportForm, User
from app.delegations import services as delegations
from app.notifications.services import notify, users_with
from app.reportforms import services as reportforms
from app.reports import drafting, sources

FORM_CODE = "II.06a/VPCP/KSTT"
# Biểu II.06a/VPCP/KSTT: 13 columns; `headers` are the three header rows (None: the cell
# above runs down), `sum_of` says which columns a total adds up. The definition is data
# (app/reportforms/forms/ii06a_v1.json), like every other form.
_II06A = reportforms.definition(FORM_CODE, 1)
II06A_COLUMNS = _II06A["columns"]
II06A_TITLE = _II06A["title"]
NUMBER_RE = re.compile(r"^\d{1,5}/BC-[\wĐđ\-]+$")
# The first version of the form record (a new circular adds a new version as data).
DEFAULT_FORM = reportforms.record_values(_II06A)


def ensure_default_form(period: Period | None = None) -> ReportForm:
    """The Biểu II.06a record a new report uses: the latest version in force in the period
    (any period: the latest version). Shipped definitions are added once."""
    forms = [f for f in reportforms.all_forms() if f.code == FORM_CODE]
    if period is not None:
        forms = [f for f in forms if reportforms.spec_of(f).applies_to(period.start, period.end)] or forms
    return max(forms, key=lambda f: f.version)


def annexes(form: ReportForm, period: Period, units: list[dict]) -> list[dict]:
    """The report's tables: its Biểu II.06a version first, then every other form in force in
    the period, each with one row per unit and the total row, as the exports read them."""
    fig_period = make_period("year", period.year) if period.kind == "plan" else period
    specs = [reportforms.spec_of(form)] + [s for f, s in reportforms.forms_for(fig_period.start, fig_period.end)
                                          if f.code != form.code]
    out = []
    for spec in specs:
        rows = [{"unit": u["unit"], **reportforms.values_of(u, spec)} for u in units]
        mismatch = [m for u, r in zip(units, rows)
                    for m in reportforms.mirror_errors(spec, r, u, f"{u['unit']}: ")]
        out.append({"code": spec.code, "version": spec.version, "title": spec.title,
                    "legal_basis": spec.legal_basis, "sheet": spec.sheet, "count_unit": spec.count_unit,
                    "report_block": spec.options.get("report_block"),
                    "columns": list(spec.columns), "rows": rows, "total": spec.add(rows),
                    "problems": (spec.check(spec.add(rows)) if spec.code != FORM_CODE else []) + mismatch})
    return out


def agency_text(agency: Agency | None = None) -> str:
    """The agency as it reads inside a sentence (its short name; config REPORT_AGENCY_TEXT
    before agencies were data)."""
    if agency is not None and agency.short_name:
        return agency.short_name
    cfg = current_app.config
    return cfg.get("REPORT_AGENCY_TEXT") or "Sở Lao động – Thương binh và Xã hội"


def doc_symbol(agency: Agency | None = None) -> str:
    if agency is not None and agency.abbreviation:
        return agency.abbreviation
    return current_app.config.get("DOC_SYMBOL") or "SLĐTBXH"


def agency_identity(agency: Agency | None) -> dict:
    """The header lines and place of an agency's documents (Nghị định 30/2020): the
    governing body above (UBND TỈNH ...; none for UBND tỉnh itself) and the agency's name in
    capitals. Settings may spell them as the agency issues them; config is the fallback."""
    cfg = current_app.config
    if agency is None:
        return {"agency": cfg["AGENCY_NAME"], "parent_agency": cfg["PARENT_AGENCY_NAME"],
                "province": cfg["PROVINCE_NAME"]}
    settings = agency.settings or {}
    parent = settings.get("parent_header")
    if parent is None:
        parent = agency.parent.short_name.upper() if agency.parent is not None else ""
    return {"agency": settings.get("header_name") or agency.short_name.upper(),
            "parent_agency": parent, "province": agency.place_name or cfg["PROVINCE_NAME"]}


def _agency_of(report: Report) -> Agency | None:
    if report.agency is not None:
        return report.agency
    return db.session.get(Agency, report.agency_id) if report.agency_id else None


# ---- reading -----------------------------------------------------------------------------

def list_reports(user: User) -> list[Report]:
    if not access.can_view_reports(user):
        abort(403)
    # The list shows no text: the sections and the frozen snapshot (large) stay unloaded.
    return list(db.session.scalars(select(Report).where(access.visible_reports_filter(user)).options(selectinload(Report.signer),
                                                          defer(Report.sections), defer(Report.snapshot))
                                   .order_by(Report.period_key.desc(), Report.version.desc())))


def waiting_reports(user: User, limit: int = 10) -> list[dict]:
    """Reports waiting for leadership's approval, each with its period and the moves this
    user may make on it (the home page's list; the leader's action opens the report)."""
    if not access.can_view_reports(user):
        return []
    reports = db.session.scalars(select(Report).where(Report.state == "pending")
                                 .options(defer(Report.sections), defer(Report.snapshot))
                                 .order_by(Report.updated_at.desc()).limit(limit))
    return [{"report": r, "period": period_of(r),
             "moves": [t for t in access.available_report_transitions(user, r) if t.name == "issue"]}
            for r in reports]


def get_report(user: User, report_id: int) -> Report:
    report = db.session.scalar(select(Report).where(Report.id == report_id).options(
        selectinload(Report.events).selectinload(ReportEvent.actor),
        selectinload(Report.events).selectinload(ReportEvent.on_behalf_of), selectinload(Report.form),
        selectinload(Report.signer)))
    if report is None or not access.can_view_report(user, report):
        abort(404)
    return report


def plan_choices(user: User | None = None) -> list[tuple[int, str]]:
    q = select(Plan.id, Plan.number, Plan.title).where(Plan.state == "issued")
    if user is not None:
        q = q.where(access.visible_plans_filter(user))
    plans = db.session.execute(q.order_by(Plan.year.desc(), Plan.id.desc()))
    return [(pid, f"{number} – {title}"[:160]) for pid, number, title in plans]


def results_to_cite(report: Report) -> list[dict]:
    """The accepted results of the report's period per unit, for the editor to insert."""
    return drafting.results_by_unit(sources.accepted_results(period_of(report), report.plan_id, report.agency_id))


def period_of(report: Report) -> Period:
    return parse_period_key(report.period_key)


def document(report: Report) -> dict:
    """What the page, the DOCX and the XLSX show: the frozen snapshot once issued,
    else the draft recomputed from today's data."""
    if report.snapshot:
        return report.snapshot
    return _live_document(report)


def _live_document(report: Report, signed_for: User | None = None) -> dict:
    """`signed_for`: the leader whose delegated rights the signer used (KT. / TUQ. block)."""
    period = period_of(report)
    agency = _agency_of(report)
    src = sources.figures(period, report.plan_id, report.agency_id)
    form = report.form or ensure_default_form()
    ident = agency_identity(agency)
    catalog = dict(src["catalog"])
    catalog.setdefault("public", catalog.get("published", 0))
    catalog.setdefault("total", catalog.get("published", 0))
    signer = report.signer
    doc = {
        "report_id": report.id, "version": report.version, "state": report.state,
        **ident, "agency_short": agency_text(agency),
        "number": report.number or "",
        "number_line": f"Số: {report.number}" if report.number else f"Số:      /BC-{doc_symbol(agency)}",
        "issued_on": report.issued_on.isoformat() if report.issued_on else None,
        "place_date": vn_long_date(ident["province"], report.issued_on) if report.issued_on
        else f"{ident['province']}, ngày      tháng      năm {period.year}",
        "title": report.title, "basis": report.basis or "",
        "period": {"key": period.key, "label": period.label, "short": period.short_label,
                   "start": vn_date(period.start), "end": vn_date(period.end)},
        "figures": {"catalog": catalog, "review": src["review"], "dossiers": src["dossiers"],
                    "feedback": src["feedback"], "overdue": src["overdue"], "units": src["units"],
                    "missing": src["missing"]},
        "form": {"code": form.code, "version": form.version, "title": form.title,
                 "columns": form.columns},
        "annexes": annexes(form, period, src["units"]),
        "recipients": [r.strip(" -") for r in (report.recipients or "").splitlines() if r.strip(" -")],
        "signature": drafting.signature(signer.title if signer else None,
                                        signer.full_name if signer else None,
                                        (signed_for.title or "Giám đốc") if signed_for else None),
        "closing": drafting.closing_text(report.title, agency_text(agency)),
    }
    doc["sections"] = [dict(s, figure_lines=drafting.figure_lines(s.get("figures"), doc))
                       for s in report.sections]
    # Beyond the quoted few the draft counts results per unit: the appendix keeps each one
    # (page, DOCX, and frozen with the rest at issue).
    results = sources.accepted_results(period, report.plan_id, report.agency_id)
    doc["results_annex"] = (drafting.results_by_unit(results)
                            if len(results) > drafting.MAX_QUOTED_RESULTS else [])
    doc["problems"] = check_catalog(catalog) + [p for a in doc["annexes"] for p in a["problems"]]
    # Not errors but gaps the leader must see before issuing (issue 17.5).
    doc["warnings"] = report_gaps([(m["period"], m["units"]) for m in src["missing"]], doc["sections"],
                                  src["dossiers"])
    return doc


# ---- changing ----------------------------------------------------------------------------

class ReportError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _event(report: Report, user: User, action: str, from_state=None, to_state=None, comment=None,
           on_behalf_of_id: int | None = None):
    report.events.append(ReportEvent(actor_id=user.id, action=action, from_state=from_state,
                                     to_state=to_state, comment=comment, on_behalf_of_id=on_behalf_of_id,
                                     created_at=now()))


def open_report(user: User, kind: str, year: int, number: int = 0,
                plan_id: int | None = None) -> Report:
    if not access.can_open_report(user):
        abort(403)
    try:
        period = make_period(kind, year, number)
    except ValueError as e:
        raise ReportError(str(e), "period") from None
    plan = None
    if kind == "plan":
        plan = db.session.get(Plan, plan_id or 0)
        if plan is None or plan.state != "issued" or not access.can_view_plan(user, plan):
            raise ReportError("Chọn kế hoạch đã ban hành cần báo cáo.", "plan_id")
        period = make_period("plan", plan.year)
    else:
        plan_id = None
    existing = db.session.scalar(select(Report.id).where(
        Report.agency_id == user.agency_id, Report.period_key == period.key, Report.plan_id.is_(plan_id) if plan_id is None
        else Report.plan_id == plan_id, Report.state != "issued"))
    if existing:
        raise ReportError(f"Đã có dự thảo báo cáo {period.label} đang xử lý.",
                          "plan_id" if plan else "period")
    report = Report(
        period_key=period.key, plan_id=plan_id, form=ensure_default_form(period),
        **drafted(period, sources.gather(period, plan_id, user.agency_id), plan, user.agency),
        state=wf.REPORT.initial, created_by_id=user.id, agency_id=user.agency_id, created_at=now(), updated_at=now())
    db.session.add(report)
    _event(report, user, "create", None, report.state)
    db.session.commit()
    return report


def drafted(period: Period, src: dict, plan: Plan | None = None, agency: Agency | None = None) -> dict:
    """Title, basis, sections and recipients of a new draft, drafted from the gathered data."""
    title = drafting.plan_report_title(plan.number, plan.title) if plan else \
        drafting.report_title(period.label)
    return {"title": title,
            "basis": f"{agency_text(agency)} báo cáo kết quả thực hiện {period.label} như sau:",
            "sections": drafting.default_sections(src, period.label, agency_text(agency)),
            "recipients": drafting.RECIPIENTS}


@dataclass
class Edit:
    title: str
    basis: str
    number: str
    recipients: str
    sections: list[dict]  # [{"key", "heading", "text"}]
    lock_version: int


def update_report(user: User, report: Report, edit: Edit) -> None:
    if not access.can_edit_report(user, report):
        abort(403)
    if edit.lock_version != report.lock_version:
        raise ReportError("Báo cáo đã được người khác sửa trong lúc bạn soạn. Hãy tải lại trang "
                          "(nội dung bạn nhập vẫn còn bên dưới để sao chép).")
    number = edit.number.strip()
    if number and not NUMBER_RE.match(number):
        raise ReportError(f"Số ký hiệu phải có dạng 113/BC-{doc_symbol(_agency_of(report))}.", "number")
    if not edit.title.strip():
        raise ReportError("Nhập trích yếu (tên) báo cáo.", "title")
    by_key = {s["key"]: s for s in edit.sections}
    changed = []
    sections = copy.deepcopy(report.sections)
    for s in sections:
        new = by_key.get(s["key"])
        if new is None:
            continue
        heading = new["heading"].strip() or s["heading"]
        text = new["text"].replace("\r\n", "\n").strip()
        if heading != s["heading"] or text != (s.get("text") or ""):
            changed.append(heading)
            s["heading"], s["text"] = heading, text
    report.sections = sections
    report.title, report.basis = edit.title.strip(), edit.basis.strip()
    report.number = number or None
    report.recipients = edit.recipients.strip()
    report.lock_version += 1
    report.updated_at = now()
    _event(report, user, "edit", comment=("Sửa: " + "; ".join(changed)) if changed else "Sửa thông tin chung")
    db.session.commit()


def transition(user: User, report: Report, name: str, comment: str | None = None,
               number: str | None = None, issued_on: date | None = None, confirm_gaps: bool = False,
               outside_register: bool = False) -> None:
    """Move the report. Issuing a report with gaps (missing quarters or units, empty
    sections) needs the leader's `confirm_gaps`; the gaps confirmed go into the history."""
    old = report.state
    try:
        new = wf.move(wf.REPORT, old, name, access.report_actors(user, report), comment)
    except wf.TransitionRefused as e:
        raise ReportError(e.reason) from None
    note = (comment or "").strip() or None
    behalf = access.report_behalf(user, report, name)
    if name == "issue":
        draft = (report.number or "").strip()
        try:
            _issue(user, report, number, issued_on, confirm_gaps, behalf, outside_register)
        except ReportError:
            db.session.rollback()  # nothing half-issued stays in the session
            raise
        gaps = report.snapshot.get("warnings") or []
        if gaps:
            note = "\n".join(filter(None, [note, "Lãnh đạo xác nhận ban hành khi còn: " + " ".join(gaps)]))
        if draft and draft != report.number:   # the draft's typed number gives way, visibly
            note = "\n".join(filter(None, [note, f"Số dự thảo “{draft}” thay bằng số {report.number} do sổ văn bản đi cấp."]))
    report.state = new
    report.lock_version += 1
    report.updated_at = now()
    _event(report, user, name, old, new, note, on_behalf_of_id=behalf)
    url = f"/reports/{report.id}"
    label = f"Báo cáo {period_of(report).label}"
    if behalf is not None:
        delegations.notify_behalf(user, behalf, f"“{wf.REPORT.transition(name).label}” {label}", url)
    if name == "submit":
        notify(users_with("leader", agency_id=report.agency_id)
               + delegations.approvers_for_agency(report.agency_id, report.plan_id), "report", f"{label} trình Lãnh đạo duyệt.", url, exclude=user)
    elif name == "return":
        notify(users_with("office", agency_id=report.agency_id), "report", f"{label} bị trả lại: {comment}", url, exclude=user)
    elif name == "issue":
        notify(users_with("office", agency_id=report.agency_id), "report", f"{label} đã được ban hành ({report.number}).", url,
               exclude=user)
    db.session.commit()
    if name == "issue":
        from app.jobs import pdf
        pdf.issue_pdf(user, "report", report)  # after the commit: the worker reads the issued version


def number_choices(report: Report, year: int) -> list[tuple[str, str]]:
    """The issue dialog's numbers: the register's next one, and the numbers reserved for the year."""
    from app.register import services as register
    agency = _agency_of(report)
    out = [("", f"Số tiếp theo của sổ ({register.next_symbol(agency, year, 'BC')})")]
    out += [(e.symbol, f"{e.symbol} – số đã giữ chỗ: {e.note or ''}")
            for e in register.reserved_choices(agency.id, year, "BC")]
    return out


def _issue(user: User, report: Report, number: str | None, issued_on: date | None,
           confirm_gaps: bool = False, behalf: int | None = None, outside_register: bool = False) -> None:
    """The number comes from the agency's register (sổ văn bản đi), in this transaction:
    `number` empty takes the next one; a number the office reserved is chosen by its symbol;
    anything else typed is refused (the register gives numbers, nobody types them).
    `outside_register` (the demo's history only): a report issued on the paper register before
    the portal's, with its own number; `register.enter_issued_documents` enters it afterwards."""
    from app.register import services as register
    agency = _agency_of(report)
    issued_on = issued_on or today()
    typed = (number or "").strip()
    reserved = None
    if outside_register:
        if not NUMBER_RE.match(typed):
            raise ReportError(f"Số ký hiệu phải có dạng 113/BC-{doc_symbol(agency)}.", "number")
    elif typed:
        if not NUMBER_RE.match(typed):
            raise ReportError(f"Số ký hiệu phải có dạng 113/BC-{doc_symbol(agency)}; để trống để lấy số "
                              "tiếp theo của sổ văn bản đi.", "number")
        if any(e.symbol == typed for e in register.reserved_choices(agency.id, issued_on.year, "BC")):
            reserved = typed
        elif typed != register.next_symbol(agency, issued_on.year, "BC"):
            raise ReportError(f"Số văn bản do sổ văn bản đi cấp: để trống để lấy số tiếp theo "
                              f"({register.next_symbol(agency, issued_on.year, 'BC')}) hoặc chọn một số đã giữ chỗ.",
                              "number")
    if outside_register:
        number = typed
    else:
        try:
            entry = register.take_number(agency, issued_on.year, "BC", user=user, doc_kind="report",
                                         doc_id=report.id, title=report.title, issued_on=issued_on,
                                         reserved_symbol=reserved)
        except register.RegisterError as e:
            raise ReportError(e.message, "number") from None
        if typed and entry.symbol != typed:
            raise ReportError(f"Số {typed} vừa được cấp cho văn bản khác; số tiếp theo là "
                              f"{register.next_symbol(agency, issued_on.year, 'BC')}.", "number")
        number = entry.symbol
    clash = db.session.scalar(select(Report.id).where(Report.number == number, Report.id != report.id,
                                                      Report.agency_id == report.agency_id,
                                                      Report.state == "issued"))
    if clash:
        raise ReportError(f"Số {number} đã dùng cho một báo cáo khác (chưa vào sổ văn bản đi).", "number")
    report.number = number
    report.issued_on = issued_on
    report.signer_id = user.id
    report.signer = user
    report.issued_agency_name = agency.name if agency is not None else None
    doc = issued_document(report, now(), db.session.get(User, behalf) if behalf else None)
    if doc["problems"]:
        raise ReportError("Số liệu chưa khớp, chưa thể ban hành: " + "; ".join(doc["problems"]))
    if doc["warnings"] and not confirm_gaps:
        raise ReportError("Báo cáo còn thiếu số liệu hoặc nội dung (xem các cảnh báo); đánh dấu xác nhận "
                          "đã xem rồi mới ban hành: " + " ".join(doc["warnings"]), "confirm_gaps")
    report.snapshot = doc


def issued_document(report: Report, issued_at: datetime, signed_for: User | None = None) -> dict:
    """The snapshot that issuing freezes: the document as of now, marked issued."""
    doc = _live_document(report, signed_for)
    doc["state"] = "issued"
    doc["issued_at"] = issued_at.isoformat(timespec="seconds")
    return doc


def new_version(user: User, report: Report) -> Report:
    if not access.can_new_report_version(user, report):
        abort(403)
    fresh = Report(period_key=report.period_key, plan_id=report.plan_id, form_id=report.form_id,
                   title=report.title, basis=report.basis, sections=copy.deepcopy(report.sections),
                   recipients=report.recipients, state=wf.REPORT.initial,
                   version=report.version + 1, previous_id=report.id, created_by_id=user.id,
                   created_at=now(), updated_at=now())
    db.session.add(fresh)
    _event(fresh, user, "new_version", None, fresh.state,
           f"Phiên bản {fresh.version}, mở từ báo cáo số {report.number}")
    db.session.commit()
    return fresh
