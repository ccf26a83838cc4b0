"""What each role must do now: the home page's lists and counts."""
from __future__ import annotations

from sqlalchemy import select

from app import access
from app.clock import today
from app.extensions import db
from app.models import Plan, User
from app.reports.services import waiting_reports
from app.tracking import services as tracking
from app.tracking.services import TaskFilters

LIMIT = 10


def own_work(user: User) -> tuple[dict, dict]:
    """The work a user answers for, as task filters and as the task list's query arguments:
    the one set that the home page's cards, its lists and the lists a card opens all count.
    Staff answer for what is assigned to them, a head (or local focal point) for the tasks
    the unit leads (the lead unit explains its overdue work; a cooperating unit does not),
    the office and leadership for every task they see."""
    if user.role == "staff":
        return {"mine": True}, {"mine": "1"}
    if user.role in ("head", "local"):
        return {"unit_id": user.unit_id}, {"unit_id": user.unit_id}
    return {}, {}


def home_for(user: User) -> dict:
    ctx: dict = {"sections": []}
    sections: list[tuple[str, str, TaskFilters, dict]] = []

    def section(key: str, title: str, f: TaskFilters, link_args: dict):
        sections.append((key, title, f, link_args))

    own, own_args = own_work(user)
    if user.role == "staff":
        section("mine", "Nhiệm vụ được giao cho tôi", TaskFilters(**own, due="attention"),
                {**own_args, "due": "attention"})
        section("returned", "Bị trả lại, cần sửa", TaskFilters(mine=True, state="returned"),
                {"mine": "1", "state": "returned"})
        year = today().year
        section("mine_all", f"Nhiệm vụ của tôi năm {year}", TaskFilters(mine=True, year=year),
                {"mine": "1", "year": year})
        if access.acts_as_unit_head(user, user.unit_id):  # a deputy: delegated or standing right
            section("to_approve", "Chờ tôi duyệt (thay Trưởng phòng)",
                    TaskFilters(unit_id=user.unit_id, state="submitted"),
                    {"unit_id": user.unit_id, "state": "submitted"})
    if user.role in ("head", "local"):
        section("to_approve", "Chờ tôi duyệt", TaskFilters(unit_id=user.unit_id, state="submitted"),
                {"unit_id": user.unit_id, "state": "submitted"})
        section("returned", "Bị trả lại", TaskFilters(unit_id=user.unit_id, state="returned"),
                {"unit_id": user.unit_id, "state": "returned"})
        section("attention", "Quá hạn và sắp đến hạn của đơn vị",
                TaskFilters(**own, due="attention"), {**own_args, "due": "attention"})
        section("draft", "Đang thực hiện", TaskFilters(unit_id=user.unit_id, state="draft"),
                {"unit_id": user.unit_id, "state": "draft"})
    if user.role == "office":
        section("to_accept", "Chờ Văn phòng tiếp nhận", TaskFilters(state="approved", here=True),
                {"state": "approved", "here": "1"})
        section("overdue", "Quá hạn", TaskFilters(due="overdue"), {"due": "overdue"})
    if user.role in ("office", "leader", "admin"):
        ctx["plans_waiting"] = _plans_in(user, ("draft", "pending") if user.role == "office" else ("pending",))
        ctx["reports_waiting"] = waiting_reports(user, LIMIT)
        # This year's plans: the table the office follows; overdue counts above cover every year.
        ctx["progress_year"] = today().year
        ctx["progress"] = tracking.unit_progress(user, year=ctx["progress_year"])
    if user.role == "leader":
        section("overdue", "Nhiệm vụ quá hạn", TaskFilters(due="overdue"), {"due": "overdue"})
    # Each count is one index range (measured cheaper than one pass summing over all open work).
    totals = {key: tracking.counts(user, f) for key, f in (
        ("overdue_total", TaskFilters(**own, due="overdue")), ("soon_total", TaskFilters(**own, due="soon")),
        *((key, f) for key, _, f, _ in sections))}
    for key, title, f, link_args in sections:
        rows, total = tracking.list_tasks(user, f, 0, LIMIT, total=totals[key], short=True)
        # The home page counts every year's work, so its link lists every year too.
        ctx["sections"].append({"key": key, "title": title, "rows": rows, "total": total,
                                "link_args": {"year": "", **link_args}})
    ctx["overdue_total"] = totals["overdue_total"]
    ctx["soon_total"] = totals["soon_total"]
    ctx["card_args"] = own_args
    ctx["is_admin"] = access.is_admin(user)
    ctx["can_create_plan"] = access.can_create_plan(user)
    return ctx


def _plans_in(user: User, states: tuple[str, ...]) -> list[Plan]:
    return list(db.session.scalars(select(Plan).where(Plan.state.in_(states), Plan.agency_id == user.agency_id)
                                   .order_by(Plan.updated_at.desc()).limit(LIMIT)))




def plans_count(state: str) -> int:
    """Plans in one state (the leadership's and the office's queue in the sidebar)."""
    from sqlalchemy import func
    return db.session.scalar(select(func.count()).select_from(Plan).where(Plan.state == state)) or 0
