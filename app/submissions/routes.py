from flask import Blueprint, abort, flash, request, send_file
from flask_login import current_user, login_required

from app import access
from app.deadlines.services import task_status
from app.domain import workflow as wf
from app.plans import services as plans_services
from app.submissions import services
from app.submissions.forms import (AssignForm, AttachmentForm, ContributionForm, ResultForm,
                                   TransitionForm)
from app.web import go, page, wants_fragment

bp = Blueprint("submissions", __name__, url_prefix="/tasks")


def _render(task, status=200, message=None, kind="success", result_form=None,
            contribution_form=None, upload_error=None, message_at="panel"):
    """`message_at` names the part of the page the user acted in (panel, assign, contribute):
    the message is shown and focused there, not at the top of a long page."""
    sub = task.submission
    assign_form = AssignForm()
    can_assign = access.can_assign(current_user, task)
    if can_assign:
        assign_form.user_ids.choices = [(u.id, u.full_name) for u in services.assignable_users(task)]
        assign_form.user_ids.data = [u.id for u in task.assignees]
    if result_form is None:
        result_form = ResultForm(formdata=None, data={
            "result_text": sub.result_text if sub else "", "version": sub.version if sub else ""})
    return page(
        "submissions/task.html", block="task_body", status=status, task=task, sub=sub,
        message=message, message_kind=kind, message_at=message_at,
        can_view=access.can_view_submission_content(current_user, task),
        can_edit=access.can_edit_submission(current_user, task),
        can_assign=can_assign, assign_form=assign_form,
        can_contribute=access.can_contribute(current_user, task),
        transitions=access.available_transitions(current_user, task),
        result_form=result_form, attachment_form=AttachmentForm(),
        contribution_form=contribution_form or ContributionForm(formdata=None),
        contributions=services.contributions(task), upload_error=upload_error,
        workflow=wf.SUBMISSION, can_cascade=access.can_cascade(current_user, task),
        cascade=plans_services.cascade_progress(current_user, task), due=task_status(task),
        holder=services.holder(task))


def _done(task, message: str, message_at: str = "panel"):
    """After a successful POST: the refreshed fragment for htmx, a redirect otherwise."""
    if wants_fragment():
        return _render(task, message=message, message_at=message_at)
    flash(message, "success")
    return go("submissions.task", task_id=task.id)


@bp.get("/<int:task_id>")
@login_required
def task(task_id: int):
    return _render(services.get_task(current_user, task_id))


@bp.post("/<int:task_id>/result")
@login_required
def save(task_id: int):
    task = services.get_task(current_user, task_id)
    form = ResultForm()
    if not form.validate():
        return _render(task, status=400, result_form=form, message="Nội dung chưa hợp lệ.", kind="danger")
    try:
        services.save_draft(current_user, task, form.result_text.data, form.version.data)
    except services.StaleSubmission as e:
        return _render(task, status=409, result_form=form, message=e.description, kind="danger")
    return _done(task, "Đã lưu bản nháp.")


@bp.post("/<int:task_id>/transition/<name>")
@login_required
def transition(task_id: int, name: str):
    task = services.get_task(current_user, task_id)
    form = TransitionForm()
    # The transition buttons of an editable result sit in its form and post the text with them.
    typed = ResultForm() if "result_text" in request.form else None
    if typed is not None and not typed.validate():
        return _render(task, status=400, result_form=typed, kind="danger",
                       message="Chưa trình: nội dung chưa hợp lệ.")
    try:
        services.transition(current_user, task, name, form.comment.data, form.version.data,
                            text=typed.result_text.data if typed is not None else None)
    except (services.StaleSubmission, wf.TransitionRefused) as e:
        reason = e.description if isinstance(e, services.StaleSubmission) else e.reason
        return _render(task, status=409, result_form=typed, message=reason, kind="danger")
    return _done(task, f"Đã chuyển: {wf.SUBMISSION.label(task.submission.state)}.")


@bp.post("/<int:task_id>/assign")
@login_required
def assign(task_id: int):
    task = services.get_task(current_user, task_id)
    services.assign(current_user, task, request.form.getlist("user_ids", type=int))
    return _done(task, "Đã cập nhật phân công.", "assign")


@bp.post("/<int:task_id>/contributions")
@login_required
def contribute(task_id: int):
    task = services.get_task(current_user, task_id)
    if not access.can_contribute(current_user, task):  # before reading the form
        abort(403, "Chỉ đơn vị phối hợp được góp ý kiến cho nhiệm vụ này.")
    form = ContributionForm()
    if not form.validate():
        return _render(task, status=400, contribution_form=form, message_at="contribute")
    services.add_contribution(current_user, task, form.text.data)
    return _done(task, "Đã gửi ý kiến phối hợp.", "contribute")


@bp.post("/<int:task_id>/attachments")
@login_required
def upload(task_id: int):
    task = services.get_task(current_user, task_id)
    try:
        services.add_attachment(current_user, task, request.files.get("file"))
    except services.UploadRefused as e:
        return _render(task, status=400, upload_error=e.reason)
    return _done(task, "Đã đính kèm tệp.")


@bp.get("/<int:task_id>/attachments/<int:attachment_id>")
@login_required
def download(task_id: int, attachment_id: int):
    task = services.get_task(current_user, task_id)
    att, path = services.get_attachment(current_user, task, attachment_id)
    return send_file(path, as_attachment=True, download_name=att.filename,
                     mimetype="application/octet-stream")


@bp.post("/<int:task_id>/attachments/<int:attachment_id>/delete")
@login_required
def remove(task_id: int, attachment_id: int):
    task = services.get_task(current_user, task_id)
    services.remove_attachment(current_user, task, attachment_id)
    return _done(task, "Đã gỡ tệp.")
