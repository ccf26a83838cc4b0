"""Submission use cases: the lead unit drafts, the head approves, the office accepts or returns.
Every step is recorded (who, when, from, to, comment, and the text as it stood)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import Conflict, Forbidden, NotFound

from app import access
from app.clock import now
from app.domain import workflow as wf
from app.domain.filecheck import MIME_TYPES, check_content
from app.extensions import db
from app.models import (Attachment, Contribution, Submission, SubmissionEvent, Task,
                        TaskAssignee, User)
from app.delegations import services as delegations
from app.notifications.services import notify, users_with


class StaleSubmission(Conflict):
    description = ("Kết quả đã được người khác thay đổi trong lúc bạn đang thao tác. "
                   "Tải lại trang để xem bản mới nhất; nội dung bạn vừa nhập vẫn được giữ bên dưới.")


class UploadRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def get_task(user: User, task_id: int) -> Task:
    task = db.session.scalar(select(Task).where(Task.id == task_id).options(
        selectinload(Task.plan), selectinload(Task.lead_unit), selectinload(Task.cooperating_units),
        selectinload(Task.assignees),
        selectinload(Task.submission).selectinload(Submission.events).selectinload(SubmissionEvent.actor),
        selectinload(Task.submission).selectinload(Submission.events).selectinload(SubmissionEvent.on_behalf_of),
        selectinload(Task.submission).selectinload(Submission.attachments)))
    if task is None or not access.task_is_visible(user, task):
        raise NotFound()
    return task


def contributions(task: Task) -> list[Contribution]:
    return list(db.session.scalars(select(Contribution).where(Contribution.task_id == task.id)
                                   .options(selectinload(Contribution.unit),
                                            selectinload(Contribution.author))
                                   .order_by(Contribution.id)))


def assignable_users(task: Task) -> list[User]:
    return list(db.session.scalars(select(User).where(access.assignable_filter(task))
                                   .order_by(User.full_name)))


def _check_version(sub: Submission, version: str | int | None) -> None:
    if version in (None, ""):
        return
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise StaleSubmission()
    if expected != sub.version:
        raise StaleSubmission()


def _event(sub: Submission, user: User, action: str, from_state=None, to_state=None,
           comment=None, snapshot=None, on_behalf_of_id: int | None = None) -> None:
    sub.events.append(SubmissionEvent(actor_id=user.id, action=action, from_state=from_state,
                                      to_state=to_state, comment=comment, snapshot=snapshot,
                                      on_behalf_of_id=on_behalf_of_id, created_at=now()))


def _apply_text(user: User, sub: Submission, text: str | None) -> None:
    text = (text or "").strip()
    if text != sub.result_text:
        sub.result_text = text
        sub.version += 1
        sub.updated_by_id = user.id
        sub.updated_at = now()
        _event(sub, user, "save")


def save_draft(user: User, task: Task, text: str, version) -> None:
    if not access.can_edit_submission(user, task):
        raise Forbidden("Bạn không sửa được kết quả này (chưa được giao, hoặc đã trình).")
    sub = task.submission
    _check_version(sub, version)
    _apply_text(user, sub, text)
    db.session.commit()


def transition(user: User, task: Task, name: str, comment: str | None, version,
               text: str | None = None) -> str:
    """Move the submission; `text` (the result field posted with the button) is saved first, in
    the same transaction, so pressing "Trình" without "Lưu nháp" never drops what was typed.
    A refused move saves nothing: the caller shows the typed text again with the reason."""
    sub = task.submission
    if sub is None:
        raise NotFound()
    _check_version(sub, version)
    try:
        if text is not None and access.can_edit_submission(user, task):
            _apply_text(user, sub, text)
        return _move(user, task, sub, name, comment)
    except Exception:
        db.session.rollback()
        raise


def _move(user: User, task: Task, sub: Submission, name: str, comment: str | None) -> str:
    if name == "submit" and not (sub.result_text or sub.attachments or _has_reviews(task)):
        raise wf.TransitionRefused("Chưa có kết quả: nhập nội dung, đính kèm tệp hoặc điền phiếu "
                                   "rà soát trước khi trình.")
    old = sub.state
    sub.state = wf.move(wf.SUBMISSION, old, name, access.task_actors(user, task), comment)
    behalf = access.submission_behalf(user, task, name)
    sub.version += 1
    sub.updated_at = now()
    comment = (comment or "").strip() or None
    if name == "approve" and sub.submitted_at is None:
        sub.submitted_at = now()
    if name == "accept":
        sub.accepted_at = now()
    _event(sub, user, name, old, sub.state, comment,
           snapshot=sub.result_text if name in ("submit", "approve", "accept") else None,
           on_behalf_of_id=behalf)
    _notify_transition(user, task, name, comment)
    if behalf is not None:
        t = wf.SUBMISSION.transition(name)
        delegations.notify_behalf(user, behalf, f"“{t.label}”: {task.content[:80]}",
                                  url_for("submissions.task", task_id=task.id))
    db.session.commit()
    return sub.state


def _has_reviews(task: Task) -> bool:
    from app.reviews.services import has_filled_reviews  # the review forms are a result too
    return has_filled_reviews(task.id)


def _notify_transition(user: User, task: Task, name: str, comment: str | None) -> None:
    link = url_for("submissions.task", task_id=task.id)
    short = task.content if len(task.content) <= 80 else task.content[:77] + "..."
    heads = users_with(("head", "local"), task.lead_unit_id)
    if name == "submit":  # the head's delegates (and deputies with standing rights) are told too
        heads = heads + delegations.approvers_for_unit(task.lead_unit_id, task.plan_id)
        notify(heads, "submitted", f"Chờ duyệt: {short}", link, exclude=user)
    elif name == "approve":
        notify(users_with("office", agency_id=task.plan.agency_id), "approved", f"{task.lead_unit.name} gửi kết quả: {short}", link)
    elif name in ("head_return", "office_return"):
        notify(list(task.assignees) + (heads if name == "office_return" else []), "returned",
               f"Bị trả lại: {short} — {comment}", link, exclude=user)
    elif name == "accept":
        notify(list(task.assignees) + heads, "accepted", f"Văn phòng đã tiếp nhận: {short}", link)


def assign(user: User, task: Task, user_ids: list[int]) -> None:
    if not access.can_assign(user, task):
        raise Forbidden("Chỉ Trưởng phòng của đơn vị chủ trì được giao việc.")
    allowed = {u.id: u for u in assignable_users(task)}
    wanted = {i for i in user_ids if i in allowed}
    current = {a.user_id: a for a in db.session.scalars(
        select(TaskAssignee).where(TaskAssignee.task_id == task.id))}
    added = wanted - current.keys()
    removed = current.keys() - wanted
    for uid in removed:
        db.session.delete(current[uid])
    for uid in added:
        db.session.add(TaskAssignee(task_id=task.id, user_id=uid, assigned_by_id=user.id,
                                    assigned_at=now()))
    if added or removed:
        names = ", ".join(allowed[i].full_name for i in sorted(wanted)) or "(không ai)"
        _event(task.submission, user, "assign", comment=f"Giao cho: {names}")
        notify([allowed[i] for i in added], "assigned",
               f"Bạn được giao nhiệm vụ: {task.content[:200]}",
               url_for("submissions.task", task_id=task.id))
    db.session.commit()


def add_contribution(user: User, task: Task, text: str) -> None:
    if not access.can_contribute(user, task):
        raise Forbidden("Chỉ đơn vị phối hợp được góp ý kiến cho nhiệm vụ này.")
    db.session.add(Contribution(task_id=task.id, unit_id=user.unit_id, author_id=user.id,
                                text=text.strip(), created_at=now()))
    notify(users_with(("head", "local"), task.lead_unit_id) + list(task.assignees), "contribution",
           f"{user.unit.name} gửi ý kiến phối hợp: {task.content[:150]}",
           url_for("submissions.task", task_id=task.id))
    db.session.commit()


# ---- attachments --------------------------------------------------------------------------

def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _display_name(filename: str) -> str:
    """Keep the user's name for display only: no directories, no control characters."""
    name = filename.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:200] or "tep-dinh-kem"


def add_attachment(user: User, task: Task, file: FileStorage | None) -> Attachment:
    if not access.can_edit_submission(user, task):
        raise Forbidden("Bạn không đính kèm được vào kết quả này.")
    if file is None or not file.filename:
        raise UploadRefused("Chọn tệp cần đính kèm.")
    allowed = current_app.config["UPLOAD_EXTENSIONS"]
    name = _display_name(file.filename)
    ext = _extension(name)
    if ext not in allowed:
        raise UploadRefused(f"Loại tệp .{ext or '?'} không được phép. Cho phép: "
                            + ", ".join(sorted(allowed)) + ".")
    data = file.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    if len(data) > current_app.config["MAX_CONTENT_LENGTH"]:
        raise UploadRefused("Tệp vượt quá dung lượng cho phép.")
    if not data:
        raise UploadRefused("Tệp rỗng.")
    problem = check_content(ext, data)
    if problem:
        raise UploadRefused(problem)
    stored = f"{secrets.token_hex(16)}.{ext}"
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    att = Attachment(submission_id=task.submission.id, filename=name, stored_name=stored,
                     content_type=MIME_TYPES.get(ext, "application/octet-stream"), size=len(data),
                     uploaded_by_id=user.id, created_at=now())
    db.session.add(att)
    _event(task.submission, user, "attach", comment=f"Đính kèm: {name}")
    task.submission.version += 1
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        (folder / stored).unlink(missing_ok=True)  # no orphan file when the row was not written
        raise
    return att


def get_attachment(user: User, task: Task, attachment_id: int) -> tuple[Attachment, str]:
    att = next((a for a in task.submission.attachments if a.id == attachment_id), None) \
        if task.submission else None
    if att is None or not access.can_view_submission_content(user, task):
        raise NotFound()
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], att.stored_name)
    if not os.path.isfile(path):
        raise NotFound()
    return att, path


def remove_attachment(user: User, task: Task, attachment_id: int) -> None:
    if not access.can_edit_submission(user, task):
        raise Forbidden("Bạn không xóa được tệp của kết quả này.")
    att = next((a for a in task.submission.attachments if a.id == attachment_id), None)
    if att is None:
        raise NotFound()
    # The file stays on disk: history keeps what was once attached.
    task.submission.attachments.remove(att)
    _event(task.submission, user, "detach", comment=f"Gỡ tệp: {att.filename}")
    task.submission.version += 1
    db.session.commit()



def holder(task: Task) -> str | None:
    """Who holds the task now (workflow.submission_holder) with the names of this task: the
    office of the plan's agency that accepts it (one query), and for a province task the lead
    agency itself (its office answers, its leadership approves)."""
    from app.domain import workflow as wf
    from app.models import Unit
    sub = task.submission
    office = db.session.scalar(select(Unit.name).where(Unit.agency_id == task.plan.agency_id, Unit.kind == "office")
                               .order_by(Unit.sort_order, Unit.id).limit(1)) or "Văn phòng"
    lead, head = task.lead_unit.name, None
    if access.is_provincial(task):
        lead = task.lead_unit.agency.short_name
        head = f"Lãnh đạo {lead}"
    return wf.submission_holder(sub.state if sub else None, lead, [u.full_name for u in task.assignees],
                                office=office, head=head)
