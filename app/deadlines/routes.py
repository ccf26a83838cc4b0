from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required

from app import access
from app.deadlines import services
from app.web import go, page, safe_next

bp = Blueprint("deadlines", __name__)

MAX_TEXT = 5000


@bp.app_template_global("task_due_status")
def task_due_status(task):
    """For any template: the task's DueStatus in working days (days_left, overdue, due_soon)."""
    return services.task_status(task)


@bp.app_template_global("explanation_panel_for")
def explanation_panel_for(task):
    """Lets templates/explanations/_panel.html be included in any page that has `task`."""
    return services.explanation_panel(current_user, task)


@bp.app_template_global("stages_for")
def stages_for(task):
    return services.stage_views(task.stages)


@bp.app_template_global("can_plan_stages_for")
def can_plan_stages_for(task):
    return access.can_plan_stages(current_user, task)


@bp.app_template_global("due_change_for")
def due_change_for(task):
    """For templates/deadlines/_due.html: whether the user may change the task's deadline, and
    whether it is a recurring task (whose instances change one at a time)."""
    return {"allowed": access.can_change_deadline(current_user, task),
            "recurring_parent": services.is_recurring_parent(task)}


@bp.post("/tasks/<int:task_id>/deadline")
@login_required
def change_due(task_id: int):
    from app.domain.formatting import parse_vn_date
    panel = services.panel_for(current_user, task_id)
    if not access.can_change_deadline(current_user, panel.task):
        abort(403)  # before reading the form
    typed = {k: (request.form.get(k) or "").strip() for k in ("due_text", "due_on", "reason")}
    due_on = parse_vn_date(typed["due_on"]) if typed["due_on"] else None
    errors: dict[str, str] = {}
    if typed["due_on"] and due_on is None:
        errors["due_on"] = "Ngày không hợp lệ (dd/mm/yyyy)."
        if not typed["reason"]:
            errors["reason"] = "Ghi lý do đặt / đổi hạn."
    else:
        try:
            services.change_deadline(current_user, task_id, typed["due_text"], due_on, typed["reason"])
        except services.DeadlineRefused as e:
            errors = e.errors
    if errors:
        panel = services.panel_for(current_user, task_id)
        return page("explanations/page.html", status=400, panel=panel,
                    stages=services.stage_views(panel.task.stages),
                    can_plan_stages=access.can_plan_stages(current_user, panel.task),
                    due_form=typed, due_errors=errors)
    flash("Đã lưu hạn mới; đơn vị chủ trì và đơn vị phối hợp đã được thông báo.", "success")
    return go(services._task_url(task_id))


@bp.get("/tasks/<int:task_id>/explanations")
@login_required
def explanations(task_id: int):
    panel = services.panel_for(current_user, task_id)
    return page("explanations/page.html", block="panel", panel=panel,
                stages=services.stage_views(panel.task.stages),
                can_plan_stages=access.can_plan_stages(current_user, panel.task))


@bp.post("/tasks/<int:task_id>/explanations")
@login_required
def explain(task_id: int):
    text = (request.form.get("text") or "").strip()
    error = None
    if not text:
        error = "Nhập nội dung giải trình."
    elif len(text) > MAX_TEXT:
        error = f"Nội dung giải trình tối đa {MAX_TEXT} ký tự."
    if error:
        panel = services.panel_for(current_user, task_id)
        if not panel.can_write:
            services.add_explanation(current_user, task_id, text)  # refuses with 403
        return page("explanations/page.html", block="panel", status=400, panel=panel,
                    stages=[], explain_text=text, explain_error=error)
    services.add_explanation(current_user, task_id, text)
    flash("Đã gửi giải trình tới Văn phòng Sở và Lãnh đạo Sở.", "success")
    return go(safe_next(request.form.get("next"), f"/tasks/{task_id}/explanations"))


@bp.post("/tasks/<int:task_id>/stages")
@login_required
def plan_stages(task_id: int):
    from app.domain.formatting import parse_vn_date
    if not access.can_plan_stages(current_user, services.panel_for(current_user, task_id).task):
        abort(403)  # before reading the form: a bad date must not show others the stage form
    text = request.form.get("budgets", "")
    raw_start = request.form.get("start", "")
    start = parse_vn_date(raw_start)
    error = None
    if start is None:
        error = "Ngày bắt đầu không hợp lệ (dd/mm/yyyy)."
    else:
        try:
            services.plan_stages(current_user, task_id, text, start)
        except ValueError as e:
            error = str(e)
    if error:
        panel = services.panel_for(current_user, task_id)
        return page("explanations/page.html", status=400, panel=panel,
                    stages=services.stage_views(panel.task.stages), can_plan_stages=True,
                    stage_text=text, stage_start=raw_start, stage_error=error)
    flash("Đã lập các bước và hạn từng bước theo ngày làm việc.", "success")
    return go(f"/tasks/{task_id}/explanations")


@bp.post("/tasks/<int:task_id>/stages/<int:stage_id>/done")
@login_required
def complete_stage(task_id: int, stage_id: int):
    services.complete_stage(current_user, task_id, stage_id)
    flash("Đã ghi nhận hoàn thành bước.", "success")
    return go(f"/tasks/{task_id}/explanations")
