"""Who may see and do what: the one place that answers "can user U do A on X?" and
"which X may U list?" (as query filters, so lists and pages agree).

Views and services ask here; templates receive the answers; nobody re-derives a rule.

Agencies (migration 0011_province): one deployment serves every agency of the province. The
overseers (office, leader, admin) see everything OF THEIR OWN AGENCY; a unit sees what it
leads or cooperates on, as before. Nothing of another agency shows through a list, a page, a
fragment, a download or a count: every scope below carries the agency condition.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, select, true
from sqlalchemy.sql.elements import ColumnElement

from app.domain import workflow as wf
from app.domain.delegation import Grant, is_active
from app.models import Plan, Task, Unit, UnitTask, User

OVERSEERS = frozenset({"leader", "office", "admin"})  # see every unit's work of their agency

def sees_everything(user: User) -> bool:
    """An overseer of their own agency (the agency condition is in every scope below)."""
    return user.role in OVERSEERS

def same_agency(user: User, agency_id: int | None) -> bool:
    return agency_id is not None and agency_id == user.agency_id

def oversees(user: User, agency_id: int | None) -> bool:
    """An overseer of that agency."""
    return sees_everything(user) and same_agency(user, agency_id)

def agency_units_filter(user: User) -> ColumnElement[bool]:
    """Units of the user's agency (pickers, lists, figure units, progress tables)."""
    return Unit.agency_id == user.agency_id

def agency_unit_ids(user: User) -> Select:
    return select(Unit.id).where(agency_units_filter(user))

def agency_users_filter(user: User) -> ColumnElement[bool]:
    """Users of the user's agency (through their unit)."""
    return User.unit_id.in_(agency_unit_ids(user))

def unit_in_agency(user: User, unit_id: int | None) -> bool:
    if unit_id is None:
        return False
    if unit_id == user.unit_id:
        return True
    from app.extensions import db
    return db.session.scalar(select(Unit.agency_id).where(Unit.id == unit_id)) == user.agency_id

def is_admin(user: User) -> bool:
    return user.role == "admin"

def can_view_audit(user: User) -> bool:
    """The audit log (who did what) is read by the administrator; nobody edits it."""
    return user.role == "admin"

# ---- plans -----------------------------------------------------------------------------

def plan_actors(user: User, plan: Plan | None = None) -> frozenset[str]:
    tags = set()
    if plan is not None and not same_agency(user, plan.agency_id):
        return frozenset()  # another agency's office and leaders have no say on it
    if user.role == "office":
        tags.add("office")
    if user.role == "leader":
        tags.add("leader")
    elif acts_as_leader(user, plan.agency_id if plan is not None else user.agency_id,
                        plan.id if plan is not None else None):
        tags.add("leader")  # a deputy's standing right or a leader's delegation
    return frozenset(tags)

def plan_units_filter(user: User, plan: Plan | None = None) -> ColumnElement[bool]:
    """Units a plan's tasks may be given to: the units of the plan's agency. A provincial
    plan (agency kind "province") gives its tasks to agencies, through each agency's office
    (the unit of kind "office" that receives the province's work)."""
    from app.models import Agency
    agency_id = plan.agency_id if plan is not None else user.agency_id
    own = Unit.agency_id == agency_id
    province = select(Agency.id).where(Agency.id == agency_id, Agency.kind == "province")
    other_offices = (Unit.kind == "office") & exists(province)
    return own | other_offices


def can_create_plan(user: User) -> bool:
    return user.role == "office"

def can_edit_plan(user: User, plan: Plan) -> bool:
    return user.role == "office" and plan.state == "draft" and same_agency(user, plan.agency_id)

def can_view_plan(user: User, plan: Plan) -> bool:
    if oversees(user, plan.agency_id):
        return True
    if plan.state == "pending" and acts_as_leader(user, plan.agency_id, plan.id):
        return True  # a delegate of the leader reads the plan waiting for approval
    if plan.state != "issued":
        return False  # drafts belong to the office and leadership
    from app.extensions import db  # one index probe, whatever the plan's size
    if sees_everything(user) and plan.agency.kind == "province":
        # The province's plan: every overseer of an agency it gives a task to (lead or
        # cooperating: its office answers, its leader approves), not only its office's members.
        return bool(db.session.scalar(select(exists().where(
            UnitTask.plan_id == plan.id, UnitTask.unit_id.in_(agency_unit_ids(user))))))
    return bool(db.session.scalar(select(_unit_has_plan(user.unit_id, plan.id))))

def visible_plans_filter(user: User, year: int | None = None) -> ColumnElement[bool]:
    """Plans a user may list (of `year` only, when given)."""
    in_year = (Plan.year == year) if year else Plan.id.is_not(None)
    if sees_everything(user):
        return in_year & (Plan.agency_id == user.agency_id)
    # One probe of the unit's (unit, plan) index per issued plan.
    return (Plan.state == "issued") & in_year & _unit_has_plan(user.unit_id, Plan.id)

def _unit_has_plan(unit_id: int, plan_id) -> ColumnElement[bool]:
    return exists().where(UnitTask.unit_id == unit_id, UnitTask.plan_id == plan_id)

# ---- tasks -----------------------------------------------------------------------------

# Conditions on the work columns that both Task and UnitTask carry (plan_id, work_state,
# plan_year, due_on): given either class, it returns the conditions written on its columns.
WorkConditions = Callable[[Any], list]


def _work_scope(cols, work: WorkConditions | None, with_work_only: bool) -> list:
    return ([cols.work_state.is_not(None)] if with_work_only else []) + (work(cols) if work else [])


def visible_tasks_filter(user: User, *conditions: ColumnElement[bool], work: WorkConditions | None = None,
                         with_work_only: bool = True, led_by: int | None = None) -> ColumnElement[bool]:
    """Tasks a user may list (every issued task for overseers, the tasks their unit leads or
    cooperates on else) that meet `work` (conditions on the work columns, see
    WorkConditions) and `conditions` (any other condition on Task).

    For an overseer everything is a condition on `tasks` (migration 0008_work put the
    submission's state and the plan's year on the task row). For a unit, `work` is answered
    inside `unit_tasks` (migration 0009_unit_tasks: one row per unit and task, with the same
    columns), so the unit's open, overdue or this-year tasks are one index range there.

    A task has work (a submission) once its plan is issued, except the parent row of a
    recurring task (its instances carry the work): `with_work_only=False` keeps those too,
    for a caller that has already checked the plan is issued (the plan page).

    `led_by`: only tasks that unit leads. Its own unit's led tasks are all visible to a
    user, so that case is answered on `tasks` alone (the lead unit's indexes)."""
    scope = visible_task_ids(user, *conditions, work=work, with_work_only=with_work_only, led_by=led_by)
    if scope.table is Task:  # the conditions themselves, no subquery
        return scope.ids.whereclause if scope.ids.whereclause is not None else true()
    return Task.id.in_(scope.ids)


@dataclass(frozen=True)
class TaskScope:
    """A SELECT of task ids (`ids`) over the one table that holds a user's scope (`table`:
    Task or UnitTask, both with the work columns, so `table.due_on` orders a page) and that
    table's task-id column (`task_id`), to count or page on before touching `tasks`."""
    ids: Select
    table: Any
    task_id: Any


def visible_task_ids(user: User, *conditions: ColumnElement[bool], work: WorkConditions | None = None,
                     with_work_only: bool = True, led_by: int | None = None) -> TaskScope:
    """The ids of the tasks `visible_tasks_filter` lets through (same arguments), read from
    `tasks` for an overseer or the unit's own led tasks, from `unit_tasks` for a unit (joined
    to `tasks` only when `conditions` or `led_by` need it). Counting or paging these ids
    walks one index in order, so neither database has to guess how a LIMIT meets a
    semi-join (PostgreSQL walked every task by due date for a unit's first page)."""
    if led_by is not None:
        conditions = (Task.lead_unit_id == led_by, *conditions)
    if sees_everything(user) or (led_by is not None and led_by == user.unit_id):
        # An overseer's scope is their agency's tasks (tasks.agency_id, the plan's agency
        # copied by triggers: one range of ix_tasks_agency_*) and the provincial tasks given
        # to their agency (led or cooperated on by one of its units: the agency's office);
        # the unit's own led tasks need no agency condition (a unit belongs to one agency).
        mine = [(Task.agency_id == user.agency_id) | _given_to_agency(user)] if sees_everything(user) else []
        return TaskScope(select(Task.id).where(*mine, *_work_scope(Task, work, with_work_only), *conditions),
                         Task, Task.id)
    ids = select(UnitTask.task_id).where(UnitTask.unit_id == user.unit_id,
                                         *_work_scope(UnitTask, work, with_work_only))
    if conditions:
        ids = ids.join(Task, Task.id == UnitTask.task_id).where(*conditions)
    return TaskScope(ids, UnitTask, UnitTask.task_id)


def _given_to_agency(user: User) -> ColumnElement[bool]:
    """Tasks of the province's plans led or cooperated on by a unit of the user's agency; a
    province task has work (a row here) only once its plan is issued.

    Written so that `agency_id = mine OR <this>` stays two index ranges: the province's tasks
    (tasks.agency_id = the province, an InitPlan value), each probed for a row of one of the
    agency's units (ix_unit_tasks_task_id). A bare `id IN (the agency's unit_tasks)`
    made PostgreSQL walk every task of the province on every page (400 ms at 1.000.000)."""
    from app.models import Agency
    province = (select(Agency.id).where(Agency.kind == "province").order_by(Agency.id).limit(1)
                .scalar_subquery())
    # LIMIT 1: a subquery probed per province task (by unit_tasks.task_id), never pulled up
    # into a hash of the agency's whole unit_tasks.
    one_of_ours = (select(UnitTask.unit_id).join(Unit, Unit.id == UnitTask.unit_id)
                   .where(UnitTask.task_id == Task.id, Unit.agency_id == user.agency_id,
                          UnitTask.work_state.is_not(None)).limit(1).scalar_subquery())
    return (Task.agency_id == province) & one_of_ours.is_not(None)


def is_provincial(task: Task) -> bool:
    """A task of the province's own plan (Văn phòng UBND tỉnh), given to an agency."""
    return task.plan.agency.kind == "province"


def lead_agency_id(task: Task) -> int:
    return task.lead_unit.agency_id


def is_lead_agency_overseer(user: User, task: Task) -> bool:
    """The office and leaders of the agency a provincial task is given to (lead)."""
    return (sees_everything(user) and task.plan.state == "issued" and is_provincial(task)
            and user.agency_id == lead_agency_id(task) and not same_agency(user, task.plan.agency_id))


def _cooperating_agency_overseer(user: User, task: Task) -> bool:
    return (sees_everything(user) and task.plan.state == "issued" and is_provincial(task)
            and any(u.agency_id == user.agency_id for u in task.cooperating_units))


def task_is_visible(user: User, task: Task) -> bool:
    if oversees(user, task.plan.agency_id):
        return True
    if task.plan.state != "issued":
        return False
    if is_lead_agency_overseer(user, task) or _cooperating_agency_overseer(user, task):
        return True
    return task.lead_unit_id == user.unit_id or any(
        u.id == user.unit_id for u in task.cooperating_units)

def is_lead_member(user: User, task: Task) -> bool:
    """A member of the lead unit; for a provincial task, every overseer of the lead agency
    (its office answers, its leader approves: the agency is the province's 'unit')."""
    return task.lead_unit_id == user.unit_id or is_lead_agency_overseer(user, task)

def is_unit_head(user: User) -> bool:
    return user.role in ("head", "local")

def task_actors(user: User, task: Task) -> frozenset[str]:
    """The workflow tags a user holds on a task's submission."""
    tags: set[str] = set()
    if task.plan.state != "issued":
        return frozenset()
    if same_agency(user, task.plan.agency_id):  # the plan's own office and leaders
        if user.role == "office":
            tags.add("office")
        if user.role == "leader":
            tags.add("leader")
    if is_lead_agency_overseer(user, task):
        # A provincial task: the lead agency's office drafts and sends the result, its
        # leader approves it for the province office to accept or return (workflow.SUBMISSION).
        if user.role == "office":
            tags.add("unit_staff")
        elif user.role == "leader":
            tags.update({"unit_head", "unit_staff"})
    elif is_lead_member(user, task):
        if is_unit_head(user):
            tags.update({"unit_head", "unit_staff"})
        elif user.role in ("staff", "office") and _is_assigned(user, task):
            tags.add("unit_staff")
    elif any(u.id == user.unit_id for u in task.cooperating_units) and user.role != "leader":
        tags.add("cooperating")
    if ("unit_head" not in tags and task.lead_unit_id == user.unit_id
            and acts_as_unit_head(user, task.lead_unit_id, task.plan_id)):
        tags.add("unit_head")  # approval only: a deputy's standing right or a delegation
    return frozenset(tags)

def _is_assigned(user: User, task: Task) -> bool:
    return any(a.id == user.id for a in task.assignees)

def can_assign(user: User, task: Task) -> bool:
    return (task.plan.state == "issued" and task.lead_unit_id == user.unit_id and is_unit_head(user))


def can_cascade(user: User, task: Task) -> bool:
    """The lead agency's office carries a provincial task out through its own plan
    ("Thực hiện Kế hoạch số 28/KH-UBND ..."), whose tasks link back to it."""
    return user.role == "office" and is_lead_agency_overseer(user, task) and task.parent_id is None


def can_view_cascade_progress(user: User, task: Task) -> bool:
    """The province office and leaders see the progress of the agencies' plans that carry
    their task out (counts only, never the agencies' drafts); the lead agency sees it too."""
    return task_is_visible(user, task) and (oversees(user, task.plan.agency_id)
                                            or is_lead_agency_overseer(user, task))

def can_edit_submission(user: User, task: Task) -> bool:
    sub = task.submission
    return (sub is not None and sub.state in wf.SUBMISSION_EDITABLE
            and "unit_staff" in task_actors(user, task))

def can_view_submission_content(user: User, task: Task) -> bool:
    """A unit never sees another unit's drafts: outsiders read the result once the head approved."""
    if not task_is_visible(user, task):
        return False
    if is_lead_member(user, task):
        return True
    sub = task.submission
    return sub is not None and sub.state in wf.SUBMISSION_VISIBLE_OUTSIDE and (
        oversees(user, task.plan.agency_id) or user.unit_id in {u.id for u in task.cooperating_units})

def can_contribute(user: User, task: Task) -> bool:
    sub = task.submission
    return ("cooperating" in task_actors(user, task) and sub is not None
            and sub.state != "accepted")

def available_transitions(user: User, task: Task) -> list[wf.Transition]:
    sub = task.submission
    if sub is None:
        return []
    return wf.SUBMISSION.available(sub.state, task_actors(user, task))

def available_plan_transitions(user: User, plan: Plan) -> list[wf.Transition]:
    return wf.PLAN.available(plan.state, plan_actors(user, plan))

def can_download_tracker(user: User, plan: Plan | None = None) -> bool:
    return sees_everything(user) and (plan is None or same_agency(user, plan.agency_id))

def assignable_filter(task: Task) -> ColumnElement[bool]:
    """Staff of the task's lead unit who may receive it."""
    return (User.unit_id == task.lead_unit_id) & User.active.is_(True) & User.role.in_(
        ("staff", "office", "head", "local"))


# ---- deadlines ---------------------------------------------------------------------------

def can_manage_calendar(user: User) -> bool:
    return user.role == "admin"

def can_view_calendar(user: User) -> bool:
    """The office and leadership read the working-day calendar their deadlines are counted on
    (only the administrator changes it)."""
    return user.role in ("admin", "office", "leader")

def can_edit_report_days(user: User) -> bool:
    return user.role in ("office", "admin")

def can_import_plan(user: User) -> bool:
    return user.role == "office"

def can_view_dashboard(user: User) -> bool:
    return user.role in ("office", "leader", "admin")

def can_explain(user: User, task: Task, overdue: bool) -> bool:
    """Only the head of the lead unit explains, and only while the task is overdue."""
    return overdue and is_lead_member(user, task) and is_unit_head(user)

def can_read_explanations(user: User, task: Task) -> bool:
    """The office and the Director see every explanation of their agency's tasks; the lead
    unit sees its own."""
    return oversees(user, task.plan.agency_id) or is_lead_member(user, task)

def can_change_deadline(user: User, task: Task) -> bool:
    """After issue the office sets or changes a task's deadline (before, it edits the plan)."""
    return user.role == "office" and task.plan.state == "issued"

def can_plan_stages(user: User, task: Task) -> bool:
    return user.role == "office" and same_agency(user, task.plan.agency_id)

def can_complete_stage(user: User, task: Task, stage_unit_id: int | None) -> bool:
    """The office, or the head of the unit that carries the stage (the lead unit by default)."""
    if user.role == "office" and same_agency(user, task.plan.agency_id):
        return True
    return is_unit_head(user) and user.unit_id == (stage_unit_id or task.lead_unit_id)

# ---- report ------------------------------------------------------------------------------
# The office consolidates and edits; leadership approves; units enter their own figures only
# and never see another unit's unsent figures.

def can_view_reports(user: User) -> bool:
    return user.role in OVERSEERS

def can_view_report(user: User, report) -> bool:
    if same_agency(user, report.agency_id):
        # a delegate of the leader reads the report waiting for approval, and the one they signed
        return (can_view_reports(user) or report.signer_id == user.id
                or (report.state == "pending" and "leader" in report_actors(user, report)))
    # The province reads an agency's report once it was sent up (never a draft).
    return can_view_reports(user) and is_province_overseer(user) and report.sendup_state is not None

def visible_reports_filter(user: User) -> ColumnElement[bool]:
    from app.models import Report
    return Report.agency_id == user.agency_id

def can_open_report(user: User) -> bool:
    return user.role == "office"

def can_edit_report(user: User, report) -> bool:
    return user.role == "office" and report.state == "draft" and same_agency(user, report.agency_id)

def report_actors(user: User, report=None) -> frozenset[str]:
    if report is not None and not same_agency(user, report.agency_id):
        return frozenset()
    tags = {user.role} & {"office", "leader"}
    if "leader" not in tags and acts_as_leader(user, report.agency_id if report is not None else user.agency_id,
                                               getattr(report, "plan_id", None)):
        tags.add("leader")
    return frozenset(tags)

def available_report_transitions(user: User, report) -> list[wf.Transition]:
    return wf.REPORT.available(report.state, report_actors(user, report))

def can_new_report_version(user: User, report) -> bool:
    return user.role == "office" and report.state == "issued" and same_agency(user, report.agency_id)

def can_manage_figures(user: User) -> bool:
    """The office enters or imports any unit's figures (one-stop software export)."""
    return user.role == "office"

def enters_own_figures(user: User) -> bool:
    return user.role in ("head", "staff", "local")

def can_view_figure_set(user: User, unit_id: int, state: str | None = None) -> bool:
    if sees_everything(user):
        return unit_in_agency(user, unit_id)
    return enters_own_figures(user) and user.unit_id == unit_id

def can_edit_figure_set(user: User, unit_id: int, state: str | None) -> bool:
    if can_manage_figures(user):
        return unit_in_agency(user, unit_id)
    return (enters_own_figures(user) and user.unit_id == unit_id
            and state in (None, "draft"))

def can_send_figure_set(user: User, unit_id: int, state: str | None) -> bool:
    """The head of unit sends the unit's figures (with the overdue explanations) to the office."""
    return is_unit_head(user) and user.unit_id == unit_id and state == "draft"

def visible_figure_units_filter(user: User):
    """Units whose figure sets a user may list."""
    if sees_everything(user):
        return agency_units_filter(user)
    if enters_own_figures(user):
        return Unit.id == user.unit_id
    return Unit.id.is_(None)

# ---- catalog ---------------------------------------------------------------------------

def can_view_catalog(user: User) -> bool:
    return bool(user.is_authenticated)

def can_edit_catalog(user: User) -> bool:
    """The catalog is kept by the administrator and the office (đầu mối KSTT)."""
    return user.role in ("admin", "office")

def can_edit_procedure(user: User, procedure) -> bool:
    """One province catalog: an agency's office edits the procedures its agency owns (and
    those no agency owns yet)."""
    return can_edit_catalog(user) and (procedure.agency_id is None
                                       or same_agency(user, procedure.agency_id))

# ---- reviews ---------------------------------------------------------------------------

def can_pick_review_procedures(user: User, task: Task | None = None) -> bool:
    """The office decides which procedures a review task covers (task=None: on any review task
    of its agency)."""
    return user.role == "office" and (task is None or same_agency(user, task.plan.agency_id))

def can_edit_plan_targets(user: User, plan: Plan) -> bool:
    return user.role == "office" and same_agency(user, plan.agency_id)

def can_view_review(user: User, task: Task) -> bool:
    return can_view_submission_content(user, task)

def can_edit_review(user: User, task: Task) -> bool:
    return can_edit_submission(user, task)

# ---- navigation ------------------------------------------------------------------------

def work_queues(user: User) -> dict[str, dict]:
    """What the sidebar's counters hold for this user: task-list arguments (`own_unit`: the
    user's unit as lead unit) or a plan state. Keys: todo, approval, overdue."""
    overdue = {"due": "overdue"}
    if user.role == "staff":
        return {"todo": {"mine": "1", "due": "attention"},
                "approval": {"mine": "1", "state": "submitted"}, "overdue": overdue}
    if is_unit_head(user):
        return {"todo": {"own_unit": True, "due": "attention"},
                "approval": {"own_unit": True, "state": "submitted"}, "overdue": overdue}
    if user.role == "office":
        return {"todo": {"state": "approved", "here": "1"}, "approval": {"plan_state": "pending"},
                "overdue": overdue}
    if user.role == "leader":
        return {"approval": {"plan_state": "pending"}, "overdue": overdue}
    return {"overdue": overdue}


# ---- reports sent up to the province (issue 10, item 4) -----------------------------------

def is_province_overseer(user: User) -> bool:
    """The office, leaders (and administrator) of the province's own agency (Văn phòng UBND
    tỉnh, Chủ tịch ...); the agency comes loaded with the user (app/auth/sessions.py)."""
    return sees_everything(user) and user.agency is not None and user.agency.kind == "province"

def is_province_office(user: User) -> bool:
    return user.role == "office" and is_province_overseer(user)

def can_view_province_reporting(user: User) -> bool:
    """The reporting requests, who has reported, the consolidated report."""
    return user.role in ("office", "leader") and is_province_overseer(user)

def can_manage_province_reporting(user: User) -> bool:
    """Record a request, remind agencies (the province office)."""
    return is_province_office(user)

def reporting_agencies_filter(province) -> ColumnElement[bool]:
    """The agencies that report to the province: active, not the province itself."""
    from app.models import Agency
    return Agency.active.is_(True) & (Agency.kind != "province") & (
        (Agency.parent_id == province.id) | Agency.parent_id.is_(None))

def sent_reports_filter(period_key: str) -> ColumnElement[bool]:
    """The quarterly (not a plan's) reports of a period sent up, whatever became of them."""
    from app.models import Report
    return ((Report.period_key == period_key) & Report.plan_id.is_(None)
            & (Report.state == "issued") & Report.sendup_state.is_not(None))

def sendup_actors(user: User, report) -> frozenset[str]:
    """The tags a user holds on an issued report's journey to the province."""
    if report.state != "issued":
        return frozenset()
    if same_agency(user, report.agency_id):
        return frozenset({"agency"}) if user.role in ("office", "leader") else frozenset()
    if is_province_office(user) and report.sendup_state is not None:
        return frozenset({"province"})
    return frozenset()

def available_sendup_transitions(user: User, report) -> list[wf.Transition]:
    return wf.REPORT_SENDUP.available(report.sendup_state or wf.REPORT_SENDUP.initial,
                                      sendup_actors(user, report))


# ---- delegation (ủy quyền) ---------------------------------------------------------------
# A head (or local focal point) lends the unit head's approval, a leader the leadership's
# approval, to a named user for a date range (optionally one plan): the delegate holds the
# "unit_head" / "leader" tag while the delegation is active (app/domain/delegation.py), and
# every move they make with it is recorded "X, thay mặt Y". A deputy with the administrator's
# standing right (User.standing_approval) holds the same tag without an end date: the unit
# head's in their unit, the leader's in a leadership unit.

DELEGATING_ROLES = {"head": "unit_head", "local": "unit_head", "leader": "leader"}


def delegation_kind(user: User) -> str | None:
    """The rights a user may delegate (None: none)."""
    return DELEGATING_ROLES.get(user.role)


def can_delegate(user: User) -> bool:
    return delegation_kind(user) is not None and user.active


def can_revoke_delegation(user: User, delegation) -> bool:
    """The delegator, or the administrator of the delegator's agency, while it is not revoked
    and not over."""
    from app.clock import today
    if delegation.revoked_at is not None or delegation.ends_on < today():
        return False
    if delegation.delegator_id == user.id:
        return True
    return is_admin(user) and delegation.unit.agency_id == user.agency_id  # (unit loaded with the list)


def can_view_delegation(user: User, delegation) -> bool:
    return (user.id in (delegation.delegator_id, delegation.delegate_id)
            or (is_admin(user) and delegation.unit.agency_id == user.agency_id))


def visible_delegations_filter(user: User) -> ColumnElement[bool]:
    """Delegations a user lists: given or received; the administrator: all of the agency's."""
    from app.models import Delegation
    mine = (Delegation.delegator_id == user.id) | (Delegation.delegate_id == user.id)
    if is_admin(user):
        return mine | Delegation.unit_id.in_(agency_unit_ids(user))
    return mine


def eligible_delegates_filter(user: User) -> ColumnElement[bool]:
    """Who a user may delegate to: an active member of the head's own unit, or of the
    leadership of the leader's agency; never oneself."""
    base = User.active.is_(True) & (User.id != user.id)
    kind = delegation_kind(user)
    if kind == "unit_head":
        return base & (User.unit_id == user.unit_id)
    if kind == "leader":
        return base & User.unit_id.in_(select(Unit.id).where(Unit.agency_id == user.agency_id,
                                                             Unit.kind == "leadership"))
    return User.id.is_(None)


def _grants(user: User) -> tuple[Grant, ...]:
    """The delegations the user has received that are not revoked and not over: one query,
    once per request (kept on the request object; outside a request, asked every time)."""
    from flask import has_request_context, request
    from app.clock import today
    if user is None or not getattr(user, "is_authenticated", False) or user.id is None:
        return ()
    day = today()
    cache = None
    if has_request_context():
        cache = request.__dict__.setdefault("_portal_grants", {})
        if (user.id, day) in cache:
            return cache[(user.id, day)]
    from app.extensions import db
    from app.models import Delegation
    rows = db.session.execute(
        select(Delegation.id, Delegation.kind, Delegation.delegator_id, Delegation.unit_id,
               Unit.agency_id, Delegation.plan_id, Delegation.starts_on, Delegation.ends_on)
        .join(Unit, Unit.id == Delegation.unit_id)
        .where(Delegation.delegate_id == user.id, Delegation.revoked_at.is_(None),
               Delegation.ends_on >= day)).all()
    grants = tuple(Grant(*r) for r in rows)
    if cache is not None:
        cache[(user.id, day)] = grants
    return grants


def active_grant(user: User, kind: str, *, unit_id: int | None = None, agency_id: int | None = None,
                 plan_id: int | None = None) -> Grant | None:
    """The delegation under which `user` holds `kind` rights on the unit's (unit_head) or the
    agency's (leader) work of `plan_id` today, a one-plan delegation before an all-plans one."""
    from app.clock import today
    day = today()
    found = [g for g in _grants(user) if g.kind == kind and is_active(g, day, plan_id)
             and (g.unit_id == unit_id if kind == "unit_head" else g.agency_id == agency_id)]
    found.sort(key=lambda g: (g.plan_id is None, g.id))
    return found[0] if found else None


def has_standing_approval(user: User, kind: str) -> bool:
    if not getattr(user, "standing_approval", False) or not user.active:
        return False
    leadership = user.unit.kind == "leadership"
    return kind == ("leader" if leadership else "unit_head")


def acts_as_unit_head(user: User, unit_id: int, plan_id: int | None = None) -> bool:
    """The unit head's approval for a user who is not the head (the delegate must still be a
    member of that unit)."""
    if user.unit_id != unit_id:
        return False
    return has_standing_approval(user, "unit_head") or active_grant(
        user, "unit_head", unit_id=unit_id, plan_id=plan_id) is not None


def acts_as_leader(user: User, agency_id: int | None, plan_id: int | None = None) -> bool:
    if agency_id is None or not same_agency(user, agency_id):
        return False
    return has_standing_approval(user, "leader") or active_grant(
        user, "leader", agency_id=agency_id, plan_id=plan_id) is not None


def _behalf(user: User, actors: frozenset[str], *, unit_id=None, agency_id=None, plan_id=None) -> int | None:
    """Whose rights a move needing `actors` uses: the delegator of the user's active
    delegation for it (None: the user's own role or standing right)."""
    if "unit_head" in actors and user.unit_id == unit_id and not is_unit_head(user):
        g = active_grant(user, "unit_head", unit_id=unit_id, plan_id=plan_id)
        if g is not None:
            return g.delegator_id
    if "leader" in actors and same_agency(user, agency_id):
        g = active_grant(user, "leader", agency_id=agency_id, plan_id=plan_id)
        if g is not None:
            return g.delegator_id
    return None


def submission_behalf(user: User, task: Task, name: str) -> int | None:
    t = wf.SUBMISSION.transition(name)
    if t is None:
        return None
    return _behalf(user, t.actors, unit_id=task.lead_unit_id, agency_id=task.plan.agency_id,
                   plan_id=task.plan_id)


def plan_behalf(user: User, plan: Plan, name: str) -> int | None:
    t = wf.PLAN.transition(name)
    return None if t is None else _behalf(user, t.actors, agency_id=plan.agency_id, plan_id=plan.id)


def report_behalf(user: User, report, name: str) -> int | None:
    t = wf.REPORT.transition(name)
    return None if t is None else _behalf(user, t.actors, agency_id=report.agency_id,
                                          plan_id=report.plan_id)


# ---- province dashboard ------------------------------------------------------------------
# The province office (Phòng Kiểm soát TTHC) and UBND tỉnh leadership compare every agency;
# an agency's own office and leadership see their own agency's line only.

def can_view_province_dashboard(user: User) -> bool:
    return can_view_dashboard(user)


def province_agencies_filter(user: User, province_wide: bool) -> ColumnElement[bool]:
    """The agencies a user's province dashboard ranks: every agency but the province's own
    (which assigns, it is not ranked) for a province overseer, the user's own agency else."""
    from app.models import Agency
    if province_wide:
        return (Agency.kind != "province") & Agency.active.is_(True)
    return Agency.id == user.agency_id


def agency_drill_down(user: User, agency_id: int, province_wide: bool | None = None) -> str | None:
    """What a user may open of one agency from the province dashboard: "own" (their own
    agency's dashboard, for its office and leadership), "assigned" (a province overseer: the
    tasks of the province's plans given to that agency, counts only, never its drafts) or
    None (refused)."""
    if can_view_dashboard(user) and same_agency(user, agency_id):
        return "own"
    if (is_province_overseer(user) if province_wide is None else province_wide):
        return "assigned"
    return None


# ---- evaluations (issue 15) ----------------------------------------------------------------------
# A person's results are personal: visible to the person, the head of their unit, the agency's
# leadership (leader, or a deputy holding the leader's standing right or delegation) and the
# personnel administrator, who is the agency's `admin` role (no new flag: the administrator
# already keeps the users and units). Never to the office, a colleague, another unit or agency.

def _leads_unit(user: User, unit_id: int) -> bool:
    """The head of that unit (or a deputy holding the head's approval there)."""
    return user.unit_id == unit_id and (is_unit_head(user) or acts_as_unit_head(user, unit_id))


def _evaluation_leader(user: User, agency_id: int) -> bool:
    return same_agency(user, agency_id) and (user.role == "leader" or acts_as_leader(user, agency_id))


def can_view_evaluation(user: User, ev) -> bool:
    """The whole sheet of a unit (everybody's figures)."""
    if not same_agency(user, ev.agency_id):
        return False
    return _leads_unit(user, ev.unit_id) or _evaluation_leader(user, ev.agency_id) or is_admin(user)


def can_view_person_evaluation(user: User, ev, person: User) -> bool:
    """One person's results in a sheet: the person (a member of the sheet's unit) and the
    sheet's readers."""
    if person.unit_id != ev.unit_id or not same_agency(user, ev.agency_id):
        return False
    return user.id == person.id or can_view_evaluation(user, ev)


def can_open_evaluation(user: User, unit_id: int | None = None) -> bool:
    """The unit's head opens its sheet; the personnel administrator opens any unit's."""
    if unit_id is None:
        return is_unit_head(user) or is_admin(user)
    return _leads_unit(user, unit_id) or (is_admin(user) and unit_in_agency(user, unit_id))


def evaluation_actors(user: User, ev) -> frozenset[str]:
    tags = set()
    if not same_agency(user, ev.agency_id) or not ev.current:
        return frozenset()
    if _leads_unit(user, ev.unit_id):
        tags.add("unit_head")
    if _evaluation_leader(user, ev.agency_id):
        tags.add("leader")
    return frozenset(tags)


def available_evaluation_transitions(user: User, ev) -> list[wf.Transition]:
    actors = evaluation_actors(user, ev)
    return wf.EVALUATION.available(ev.state, actors) + wf.EVALUATION_VERSIONS.available(ev.state, actors)


def can_mark_evaluation(user: User, ev) -> bool:
    """Quality marks, the head's comments and corrections: the head, while the sheet is open."""
    return ev.state in wf.EVALUATION_HEAD_EDITABLE and "unit_head" in evaluation_actors(user, ev)


def can_comment_own_evaluation(user: User, ev, person: User) -> bool:
    return (user.id == person.id and person.unit_id == ev.unit_id and ev.current
            and ev.state in wf.EVALUATION_PERSON_COMMENTS)


def visible_evaluations_filter(user: User) -> ColumnElement[bool]:
    """Sheets a user may list: the agency's for its leadership and administrator, the unit's
    for its head; a member lists their own unit's sheets (opening one shows only their row)."""
    from app.models import Evaluation
    mine = Evaluation.agency_id == user.agency_id
    if user.role in ("leader", "admin") or acts_as_leader(user, user.agency_id):
        return mine
    return mine & (Evaluation.unit_id == user.unit_id)


def can_manage_evaluation_schemes(user: User) -> bool:
    return is_admin(user)


def can_view_evaluation_dashboard(user: User) -> bool:
    """On-time rates by unit and month (no person's figures): the agency's overseers."""
    return sees_everything(user)

# ---- document register (sổ văn bản đi) and digital signatures ------------------------------

def can_view_register(user: User) -> bool:
    """The agency's register of outgoing documents: its office, leaders and administrator."""
    return user.role in ("office", "leader", "admin")


def can_manage_register(user: User) -> bool:
    """Reserving and releasing numbers, the opening number: the office keeps the register."""
    return user.role == "office"


def can_manage_certificates(user: User) -> bool:
    """Signing certificates of the admin's own agency and its people; trust roots and CRLs."""
    return user.role == "admin"


def can_verify_signatures(user: User) -> bool:
    """Anyone logged in checks a signed PDF (their own or one received)."""
    return user.is_authenticated and user.active

# ---- background jobs and the export cache (app/jobs) --------------------------------------

def export_scope(user: User) -> str:
    """The visibility class an export file is built for: two viewers with the same scope see
    the same rows, so they may share one cached file; never one of a wider scope. Overseers see
    their agency's work by role (agency + role + unit, to be safe); anyone else, or anyone
    holding a delegation today, sees by their own person (their id joins the scope)."""
    scope = f"a{user.agency_id}:{user.role}:u{user.unit_id}"
    if user.role not in OVERSEERS or _grants(user):
        scope += f":p{user.id}"
    return scope


def can_view_job(user: User, job) -> bool:
    """A job (its progress, error and file) is visible to its creator and to whoever may see
    the underlying object; an export built for a viewer scope only to that same scope."""
    if job.scope != "any" and job.scope != export_scope(user):
        return False
    if job.agency_id is not None and not same_agency(user, job.agency_id) and job.object_kind is None:
        return False
    if job.created_by_id == user.id:
        return True
    from app.extensions import db
    if job.object_kind == "report":
        from app.models import Report
        report = db.session.get(Report, job.object_id)
        return report is not None and can_view_report(user, report)
    if job.object_kind == "plan":
        plan = db.session.get(Plan, job.object_id)
        if plan is None or not can_view_plan(user, plan):
            return False
        # The plan's PDF is rendered from its whole tracker: for those who download the tracker.
        return job.kind != "issued_pdf" or can_download_tracker(user, plan)
    # An export without an object (dashboard, catalog): the same scope sees the same content.
    return job.scope != "any"


def can_retry_job(user: User, job) -> bool:
    return job.state == "failed" and can_view_job(user, job)
