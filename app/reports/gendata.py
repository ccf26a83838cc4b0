"""gen-data hook: quarterly figure sets (Biểu II.06a) and the quarterly reports built on them.

At province scale 10 units that settle procedures report every quarter for 10 years: 400
figure sets (fewer units at smaller scales, never under 3). Each set adds up (received = new
+ carried over = resolved + pending), carries over the previous quarter's pending dossiers,
and has one head's explanation per overdue dossier. Most are entered and sent by the unit,
the rest imported by the office, each with its history. Every quarter has its report: issued
with the snapshot that issuing freezes (built by the report services on the rows just
inserted), except the most recently ended quarter, whose report is still a draft.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Connection, null, select
from sqlalchemy.orm import Session

from app.domain.periods import Period, make_period, quarter_of
from app.extensions import db
from app.models import (FigureEvent, FigureSet, OverdueCase, Procedure, Report, ReportEvent,
                        ReportForm, Unit, User)
from app.reports import services, sources

UNITS_AT_PROVINCE, PROVINCE_UNITS = 10, 60
# Units that settle most procedures report first (the figures follow the one-stop desk).
REPORTING_ORDER = ("BTXH", "LDVL", "NCC", "TNXH", "GDNN", "TTDVVL", "TTBTXH", "CSCN", "TTDD", "CDN")
EXPLANATIONS = [
    "Hồ sơ phải xác minh thông tin tại địa phương nơi cư trú, kéo dài thời gian giải quyết.",
    "Hồ sơ cần lấy ý kiến của cơ quan có liên quan, văn bản trả lời chậm.",
    "Hồ sơ đã giải quyết xong nhưng chưa cập nhật trạng thái trên phần mềm một cửa.",
    "Công chức thụ lý nghỉ ốm, đơn vị chậm bố trí người thay thế.",
    "Hồ sơ phải bổ sung giấy tờ, tổ chức, cá nhân chậm nộp bổ sung.",
]
RETURN_COMMENTS = ["Đề nghị bổ sung số liệu phản ánh, kiến nghị trong kỳ.",
                   "Rà soát lại số liệu hồ sơ quá hạn trước khi trình."]


def generate(ctx) -> dict[str, int]:
    """Insert the figure sets and reports (ctx is app.ops.gendata.GenContext)."""
    before = dict(ctx.counts)
    quarters = _quarters(ctx.today, ctx.scale.years * 4)
    units = _reporting_units(ctx.conn, ctx.scale.units)
    people = _People(ctx.conn)
    _figure_sets(ctx, quarters, units, people)
    _reports(ctx, quarters, people)
    return {k: v - before.get(k, 0) for k, v in ctx.counts.items() if v != before.get(k, 0)}


def _quarters(today: date, count: int) -> list[Period]:
    """The `count` quarters up to the most recently ended one, oldest first."""
    p = quarter_of(today)
    year, number = p.year, p.number
    out = []
    while len(out) < count:
        number -= 1
        if number == 0:
            year, number = year - 1, 4
        out.append(make_period("quarter", year, number))
    return out[::-1]


def _reporting_units(conn: Connection, scale_units: int) -> list[tuple[int, str]]:
    wanted = max(3, round(UNITS_AT_PROVINCE * scale_units / PROVINCE_UNITS))
    rows = conn.execute(select(Unit.id, Unit.code).where(Unit.kind.in_(("division", "affiliate")),
                                                         Unit.active.is_(True)).order_by(Unit.id)).all()
    rank = {code: i for i, code in enumerate(REPORTING_ORDER)}
    rows.sort(key=lambda r: (rank.get(r.code, len(rank)), r.id))
    return [(r.id, r.code) for r in rows[:wanted]]


class _People:
    def __init__(self, conn: Connection):
        users = conn.execute(select(User.id, User.username, User.role, User.unit_id, User.title,
                                    User.full_name).where(User.active.is_(True)).order_by(User.id)).all()
        self.by_id = {u.id: u for u in users}
        self.office = ([u.id for u in users if u.username == "vanphong"]
                       or [u.id for u in users if u.role == "office"])[0]
        self.leaders = [u.id for u in users if u.role == "leader"]
        self.head: dict[int, int] = {}
        self.staff: dict[int, list[int]] = {}
        for u in users:
            if u.role == "head":
                self.head.setdefault(u.unit_id, u.id)
            elif u.role == "staff":
                self.staff.setdefault(u.unit_id, []).append(u.id)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _due_day(period: Period, today: date) -> date:
    """When the figures of a quarter are due at the office: a few days after its last counted
    day, and never after yesterday."""
    return min(period.end + timedelta(days=3), today - timedelta(days=1))


# ---- figure sets -------------------------------------------------------------------------

def _volumes(rng, n_units: int) -> list[float]:
    """Each unit's usual new dossiers per quarter (a few large desks, many small ones)."""
    return sorted((min(3000.0, max(40.0, rng.lognormvariate(math.log(450), 0.8))) for _ in range(n_units)),
                  reverse=True)


def _figures(rng, period: Period, base: float, carried: int | None) -> dict[str, int]:
    season = {1: 0.8, 2: 1.0, 3: 1.05, 4: 1.15}[period.number]
    new = max(5, round(base * season * (1.03 ** (period.year - 2012)) * rng.uniform(0.85, 1.15)))
    online_share = min(0.5, max(0.0, (period.year - 2017) * 0.015 + rng.uniform(-0.01, 0.02)))
    online = round(new * online_share)
    if carried is None:
        carried = round(new * rng.uniform(0.03, 0.1))
    received = new + carried
    pending = round(received * rng.uniform(0.08, 0.25))
    pending_late = 0 if pending == 0 or rng.random() < 0.7 else rng.randint(1, min(5, pending))
    resolved = received - pending
    late = 0 if rng.random() < 0.6 else rng.randint(1, max(1, min(6, resolved // 150)))
    early = round((resolved - late) * rng.uniform(0.05, 0.2))
    feedback = rng.choice([0, 0, 0, 1, 1, 2, 3])
    return {"received_online": online, "received_direct": new - online, "carried_over": carried,
            "resolved_early": early, "resolved_on_time": resolved - late - early, "resolved_late": late,
            "pending_in_time": pending - pending_late, "pending_late": pending_late,
            "feedback_received": feedback,
            "feedback_handled": feedback - (1 if feedback and rng.random() < 0.2 else 0)}


def _procedure_names(conn: Connection, unit_ids: list[int]) -> dict[int, list[str]]:
    rows = conn.execute(select(Procedure.lead_unit_id, Procedure.name).where(
        Procedure.lead_unit_id.in_(unit_ids)).order_by(Procedure.id))
    out: dict[int, list[str]] = {}
    for unit_id, name in rows:
        if len(out.setdefault(unit_id, [])) < 30:
            out[unit_id].append(name)
    fallback = [n for names in out.values() for n in names] or ["Giải quyết chế độ trợ cấp xã hội hằng tháng"]
    return {uid: out.get(uid) or fallback for uid in unit_ids}


def _figure_sets(ctx, quarters: list[Period], units: list[tuple[int, str]], people: _People) -> None:
    rng = ctx.rng
    names = _procedure_names(ctx.conn, [uid for uid, _ in units])
    bases = dict(zip((uid for uid, _ in units), _volumes(rng, len(units))))
    carried: dict[int, int | None] = {uid: None for uid, _ in units}
    sets, cases, events = [], [], []
    latest = quarters[-1]
    still_open = {uid for uid, _ in rng.sample(units, k=max(1, len(units) // 5))}
    for period in quarters:
        due = _due_day(period, ctx.today)
        for uid, code in units:
            values = _figures(rng, period, bases[uid], carried[uid])
            carried[uid] = values["pending_in_time"] + values["pending_late"]
            fs_id = len(sets) + 1
            late = values["resolved_late"] + values["pending_late"]
            head = people.head.get(uid, people.office)
            clerk = rng.choice(people.staff.get(uid) or [head])
            sent = not (period is latest and uid in still_open)
            saved_at = _at(due - timedelta(days=rng.randint(2, 6)), rng.randint(8, 16), rng.randint(0, 59))
            history: list[tuple[int, str, dict, datetime]] = []
            if late == 0 and sent and rng.random() < 0.3:  # the office imports the one-stop export
                history.append((people.office, "import", {k: [None, v] for k, v in values.items()}
                                | {"state": ["draft", "sent"]}, saved_at))
            else:
                history.append((clerk, "save", {k: [None, v] for k, v in values.items()}, saved_at))
                for k in range(late):
                    dossier = f"000.00.{code}.H42-{period.end:%y%m%d}-{rng.randint(1, 9999):04d}"
                    at = saved_at + timedelta(minutes=10 * (k + 1))
                    cases.append({"id": len(cases) + 1, "figure_set_id": fs_id, "dossier_code": dossier,
                                  "procedure_name": rng.choice(names[uid]),
                                  "explanation": rng.choice(EXPLANATIONS), "created_by_id": head,
                                  "created_at": at})
                    history.append((head, "overdue_add", {"dossier_code": [None, dossier]}, at))
                if sent:
                    history.append((head, "send", {"state": ["draft", "sent"]},
                                    _at(due, rng.randint(8, 16), rng.randint(0, 59))))
            for actor, action, changes, at in history:
                events.append({"id": len(events) + 1, "figure_set_id": fs_id, "actor_id": actor,
                               "action": action, "changes": changes, "created_at": at})
            last_actor, _, _, last_at = history[-1]
            sets.append({"id": fs_id, "unit_id": uid, "period_key": period.key,
                         "state": "sent" if sent else "draft", **values, "note": None,
                         "updated_by_id": last_actor, "updated_at": last_at,
                         "sent_at": last_at if sent else None})
    ctx.insert(FigureSet, sets)
    ctx.insert(OverdueCase, cases)
    ctx.insert(FigureEvent, events)


# ---- reports -----------------------------------------------------------------------------

@contextmanager
def _session_on(conn: Connection) -> Iterator[None]:
    """db.session on the generator's connection (in a nested app context), so the report
    services read the rows inserted so far in the same, uncommitted transaction."""
    with current_app.app_context():
        db.session.registry.set(Session(bind=conn, join_transaction_mode="create_savepoint"))
        yield  # the app context's teardown closes and forgets that session


def _reports(ctx, quarters: list[Period], people: _People) -> None:
    rng = ctx.rng
    form = {"id": 1, **services.DEFAULT_FORM, "valid_from": None, "active": True}
    ctx.insert(ReportForm, [form])
    form_obj = ReportForm(**form)
    director = next((uid for uid in people.leaders if people.by_id[uid].title == "Giám đốc"),
                    people.leaders[0])
    reports, events, used_numbers = [], [], set()

    def event(report_id, actor, action, at, src=None, dst=None, comment=None):
        events.append({"id": len(events) + 1, "report_id": report_id, "actor_id": actor,
                       "action": action, "from_state": src, "to_state": dst, "comment": comment,
                       "created_at": at})

    with _session_on(ctx.conn):
        for period in quarters:
            rid = len(reports) + 1
            due = _due_day(period, ctx.today)
            created = _at(period.end - timedelta(days=rng.randint(3, 8)), 8, rng.randint(0, 59))
            draft = period is quarters[-1]
            row = {"id": rid, "period_key": period.key, "plan_id": None, "form_id": form["id"],
                   **services.drafted(period, sources.gather(period)), "number": None,
                   "issued_on": None, "state": "draft", "signer_id": None, "snapshot": null(),
                   "version": 1, "previous_id": None, "created_by_id": people.office,
                   "agency_id": ctx.ids["agencies"][0],
                   "sendup_state": None, "sent_up_at": None, "sent_up_by_id": None,
                   "created_at": created, "updated_at": created}
            event(rid, people.office, "create", created, None, "draft")
            edited = created + timedelta(hours=rng.randint(2, 30))
            event(rid, people.office, "edit", edited, comment="Sửa thông tin chung")
            moves = 1
            if not draft:
                at = _at(due, 8, rng.randint(0, 59))
                event(rid, people.office, "submit", at, "draft", "pending")
                moves += 1
                if rng.random() < 0.15:
                    leader = rng.choice(people.leaders)
                    event(rid, leader, "return", at + timedelta(hours=2), "pending", "draft",
                          rng.choice(RETURN_COMMENTS))
                    event(rid, people.office, "submit", at + timedelta(hours=5), "draft", "pending")
                    moves += 2
                signer = director if rng.random() < 0.7 else rng.choice(people.leaders)
                issued_at = at + timedelta(hours=rng.randint(6, 30))
                _issue(row, form_obj, people.by_id[signer], _number(rng, period, used_numbers),
                       issued_at)
                event(rid, signer, "issue", issued_at, "pending", "issued")
                moves += 1
                edited = issued_at
                # Sent up to UBND tỉnh (issue 10, item 4) within two days, most of the time; the
                # province has accepted all but the latest quarter's.
                if rng.random() < 0.9:
                    row.update(sent_up_at=issued_at + timedelta(hours=rng.randint(1, 48)),
                               sent_up_by_id=people.office,
                               sendup_state="sent" if period is quarters[-2] else "accepted")
            row.update(lock_version=1 + moves, updated_at=edited)
            reports.append(row)
    ctx.insert(Report, reports)
    ctx.insert(ReportEvent, events)


def _issue(row: dict, form: ReportForm, signer, number: str, issued_at: datetime) -> None:
    """What issuing sets on the row, with the snapshot the report services freeze (built on
    a transient Report, as the pending report looks the moment the leader issues it)."""
    report = Report(**{k: v for k, v in row.items() if k != "snapshot"})
    report.number, report.issued_on, report.state = number, issued_at.date(), "pending"
    report.form = form
    report.signer = User(full_name=signer.full_name, title=signer.title)
    row.update(number=number, issued_on=issued_at.date(), state="issued", signer_id=signer.id,
               snapshot=services.issued_document(report, issued_at))


def _number(rng, period: Period, used: set[str]) -> str:
    """'{n}/BC-SLĐTBXH', numbers growing through the year, never one already issued."""
    n = 40 * period.number + rng.randint(0, 35)
    while (number := f"{n}/BC-{services.doc_symbol()}") in used:
        n += 1
    used.add(number)
    return number
