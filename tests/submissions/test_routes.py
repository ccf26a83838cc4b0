import io

from app.extensions import db
from app.models import (Attachment, Contribution, Notification, Submission, SubmissionEvent,
                        TaskAssignee)
from tests.conftest import login
from tests.factories import make_plan


def _task(world, **kw):
    plan = make_plan(world, tasks=[{"lead": world.div_a, "cooperating": [world.div_b], **kw}])
    return plan.tasks[0]


def _sub(task):
    db.session.expire_all()
    return db.session.scalar(db.select(Submission).where(Submission.task_id == task.id))


def test_full_loop_with_return_and_resubmit(client, world):
    task = _task(world)
    login(client, world.staff_a)
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Đã rà soát 03 TTHC", "version": "1"})
    assert r.status_code == 302
    assert client.post(f"/tasks/{task.id}/transition/submit").status_code == 302
    assert _sub(task).state == "submitted"
    login(client, world.head_a)
    assert client.post(f"/tasks/{task.id}/transition/approve").status_code == 302
    assert _sub(task).state == "approved" and _sub(task).submitted_at is not None
    login(client, world.office_user)
    r = client.post(f"/tasks/{task.id}/transition/office_return", data={"comment": ""})
    assert r.status_code == 409 and "cần ghi rõ lý do" in r.get_data(as_text=True)
    client.post(f"/tasks/{task.id}/transition/office_return", data={"comment": "Bổ sung biểu mẫu 02"})
    assert _sub(task).state == "returned"
    login(client, world.staff_a)
    client.post(f"/tasks/{task.id}/result", data={"result_text": "Đã rà soát 03 TTHC, kèm biểu mẫu 02"})
    client.post(f"/tasks/{task.id}/transition/submit")
    login(client, world.head_a)
    client.post(f"/tasks/{task.id}/transition/approve")
    login(client, world.office_user)
    client.post(f"/tasks/{task.id}/transition/accept")
    sub = _sub(task)
    assert sub.state == "accepted" and sub.accepted_at is not None
    events = db.session.scalars(db.select(SubmissionEvent).where(SubmissionEvent.submission_id == sub.id)
                                .order_by(SubmissionEvent.id)).all()
    moves = [(e.action, e.from_state, e.to_state) for e in events if e.to_state]
    assert moves == [("submit", "draft", "submitted"), ("approve", "submitted", "approved"),
                     ("office_return", "approved", "returned"), ("submit", "returned", "submitted"),
                     ("approve", "submitted", "approved"), ("accept", "approved", "accepted")]
    # the first submitted text is kept although it was edited afterwards
    snapshots = [e.snapshot for e in events if e.action == "submit"]
    assert snapshots == ["Đã rà soát 03 TTHC", "Đã rà soát 03 TTHC, kèm biểu mẫu 02"]
    assert next(e.comment for e in events if e.action == "office_return") == "Bổ sung biểu mẫu 02"
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Bổ sung biểu mẫu 02" in page and "Hoàn thành" in page
    kinds = set(db.session.scalars(db.select(Notification.kind)))
    assert {"submitted", "approved", "returned", "accepted"} <= kinds


def test_submit_without_result_refused(client, world):
    task = _task(world)
    login(client, world.staff_a)
    r = client.post(f"/tasks/{task.id}/transition/submit")
    assert r.status_code == 409 and "Chưa có kết quả" in r.get_data(as_text=True)


def test_wrong_role_transitions_refused(client, world):
    task = _task(world, state="submitted", result_text="x")
    for user in (world.staff_a, world.office_user, world.head_b, world.leader):
        login(client, user)
        r = client.post(f"/tasks/{task.id}/transition/approve")
        assert r.status_code in (404, 409), user.username
    assert _sub(task).state == "submitted"
    login(client, world.office_user)
    r = client.post(f"/tasks/{task.id}/transition/accept")
    assert r.status_code == 409 and "Chờ Trưởng phòng duyệt" in r.get_data(as_text=True)


def test_other_unit_cannot_see_task(client, world):
    plan = make_plan(world, tasks=[{"lead": world.div_a}])
    task = plan.tasks[0]
    login(client, world.staff_b)
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert client.post(f"/tasks/{task.id}/result", data={"result_text": "hack"}).status_code == 404
    login(client, world.local_user)
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_draft_plan_tasks_invisible_to_units(client, world):
    plan = make_plan(world, state="draft", tasks=[{"lead": world.div_a}])
    login(client, world.head_a)
    assert client.get(f"/tasks/{plan.tasks[0].id}").status_code == 404


def test_cooperating_unit_cannot_read_lead_draft_but_can_contribute(client, world):
    task = _task(world, result_text="Bản nháp nội bộ của phòng A")
    login(client, world.staff_b)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Bản nháp nội bộ của phòng A" not in page
    r = client.post(f"/tasks/{task.id}/contributions", data={"text": ""})
    assert r.status_code == 400 and "Nhập nội dung phối hợp." in r.get_data(as_text=True)
    assert client.post(f"/tasks/{task.id}/contributions", data={"text": "Phòng B thống nhất"}).status_code == 302
    c = db.session.scalar(db.select(Contribution))
    assert c.unit_id == world.div_b.id and c.text == "Phòng B thống nhất"
    login(client, world.staff_a)
    assert "Phòng B thống nhất" in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    # the lead unit cannot post as cooperating unit
    assert client.post(f"/tasks/{task.id}/contributions", data={"text": "x"}).status_code == 403


def test_office_reads_result_only_after_head_approval(client, world):
    task = _task(world, result_text="Nội dung chưa duyệt", state="submitted")
    login(client, world.office_user)
    assert "Nội dung chưa duyệt" not in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    s = _sub(task)
    s.state = "approved"
    db.session.commit()
    assert "Nội dung chưa duyệt" in client.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_unassigned_staff_cannot_edit(client, world):
    task = _task(world)
    login(client, world.staff_a2)
    assert client.post(f"/tasks/{task.id}/result", data={"result_text": "x"}).status_code == 403


def test_stale_version_is_refused_and_input_kept(client, world):
    task = _task(world)
    login(client, world.staff_a)
    client.post(f"/tasks/{task.id}/result", data={"result_text": "Bản 1", "version": "1"})
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Bản của người đến sau", "version": "1"})
    body = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "người khác thay đổi" in body and "Bản của người đến sau" in body
    assert _sub(task).result_text == "Bản 1"


def test_stale_transition_refused(client, world):
    task = _task(world, state="approved", result_text="x")
    login(client, world.office_user)
    r = client.post(f"/tasks/{task.id}/transition/accept", data={"version": "0"})
    assert r.status_code == 409
    assert _sub(task).state == "approved"


def test_htmx_save_returns_fragment(client, world):
    task = _task(world)
    login(client, world.staff_a)
    r = client.post(f"/tasks/{task.id}/result", data={"result_text": "Nháp htmx"},
                    headers={"HX-Request": "true", "HX-Target": "task-body"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Đã lưu bản nháp." in body and "<html" not in body


def test_assignment_by_head(client, world):
    task = _task(world, assignees=[])
    login(client, world.staff_a)
    assert client.post(f"/tasks/{task.id}/assign", data={"user_ids": [world.staff_a.id]}).status_code == 403
    login(client, world.head_b)
    assert client.post(f"/tasks/{task.id}/assign", data={"user_ids": [world.staff_b.id]}).status_code == 403
    login(client, world.head_a)
    r = client.post(f"/tasks/{task.id}/assign", data={"user_ids": [world.staff_a.id, world.staff_a2.id, world.staff_b.id]})
    assert r.status_code == 302
    assigned = set(db.session.scalars(db.select(TaskAssignee.user_id)))
    assert assigned == {world.staff_a.id, world.staff_a2.id}  # staff of another unit is ignored
    assert db.session.scalar(db.select(Notification).where(Notification.user_id == world.staff_a2.id,
                                                           Notification.kind == "assigned"))
    client.post(f"/tasks/{task.id}/assign", data={"user_ids": [world.staff_a2.id]})
    assert set(db.session.scalars(db.select(TaskAssignee.user_id))) == {world.staff_a2.id}


def test_attachment_upload_checks(client, world, app):
    task = _task(world)
    login(client, world.staff_a)
    r = client.post(f"/tasks/{task.id}/attachments", data={"file": (io.BytesIO(b"<script>"), "x.exe")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "không được phép" in r.get_data(as_text=True)
    r = client.post(f"/tasks/{task.id}/attachments", data={"file": (io.BytesIO(b""), "empty.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 400 and "Tệp rỗng" in r.get_data(as_text=True)
    r = client.post(f"/tasks/{task.id}/attachments",
                    data={"file": (io.BytesIO(b"%PDF-1.4 data"), "../../etc/bao-cao.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    att = db.session.scalar(db.select(Attachment))
    assert att.filename == "bao-cao.pdf" and "/" not in att.stored_name and att.stored_name.endswith(".pdf")
    r = client.get(f"/tasks/{task.id}/attachments/{att.id}")
    assert r.status_code == 200 and r.data == b"%PDF-1.4 data"
    login(client, world.staff_b)  # another unit never downloads a draft's file
    assert client.get(f"/tasks/{task.id}/attachments/{att.id}").status_code == 404


def test_oversize_upload_refused(client, world, app):
    task = _task(world)
    login(client, world.staff_a)
    old = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        r = client.post(f"/tasks/{task.id}/attachments", data={"file": (io.BytesIO(b"x" * 5000), "big.pdf")},
                        content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    assert r.status_code == 413
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0


def test_remove_attachment_keeps_history(client, world):
    task = _task(world)
    login(client, world.staff_a)
    from tests.domain.test_filecheck import DOCX  # a real package: uploads are checked by content
    client.post(f"/tasks/{task.id}/attachments", data={"file": (io.BytesIO(DOCX), "a.docx")},
                content_type="multipart/form-data")
    att = db.session.scalar(db.select(Attachment))
    assert client.post(f"/tasks/{task.id}/attachments/{att.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
    comments = db.session.scalars(db.select(SubmissionEvent.comment)).all()
    assert "Đính kèm: a.docx" in comments and "Gỡ tệp: a.docx" in comments


def test_text_is_escaped(client, world):
    task = _task(world)
    login(client, world.staff_a)
    client.post(f"/tasks/{task.id}/result", data={"result_text": "<script>alert(1)</script>"})
    body = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# ---- the typed result is never erased by a transition button (issue 17, item 2) -------------

HX = {"HX-Request": "true", "HX-Target": "task-body"}


def test_submit_button_belongs_to_the_result_form(client, world):
    """The button posts the text in the field: it sits in the form of the text area."""
    import re
    task = _task(world)
    login(client, world.staff_a)
    body = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="result-form".*?</form>', body, re.S).group(0)
    assert 'name="result_text"' in form
    assert f'formaction="/tasks/{task.id}/transition/submit"' in form
    assert "Trình Trưởng phòng" in form


def test_submit_saves_what_is_typed_without_save_draft(client, world):
    task = _task(world)
    login(client, world.staff_a)
    r = client.post(f"/tasks/{task.id}/transition/submit",
                    data={"result_text": "Kết quả gõ rồi trình ngay", "version": "1"}, headers=HX)
    assert r.status_code == 200
    sub = _sub(task)
    assert sub.state == "submitted" and sub.result_text == "Kết quả gõ rồi trình ngay"
    events = [(e.action, e.snapshot) for e in sorted(sub.events, key=lambda e: e.id)]
    assert ("save", None) in events and ("submit", "Kết quả gõ rồi trình ngay") in events


def test_refused_submit_keeps_the_typed_text_and_says_why_beside_the_button(client, world):
    task = _task(world)
    login(client, world.staff_a)
    client.post(f"/tasks/{task.id}/result", data={"result_text": "Bản 1", "version": "1"})
    # Someone else saved meanwhile: this tab still holds version 1.
    r = client.post(f"/tasks/{task.id}/transition/submit",
                    data={"result_text": "Bản tôi vừa gõ", "version": "1"}, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "Bản tôi vừa gõ</textarea>" in body
    panel = body[body.index('id="submission-panel"'):]
    assert "người khác thay đổi" in panel.split("</article>")[0]
    assert 'aria-live' in panel.split("</article>")[0]
    sub = _sub(task)
    assert sub.state == "draft" and sub.result_text == "Bản 1"


def test_submit_with_empty_field_is_refused_with_the_message_in_the_panel(client, world):
    task = _task(world)
    login(client, world.staff_a)
    r = client.post(f"/tasks/{task.id}/transition/submit", data={"result_text": "  ", "version": "1"},
                    headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 409
    panel = body[body.index('id="submission-panel"'):].split("</article>")[0]
    assert "Chưa có kết quả" in panel and 'data-focus-message' in panel
    assert _sub(task).state == "draft"


def test_attachment_checked_by_content_not_name(client, world):
    """Issue 17 item 9f: an executable renamed .pdf is refused, with the reason next to the
    file field; the stored type comes from the content."""
    task = _task(world)
    login(client, world.staff_a)
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode"
    r = client.post(f"/tasks/{task.id}/attachments", data={"file": (io.BytesIO(exe), "bao-cao.pdf")},
                    content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "chương trình chạy được" in body and 'class="invalid-feedback field-error"' in body
    assert db.session.scalar(db.select(db.func.count(Attachment.id))) == 0
    r = client.post(f"/tasks/{task.id}/attachments",
                    data={"file": (io.BytesIO(b"%PDF-1.4 ok"), "bao-cao.pdf", "application/x-msdownload")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    assert db.session.scalar(db.select(Attachment.content_type)) == "application/pdf"
