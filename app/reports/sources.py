"""Everything a report draft needs, gathered from the data in a bounded number of queries:
catalog counts, review results, per-unit figure sets (Biểu II.06a), feedback, overdue cases,
issued plans and the units' accepted submissions in the period.

Every function takes the report's agency (`agency_id`): an agency's report reads only its own
units, plans, procedures and people. None reads the whole database (kept for callers written
before agencies, which had one)."""
from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain.checks import Dossiers
from app.domain.periods import Period, make_period, quarters_of
from app.extensions import db
from app.models import FigureSet, Plan, Procedure, Submission, Task, Unit, User

CATALOG_KEYS = ("published", "one_stop", "interconnected", "postal", "online_total",
                "online_partial", "online_full", "central", "local", "internal")
REVIEW_KEYS = ("reviewed", "days_current", "days_proposed", "days_cut", "cut_ratio",
               "cost_before", "cost_after", "cost_saving", "cost_ratio")


def catalog_counts(agency_id: int | None = None) -> dict:
    """Counts of the procedure catalog (published, by mechanism, online levels, set by)."""
    try:
        from app.catalog.services import catalog_counts as counts
    except ImportError:
        return _catalog_counts_fallback()
    data = dict(counts(agency_id=agency_id) if agency_id is not None else counts())
    return {k: int(data.get(k) or 0) for k in CATALOG_KEYS} | {"by_level": dict(data.get("by_level") or {})}


def _catalog_counts_fallback() -> dict:
    # fallback until the catalog/review features are merged: count the procedures table directly.
    P = Procedure
    active = (P.status == "active") & P.internal.is_(False)
    cols = {
        "published": func.count(P.id),
        "one_stop": func.count(P.id).filter(P.one_stop.is_(True)),
        "interconnected": func.count(P.id).filter(P.interconnected.is_(True)),
        "postal": func.count(P.id).filter(P.postal.is_(True)),
        "online_total": func.count(P.id).filter(P.online_service != ""),
        "online_partial": func.count(P.id).filter(P.online_service == "partial"),
        "online_full": func.count(P.id).filter(P.online_service == "full"),
        "central": func.count(P.id).filter(P.set_by == "central"),
        "local": func.count(P.id).filter(P.set_by == "local"),
    }
    row = db.session.execute(select(*[c.label(k) for k, c in cols.items()]).where(active)).one()
    out = {k: int(getattr(row, k) or 0) for k in cols}
    out["internal"] = db.session.scalar(
        select(func.count(P.id)).where(P.status == "active", P.internal.is_(True))) or 0
    levels = db.session.execute(select(P.level, func.count(P.id)).where(active).group_by(P.level))
    out["by_level"] = {(lvl or ""): n for lvl, n in levels}
    return out


def review_totals(period: Period, plan_id: int | None = None, agency_id: int | None = None) -> dict:
    """Review and simplification results accepted in the period (time and cost cut, proposals)."""
    try:
        from app.reviews.services import review_totals as totals
    except ImportError:
        # fallback until the catalog/review features are merged: no review figures yet.
        return {k: 0 for k in REVIEW_KEYS} | {
            "proposals": {"keep": 0, "amend": 0, "replace": 0, "abolish": 0}}
    extra = {"agency_id": agency_id} if agency_id is not None else {}
    result = totals(plan_id=plan_id, start=period.start, end=period.end, accepted_only=True, **extra)
    data = asdict(result) if is_dataclass(result) else dict(result)
    out = {k: _plain(data.get(k)) for k in REVIEW_KEYS}
    for k in ("cut_ratio", "cost_ratio"):  # a ratio of a zero whole is unknown ("—"), not 0 %
        out[k] = None if data.get(k) is None else float(data[k])
    out["proposals"] = {k: int(v or 0) for k, v in (data.get("proposals") or {}).items()}
    if plan_id is not None:
        plan = db.session.get(Plan, plan_id)
        if plan is not None:  # a plan's report compares with the plan's own targets
            out["targets"] = {k: (None if v is None else float(v)) for k, v in (
                ("time_cut", plan.time_cut_target), ("cost_cut", plan.cost_cut_target))}
    return out


def _plain(value):
    """JSON-friendly number (Decimal -> float, None -> 0)."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    return float(value)


def figure_rows(period: Period, sent_only: bool = True, keys: list[str] | None = None,
                agency_id: int | None = None) -> list[FigureSet]:
    """The figure sets of the period (or of the period keys `keys`), by unit (of one agency)."""
    q = (select(FigureSet).join(FigureSet.unit).where(FigureSet.period_key.in_(keys or [period.key]))
         .options(selectinload(FigureSet.unit), selectinload(FigureSet.overdue_cases))
         .order_by(Unit.sort_order, Unit.name, FigureSet.period_key))
    if sent_only:
        q = q.where(FigureSet.state == "sent")
    if agency_id is not None:
        q = q.where(Unit.agency_id == agency_id)
    return list(db.session.scalars(q))


def dossiers_of(fs: FigureSet) -> Dossiers:
    return Dossiers.from_mapping({k: getattr(fs, k) for k in Dossiers.__dataclass_fields__})


def _sum_form_values(sets) -> dict:
    """The other forms' figures of several sets of a unit ({code: {key: n}}), added up as the
    Biểu II.06a parts are."""
    out: dict[str, dict[str, int]] = {}
    for values in sets:
        for code, figures in (values or {}).items():
            acc = out.setdefault(code, {})
            for k, v in figures.items():
                acc[k] = acc.get(k, 0) + int(v or 0)
    return out


def unit_figures(period: Period, agency_id: int | None = None) -> dict:
    """Biểu II.06a rows per unit (of the agency) and their total, feedback and overdue explanations, and
    which units have sent nothing for each quarter counted.

    Units send figures per quarter, so a 6-month or yearly report sums each unit's sent sets
    of its quarters (a unit's set entered for the whole period itself counts instead, when it
    sent no quarter); before this the half-year report looked for sets under its own key,
    found none and printed 0 everywhere (issue 17.5)."""
    from app.figures.services import reporting_units_query
    quarters = quarters_of(period)
    keys = [q.key for q in quarters] + ([period.key] if period.kind != "quarter" else [])
    by_unit: dict[int, list[FigureSet]] = {}
    for fs in figure_rows(period, keys=keys, agency_id=agency_id):
        by_unit.setdefault(fs.unit_id, []).append(fs)
    rows, total = [], Dossiers()
    feedback = {"received": 0, "handled": 0}
    overdue = []
    counted: dict[int, set[str]] = {}
    for unit_id, sets in by_unit.items():  # in unit order (figure_rows)
        per_quarter = [fs for fs in sets if fs.period_key != period.key or period.kind == "quarter"]
        used = per_quarter or sets
        counted[unit_id] = {fs.period_key for fs in per_quarter} if per_quarter else {q.key for q in quarters}
        d = sum((dossiers_of(fs) for fs in used), Dossiers())
        total = total + d
        received, handled = sum(fs.feedback_received for fs in used), sum(fs.feedback_handled for fs in used)
        feedback["received"] += received
        feedback["handled"] += handled
        rows.append({"unit": used[0].unit.name, **d.as_dict(),
                     "feedback_received": received, "feedback_handled": handled,
                     "form_values": _sum_form_values(fs.form_values for fs in used)})
        overdue += [{"unit": fs.unit.name, "dossier_code": c.dossier_code,
                     "procedure_name": c.procedure_name, "explanation": c.explanation}
                    for fs in used for c in fs.overdue_cases]
    units_q = reporting_units_query()
    if agency_id is not None:
        units_q = units_q.where(Unit.agency_id == agency_id)
    units = list(db.session.execute(units_q.with_only_columns(Unit.id, Unit.name)))
    missing = [{"period": q.short_label,
                "units": [name for uid, name in units if q.key not in counted.get(uid, set())]}
               for q in quarters]
    return {"units": rows, "dossiers": total.as_dict(), "feedback": feedback, "overdue": overdue,
            "missing": [m for m in missing if m["units"]]}


def issued_plans(year: int, agency_id: int | None = None) -> list[dict]:
    q = select(Plan).where(Plan.state == "issued", Plan.year == year)
    if agency_id is not None:
        q = q.where(Plan.agency_id == agency_id)
    plans = db.session.scalars(q.order_by(Plan.issued_on, Plan.id))
    return [{"number": p.number, "issued_on": p.issued_on.isoformat() if p.issued_on else None,
             "title": p.title, "basis": p.basis} for p in plans]


def accepted_results(period: Period, plan_id: int | None = None, agency_id: int | None = None) -> list[dict]:
    """Units' accepted submissions in the period (their result text feeds section II)."""
    start = datetime.combine(period.start, time.min)
    end = datetime.combine(period.end, time.max)
    q = (select(Unit.name, Task.content, Submission.result_text)
         .select_from(Submission).join(Submission.task).join(Unit, Unit.id == Task.lead_unit_id)
         .where(Submission.state == "accepted", Submission.accepted_at.between(start, end))
         .order_by(Submission.accepted_at, Submission.id))
    if plan_id is not None:
        q = q.where(Task.plan_id == plan_id)
    if agency_id is not None:
        q = q.where(Task.agency_id == agency_id)
    return [{"unit": unit, "task": content, "result_text": (text or "").strip()}
            for unit, content, text in db.session.execute(q)]


def focal_people(agency_id: int | None = None) -> list[dict]:
    """Leaders and office staff: the department's KSTT focal people (section I.3)."""
    q = select(User).where(User.active.is_(True), User.role.in_(("leader", "office")))
    if agency_id is not None:
        q = q.where(User.unit_id.in_(select(Unit.id).where(Unit.agency_id == agency_id)))
    users = db.session.scalars(q.order_by(User.role.desc(), User.id))
    return [{"name": u.full_name, "title": u.title or u.role_label, "role": u.role} for u in users]


def figures(period: Period, plan_id: int | None = None, agency_id: int | None = None) -> dict:
    """The numbers a report shows (what a draft recomputes on every view)."""
    # A plan's report counts the dossiers of its year.
    units = unit_figures(make_period("year", period.year) if period.kind == "plan" else period, agency_id)
    return {"catalog": catalog_counts(agency_id), "review": review_totals(period, plan_id, agency_id), **units}


def gather(period: Period, plan_id: int | None = None, agency_id: int | None = None) -> dict:
    """The numbers, and what the default text of a new draft is written from."""
    return {**figures(period, plan_id, agency_id), "plans": issued_plans(period.year, agency_id),
            "results": accepted_results(period, plan_id, agency_id), "people": focal_people(agency_id)}
