"""Review use cases: the procedures a task reviews, form 02/RS-KSTT with time cut and compliance
cost, and the totals per task, unit and plan against the plan's targets.

A review's state is its task's Submission state: editing asks access.can_edit_review, which is
the submission's own rule, so "submit -> approve -> accept" is the submission workflow.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from flask import abort
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from app import access
from app.clock import now
from app.domain import metrics
from app.extensions import db
from app.models import Plan, Procedure, SubmissionEvent, Task, Unit, User
from app.models.folded import matches
from app.models.review import (COST_PHASES, PROPOSALS, REVIEW_CRITERIA, REVIEW_PARTS,
                               ProcedureReview, ReviewCostItem)

SIMPLIFYING = ("amend", "replace", "abolish")
COST_FIELDS = [("hours", "Số giờ thực hiện"), ("income_per_hour", "Thu nhập bình quân/giờ (đồng)"),
               ("fees", "Phí, lệ phí (đồng)"), ("other_costs", "Chi phí khác (đồng)"),
               ("per_year", "Số hồ sơ/năm")]
BLANK_COST_ROWS = 2  # empty rows offered per phase to type new activities


# ---- totals (also used by the report feature) ----------------------------------------------

@dataclass
class ReviewTotals:
    reviewed: int = 0
    days_current: Decimal = Decimal(0)
    days_proposed: Decimal = Decimal(0)
    days_cut: Decimal = Decimal(0)
    cut_ratio: Decimal | None = None
    proposals: dict[str, int] = field(default_factory=lambda: {k: 0 for k in PROPOSALS})
    cost_before: Decimal = Decimal(0)
    cost_after: Decimal = Decimal(0)
    cost_saving: Decimal = Decimal(0)
    cost_ratio: Decimal | None = None
    timed: int = 0          # procedures with both current and proposed days
    costed: int = 0         # procedures with a "before" cost
    simplified: int = 0     # proposals amend / replace / abolish
    simplified_ratio: Decimal | None = None


@dataclass(frozen=True)
class _Row:
    review_id: int
    current: Decimal | None
    proposed: Decimal | None
    proposal: str | None


def _cost_rows(item: ReviewCostItem) -> metrics.CostRow:
    return metrics.CostRow(item.hours, item.income_per_hour, item.fees, item.other_costs, item.per_year)


def review_cost(items: Iterable[ReviewCostItem]) -> metrics.CostSaving | None:
    """Before/after cost of one procedure; None when no 'before' activity was entered."""
    items = list(items)
    before = [_cost_rows(i) for i in items if i.phase == "before"]
    if not before:
        return None
    after = [_cost_rows(i) for i in items if i.phase == "after"]
    return metrics.cost_saving(metrics.procedure_cost(before), metrics.procedure_cost(after))


def _sum(rows: list[_Row], costs: dict[int, metrics.CostSaving]) -> ReviewTotals:
    t = ReviewTotals(reviewed=len(rows))
    cut = metrics.total_time_cut((r.current, r.proposed) for r in rows)
    t.days_current, t.days_proposed, t.days_cut, t.cut_ratio = cut.current, cut.proposed, cut.cut, cut.ratio
    # A 0-day current time has nothing to cut (metrics.time_cut refuses it): not a timed procedure.
    t.timed = sum(1 for r in rows if r.current and r.proposed is not None)
    for r in rows:
        if r.proposal in t.proposals:
            t.proposals[r.proposal] += 1
    t.simplified = sum(t.proposals[k] for k in SIMPLIFYING)
    t.simplified_ratio = metrics.simplified_share(t.simplified, t.reviewed)
    savings = [costs[r.review_id] for r in rows if r.review_id in costs]
    total = metrics.total_cost_saving(savings)
    t.costed = len(savings)
    t.cost_before, t.cost_after, t.cost_saving, t.cost_ratio = total.before, total.after, total.saving, total.ratio
    return t


def _costs_for(review_ids: list[int]) -> dict[int, metrics.CostSaving]:
    by_review: dict[int, list[ReviewCostItem]] = defaultdict(list)
    if review_ids:
        for item in db.session.scalars(select(ReviewCostItem).where(ReviewCostItem.review_id.in_(review_ids))):
            by_review[item.review_id].append(item)
    out = {}
    for rid, items in by_review.items():
        saving = review_cost(items)
        if saving is not None:
            out[rid] = saving
    return out


def review_totals(plan_id: int | None = None, unit_id: int | None = None, start: date | None = None,
                  end: date | None = None, accepted_only: bool = True,
                  agency_id: int | None = None) -> ReviewTotals:
    """Totals of reviews (time cut, proposals, compliance cost), by default of accepted submissions
    only; start/end (inclusive) bound the day the office accepted them. Two queries."""
    # The task's own copy of its state and acceptance day (migration 0008_work).
    conds = []
    if accepted_only:
        conds.append(Task.work_state == "accepted")
    if start:
        conds.append(Task.accepted_on >= start)
    if end:
        conds.append(Task.accepted_on <= end)
    if unit_id is not None:
        conds.append(Task.lead_unit_id == unit_id)
    if agency_id is not None:  # one agency's reviews (its plans' tasks)
        conds.append(Task.agency_id == agency_id)
    cols = (ProcedureReview.id, ProcedureReview.current_days, ProcedureReview.proposed_days,
            ProcedureReview.proposal)
    if plan_id is not None:  # from the plan's tasks
        stmt = select(*cols).join(Task, Task.id == ProcedureReview.task_id).where(
            Task.plan_id == plan_id, *conds)
    else:  # from the reviews (far fewer than a period's tasks), each task probed by its key
        stmt = select(*cols).where(exists().where(Task.id == ProcedureReview.task_id, *conds))
    rows = [_Row(*r) for r in db.session.execute(stmt)]
    return _sum(rows, _costs_for([r.review_id for r in rows]))


# ---- loading with access ----------------------------------------------------------------

def _task(user: User, task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None or not access.task_is_visible(user, task):
        abort(404)
    return task


def _reviews_of(task_ids: list[int]) -> list[ProcedureReview]:
    if not task_ids:
        return []
    return list(db.session.scalars(
        select(ProcedureReview).where(ProcedureReview.task_id.in_(task_ids))
        .options(selectinload(ProcedureReview.procedure).selectinload(Procedure.lead_unit),
                 selectinload(ProcedureReview.cost_items))
        .order_by(ProcedureReview.task_id, ProcedureReview.position, ProcedureReview.id)))


def _rows(reviews: list[ProcedureReview]) -> list[_Row]:
    return [_Row(r.id, r.current_days, r.proposed_days, r.proposal) for r in reviews]


def _costs_loaded(reviews: list[ProcedureReview]) -> dict[int, metrics.CostSaving]:
    out = {}
    for r in reviews:
        saving = review_cost(r.cost_items)
        if saving is not None:
            out[r.id] = saving
    return out


def cuts_of(reviews: list[ProcedureReview]) -> dict[int, metrics.TimeCut]:
    """Each review's time cut, for those with valid current and proposed days."""
    out = {}
    for r in reviews:
        try:
            out[r.id] = metrics.time_cut(r.current_days, r.proposed_days)
        except metrics.MetricError:  # blank, or saved before 0 -> 0 days was refused
            continue
    return out


@dataclass
class TaskReview:
    task: Task
    reviews: list[ProcedureReview]
    totals: ReviewTotals
    costs: dict[int, metrics.CostSaving]
    cuts: dict[int, metrics.TimeCut]
    can_read: bool
    can_edit: bool
    can_pick: bool


def task_review(user: User, task_id: int) -> TaskReview:
    task = _task(user, task_id)
    can_read = access.can_view_review(user, task)
    reviews = _reviews_of([task.id])
    costs = _costs_loaded(reviews)
    return TaskReview(task, reviews, _sum(_rows(reviews), costs), costs, cuts_of(reviews), can_read,
                      access.can_edit_review(user, task), access.can_pick_review_procedures(user, task))


def review_tasks(user: User) -> list[tuple[Task, int]]:
    """Tasks that review procedures and that the user may list, with their procedure counts."""
    counts = (select(ProcedureReview.task_id, func.count(ProcedureReview.id).label("n"))
              .group_by(ProcedureReview.task_id).subquery())
    stmt = (select(Task, counts.c.n)
            .join(counts, counts.c.task_id == Task.id)
            .join(Plan, Plan.id == Task.plan_id)
            .where(access.visible_tasks_filter(user))
            .options(selectinload(Task.plan), selectinload(Task.lead_unit), selectinload(Task.submission))
            .order_by(Plan.year.desc(), Task.plan_id, Task.position, Task.id))
    return [(t, n) for t, n in db.session.execute(stmt)]


REVIEW_PLAN_KINDS = ("review", "time_cut", "internal")


def pickable_tasks(user: User, limit: int = 200) -> list[Task]:
    """Tasks of issued review plans that have no procedure yet, for the office to start picking."""
    if not access.can_pick_review_procedures(user):
        return []
    has_reviews = select(ProcedureReview.task_id).distinct()
    return list(db.session.scalars(
        select(Task).join(Plan, Plan.id == Task.plan_id)
        .where(access.visible_tasks_filter(user), Plan.kind.in_(REVIEW_PLAN_KINDS),
               Task.id.not_in(has_reviews), Task.parent_id.is_(None))
        .options(selectinload(Task.plan), selectinload(Task.lead_unit))
        .order_by(Plan.year.desc(), Task.plan_id, Task.position, Task.id).limit(limit)))


def get_review(user: User, review_id: int) -> ProcedureReview:
    review = db.session.get(ProcedureReview, review_id)
    if review is None or not access.task_is_visible(user, review.task) \
            or not access.can_view_review(user, review.task):
        abort(404)
    return review


# ---- picking procedures ------------------------------------------------------------------

def candidates(user: User, task_id: int, q: str) -> list[Procedure]:
    task = _task(user, task_id)
    if not access.can_pick_review_procedures(user, task) or not q.strip():
        return []
    taken = select(ProcedureReview.procedure_id).where(ProcedureReview.task_id == task.id)
    return list(db.session.scalars(
        select(Procedure).where(matches(Procedure.name_folded, q) | matches(Procedure.code, q),
                                Procedure.id.not_in(taken), Procedure.status == "active")
        .order_by(Procedure.code).limit(20)))


def add_procedure(user: User, task_id: int, procedure_id: int | None) -> ProcedureReview:
    task = _task(user, task_id)
    if not access.can_pick_review_procedures(user, task):
        abort(403)
    proc = db.session.get(Procedure, procedure_id) if procedure_id is not None else None
    if proc is None:
        abort(404)
    existing = db.session.scalar(select(ProcedureReview).where(
        ProcedureReview.task_id == task.id, ProcedureReview.procedure_id == proc.id))
    if existing is not None:
        return existing
    position = db.session.scalar(select(func.count(ProcedureReview.id))
                                 .where(ProcedureReview.task_id == task.id)) or 0
    review = ProcedureReview(task_id=task.id, procedure_id=proc.id, position=position + 1,
                             current_days=proc.processing_days, updated_by_id=user.id)
    db.session.add(review)
    db.session.commit()
    return review


def is_filled(review: ProcedureReview) -> bool:
    return bool(review.proposal or review.proposed_days is not None or review.cost_items
                or any(_part_has_data(v) for v in json.loads(review.parts or "{}").values()))


def has_filled_reviews(task_id: int) -> bool:
    """Whether the unit filled in at least one review form of the task (counts as a result)."""
    reviews = db.session.scalars(select(ProcedureReview).where(ProcedureReview.task_id == task_id)
                                 .options(selectinload(ProcedureReview.cost_items)))
    return any(is_filled(r) for r in reviews)


def _part_has_data(v: dict) -> bool:
    return any(v.get(k) for k in (*REVIEW_CRITERIA, "reason"))


def remove_procedure(user: User, review_id: int) -> tuple[int, str | None]:
    """Take a procedure off a task; refused (with the reason) once the unit has filled it in.
    Returns the task id and the reason of a refusal."""
    review = db.session.get(ProcedureReview, review_id)
    if review is None or not access.task_is_visible(user, review.task):
        abort(404)
    if not access.can_pick_review_procedures(user, review.task):
        abort(403)
    task_id = review.task_id
    if is_filled(review):
        return task_id, "Không thể bỏ TTHC này: đơn vị đã nhập kết quả rà soát."
    db.session.delete(review)
    db.session.commit()
    return task_id, None


# ---- the form ----------------------------------------------------------------------------

def form_values(review: ProcedureReview) -> dict[str, Any]:
    """What the form shows: the saved review as the same keys the form posts."""
    from app.catalog.services import format_days
    v: dict[str, Any] = {
        "proposal": review.proposal or "", "proposal_detail": review.proposal_detail or "",
        "legal_change": review.legal_change or "", "recommendation": review.recommendation or "",
        "current_days": format_days(review.current_days), "proposed_days": format_days(review.proposed_days),
        "cut_reason": review.cut_reason or "",
    }
    parts = json.loads(review.parts or "{}")
    for key in REVIEW_PARTS:
        for c in (*REVIEW_CRITERIA, "reason"):
            v[f"{key}_{c}"] = parts.get(key, {}).get(c, "")
    v["cost"] = [{"phase": i.phase, "activity": i.activity,
                  **{k: format_days(getattr(i, k)) for k, _ in COST_FIELDS}} for i in review.cost_items]
    return v


def raw_form(form) -> dict[str, Any]:
    """The posted form as form_values() keys, so a refused form re-renders exactly what was typed."""
    v: dict[str, Any] = {k: form.get(k, "") for k in (
        "proposal", "proposal_detail", "legal_change", "recommendation", "current_days",
        "proposed_days", "cut_reason")}
    for key in REVIEW_PARTS:
        for c in (*REVIEW_CRITERIA, "reason"):
            v[f"{key}_{c}"] = form.get(f"{key}_{c}", "")
    columns = {k: form.getlist(f"cost_{k}") for k in ("phase", "activity", *(k for k, _ in COST_FIELDS))}
    n = len(columns["phase"])
    v["cost"] = [{k: (col[i] if i < len(col) else "") for k, col in columns.items()} for i in range(n)]
    return v


def cost_rows_for_form(values: dict[str, Any], blanks: int = BLANK_COST_ROWS) -> dict[str, list[tuple[int, dict]]]:
    """Rows per phase with their index in the posted arrays, plus blank rows to type new activities."""
    rows = [r for r in values["cost"] if _cost_row_filled(r)]
    out: dict[str, list[tuple[int, dict]]] = {p: [] for p in COST_PHASES}
    for r in rows:
        out.setdefault(r.get("phase") or "before", []).append(r)
    i = 0
    indexed: dict[str, list[tuple[int, dict]]] = {}
    for phase, items in out.items():
        items = items + [{"phase": phase} for _ in range(blanks)]
        indexed[phase] = []
        for r in items:
            indexed[phase].append((i, r))
            i += 1
    return indexed


def _cost_row_filled(r: dict) -> bool:
    return any((r.get(k) or "").strip() for k in ("activity", *(k for k, _ in COST_FIELDS)))


def _criterion(value: str) -> str:
    return value if value in ("yes", "no") else ""


def _validate(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Form values -> (clean values, {field: message}); the pure checks live in domain.metrics."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    proposal = values["proposal"]
    if proposal and proposal not in PROPOSALS:
        errors["proposal"] = "Chọn phương án: giữ nguyên, sửa đổi bổ sung, thay thế hoặc bãi bỏ."
    clean["proposal"] = proposal or None
    for k in ("proposal_detail", "legal_change", "recommendation", "cut_reason"):
        clean[k] = (values[k] or "").strip() or None
    days = {}
    for k, label in (("current_days", "Thời hạn hiện hành"), ("proposed_days", "Thời hạn đề xuất")):
        try:
            days[k] = metrics.parse_number(values[k], label, max_decimals=2)
        except metrics.MetricError as e:
            errors[k] = e.message
    if not errors.keys() & {"current_days", "proposed_days"}:
        cur, prop = days["current_days"], days["proposed_days"]
        if cur is not None and prop is not None:
            try:
                metrics.time_cut(cur, prop)
            except metrics.MetricError as e:
                errors["proposed_days"] = e.message
        elif prop is not None:
            errors["current_days"] = "Nhập thời hạn hiện hành để tính số ngày cắt giảm."
        clean.update(days)
    parts = {}
    for key in REVIEW_PARTS:
        entry = {c: _criterion(values[f"{key}_{c}"]) for c in REVIEW_CRITERIA}
        entry["reason"] = (values[f"{key}_reason"] or "").strip()
        if any(entry[c] == "no" for c in REVIEW_CRITERIA) and not entry["reason"]:
            errors[f"{key}_reason"] = "Ghi rõ lý do khi đánh giá “Không”."
        if _part_has_data(entry):
            parts[key] = entry
    clean["parts"] = json.dumps(parts, ensure_ascii=False)
    items = []
    for i, r in enumerate(values["cost"]):
        if not _cost_row_filled(r):
            continue
        item = {"phase": r.get("phase") if r.get("phase") in COST_PHASES else "before",
                "activity": (r.get("activity") or "").strip()}
        for k, label in COST_FIELDS:
            try:
                item[k] = metrics.parse_number(r.get(k), label, max_decimals=2)
            except metrics.MetricError as e:
                errors[f"cost-{i}-{k}"] = e.message
        if not item["activity"]:
            errors[f"cost-{i}-activity"] = "Nhập tên công việc (hoạt động)."
        costed = any(item.get(k) for k in ("hours", "income_per_hour", "fees", "other_costs"))
        if costed and f"cost-{i}-per_year" not in errors and not item.get("per_year"):
            # (time × income + fees + other) × 0 dossiers is 0: the row's costs would vanish.
            errors[f"cost-{i}-per_year"] = ("Nhập số hồ sơ/năm lớn hơn 0: với 0 hồ sơ (đối tượng) "
                                            "mỗi năm, chi phí của hoạt động này bằng 0.")
        items.append(item)
    clean["cost"] = items
    return clean, errors


def save_review(user: User, review_id: int, form) -> tuple[ProcedureReview, dict[str, Any], dict[str, str]]:
    """Save the draft of one procedure's review; on errors nothing is written and the typed values
    come back with the messages."""
    review = get_review(user, review_id)
    if not access.can_edit_review(user, review.task):
        abort(403, "Phiếu rà soát chỉ sửa được khi nhiệm vụ đang thực hiện hoặc bị trả lại, "
                   "bởi chuyên viên được giao hoặc Trưởng phòng đơn vị chủ trì.")
    values = raw_form(form)
    clean, errors = _validate(values)
    if errors:
        return review, values, errors
    for k in ("proposal", "proposal_detail", "legal_change", "recommendation", "cut_reason", "parts"):
        setattr(review, k, clean[k])
    review.current_days = clean["current_days"]
    review.proposed_days = clean["proposed_days"]
    review.cost_items = [ReviewCostItem(position=n, **item) for n, item in enumerate(clean["cost"])]
    review.updated_by_id = user.id
    review.updated_at = now()
    sub = review.task.submission
    if sub is not None:  # the submission changed: stale writers are refused, the timeline keeps it
        sub.version += 1
        sub.updated_by_id = user.id
        sub.updated_at = now()
        sub.events.append(SubmissionEvent(actor_id=user.id, action="save", created_at=now(),
                                          comment=f"Phiếu rà soát TTHC {review.procedure.code}",
                                          snapshot=summary(review)))
    db.session.commit()
    return review, form_values(review), {}


def summary(review: ProcedureReview) -> str:
    """The review as plain text, kept in the submission timeline at every save (nothing is lost)."""
    from app.catalog.services import format_days
    from app.domain.formatting import vn_number, vn_percent
    lines = [f"{review.procedure.code} · {review.procedure.name}"]
    if review.current_days is not None or review.proposed_days is not None:
        line = f"Thời hạn: {format_days(review.current_days) or '?'} → {format_days(review.proposed_days) or '?'} ngày"
        cut = cuts_of([review]).get(review.id)
        if cut is not None:
            line += f" (cắt giảm {format_days(cut.cut)} ngày{', ' + vn_percent(cut.ratio) if cut.ratio is not None else ''})"
        lines.append(line)
    for key, entry in json.loads(review.parts or "{}").items():
        marks = ", ".join(f"{label.lower()}: {'có' if entry.get(c) == 'yes' else 'không'}"
                          for c, label in REVIEW_CRITERIA.items() if entry.get(c))
        lines.append(f"{REVIEW_PARTS.get(key, key)}: {marks}" + (f" — {entry['reason']}" if entry.get("reason") else ""))
    for label, value in (("Phương án", PROPOSALS.get(review.proposal or "")), ("Nội dung", review.proposal_detail),
                         ("Văn bản cần sửa", review.legal_change), ("Kiến nghị", review.recommendation),
                         ("Lý do cắt giảm", review.cut_reason)):
        if value:
            lines.append(f"{label}: {value}")
    for item in review.cost_items:
        lines.append(f"Chi phí ({COST_PHASES[item.phase].lower()}): {item.activity} — "
                     + "; ".join(f"{label} {vn_number(getattr(item, k), 2).removesuffix(',00')}"
                                 for k, label in COST_FIELDS if getattr(item, k) is not None))
    return "\n".join(lines)


def preview_cut(current: str, proposed: str) -> dict[str, Any]:
    """Live computation while typing: the cut and its percentage, or the message."""
    try:
        cur = metrics.parse_number(current, "Thời hạn hiện hành")
        prop = metrics.parse_number(proposed, "Thời hạn đề xuất")
        if cur is None or prop is None:
            return {"message": "Nhập cả thời hạn hiện hành và đề xuất để tính tỷ lệ cắt giảm."}
        return {"cut": metrics.time_cut(cur, prop)}
    except metrics.MetricError as e:
        return {"error": e.message}


# ---- plan summary ------------------------------------------------------------------------

@dataclass
class UnitLine:
    unit: Unit
    totals: ReviewTotals


@dataclass
class PlanReview:
    plan: Plan
    tasks: list[Task]
    reviews: list[ProcedureReview]
    costs: dict[int, metrics.CostSaving]
    units: list[UnitLine]
    totals: ReviewTotals
    readable: set[int]  # task ids whose content the user may read
    can_edit_targets: bool
    accepted_only: bool


def plan_review(user: User, plan_id: int, accepted_only: bool = False) -> PlanReview:
    plan = db.session.get(Plan, plan_id)
    if plan is None or not access.can_view_plan(user, plan):
        abort(404)
    tasks = list(db.session.scalars(
        select(Task).where(Task.plan_id == plan.id, Task.id.in_(select(ProcedureReview.task_id)))
        .options(selectinload(Task.lead_unit), selectinload(Task.submission),
                 selectinload(Task.cooperating_units), selectinload(Task.plan))
        .order_by(Task.position, Task.id)))
    readable = {t.id for t in tasks if access.task_is_visible(user, t) and access.can_view_review(user, t)
                and (not accepted_only or (t.submission and t.submission.state == "accepted"))}
    reviews = _reviews_of(sorted(readable))
    costs = _costs_loaded(reviews)
    unit_of = {t.id: t.lead_unit for t in tasks}
    per_unit: dict[int, list[ProcedureReview]] = defaultdict(list)
    for r in reviews:
        per_unit[unit_of[r.task_id].id].append(r)
    units = sorted((UnitLine(unit_of[rs[0].task_id], _sum(_rows(rs), costs)) for rs in per_unit.values()),
                   key=lambda line: (line.unit.sort_order, line.unit.name))
    return PlanReview(plan, tasks, reviews, costs, units, _sum(_rows(reviews), costs), readable,
                      access.can_edit_plan_targets(user, plan), accepted_only)


TARGET_FIELDS = [("time_cut_target", "Chỉ tiêu cắt giảm thời hạn (%)"),
                 ("cost_cut_target", "Chỉ tiêu cắt giảm chi phí tuân thủ (%)"),
                 ("simplified_target", "Chỉ tiêu số TTHC được đơn giản hóa (%)")]


def save_targets(user: User, plan_id: int, form) -> dict[str, str]:
    plan = db.session.get(Plan, plan_id)
    if plan is None or not access.can_view_plan(user, plan):
        abort(404)
    if not access.can_edit_plan_targets(user, plan):
        abort(403)
    errors, values = {}, {}
    for k, label in TARGET_FIELDS:
        try:
            typed = (form.get(k) or "").strip().removesuffix("%")  # "30 %" as written in plans
            v = metrics.parse_number(typed, label.removesuffix(" (%)"), max_decimals=2)
            if v is not None and v > 100:
                raise metrics.MetricError("Chỉ tiêu không vượt quá 100 %.")
            if v == 0:
                # "At least 0 %" is met by anything: a plan without this target leaves it blank.
                raise metrics.MetricError("Chỉ tiêu phải lớn hơn 0 %; để trống nếu kế hoạch không đặt chỉ tiêu này.")
            values[k] = v
        except metrics.MetricError as e:
            errors[k] = e.message
    if errors:
        return errors
    for k, v in values.items():
        setattr(plan, k, v)
    db.session.commit()
    return {}


def parts_of(review: ProcedureReview) -> dict[str, dict]:
    return json.loads(review.parts or "{}")
