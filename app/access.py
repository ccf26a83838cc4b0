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
    if plan.state != "issued":
        return False  # drafts belong to the office and leadership
    from app.extensions import db  # one index probe, whatever the plan's size
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
    """Tasks of another agency's (the province's) plans led or cooperated on by a unit of the
    user's agency; a province task has work (a row here) only once its plan is issued."""
    return Task.id.in_(select(UnitTask.task_id).where(
        UnitTask.unit_id.in_(agency_unit_ids(user)), UnitTask.work_state.is_not(None)))


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
    return can_view_reports(user) and same_agency(user, report.agency_id)

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
    return frozenset({user.role} & {"office", "leader"})

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

# ---- province dashboard ------------------------------------------------------------------
# The province office (Phòng Kiểm soát TTHC) and UBND tỉnh leadership compare every agency;
# an agency's own office and leadership see their own agency's line only.

def _agency_kind(user: User) -> str | None:
    from app.extensions import db
    from app.models import Agency
    return db.session.scalar(select(Agency.kind).where(Agency.id == user.agency_id))


def is_province_overseer(user: User) -> bool:
    """The office, leaders (and administrator) of the province's own agency."""
    return sees_everything(user) and _agency_kind(user) == "province"


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
