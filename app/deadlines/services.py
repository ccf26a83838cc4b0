"""Deadline use cases shared by features: recurring instances, stages with working-day budgets,
"how late / how soon" in working days, and the explanations (giải trình) of overdue tasks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import access
from app.calendar.services import get_calendar, report_days
from app.clock import now, today
from app.domain.deadlines import Due, parse_deadline, parse_stage_budgets, period_instances, resolve_due
from app.domain.formatting import local_date, vn_date
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import (PlanEvent, Submission, SubmissionEvent, Task, TaskAssignee, TaskExplanation,
                        TaskStage, User)
from app.notifications.services import notify, users_with

# ---- lateness ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueStatus:
    """days_left > 0: working days left; 0: due today; < 0: overdue by -days_left working days."""
    due_on: date | None
    days_left: int | None
    overdue: bool
    due_soon: bool
    done: bool
    done_late: bool


def due_status(due_on: date | None, accepted_on: date | None, on: date, cal: WorkCalendar,
               soon_days: int) -> DueStatus:
    """Overdue (domain.md §7): past its due date and not accepted. Done late still counts."""
    if due_on is None:
        return DueStatus(None, None, False, False, accepted_on is not None, False)
    if accepted_on is not None:
        return DueStatus(due_on, None, False, False, True, accepted_on > due_on)
    left = cal.working_days_between(on, due_on)
    if on > due_on and left == 0:
        left = -1  # due on a day off, now past it: still overdue
    return DueStatus(due_on, left, left < 0, 0 <= left <= soon_days, False, False)


def task_status(task: Task, on: date | None = None) -> DueStatus:
    sub = task.submission
    accepted = local_date(sub.accepted_at) if sub is not None and sub.state == "accepted" else None
    return due_status(task.due_on, accepted, on or today(), get_calendar(),
                      current_app.config["DUE_SOON_DAYS"])


# ---- recurring tasks -------------------------------------------------------------------------

def generate_instances(task: Task, until: date, start: date | None = None) -> list[Task]:
    """One child task (with its own draft submission once the plan is issued; issuing gives
    the others theirs) per period of a recurring task whose report day falls between `start`
    (default: 1 January of the plan year) and `until`.
    Idempotent: periods that already have a child are skipped. The caller commits."""
    parsed = parse_deadline(task.due_text)
    if parsed.kind != "recurring":
        return []
    start = start or date(task.plan.year, 1, 1)
    existing = set(db.session.scalars(select(Task.period_label).where(Task.parent_id == task.id)))
    created = []
    cooperating = list(task.cooperating_units)
    # A phrase naming its own day ("trước ngày 30/6 hằng năm") overrides the office's report day.
    rules = {**report_days(), **parsed.report_days}
    for inst in period_instances(parsed.recurrence, start, until, rules):
        if inst.label in existing or existing & set(inst.covers):
            continue
        child = Task(plan=task.plan, position=task.position, group_label=task.group_label,
                     content=task.content, lead_unit_id=task.lead_unit_id, due_text=task.due_text,
                     due_on=inst.due_on, product=task.product, parent_id=task.id,
                     period_label=inst.label)
        db.session.add(child)
        child.cooperating_units = cooperating
        if task.plan.state == "issued":
            child.submission = Submission(state="draft")
        existing.add(inst.label)
        created.append(child)
    return created


# ---- stages ---------------------------------------------------------------------------------

def stages_from_dues(task: Task, dues: list[Due]) -> None:
    """Dated parts of a deadline ("Lần 1", "Cấp huyện") become the task's stages."""
    for i, d in enumerate(dues, start=1):
        db.session.add(TaskStage(task=task, position=i, name=d.label or f"Mốc {i}", due_on=d.on))


def stages_from_budgets(task: Task, start: date, budgets: list[tuple[str, int | None, int]]) -> list[TaskStage]:
    """Stages with working-day budgets run one after another from `start` (seed 002:
    Phòng chuyên môn 03 ngày, then Văn phòng Sở 02 ngày). The caller commits."""
    cal = get_calendar()
    out = []
    cursor = start
    for i, (name, unit_id, days) in enumerate(budgets, start=1):
        cursor = cal.add_working_days(cursor, days)
        st = TaskStage(task=task, position=i, name=name, unit_id=unit_id, budget_days=days,
                       due_on=cursor)
        db.session.add(st)
        out.append(st)
    if out and task.due_on is None:
        task.due_on = out[-1].due_on
    return out


def plan_stages(user: User, task_id: int, text: str, start: date) -> list[TaskStage]:
    """Replace a task's stages by the budgets written in `text` (ValueError with a reason)."""
    task = _load_task(user, task_id)
    if not access.can_plan_stages(user, task):
        abort(403)
    _, budgets = parse_stage_budgets(text)
    from app.domain.plantable import match_unit
    from app.planimport.services import unit_refs
    units = unit_refs(user)
    resolved = []
    for name, days in budgets:
        u = match_unit(name, units)
        resolved.append((name, u.id if u else None, days))
    for old in list(task.stages):
        db.session.delete(old)
    db.session.flush()
    stages = stages_from_budgets(task, start, resolved)
    db.session.commit()
    return stages


def complete_stage(user: User, task_id: int, stage_id: int) -> TaskStage:
    task = _load_task(user, task_id)
    stage = next((s for s in task.stages if s.id == stage_id), None)
    if stage is None:
        abort(404)
    if not access.can_complete_stage(user, task, stage.unit_id):
        abort(403)
    stage.done_on = today()
    db.session.commit()
    return stage


@dataclass(frozen=True)
class StageView:
    stage: TaskStage
    late: bool
    late_days: int


def stage_views(stages: list[TaskStage], on: date | None = None) -> list[StageView]:
    cal = get_calendar()
    on = on or today()
    out = []
    for s in stages:
        end = s.done_on or on
        late_days = cal.working_days_between(s.due_on, end) if s.due_on else 0
        out.append(StageView(s, bool(s.due_on and end > s.due_on), max(late_days, 0)))
    return out


# ---- a deadline set or changed after issue (issue 17.4) --------------------------------------

class DeadlineRefused(Exception):
    """The change is not made; `errors` maps a form field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def is_recurring_parent(task: Task) -> bool:
    return task.parent_id is None and parse_deadline(task.due_text).kind == "recurring"


RECURRING_REFUSED = ("Nhiệm vụ định kỳ: sau khi ban hành không tạo lại các kỳ (kết quả đã gửi của từng kỳ "
                     "phải được giữ nguyên); đổi hạn của từng kỳ trong trang nhiệm vụ của kỳ đó.")


def change_deadline(user: User, task_id: int, due_text: str | None, due_on: date | None,
                    reason: str | None) -> Task:
    """The office sets or changes one task's (or one period instance's) deadline in an issued
    plan: the words and/or the date, with a reason, written into the task's timeline and the
    plan's history; the lead and cooperating units are told. A recurring task's instances are
    never re-derived after issue (they carry submitted work): only one instance's date moves."""
    task = _load_task(user, task_id)
    if not access.can_change_deadline(user, task):
        abort(403)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    instance = task.parent_id is not None
    # An instance keeps its parent's words ("Hàng quý"): only its date is its own.
    text = task.due_text if instance else ((due_text or "").strip() or None)
    if not instance and (is_recurring_parent(task) or parse_deadline(text).kind == "recurring"):
        errors["due_text"] = RECURRING_REFUSED
    resolved = resolve_due(text, due_on, task.plan.year, task.due_text, task.due_on)
    new_on = due_on if instance else resolved.due_on
    if resolved.error and not instance:
        errors["due_on"] = resolved.error
    elif instance and new_on is None:
        errors["due_on"] = "Nhập hạn của kỳ này (dd/mm/yyyy)."
    elif "due_text" not in errors and (text, new_on) == (task.due_text, task.due_on):
        errors["due_on"] = "Hạn không thay đổi."
    if not reason:
        errors["reason"] = "Ghi lý do đặt / đổi hạn."
    if errors:
        raise DeadlineRefused(errors)
    change = f"Hạn: {vn_date(task.due_on) or 'chưa có'} → {vn_date(new_on) or 'chưa có'}"
    if text != task.due_text:
        change += f"; thời gian thực hiện: “{task.due_text or ''}” → “{text or ''}”"
    summary = f"{change}\nLý do: {reason}"
    task.due_text, task.due_on = text, new_on
    if task.submission is not None:
        db.session.add(SubmissionEvent(submission_id=task.submission.id, actor_id=user.id, action="deadline",
                                       comment=summary, created_at=now()))
    label = f" ({task.period_label})" if task.period_label else ""
    db.session.add(PlanEvent(plan_id=task.plan_id, actor_id=user.id, action="task_deadline", created_at=now(),
                             comment=f"Nhiệm vụ “{task.content[:150]}”{label}: {summary}"[:2000]))
    units = [task.lead_unit_id] + [u.id for u in task.cooperating_units]
    told = list(db.session.scalars(select(User).where(User.unit_id.in_(units), User.role.in_(("head", "local")))))
    told += list(db.session.scalars(select(User).join(TaskAssignee, TaskAssignee.user_id == User.id)
                                    .where(TaskAssignee.task_id == task.id)))
    notify(told, "deadline", f"Văn phòng Sở đổi hạn nhiệm vụ “{task.content[:150]}”{label}: "
                             f"{vn_date(new_on) or 'chưa có hạn'}. Lý do: {reason[:200]}",
           _task_url(task.id), exclude=user)
    db.session.commit()
    return task


# ---- explanations (giải trình) ---------------------------------------------------------------

def _load_task(user: User, task_id: int) -> Task:
    task = db.session.scalar(select(Task).options(selectinload(Task.submission),
                                                  selectinload(Task.cooperating_units))
                             .where(Task.id == task_id))
    if task is None or not access.task_is_visible(user, task):
        abort(404)
    return task


@dataclass
class ExplanationPanel:
    task: Task
    status: DueStatus
    items: list[TaskExplanation]
    can_read: bool
    can_write: bool


def explanation_panel(user: User, task: Task) -> ExplanationPanel:
    """What templates/explanations/_panel.html needs for one task."""
    status = task_status(task)
    can_read = access.can_read_explanations(user, task)
    items = list(db.session.scalars(
        select(TaskExplanation).options(selectinload(TaskExplanation.author))
        .where(TaskExplanation.task_id == task.id).order_by(TaskExplanation.id))) if can_read else []
    return ExplanationPanel(task, status, items, can_read,
                            access.can_explain(user, task, status.overdue))


def panel_for(user: User, task_id: int) -> ExplanationPanel:
    return explanation_panel(user, _load_task(user, task_id))


def add_explanation(user: User, task_id: int, text: str) -> TaskExplanation:
    task = _load_task(user, task_id)
    status = task_status(task)
    if not access.can_explain(user, task, status.overdue):
        abort(403, "Chỉ Trưởng đơn vị chủ trì giải trình khi nhiệm vụ đã quá hạn.")
    row = TaskExplanation(task_id=task.id, author_id=user.id, text=text.strip(), created_at=now())
    db.session.add(row)
    url = _task_url(task.id)
    notify(users_with(("office", "leader"), agency_id=task.plan.agency_id), "explanation",
           f"{user.unit.name} giải trình nhiệm vụ quá hạn: {task.content[:200]}", url, exclude=user)
    db.session.commit()
    return row


def _task_url(task_id: int) -> str:
    if "submissions.task" in current_app.view_functions:
        return url_for("submissions.task", task_id=task_id)
    return url_for("deadlines.explanations", task_id=task_id)
