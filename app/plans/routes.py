from flask import Blueprint, abort, current_app, flash, request
from flask_login import current_user, login_required

from app import access
from app.domain import workflow as wf
from app.jobs import pdf
from app.plans import services
from app.plans.forms import CommentForm, PlanForm, TaskForm
from app.web import Pager, go, page, page_number

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.get("/")
@login_required
def index():
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    year = request.args.get("year", type=int)
    state = request.args.get("state") or None
    q = request.args.get("q") or None
    rows, total = services.list_plans(current_user, year, state, q, (p - 1) * per, per)
    return page("plans/index.html", block="rows", rows=rows, pager=Pager(p, per, total),
                states=wf.PLAN.states, can_create=access.can_create_plan(current_user),
                can_import=access.can_import_plan(current_user),
                args=request.args)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not access.can_create_plan(current_user):
        abort(403, "Chỉ Văn phòng Sở được lập kế hoạch.")
    form = PlanForm()
    if form.validate_on_submit():
        try:
            plan = services.create_plan(current_user, _plan_data(form))
        except services.PlanNumberTaken as e:
            form.number.errors = [e.message]
        else:
            flash(f"Đã tạo dự thảo kế hoạch {plan.number}. Thêm các nhiệm vụ bên dưới.", "success")
            return go("plans.detail", plan_id=plan.id)
    return page("plans/form.html", form=form, plan=None, status=400 if form.errors else 200)


def _plan_data(form: PlanForm) -> dict:
    return {k: (getattr(form, k).data or None) if k not in ("year", "kind") else getattr(form, k).data
            for k in services.PLAN_FIELDS}


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit(plan_id: int):
    plan = services.get_plan(current_user, plan_id)
    if not access.can_edit_plan(current_user, plan):
        abort(403, "Chỉ Văn phòng Sở sửa được kế hoạch ở trạng thái dự thảo.")
    form = PlanForm(obj=plan)
    if form.validate_on_submit():
        try:
            services.update_plan(current_user, plan, _plan_data(form))
        except services.PlanNumberTaken as e:
            form.number.errors = [e.message]
        else:
            flash("Đã lưu kế hoạch.", "success")
            return go("plans.detail", plan_id=plan.id)
    return page("plans/form.html", form=form, plan=plan, status=400 if form.errors else 200)


def _task_form(plan, obj=None) -> TaskForm:
    form = TaskForm(obj=obj)
    choices = services.unit_choices(current_user, plan)
    form.lead_unit_id.choices = [(0, "— Chọn đơn vị —")] + choices
    form.cooperating_unit_ids.choices = choices
    if obj is not None and request.method == "GET":
        form.cooperating_unit_ids.data = [u.id for u in obj.cooperating_units]
    return form


def _task_data(form: TaskForm) -> dict:
    return {
        "group_label": form.group_label.data or None, "content": form.content.data.strip(),
        "lead_unit_id": form.lead_unit_id.data, "due_text": form.due_text.data or None,
        "due_on": form.due_on.data, "product": form.product.data or None,
        "priority": form.priority.data or None, "difficulty": form.difficulty.data or None,
        "cooperating_unit_ids": form.cooperating_unit_ids.data or [],
    }


TASKS_PER_PAGE = 50


def _detail(plan, task_form=None, status=200, comment_form=None):
    p = page_number()
    tasks, total = services.plan_task_rows(current_user, plan, (p - 1) * TASKS_PER_PAGE, TASKS_PER_PAGE)
    can_edit = access.can_edit_plan(current_user, plan)
    return page("plans/detail.html", block="plan_body", status=status, plan=plan,
                tasks=tasks, pager=Pager(p, TASKS_PER_PAGE, total),
                undated=services.undated_tasks(plan) if can_edit else [],
                can_edit=can_edit,
                can_download=access.can_download_tracker(current_user, plan),
                issued_pdf=pdf.issued_file("plan", plan)
                if plan.state == "issued" and access.can_download_tracker(current_user, plan) else None,
                transitions=access.available_plan_transitions(current_user, plan),
                task_form=task_form if task_form is not None else _task_form(plan),
                comment_form=comment_form or CommentForm(),
                number_choices=services.number_choices(plan) if any(t.name == "issue" for t in access.available_plan_transitions(current_user, plan)) else [])


@bp.get("/<int:plan_id>")
@login_required
def detail(plan_id: int):
    return _detail(services.get_plan(current_user, plan_id))


@bp.post("/<int:plan_id>/tasks")
@login_required
def add_task(plan_id: int):
    plan = services.get_plan(current_user, plan_id)
    if not access.can_edit_plan(current_user, plan):  # before reading the form: no 400 for outsiders
        abort(403, "Chỉ thêm nhiệm vụ khi kế hoạch đang là dự thảo.")
    form = _task_form(plan)
    if form.validate_on_submit():
        try:
            task = services.add_task(current_user, plan, _task_data(form))
        except services.FieldError as e:
            getattr(form, e.field).errors.append(e.message)
        else:
            flash("Đã thêm nhiệm vụ.", "success")
            _flash_undated(task)
            return go("plans.detail", plan_id=plan.id)
    return _detail(plan, task_form=form, status=400)


def _flash_undated(task) -> None:
    note = services.due_note(task)
    if note:
        flash(f"Nhiệm vụ chưa có hạn hoàn thành: {note} Khi trình kế hoạch, Văn phòng cần xác nhận "
              "các nhiệm vụ chưa có hạn; sau khi ban hành vẫn đặt được hạn trong trang nhiệm vụ.", "warning")


@bp.route("/<int:plan_id>/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit_task(plan_id: int, task_id: int):
    plan = services.get_plan(current_user, plan_id)
    task = services.get_task_in_plan(plan, task_id)
    if not access.can_edit_plan(current_user, plan):
        abort(403, "Chỉ sửa nhiệm vụ khi kế hoạch đang là dự thảo.")
    form = _task_form(plan, obj=task)
    if form.validate_on_submit():
        try:
            services.update_task(current_user, plan, task, _task_data(form))
        except services.FieldError as e:
            getattr(form, e.field).errors.append(e.message)
        else:
            flash("Đã lưu nhiệm vụ.", "success")
            _flash_undated(task)
            return go("plans.detail", plan_id=plan.id)
    return page("plans/task_form.html", form=form, plan=plan, task=task,
                status=400 if form.errors else 200)


@bp.post("/<int:plan_id>/tasks/<int:task_id>/delete")
@login_required
def delete_task(plan_id: int, task_id: int):
    plan = services.get_plan(current_user, plan_id)
    task = services.get_task_in_plan(plan, task_id)
    services.delete_task(current_user, plan, task)
    flash("Đã xóa nhiệm vụ.", "success")
    return go("plans.detail", plan_id=plan.id)


@bp.post("/<int:plan_id>/transition/<name>")
@login_required
def transition(plan_id: int, name: str):
    plan = services.get_plan(current_user, plan_id)
    form = CommentForm()
    try:
        services.transition(current_user, plan, name, form.comment.data,
                            confirm_undated=request.form.get("confirm_undated") == "1",
                            number=request.form.get("number") or None)
    except wf.TransitionRefused as e:
        flash(e.reason, "danger")
        return _detail(plan, status=409, comment_form=form)
    flash(f"Kế hoạch {plan.number}: {wf.PLAN.label(plan.state)}.", "success")
    return go("plans.detail", plan_id=plan.id)


@bp.get("/<int:plan_id>/tracker.xlsx")
@login_required
def tracker(plan_id: int):
    """Built once per change of the plan's tasks by a job, then served from storage."""
    from app.jobs import exports
    from app.jobs.routes import deliver
    plan = services.get_plan(current_user, plan_id)
    if not access.can_download_tracker(current_user, plan):
        abort(403, "Chỉ Văn phòng Sở và Lãnh đạo Sở tải bảng tổng hợp.")
    return deliver(exports.tracker_job(current_user, plan), f"Bảng theo dõi kế hoạch {plan.number}")




@bp.post("/cascade/<int:task_id>")
@login_required
def cascade(task_id: int):
    """The lead agency's office opens its own plan carrying a provincial task out."""
    from app.submissions.services import get_task
    plan = services.cascade_task(current_user, get_task(current_user, task_id))
    flash("Đã lập dự thảo kế hoạch triển khai; bổ sung số, ký hiệu và giao nhiệm vụ cho các đơn vị.", "success")
    return go("plans.detail", plan_id=plan.id)
