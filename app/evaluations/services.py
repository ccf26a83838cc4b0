"""Use cases of evaluations: the scheme versions, opening a unit's sheet for a period, computing
each person's figures from the recorded work (GROUP BY in SQL, a bounded number of queries
whatever the unit's size), the tasks behind a figure, the head's marks and corrections, the
person's comment, the sheet's moves (workflow.EVALUATION) with the snapshot frozen at close,
and the on-time dashboard."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import abort
from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from app import access
from app.audit.services import mark_recorded, record
from app.calendar.services import get_calendar
from app.clock import now, today
from app.domain import evaluation as de
from app.domain import workflow as wf
from app.extensions import db
from app.models import (Contribution, Evaluation, EvaluationCorrection, EvaluationEvent, EvaluationMark,
                        EvaluationScheme, Plan, Submission, SubmissionEvent, Task, TaskAssignee, Unit, User,
                        task_cooperating_units)

RETURN_ACTIONS = ("head_return", "office_return")


class EvaluationError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _audit(user: User, summary: str, ev: Evaluation, detail: dict) -> None:
    record("change", summary, actor=user, object_type="evaluation", object_id=ev.id, detail=detail, commit=False)
    mark_recorded()

# ---- schemes --------------------------------------------------------------------------------------

def ensure_default_scheme(agency_id: int, user_id: int | None = None) -> EvaluationScheme:
    """The agency's version 1 (the defaults of app/domain/evaluation.py) when it has none."""
    s = db.session.scalar(select(EvaluationScheme).where(EvaluationScheme.agency_id == agency_id)
                          .order_by(EvaluationScheme.version).limit(1))
    if s is None:
        # Version 1 applies to any day (a period before 2026 still needs a scheme).
        s = EvaluationScheme(agency_id=agency_id, version=1, valid_from=date(2000, 1, 1),
                             name="Mặc định theo cấu trúc Nghị định 335/2025/NĐ-CP (cần xác nhận)",
                             description=de.DEFAULT_DESCRIPTION, weights=de.DEFAULT_WEIGHTS,
                             created_by_id=user_id, created_at=now())
        db.session.add(s)
        db.session.flush()
    return s


def schemes(user: User) -> list[EvaluationScheme]:
    """The agency's versions, newest first (version 1, the defaults, made on first visit)."""
    ensure_default_scheme(user.agency_id, user.id)
    db.session.commit()
    used = select(Evaluation.scheme_id).distinct()
    rows = db.session.scalars(select(EvaluationScheme).where(EvaluationScheme.agency_id == user.agency_id)
                              .order_by(EvaluationScheme.version.desc())).all()
    used_ids = set(db.session.scalars(used.where(Evaluation.agency_id == user.agency_id)))
    for s in rows:
        s.used = s.id in used_ids
    return rows


def scheme_for(agency_id: int, day: date) -> EvaluationScheme:
    s = db.session.scalar(select(EvaluationScheme).where(EvaluationScheme.agency_id == agency_id,
                                                         EvaluationScheme.valid_from <= day)
                          .order_by(EvaluationScheme.valid_from.desc(), EvaluationScheme.version.desc()).limit(1))
    return s or ensure_default_scheme(agency_id)


def create_scheme(user: User, name: str, valid_from: date, description: str,
                  values: dict[str, str]) -> EvaluationScheme:
    """A new version (the older ones are never edited)."""
    if not access.can_manage_evaluation_schemes(user):
        abort(403)
    weights, errors = de.scheme_from_fields(values)
    if errors:
        raise EvaluationError("Hệ số chưa hợp lệ.", errors)  # type: ignore[arg-type]
    ensure_default_scheme(user.agency_id, user.id)
    version = (db.session.scalar(select(func.max(EvaluationScheme.version))
                                 .where(EvaluationScheme.agency_id == user.agency_id)) or 0) + 1
    s = EvaluationScheme(agency_id=user.agency_id, version=version, valid_from=valid_from, name=name.strip(),
                         description=(description or "").strip() or None, weights=weights,
                         created_by_id=user.id, created_at=now())
    db.session.add(s)
    db.session.flush()
    record("change", f"Tạo phiên bản {version} bộ tiêu chí đánh giá", actor=user, object_type="evaluation_scheme",
           object_id=s.id, detail={"weights": weights, "valid_from": valid_from}, commit=False)
    mark_recorded()
    db.session.commit()
    return s

# ---- sheets ---------------------------------------------------------------------------------------

def get_evaluation(user: User, evaluation_id: int) -> Evaluation:
    ev = db.session.get(Evaluation, evaluation_id)
    if ev is None or not access.same_agency(user, ev.agency_id):
        abort(404)
    return ev


def get_person(ev: Evaluation, user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.unit_id != ev.unit_id:
        abort(404)
    return person


def list_evaluations(user: User, limit: int = 100) -> list[Evaluation]:
    return db.session.scalars(
        select(Evaluation).where(access.visible_evaluations_filter(user))
        .options(selectinload(Evaluation.unit))
        .order_by(Evaluation.year.desc(), Evaluation.starts_on.desc(), Evaluation.unit_id, Evaluation.version.desc())
        .limit(limit)).all()


def openable_units(user: User) -> list[Unit]:
    if access.is_admin(user):
        return db.session.scalars(select(Unit).where(access.agency_units_filter(user), Unit.active.is_(True))
                                  .order_by(Unit.sort_order, Unit.name)).all()
    return [user.unit] if access.can_open_evaluation(user, user.unit_id) else []


def open_evaluation(user: User, unit_id: int, kind: str, year: int, number: int) -> Evaluation:
    if not access.can_open_evaluation(user, unit_id):
        abort(403)
    try:
        p = de.make_period(kind, year, number)
    except ValueError as e:
        raise EvaluationError(str(e), "number") from None
    existing = db.session.scalar(select(Evaluation).where(
        Evaluation.unit_id == unit_id, Evaluation.kind == p.kind, Evaluation.year == p.year,
        Evaluation.number == p.number, Evaluation.current.is_(True)))
    if existing is not None:
        return existing
    unit = db.session.get(Unit, unit_id)
    scheme = scheme_for(unit.agency_id, p.start)
    ev = Evaluation(agency_id=unit.agency_id, unit_id=unit_id, kind=p.kind, year=p.year, number=p.number,
                    starts_on=p.start, ends_on=p.end, version=1, state=wf.EVALUATION.initial,
                    scheme_id=scheme.id, created_by_id=user.id, created_at=now())
    db.session.add(ev)
    db.session.flush()
    _audit(user, f"Mở kỳ đánh giá {p.label} – {unit.name}", ev, {"period": p.key, "unit_id": unit_id})
    db.session.commit()
    return ev


def period_of(ev: Evaluation) -> de.EvalPeriod:
    return de.EvalPeriod(ev.kind, ev.year, ev.number, ev.starts_on, ev.ends_on)


def ref_day(ev: Evaluation) -> date:
    """Figures stand as on the period's last day, or today while the period runs."""
    return min(ev.ends_on, today())

# ---- computing ------------------------------------------------------------------------------------

def _bucket(ref: date):
    acc = Task.accepted_on
    done = and_(acc.is_not(None), acc <= ref)
    return case((and_(done, acc <= Task.due_on), "on_time"), (done, "late"), (Task.due_on < ref, "overdue"),
                else_="open")


def _in_period(ev: Evaluation) -> list:
    return [Task.due_on >= ev.starts_on, Task.due_on <= ev.ends_on, Task.work_state.is_not(None)]


def _unit_led(ev: Evaluation) -> list:
    return [Task.lead_unit_id == ev.unit_id, *_in_period(ev)]


def _grouped(who, ref: date, source, conditions: list) -> list:
    """(who, bucket, priority, difficulty, due, accepted (late only), count) rows. The bucket is
    computed in a subquery and grouped outside it (PostgreSQL compares a GROUP BY expression
    with bound dates to the SELECT's by text: one expression, one place)."""
    b = _bucket(ref)
    inner = select((who if who is not None else literal(0)).label("who"), b.label("bucket"),
                   Task.priority.label("priority"), Task.difficulty.label("difficulty"),
                   case((b == "late", Task.due_on), else_=None).label("due"),
                   case((b == "late", Task.accepted_on), else_=None).label("acc")) \
        .select_from(source).where(*conditions).subquery()
    cols = [inner.c.bucket, inner.c.priority, inner.c.difficulty, inner.c.due, inner.c.acc]
    if who is not None:
        cols.insert(0, inner.c.who)
    rows = db.session.execute(select(*cols, func.count()).group_by(*cols)).all()
    return rows if who is not None else [(0, *r) for r in rows]


@dataclass
class PersonResult:
    user: User
    roles: dict[str, de.Figures] = field(default_factory=dict)
    computed: de.Figures = field(default_factory=de.Figures)
    figures: de.Figures = field(default_factory=de.Figures)     # corrections in force
    corrections: dict[str, EvaluationCorrection] = field(default_factory=dict)
    mark: EvaluationMark | None = None
    score: de.Score | None = None


def _add_rows(target: dict, rows, role: str, weights: dict, cal) -> None:
    for who, bucket, priority, difficulty, due, acc, n in rows:
        figs = target.setdefault(who, {}).setdefault(role, de.Figures())
        w = de.task_weight(weights, role, priority, difficulty) * n
        late_days = cal.working_days_between(due, acc) * n if bucket == "late" and due and acc else 0
        figs.add(bucket, n, w, late_days=late_days)


def compute(ev: Evaluation) -> dict:
    """Every member's figures and the unit's, live from the data: 8 queries whatever the size."""
    ref = ref_day(ev)
    weights = ev.scheme.weights
    cal = get_calendar()
    people = db.session.scalars(select(User).where(User.unit_id == ev.unit_id, User.active.is_(True))
                                .order_by(User.role != "head", User.full_name)).all()
    heads = [p.id for p in people if access.is_unit_head(p)]
    per: dict = {}
    # staff assignee (task_assignees, written when the head hands a task to staff)
    _add_rows(per, _grouped(TaskAssignee.user_id, ref, Task.__table__.join(
        TaskAssignee, TaskAssignee.task_id == Task.id), _unit_led(ev)), "assignee", weights, cal)
    # lead: the unit's tasks; the head answers for every one of them
    unit: dict = {}
    _add_rows(unit, _grouped(None, ref, Task, _unit_led(ev)), "lead", weights, cal)
    # cooperating: the unit's, and each member's through the contributions they wrote
    coop = task_cooperating_units
    _add_rows(unit, _grouped(None, ref, Task.__table__.join(coop, coop.c.task_id == Task.id),
                             [coop.c.unit_id == ev.unit_id, *_in_period(ev)]), "cooperating", weights, cal)
    authored = (select(Contribution.author_id.label("author_id"), Contribution.task_id.label("task_id"))
                .where(Contribution.unit_id == ev.unit_id).distinct().subquery())
    _add_rows(per, _grouped(authored.c.author_id, ref, Task.__table__.join(authored, authored.c.task_id == Task.id),
                            [Task.lead_unit_id != ev.unit_id, *_in_period(ev)]), "cooperating", weights, cal)
    # returns for rework on the tasks each person carried (assignees) and the unit led (heads)
    returns = (select(Submission.task_id.label("task_id"), func.count().label("n"))
               .join(SubmissionEvent, SubmissionEvent.submission_id == Submission.id)
               .join(Task, Task.id == Submission.task_id)
               .where(SubmissionEvent.action.in_(RETURN_ACTIONS), *_unit_led(ev))
               .group_by(Submission.task_id).subquery())
    person_returns = dict(db.session.execute(
        select(TaskAssignee.user_id, func.sum(returns.c.n)).join(returns, returns.c.task_id == TaskAssignee.task_id)
        .group_by(TaskAssignee.user_id)).all())
    unit_returns = db.session.scalar(select(func.coalesce(func.sum(returns.c.n), 0))) or 0
    if unit.get(0, {}).get("lead"):   # the unit's returns (no task added: n = 0)
        unit[0]["lead"].add("open", 0, 0, returned=int(unit_returns))
    marks = {m.user_id: m for m in db.session.scalars(
        select(EvaluationMark).where(EvaluationMark.evaluation_id == ev.id))}
    corrections: dict = {}
    for c in db.session.scalars(select(EvaluationCorrection).where(EvaluationCorrection.evaluation_id == ev.id)
                                .options(selectinload(EvaluationCorrection.actor))
                                .order_by(EvaluationCorrection.id)):
        corrections.setdefault(c.user_id, {})[c.figure] = c   # the latest wins
    results = []
    for p in people:
        roles = dict(per.get(p.id, {}))
        if p.id in heads and unit.get(0, {}).get("lead"):
            roles["lead"] = unit[0]["lead"]
        r = PersonResult(p, roles=roles, mark=marks.get(p.id), corrections=corrections.get(p.id, {}))
        for role, figs in roles.items():
            for k in de.FIGURES:
                r.computed.counts[k] += figs.counts[k]
                r.computed.weighted[k] += figs.weighted[k]
        if p.id in person_returns and p.id not in heads:
            r.computed.counts["returned"] += int(person_returns[p.id])
            r.computed.weighted["returned"] += int(person_returns[p.id])
        r.figures = r.computed.corrected({k: c.corrected_value for k, c in r.corrections.items()})
        r.score = de.score(r.figures, weights, r.mark.quality if r.mark else None)
        results.append(r)
    unit_figs = {role: unit.get(0, {}).get(role, de.Figures()) for role in ("lead", "cooperating")}
    return {"people": results, "unit": unit_figs, "ref": ref}

# ---- the sheet as pages and exports read it ----------------------------------------------------------

def _row(r: PersonResult) -> dict:
    s = r.score
    return {
        "user_id": r.user.id, "name": r.user.full_name, "title": r.user.title or r.user.role_label,
        "roles": {role: dict(f.counts) for role, f in r.roles.items()},
        "computed": dict(r.computed.counts), "figures": dict(r.figures.counts),
        "corrections": {k: {"computed": c.computed_value, "value": c.corrected_value, "reason": c.reason,
                            "by": c.actor.full_name, "at": c.created_at.isoformat()}
                        for k, c in r.corrections.items()},
        "quality": r.mark.quality if r.mark else None,
        "head_comment": r.mark.head_comment if r.mark else None,
        "person_comment": r.mark.person_comment if r.mark else None,
        "score": {"quantity": s.quantity, "quality": s.quality, "progress": s.progress, "total": s.total,
                  "rating": s.rating, "rating_label": s.rating_label},
    }


def sheet(ev: Evaluation) -> dict:
    """The sheet's rows: frozen ones once closed, live ones before."""
    if ev.snapshot:
        return ev.snapshot
    c = compute(ev)
    return {"people": [_row(r) for r in c["people"]],
            "unit": {role: dict(f.counts) for role, f in c["unit"].items()},
            "ref": c["ref"].isoformat(), "scheme_version": ev.scheme.version}


def person_row(ev: Evaluation, person: User) -> dict:
    return next((r for r in sheet(ev)["people"] if r["user_id"] == person.id), None) or abort(404)


def correction_history(ev: Evaluation, person: User | None = None) -> list[EvaluationCorrection]:
    q = (select(EvaluationCorrection).where(EvaluationCorrection.evaluation_id == ev.id)
         .options(selectinload(EvaluationCorrection.actor)).order_by(EvaluationCorrection.id.desc()))
    if person is not None:
        q = q.where(EvaluationCorrection.user_id == person.id)
    return db.session.scalars(q).all()

# ---- the tasks behind a figure ---------------------------------------------------------------------

def figure_tasks(ev: Evaluation, person: User, figure: str, role: str | None, offset: int, limit: int):
    """(tasks, total) behind one of a person's figures (live data, as the figure was computed)."""
    if figure not in de.FIGURES or (role is not None and role not in de.ROLES):
        abort(404)
    ref = ref_day(ev)
    b = _bucket(ref)
    conds = [*_in_period(ev), b.in_(de.FIGURE_BUCKETS[figure])]
    if figure == "returned":
        conds.append(exists().where(Submission.task_id == Task.id, SubmissionEvent.submission_id == Submission.id,
                                    SubmissionEvent.action.in_(RETURN_ACTIONS)))
    roles = [role] if role else list(de.ROLES)
    parts = []
    if "assignee" in roles:
        parts.append((Task.lead_unit_id == ev.unit_id) & exists().where(
            TaskAssignee.task_id == Task.id, TaskAssignee.user_id == person.id))
    if "lead" in roles and access.is_unit_head(person):
        parts.append(Task.lead_unit_id == ev.unit_id)
    if "cooperating" in roles:
        parts.append((Task.lead_unit_id != ev.unit_id) & exists().where(
            Contribution.task_id == Task.id, Contribution.author_id == person.id,
            Contribution.unit_id == ev.unit_id))
    if not parts:
        return [], 0
    conds.append(or_(*parts))
    total = db.session.scalar(select(func.count()).select_from(Task).where(*conds))
    rows = db.session.execute(
        select(Task.id, Task.content, Task.due_on, Task.accepted_on, Plan.number, b.label("bucket"))
        .join(Plan, Plan.id == Task.plan_id).where(*conds)
        .order_by(Task.due_on, Task.id).offset(offset).limit(limit)).all()
    cal = get_calendar()
    out = [{"id": r.id, "content": r.content, "due_on": r.due_on, "accepted_on": r.accepted_on,
            "plan": r.number, "bucket": r.bucket,
            "late_days": cal.working_days_between(r.due_on, r.accepted_on) if r.bucket == "late" else
            (cal.working_days_between(r.due_on, ref) if r.bucket == "overdue" else 0)} for r in rows]
    return out, total

# ---- the head's marks, corrections; the person's comment -------------------------------------------

def _mark_of(ev: Evaluation, person: User) -> EvaluationMark:
    m = db.session.scalar(select(EvaluationMark).where(EvaluationMark.evaluation_id == ev.id,
                                                       EvaluationMark.user_id == person.id))
    if m is None:
        m = EvaluationMark(evaluation_id=ev.id, user_id=person.id, updated_at=now())
        db.session.add(m)
    return m


def _refuse_unless_head(user: User, ev: Evaluation) -> None:
    if "unit_head" not in access.evaluation_actors(user, ev):
        abort(403)
    if not access.can_mark_evaluation(user, ev):
        raise EvaluationError(f"Kỳ đánh giá đang ở trạng thái “{wf.EVALUATION.label(ev.state)}”: chỉ sửa được khi "
                              "đang đánh giá.")


def save_mark(user: User, ev: Evaluation, person: User, quality: int | None, comment: str) -> None:
    _refuse_unless_head(user, ev)
    if quality is not None and not 0 <= quality <= 100:
        raise EvaluationError("Điểm chất lượng phải từ 0 đến 100.", "quality")
    m = _mark_of(ev, person)
    old = {"quality": m.quality, "head_comment": m.head_comment}
    m.quality, m.head_comment = quality, (comment or "").strip() or None
    m.updated_by_id, m.updated_at = user.id, now()
    _audit(user, f"Chấm chất lượng {person.full_name}", ev,
           {"user_id": person.id, "old": old, "new": {"quality": quality, "head_comment": m.head_comment}})
    db.session.commit()


def correct(user: User, ev: Evaluation, person: User, figure: str, value: int | None, reason: str) -> None:
    _refuse_unless_head(user, ev)
    if figure not in de.CORRECTABLE:
        raise EvaluationError("Số liệu này không sửa trực tiếp được.", "figure")
    if value is None or value < 0:
        raise EvaluationError("Nhập số không âm.", "value")
    if not (reason or "").strip():
        raise EvaluationError("Sửa số liệu cần ghi rõ lý do.", "reason")
    computed = next(r for r in compute(ev)["people"] if r.user.id == person.id).computed.counts[figure]
    c = EvaluationCorrection(evaluation_id=ev.id, user_id=person.id, figure=figure, computed_value=computed,
                             corrected_value=value, reason=reason.strip(), actor_id=user.id, created_at=now())
    db.session.add(c)
    _audit(user, f"Sửa số liệu “{de.FIGURES[figure]}” của {person.full_name}", ev,
           {"user_id": person.id, "figure": figure, "computed": computed, "value": value, "reason": reason.strip()})
    db.session.commit()


def person_comment(user: User, ev: Evaluation, person: User, comment: str) -> None:
    if user.id != person.id:
        abort(403)
    if not access.can_comment_own_evaluation(user, ev, person):
        raise EvaluationError("Kỳ đánh giá đã khóa sổ: không gửi ý kiến được nữa.")
    if not (comment or "").strip():
        raise EvaluationError("Nhập ý kiến.", "comment")
    m = _mark_of(ev, person)
    old = m.person_comment
    m.person_comment, m.updated_at = comment.strip(), now()
    _audit(user, "Ý kiến về kết quả đánh giá của mình", ev, {"user_id": person.id, "old": old, "new": m.person_comment})
    db.session.commit()

# ---- moves -------------------------------------------------------------------------------------------

def move(user: User, ev: Evaluation, name: str, comment: str | None = None) -> Evaluation:
    """Propose, return, confirm, close (freezes the snapshot), reopen (a new version)."""
    flow = wf.EVALUATION_VERSIONS if name == "reopen" else wf.EVALUATION
    try:
        new = wf.move(flow, ev.state, name, access.evaluation_actors(user, ev), comment)
    except wf.TransitionRefused as e:
        raise EvaluationError(e.reason) from None
    old = ev.state
    comment = (comment or "").strip() or None
    result = ev
    if name == "close":
        ev.snapshot = sheet(ev)
        ev.closed_at = now()
        ev.state = new
    elif name == "reopen":
        ev.current = False
        result = Evaluation(agency_id=ev.agency_id, unit_id=ev.unit_id, kind=ev.kind, year=ev.year, number=ev.number,
                            starts_on=ev.starts_on, ends_on=ev.ends_on, version=ev.version + 1, state=new,
                            scheme_id=ev.scheme_id, reopen_reason=comment, previous_id=ev.id,
                            created_by_id=user.id, created_at=now())
        db.session.add(result)
        db.session.flush()
        # the marks and corrections carry over: nothing said before is lost
        for m in db.session.scalars(select(EvaluationMark).where(EvaluationMark.evaluation_id == ev.id)):
            db.session.add(EvaluationMark(evaluation_id=result.id, user_id=m.user_id, quality=m.quality,
                                          head_comment=m.head_comment, person_comment=m.person_comment,
                                          updated_by_id=m.updated_by_id, updated_at=m.updated_at))
        for c in db.session.scalars(select(EvaluationCorrection).where(EvaluationCorrection.evaluation_id == ev.id)
                                    .order_by(EvaluationCorrection.id)):
            db.session.add(EvaluationCorrection(evaluation_id=result.id, user_id=c.user_id, figure=c.figure,
                                                computed_value=c.computed_value, corrected_value=c.corrected_value,
                                                reason=c.reason, actor_id=c.actor_id, created_at=c.created_at))
        result.events.append(EvaluationEvent(actor_id=user.id, action=name, from_state=old, to_state=new,
                                             comment=comment, created_at=now()))
    else:
        ev.state = new
    ev.events.append(EvaluationEvent(actor_id=user.id, action=name, from_state=old,
                                     to_state=new if name != "reopen" else old, comment=comment, created_at=now()))
    _audit(user, f"Đánh giá {period_of(ev).label} – {ev.unit.name}: {flow.transition(name).label}", ev,
           {"action": name, "from": old, "to": new, "comment": comment, "version": result.version})
    db.session.commit()
    return result


def versions(ev: Evaluation) -> list[Evaluation]:
    return db.session.scalars(select(Evaluation).where(
        Evaluation.unit_id == ev.unit_id, Evaluation.kind == ev.kind, Evaluation.year == ev.year,
        Evaluation.number == ev.number).order_by(Evaluation.version.desc())).all()


def my_evaluations(user: User, limit: int = 24) -> list[Evaluation]:
    """The sheets of the user's unit in which the user has a row (their own results)."""
    return db.session.scalars(select(Evaluation).where(Evaluation.unit_id == user.unit_id, Evaluation.current.is_(True))
                              .order_by(Evaluation.starts_on.desc(), Evaluation.kind).limit(limit)).all()

# ---- dashboard ---------------------------------------------------------------------------------------

def dashboard(user: User, year: int) -> dict:
    """On-time rate by unit and month for the tasks the agency's units led, due in `year`:
    one GROUP BY query (unit x month x bucket)."""
    ref = today()
    inner = (select(Task.lead_unit_id.label("unit_id"), func.extract("month", Task.due_on).label("month"),
                    _bucket(ref).label("bucket"))
             .join(Unit, Unit.id == Task.lead_unit_id)
             .where(Unit.agency_id == user.agency_id, Task.due_on >= date(year, 1, 1),
                    Task.due_on <= date(year, 12, 31), Task.work_state.is_not(None)).subquery())
    cols = [inner.c.unit_id, inner.c.month, inner.c.bucket]
    rows = db.session.execute(select(*cols, func.count()).group_by(*cols)).all()
    units = db.session.scalars(select(Unit).where(access.agency_units_filter(user), Unit.active.is_(True))
                               .order_by(Unit.sort_order, Unit.name)).all()
    cells: dict = {}
    for unit_id, m, bucket, n in rows:
        cells.setdefault((unit_id, int(m)), {k: 0 for k in de.BUCKETS})[bucket] += n
    table = []
    for u in units:
        months = []
        tot = {k: 0 for k in de.BUCKETS}
        for m in range(1, 13):
            c = cells.get((u.id, m), {k: 0 for k in de.BUCKETS})
            for k in de.BUCKETS:
                tot[k] += c[k]
            months.append({"rate": de.on_time_rate(c["on_time"], c["late"], c["overdue"]), **c})
        if any(tot.values()):
            table.append({"unit": u, "months": months, "rate": de.on_time_rate(tot["on_time"], tot["late"],
                                                                               tot["overdue"]), **tot})
    return {"year": year, "rows": table}
