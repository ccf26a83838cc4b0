from __future__ import annotations

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user, login_required

from app.catalog.services import format_days
from app.domain import metrics
from app.exports.reviews import plan_review_xlsx
from app.models.review import COST_PHASES, PROPOSALS, REVIEW_CRITERIA, REVIEW_PARTS
from app import access
from app.reviews import services
from app.web import go, page

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


def task_url(task_id: int) -> str:
    """The task's submission page (timeline and transition buttons) of the submissions feature."""
    return url_for("submissions.task", task_id=task_id)


@bp.record_once
def _template_globals(state) -> None:
    # Globals, not a context processor: imported macros do not see the request context.
    state.app.jinja_env.globals.update(review_task_url=task_url, target_met=metrics.target_met,
                                       check_target=metrics.check_target,
                                       review_plan_kinds=services.REVIEW_PLAN_KINDS)
    state.app.jinja_env.filters["vn_days"] = format_days


@bp.get("/")
@login_required
def index():
    return page("reviews/index.html", rows=services.review_tasks(current_user),
                pickable=services.pickable_tasks(current_user))


@bp.get("/task/<int:task_id>")
@login_required
def task(task_id: int):
    return page("reviews/task.html", tr=services.task_review(current_user, task_id),
                proposals=PROPOSALS, plan=None)


@bp.get("/task/<int:task_id>/candidates")
@login_required
def candidates(task_id: int):
    return page("reviews/candidates.html", task_id=task_id,
                items=services.candidates(current_user, task_id, request.args.get("q", "")))


@bp.post("/task/<int:task_id>/procedures")
@login_required
def add(task_id: int):
    proc_id = request.form.get("procedure_id", type=int)  # None: 404 after the permission checks
    services.add_procedure(current_user, task_id, proc_id)
    return go("reviews.task", task_id=task_id)


@bp.post("/item/<int:review_id>/remove")
@login_required
def remove(review_id: int):
    task_id, reason = services.remove_procedure(current_user, review_id)
    flash(reason or "Đã bỏ TTHC khỏi nhiệm vụ.", "danger" if reason else "success")
    return go("reviews.task", task_id=task_id)


def _form(review, values, errors, status=200):
    can_edit = access.can_edit_review(current_user, review.task)
    return page("reviews/form.html", status=status, review=review, values=values, errors=errors,
                parts=REVIEW_PARTS, criteria=REVIEW_CRITERIA, proposals=PROPOSALS,
                cost_phases=COST_PHASES, cost_fields=services.COST_FIELDS,
                cost_rows=services.cost_rows_for_form(values, services.BLANK_COST_ROWS if can_edit else 0),
                cut=services.preview_cut(values["current_days"], values["proposed_days"]),
                can_edit=can_edit,
                costs=services.review_cost(review.cost_items))


@bp.route("/item/<int:review_id>", methods=["GET", "POST"])
@login_required
def form(review_id: int):
    if request.method == "GET":
        review = services.get_review(current_user, review_id)
        return _form(review, services.form_values(review), {})
    review, values, errors = services.save_review(current_user, review_id, request.form)
    if errors:
        return _form(review, values, errors, 400)
    flash("Đã lưu phiếu rà soát (bản nháp).", "success")
    return go("reviews.form", review_id=review.id)


@bp.get("/cut-preview")
@login_required
def cut_preview():
    return page("reviews/cut.html", cut=services.preview_cut(
        request.args.get("current_days", ""), request.args.get("proposed_days", "")))


@bp.get("/plan/<int:plan_id>")
@login_required
def plan(plan_id: int):
    accepted = request.args.get("accepted") == "1"
    return page("reviews/plan.html", pr=services.plan_review(current_user, plan_id, accepted),
                proposals=PROPOSALS, target_fields=services.TARGET_FIELDS, errors={}, values=None)


@bp.post("/plan/<int:plan_id>/targets")
@login_required
def targets(plan_id: int):
    errors = services.save_targets(current_user, plan_id, request.form)
    if errors:
        return page("reviews/plan.html", status=400, pr=services.plan_review(current_user, plan_id),
                    proposals=PROPOSALS, target_fields=services.TARGET_FIELDS, errors=errors,
                    values=request.form)
    flash("Đã lưu chỉ tiêu của kế hoạch.", "success")
    return go("reviews.plan", plan_id=plan_id)


@bp.get("/plan/<int:plan_id>/export.xlsx")
@login_required
def export(plan_id: int):
    pr = services.plan_review(current_user, plan_id, request.args.get("accepted") == "1")
    data = plan_review_xlsx(pr, services.parts_of)
    name = f"ket-qua-ra-soat-ke-hoach-{plan_id}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
