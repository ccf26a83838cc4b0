"""Plan use cases: list, create, edit, tasks, and the plan workflow (draft → pending → issued)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import case, exists, func, select, true
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from app import access
from app.calendar.services import get_calendar
from app.clock import now, today
from app.domain import workflow as wf
from app.domain.deadlines import ResolvedDue, needs_due_date, parse_deadline, resolve_due
from app.domain.formatting import local_date
from app.domain.text import document_number_key
from app.extensions import db
from app.models import Agency, Plan, PlanEvent, Submission, Task, TaskStage, Unit, User, task_cooperating_units
from app.models.folded import matches
from app.models.org import unit_label
from app.delegations import services as delegations
from app.notifications.services import notify, users_with


@dataclass
class PlanRow:
    plan: Plan
    tasks: int
    accepted: int
    overdue: int


def list_plans(user: User, year: int | None, state: str | None, q: str | None,
               offset: int, limit: int) -> tuple[list[PlanRow], int]:
    base = select(Plan).where(access.visible_plans_filter(user))
    if year:
        base = base.where(Plan.year == year)
    if state:
        base = base.where(Plan.state == state)
    if q:
        base = base.where(matches(Plan.search_folded, q))
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    plans = list(db.session.scalars(base.order_by(Plan.year.desc(), Plan.id.desc())
                                    .offset(offset).limit(limit)))
    stats = _task_stats(user, [p.id for p in plans])
    return [PlanRow(p, *stats.get(p.id, (0, 0, 0))) for p in plans], total


def _task_stats(user: User, plan_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Tasks, accepted and overdue per plan in one GROUP BY (only tasks the user may see),
    read from the tasks' own work columns (migration 0008_work)."""
    if not plan_ids:
        return {}
    # Counted in the table that holds the user's scope (tasks, or the unit's unit_tasks rows,
    # which carry the same work columns); overseers count a draft plan's tasks too.
    scope = access.visible_task_ids(user, work=lambda c: [c.plan_id.in_(plan_ids)], with_work_only=False)
    t = scope.table
    accepted = t.work_state == "accepted"
    overdue = (t.due_on < today()) & (t.work_state != "accepted")
    q = scope.ids.with_only_columns(t.plan_id, func.count(), func.sum(case((accepted, 1), else_=0)),
                                    func.sum(case((overdue, 1), else_=0))).group_by(t.plan_id)
    rows = db.session.execute(q)
    return {pid: (n, int(a or 0), int(o or 0)) for pid, n, a, o in rows}


def get_plan(user: User, plan_id: int) -> Plan:
    """The plan and its history; its tasks are paged separately (a plan may hold thousands)."""
    plan = db.session.scalar(
        select(Plan).where(Plan.id == plan_id).options(
            selectinload(Plan.events).selectinload(PlanEvent.actor),
            selectinload(Plan.events).selectinload(PlanEvent.on_behalf_of)))
    if plan is None or not access.can_view_plan(user, plan):
        raise NotFound()
    return plan


def _plan_scope(user: User, plan: Plan):
    """The plan's tasks the user may see. get_plan has checked the plan is visible (issued,
    for a unit), so recurring parents count too."""
    return access.visible_tasks_filter(user, work=lambda c: [c.plan_id == plan.id], with_work_only=False)


def plan_tasks(user: User, plan: Plan) -> list[Task]:
    """Every task of the plan the user may see, in plan order, as objects (issuing, tracker)."""
    return list(db.session.scalars(
        select(Task).where(_plan_scope(user, plan))
        .options(selectinload(Task.lead_unit), selectinload(Task.cooperating_units),
                 selectinload(Task.submission)).order_by(Task.position, Task.id)))


@dataclass
class PlanTaskRow:
    """One line of the plan page: plain values (no ORM objects to build for 50 rows)."""
    id: int
    group_label: str | None
    content: str
    product: str | None
    lead_unit: str
    cooperating: list[str]
    due_text: str | None
    due_on: date | None
    state: str | None      # the result's state; None before the plan is issued
    period_label: str | None = None   # a recurring task's instance: "Quý I/2022"


def plan_task_rows(user: User, plan: Plan, offset: int, limit: int) -> tuple[list[PlanTaskRow], int]:
    """A page of the plan's tasks the user may see, in plan order, and their number."""
    scope = _plan_scope(user, plan)
    total = db.session.scalar(select(func.count()).select_from(Task).where(scope)) or 0
    lines = db.session.execute(
        select(Task.id, Task.group_label, Task.content, Task.product, unit_label(user), Task.due_text, Task.due_on,
               Task.work_state, Task.period_label).join(Unit, Unit.id == Task.lead_unit_id)
        .join(Agency, Agency.id == Unit.agency_id).where(scope)
        .order_by(Task.position, Task.id).offset(offset).limit(limit)).all()
    coop: dict[int, list[str]] = {}
    if lines:
        for task_id, name in db.session.execute(
                select(task_cooperating_units.c.task_id, unit_label(user))
                .join(Unit, Unit.id == task_cooperating_units.c.unit_id).join(Agency, Agency.id == Unit.agency_id)
                .where(task_cooperating_units.c.task_id.in_([line.id for line in lines]))
                .order_by(Unit.sort_order, Unit.name)):
            coop.setdefault(task_id, []).append(name)
    return [PlanTaskRow(tid, group, content, product, unit, coop.get(tid, []), due_text, due_on, state, period)
            for tid, group, content, product, unit, due_text, due_on, state, period in lines], total


def unit_choices(user: User, plan: Plan | None = None) -> list[tuple[int, str]]:
    """Units a plan's task may be given to (access.plan_units_filter)."""
    mine = user.unit.agency_id if user.unit is not None else None
    return [(uid, name) for uid, name in db.session.execute(
        select(Unit.id, unit_label(user)).join(Agency, Agency.id == Unit.agency_id)
        .where(Unit.active.is_(True), access.plan_units_filter(user, plan))
        .order_by(case((Unit.agency_id == mine, 0), else_=1), Agency.sort_order, Unit.sort_order, Unit.name))]


def agency_header(plan: Plan) -> str:
    """The agency line of the plan's documents: as issued, else the agency's header today."""
    from app.reports.services import agency_identity
    if plan.state == "issued" and plan.issued_agency_name and plan.agency.name != plan.issued_agency_name:
        return plan.issued_agency_name.upper()  # renamed or merged since: the name it was issued under
    return agency_identity(plan.agency)["agency"]


def _event(plan: Plan, user: User, action: str, comment: str | None = None,
           from_state: str | None = None, to_state: str | None = None,
           on_behalf_of_id: int | None = None) -> None:
    db.session.add(PlanEvent(plan_id=plan.id, actor_id=user.id, action=action, comment=comment,
                             from_state=from_state, to_state=to_state, on_behalf_of_id=on_behalf_of_id,
                             created_at=now()))


PLAN_FIELDS = ("number", "issued_on", "title", "basis", "year", "kind", "targets")


class PlanNumberTaken(ValueError):
    """The plan number is another plan's of that year; `message` goes next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_plan_number(number: str | None, year: int | None, exclude_id: int | None = None,
                      agency_id: int | None = None) -> None:
    """A plan number and symbol ("19/KH-SLĐTBXH": the symbol names the agency) is given once a
    year (numbering restarts each year) within one agency: every commune's UBND writes
    "…/KH-UBND", so two agencies may hold the same text. The year's plans are few, so they are
    compared here with the same key (domain.text.document_number_key) rather than by an exact
    SQL match."""
    key = document_number_key(number)
    if not key or not year:
        return
    for pid, other, title in db.session.execute(
            select(Plan.id, Plan.number, Plan.title).where(
                Plan.year == year, Plan.agency_id == agency_id if agency_id is not None else true())):
        if pid != exclude_id and document_number_key(other) == key:
            raise PlanNumberTaken(f"Số, ký hiệu {other} đã được dùng cho kế hoạch năm {year} "
                                  f"“{title[:120]}”. Nhập số khác.")


def create_plan(user: User, data: dict) -> Plan:
    if not access.can_create_plan(user):
        raise Forbidden("Chỉ Văn phòng Sở được lập kế hoạch.")
    check_plan_number(data.get("number"), data.get("year"), agency_id=user.agency_id)
    plan = Plan(state=wf.PLAN.initial, created_by_id=user.id, agency_id=user.agency_id,
                created_at=now(), updated_at=now(),
                **{k: data.get(k) for k in PLAN_FIELDS})
    db.session.add(plan)
    db.session.flush()
    _event(plan, user, "create", to_state=plan.state)
    db.session.commit()
    return plan


def _describe_changes(obj, data: dict, fields) -> str | None:
    changes = []
    for k in fields:
        old, new = getattr(obj, k), data.get(k)
        if old != new:
            changes.append(f"{k}: {old if old is not None else ''} → {new if new is not None else ''}")
    return "; ".join(changes) or None


def update_plan(user: User, plan: Plan, data: dict) -> None:
    if not access.can_edit_plan(user, plan):
        raise Forbidden("Chỉ sửa được kế hoạch ở trạng thái dự thảo.")
    check_plan_number(data.get("number"), data.get("year"), exclude_id=plan.id, agency_id=plan.agency_id)
    diff = _describe_changes(plan, data, PLAN_FIELDS)
    if diff:
        for k in PLAN_FIELDS:
            setattr(plan, k, data.get(k))
        plan.updated_at = now()
        _event(plan, user, "edit", comment=diff)
    db.session.commit()


TASK_FIELDS = ("group_label", "content", "lead_unit_id", "due_text", "due_on", "product", "priority", "difficulty")


def _units_by_ids(ids) -> list[Unit]:
    ids = [i for i in (ids or []) if i]
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)))) if ids else []


class FieldError(Exception):
    """Input refused with a message for one form field (nothing is saved)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _resolve_due(plan: Plan, data: dict, task: Task | None = None) -> ResolvedDue:
    """The due date from the deadline words, as the importer computes it (issue 17.4)."""
    resolved = resolve_due(data.get("due_text"), data.get("due_on"), plan.year,
                           task.due_text if task else None, task.due_on if task else None)
    if resolved.error:
        raise FieldError("due_on", resolved.error)
    return resolved


def _derive_from_words(plan: Plan, task: Task, resolved: ResolvedDue, old_words: str | None = None) -> None:
    """In a draft (no work yet), what the words imply beyond the date: one stage per dated
    part ("Lần 1 ...; Lần 2 ..."), one instance per period of a recurring task. Re-derived
    on every edit, the instances copying the task as it is now."""
    from app.deadlines.services import generate_instances, stages_from_dues
    for child in db.session.scalars(select(Task).where(Task.parent_id == task.id)):
        db.session.delete(child)
    if resolved.parse.kind == "multi" or parse_deadline(old_words, plan.year).kind == "multi":
        for stage in db.session.scalars(select(TaskStage).where(TaskStage.task_id == task.id)):
            db.session.delete(stage)
    db.session.flush()
    if resolved.parse.kind == "multi":
        stages_from_dues(task, resolved.parse.dues)
    elif resolved.parse.kind == "recurring":
        generate_instances(task, until=date(plan.year, 12, 31))


def due_note(task: Task) -> str | None:
    """Why a task has no due date (None when it has one or needs none)."""
    return resolve_due(task.due_text, task.due_on).note


def add_task(user: User, plan: Plan, data: dict) -> Task:
    if not access.can_edit_plan(user, plan):
        raise Forbidden("Chỉ thêm nhiệm vụ khi kế hoạch đang là dự thảo.")
    resolved = _resolve_due(plan, data)
    data = {**data, "due_on": resolved.due_on}
    position = (db.session.scalar(select(func.max(Task.position)).where(Task.plan_id == plan.id)) or 0) + 1
    task = Task(plan_id=plan.id, position=position, created_at=now(),
                **{k: data.get(k) for k in TASK_FIELDS})
    task.cooperating_units = _units_by_ids(data.get("cooperating_unit_ids"))
    db.session.add(task)
    db.session.flush()
    _derive_from_words(plan, task, resolved)
    _event(plan, user, "task_add", comment=f"Thêm nhiệm vụ: {task.content[:200]}")
    db.session.commit()
    return task


def get_task_in_plan(plan: Plan, task_id: int) -> Task:
    task = db.session.scalar(select(Task).where(Task.id == task_id, Task.plan_id == plan.id))
    if task is None:
        raise NotFound()
    return task


def update_task(user: User, plan: Plan, task: Task, data: dict) -> None:
    if not access.can_edit_plan(user, plan):
        raise Forbidden("Chỉ sửa nhiệm vụ khi kế hoạch đang là dự thảo.")
    resolved = _resolve_due(plan, data, task)
    data = {**data, "due_on": resolved.due_on}
    old_words = task.due_text
    diff = _describe_changes(task, data, TASK_FIELDS)
    for k in TASK_FIELDS:
        setattr(task, k, data.get(k))
    new_coop = _units_by_ids(data.get("cooperating_unit_ids"))
    if {u.id for u in new_coop} != {u.id for u in task.cooperating_units}:
        diff = (diff + "; " if diff else "") + "đơn vị phối hợp: " + ", ".join(u.name for u in new_coop)
    task.cooperating_units = new_coop
    db.session.flush()
    _derive_from_words(plan, task, resolved, old_words)
    if diff:
        _event(plan, user, "task_edit", comment=f"Sửa nhiệm vụ {task.position}: {diff}"[:2000])
    db.session.commit()


def delete_task(user: User, plan: Plan, task: Task) -> None:
    if not access.can_edit_plan(user, plan):
        raise Forbidden("Chỉ xóa nhiệm vụ khi kế hoạch đang là dự thảo.")
    _event(plan, user, "task_delete", comment=f"Xóa nhiệm vụ: {task.content[:200]}")
    db.session.delete(task)
    db.session.commit()


@dataclass
class UndatedTask:
    id: int
    content: str
    due_text: str | None
    reason: str | None


def undated_tasks(plan: Plan) -> list[UndatedTask]:
    """The plan's tasks without a due date that their words do not excuse (not "Thường
    xuyên", not a recurring task: its instances are dated)."""
    rows = db.session.execute(select(Task.id, Task.content, Task.due_text)
                              .where(Task.plan_id == plan.id, Task.due_on.is_(None))
                              .order_by(Task.position, Task.id))
    return [UndatedTask(tid, content, words, resolve_due(words, None).note)
            for tid, content, words in rows if needs_due_date(words, None)]


class UndatedTasksRefused(wf.TransitionRefused):
    """Submitting a plan with undated tasks the office has not confirmed."""

    def __init__(self, undated: list[UndatedTask]):
        super().__init__(f"Kế hoạch có {len(undated)} nhiệm vụ chưa có hạn hoàn thành: xem danh sách, "
                         "đặt ngày hoặc xác nhận vẫn trình Lãnh đạo duyệt.")
        self.undated = undated


def transition(user: User, plan: Plan, name: str, comment: str | None, confirm_undated: bool = False,
               number: str | None = None) -> str:
    """Move the plan; on issue, every task gets its submission and the units are told. A plan
    with undated tasks is submitted only once the office confirms it has seen them."""
    if name == "submit" and not db.session.scalar(select(exists().where(Task.plan_id == plan.id))):
        raise wf.TransitionRefused("Kế hoạch chưa có nhiệm vụ nào.")
    old = plan.state
    new_state = wf.move(wf.PLAN, old, name, access.plan_actors(user, plan), comment)
    note = (comment or "").strip() or None
    if name == "submit":
        undated = undated_tasks(plan)
        if undated and not confirm_undated:
            raise UndatedTasksRefused(undated)
        if undated:
            listed = "; ".join(t.content[:120] for t in undated[:20]) + ("; …" if len(undated) > 20 else "")
            note = "\n".join(filter(None, [note, f"Văn phòng xác nhận trình với {len(undated)} nhiệm vụ "
                                               f"chưa có hạn hoàn thành: {listed}"]))
    behalf = access.plan_behalf(user, plan, name)
    if name == "issue":
        note = "\n".join(filter(None, [note, _take_register_number(user, plan, number)]))
    plan.state = new_state
    plan.updated_at = now()
    _event(plan, user, name, comment=note, from_state=old, to_state=plan.state, on_behalf_of_id=behalf)
    link = url_for("plans.detail", plan_id=plan.id)
    if behalf is not None:
        delegations.notify_behalf(user, behalf, f"“{wf.PLAN.transition(name).label}” kế hoạch {plan.number}", link)
    if name == "submit":
        notify(users_with("leader", agency_id=plan.agency_id)
               + delegations.approvers_for_agency(plan.agency_id, plan.id), "plan_submitted",
               f"Kế hoạch {plan.number} chờ Lãnh đạo duyệt", link)
    elif name == "return":
        notify(users_with("office", agency_id=plan.agency_id), "plan_returned",
               f"Kế hoạch {plan.number} bị trả lại: {comment}", link)
    elif name == "issue":
        # The document keeps the name its agency had the day it was issued.
        plan.issued_agency_name = plan.agency.name
        tasks = plan_tasks(user, plan)
        for task in tasks:
            if task.submission is None:
                task.submission = Submission(state=wf.SUBMISSION.initial, result_text="",
                                             updated_at=now())
        unit_ids = {t.lead_unit_id for t in tasks} | {
            u.id for t in tasks for u in t.cooperating_units}
        heads = db.session.scalars(select(User).where(
            User.unit_id.in_(unit_ids), User.role.in_(("head", "local")), User.active.is_(True)))
        notify(heads, "plan_issued", f"Kế hoạch {plan.number} đã ban hành: đơn vị có nhiệm vụ mới", link)
        notify(users_with("office", agency_id=plan.agency_id), "plan_issued", f"Kế hoạch {plan.number} đã được ban hành", link,
               exclude=user)
    db.session.commit()
    if name == "issue":
        from app.jobs import pdf
        pdf.issue_pdf(user, "plan", plan)  # after the commit: the worker reads the issued plan
    return plan.state


def number_choices(plan: Plan) -> list[tuple[str, str]]:
    """The issue dialog's numbers: the register's next one, and the numbers reserved this year."""
    from app.register import services as register
    year = today().year
    return [("", f"Số tiếp theo của sổ ({register.next_symbol(plan.agency, year, 'KH')})")] + [
        (e.symbol, f"{e.symbol} – số đã giữ chỗ: {e.note or ''}") for e in register.reserved_choices(plan.agency_id, year, "KH")]


def _take_register_number(user: User, plan: Plan, chosen: str | None = None) -> str | None:
    """The plan's number from the agency's register (sổ văn bản đi), in the issuing
    transaction. A draft number the office reserved in the register is used as it is; any other
    draft number gives way to the register's, and the issue event says so."""
    from app.register import services as register
    from app.domain.register import parse_symbol
    issued_on = plan.issued_on or today()
    year = today().year
    draft = (plan.number or "").strip()
    reserved_symbols = {e.symbol for e in register.reserved_choices(plan.agency_id, year, "KH")}
    if chosen and chosen.strip() not in reserved_symbols:
        raise wf.TransitionRefused(f"Số {chosen} không phải số đang giữ chỗ trong sổ văn bản đi.")
    reserved = chosen.strip() if chosen else (draft if draft in reserved_symbols else None)
    entry = register.take_number(plan.agency, year, "KH", user=user, doc_kind="plan", doc_id=plan.id,
                                 title=plan.title, issued_on=issued_on, reserved_symbol=reserved)
    plan.number = entry.symbol
    plan.issued_on = issued_on
    if parse_symbol(draft) and draft != entry.symbol:
        return f"Số dự thảo “{draft}” thay bằng số {entry.symbol} do sổ văn bản đi cấp."
    return None


def tracker_rows(user: User, plan: Plan) -> list[dict]:
    """One row per task for the consolidated tracker (XLSX and screen)."""
    if not access.can_download_tracker(user, plan):
        raise Forbidden("Chỉ Văn phòng Sở và Lãnh đạo Sở tải bảng tổng hợp.")
    t0 = today()
    cal = get_calendar()
    rows = []
    tasks = plan_tasks(user, plan)
    for i, t in enumerate(tasks, start=1):
        sub = t.submission
        state = sub.state if sub else "draft"
        accepted_on = local_date(sub.accepted_at) if sub else None
        end = accepted_on or t0
        late = bool(t.due_on and end > t.due_on)
        days_late = cal.working_days_between(t.due_on, end) if late else 0
        rows.append({
            "stt": i, "group": t.group_label or "", "content": t.content,
            "lead": t.lead_unit.name, "cooperating": ", ".join(u.name for u in t.cooperating_units),
            "due_text": t.due_text or "", "due_on": t.due_on,
            "state": wf.SUBMISSION.label(state) if plan.state == "issued" else wf.PLAN.label(plan.state),
            "state_code": state,
            "submitted_on": local_date(sub.submitted_at) if sub else None,
            "accepted_on": accepted_on, "days_late": days_late, "late": late,
            "result": (sub.result_text if sub and state == "accepted" else "") or "",
        })
    return rows


def unit_summary(rows: list[dict]) -> list[dict]:
    """Per lead unit: tasks, done on time, done late, open, overdue (from tracker rows)."""
    out: dict[str, dict] = {}
    for r in rows:
        s = out.setdefault(r["lead"], {"unit": r["lead"], "tasks": 0, "on_time": 0, "late": 0,
                                       "open": 0, "overdue": 0})
        s["tasks"] += 1
        if r["state_code"] == "accepted":
            s["late" if r["late"] else "on_time"] += 1
        else:
            s["open"] += 1
            if r["late"]:
                s["overdue"] += 1
    return list(out.values())


# ---- cascading: an agency carries a provincial task out through its own plan -----------------

def cascade_basis(source: Plan) -> str:
    """"Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022 của Ủy ban nhân dân tỉnh về ..."."""
    from app.domain.formatting import vn_date
    day = f" ngày {vn_date(source.issued_on)}" if source.issued_on else ""
    issuer = source.issued_agency_name or source.agency.name
    return f"Thực hiện Kế hoạch số {source.number}{day} của {issuer} về việc {source.title[0].lower()}{source.title[1:]}."


def cascade_task(user: User, task: Task) -> Plan:
    """The agency's draft plan carrying `task` out, with one task linked to it (source_task_id),
    led by the agency's office until the office gives it to its units. Asking twice opens the
    same draft, nothing is created twice."""
    if not access.can_cascade(user, task):
        raise Forbidden("Chỉ Văn phòng của cơ quan chủ trì triển khai nhiệm vụ của UBND tỉnh.")
    existing = db.session.scalar(
        select(Plan).join(Task, Task.plan_id == Plan.id)
        .where(Task.source_task_id == task.id, Plan.agency_id == user.agency_id, Plan.state == "draft")
        .limit(1))
    if existing is not None:
        return existing
    source = task.plan
    plan = Plan(agency_id=user.agency_id, number=f"/KH-{user.agency.abbreviation}",
                title=f"Triển khai nhiệm vụ {task.content[:400]}", basis=cascade_basis(source),
                year=source.year, kind=source.kind, targets=source.targets, state=wf.PLAN.initial,
                created_by_id=user.id, created_at=now(), updated_at=now())
    db.session.add(plan)
    db.session.flush()
    db.session.add(Task(plan_id=plan.id, position=1, content=task.content, lead_unit_id=user.unit_id,
                        due_text=task.due_text, due_on=task.due_on, product=task.product,
                        source_task_id=task.id, created_at=now()))
    _event(plan, user, "create", to_state=plan.state,
           comment=f"Triển khai nhiệm vụ của Kế hoạch {source.number}")
    db.session.commit()
    return plan


def cascade_progress(user: User, task: Task):
    """The provincial task's progress from the linked tasks of the agencies' issued plans
    (app.domain.cascade), or None when the user may not see it. Counts only: one query."""
    from app.domain.cascade import summarize
    if not access.can_view_cascade_progress(user, task):
        return None
    rows = db.session.execute(select(Task.plan_id, Task.work_state, Task.due_on)
                              .where(Task.source_task_id == task.id)).all()
    return summarize([tuple(r) for r in rows], today())
