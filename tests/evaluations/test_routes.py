"""Evaluations end to end through the routes: figures computed from the recorded work, the
tasks behind a figure, the head's mark and correction, the person's comment, the moves with
the snapshot frozen at close, reopening as a new version, the XLSX/DOCX, the dashboard, the
schemes, and who may see what."""
from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
from docx import Document
from sqlalchemy import select

from app.extensions import db
from app.models import (AuditEvent, Contribution, Evaluation, EvaluationCorrection, EvaluationScheme, Submission,
                        SubmissionEvent)
from tests.conftest import login
from tests.factories import add_task, make_plan


def _accept(task, day: date):
    sub = task.submission
    sub.state, sub.accepted_at = "accepted", datetime(day.year, day.month, day.day, 3, 0)


def scenario(w):
    """May 2022 of div_a (today 20/05/2022): staff_a has 1 on time, 1 late by 3 working days
    (returned once by the head), 1 overdue, and cooperated (a contribution) on div_b's task,
    done on time; staff_a2 has one task not yet due."""
    plan = make_plan(w, tasks=[])
    t1 = add_task(w, plan, 1, "NV-DUNGHAN", due_on=date(2022, 5, 10))
    t2 = add_task(w, plan, 2, "NV-CHAMHAN", due_on=date(2022, 5, 10))
    t3 = add_task(w, plan, 3, "NV-QUAHAN", due_on=date(2022, 5, 12))
    t4 = add_task(w, plan, 4, "NV-CHUADEN", due_on=date(2022, 5, 30), assignees=[w.staff_a2])
    t5 = add_task(w, plan, 5, "NV-PHOIHOP", lead=w.div_b, cooperating=[w.div_a], due_on=date(2022, 5, 16))
    t6 = add_task(w, plan, 6, "NV-THANGSAU", due_on=date(2022, 6, 10))
    _accept(t1, date(2022, 5, 9))
    _accept(t2, date(2022, 5, 13))
    _accept(t5, date(2022, 5, 16))
    db.session.add(SubmissionEvent(submission_id=t2.submission.id, actor_id=w.head_a.id, action="head_return",
                                   from_state="submitted", to_state="returned", comment="Làm lại"))
    db.session.add(Contribution(task_id=t5.id, unit_id=w.div_a.id, author_id=w.staff_a.id, text="Góp ý"))
    db.session.commit()
    return plan, (t1, t2, t3, t4, t5, t6)


def _open(client, w, kind="month", number=5, year=2022, unit=None):
    r = client.post("/evaluations/", data={"unit_id": (unit or w.div_a).id, "kind": kind, "number": number,
                                           "year": year})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return int(r.headers["Location"].rstrip("/").split("/")[-1])


def test_head_sees_the_figures_computed_from_the_work(world, client):
    w = world
    scenario(w)
    login(client, w.head_a)
    ev_id = _open(client, w)
    html = client.get(f"/evaluations/{ev_id}").get_data(as_text=True)
    assert "Lê Chuyên A" in html and "Đỗ Chuyên A2" in html and "tính đến ngày 20/05/2022" in html
    from app.evaluations import services
    ev = db.session.get(Evaluation, ev_id)
    rows = {r["name"]: r for r in services.sheet(ev)["people"]}
    a = rows["Lê Chuyên A"]
    assert a["figures"] == {"assigned": 4, "on_time": 2, "late": 1, "late_days": 3, "not_done": 1, "overdue": 1,
                            "returned": 1}
    assert a["roles"]["assignee"]["assigned"] == 3 and a["roles"]["cooperating"]["on_time"] == 1
    assert rows["Đỗ Chuyên A2"]["figures"]["not_done"] == 1
    assert rows["Đỗ Chuyên A2"]["score"]["rating_label"] == "Không có nhiệm vụ đến hạn trong kỳ"
    head = rows["Trần Trưởng A"]
    assert head["roles"]["lead"]["assigned"] == 4 and head["figures"]["returned"] == 1
    assert a["score"]["total"] is not None and a["score"]["rating"] in ("good", "done", "excellent", "failed")
    # drill down: the late figure's task, with its working days late, linked to its page
    tasks = client.get(f"/evaluations/{ev_id}/people/{w.staff_a.id}/tasks?figure=late").get_data(as_text=True)
    assert "NV-CHAMHAN" in tasks and "NV-DUNGHAN" not in tasks and "Chậm 3 ngày làm việc" in tasks
    t2 = db.session.scalar(select(Submission.task_id).join(SubmissionEvent))
    assert f"/tasks/{t2}" in tasks
    coop = client.get(f"/evaluations/{ev_id}/people/{w.staff_a.id}/tasks?figure=assigned&role=cooperating")
    assert "NV-PHOIHOP" in coop.get_data(as_text=True)
    assert "NV-THANGSAU" not in client.get(f"/evaluations/{ev_id}/people/{w.staff_a.id}/tasks").get_data(as_text=True)
    assert client.get(f"/evaluations/{ev_id}/people/{w.staff_a.id}/tasks?figure=nope").status_code == 404


def test_mark_correct_comment_propose_confirm_close_reopen(world, client):
    w = world
    scenario(w)
    login(client, w.head_a)
    ev_id = _open(client, w)
    base = f"/evaluations/{ev_id}/people/{w.staff_a.id}"
    bad = client.post(f"{base}/mark", data={"quality": "120", "head_comment": "Tốt"})
    assert bad.status_code == 400 and "từ 0 đến 100" in bad.get_data(as_text=True)
    assert "Tốt" in bad.get_data(as_text=True)   # what was typed stays
    assert client.post(f"{base}/mark", data={"quality": "95", "head_comment": "Hoàn thành tốt"}).status_code == 302
    no_reason = client.post(f"{base}/correct", data={"figure": "overdue", "value": "0", "reason": ""})
    assert no_reason.status_code == 400 and "lý do" in no_reason.get_data(as_text=True)
    r = client.post(f"{base}/correct", data={"figure": "overdue", "value": "0", "reason": "Đã xong, Văn phòng chưa tiếp nhận"})
    assert r.status_code == 302
    c = db.session.scalar(select(EvaluationCorrection))
    assert (c.computed_value, c.corrected_value) == (1, 0)
    page = client.get(base).get_data(as_text=True)
    assert "tính từ dữ liệu" in page and "Hoàn thành tốt" in page
    # the person comments on their own results; a colleague may not even read them
    login(client, w.staff_a)
    assert client.post(f"{base}/comment", data={"comment": "Tôi đồng ý"}).status_code == 302
    assert client.get(f"/evaluations/{ev_id}").status_code == 403
    assert client.post(f"{base}/mark", data={"quality": "100"}).status_code == 403
    login(client, w.staff_a2)
    assert client.get(base).status_code == 403
    assert client.get(f"/evaluations/{ev_id}/people/{w.staff_a2.id}").status_code == 200
    # the office is not the personnel office; the other unit's head neither
    for u in (w.office_user, w.head_b):
        login(client, u)
        assert client.get(base).status_code == 403
    # the leader may not propose; the head proposes; then marks are refused
    login(client, w.leader)
    r = client.post(f"/evaluations/{ev_id}/move/propose")
    assert r.status_code == 409 and "không có quyền" in r.get_data(as_text=True)
    login(client, w.head_a)
    assert client.post(f"/evaluations/{ev_id}/move/propose").status_code == 302
    refused = client.post(f"{base}/mark", data={"quality": "50"})
    assert refused.status_code == 409 and "chỉ sửa được khi" in refused.get_data(as_text=True)
    login(client, w.leader)
    assert client.post(f"/evaluations/{ev_id}/move/confirm").status_code == 302
    assert client.post(f"/evaluations/{ev_id}/move/close").status_code == 302
    ev = db.session.get(Evaluation, ev_id)
    db.session.refresh(ev)
    assert ev.state == "closed" and ev.snapshot
    frozen = {p["name"]: p for p in ev.snapshot["people"]}["Lê Chuyên A"]
    assert frozen["figures"]["overdue"] == 0 and frozen["quality"] == 95 and frozen["person_comment"] == "Tôi đồng ý"
    # work recorded after closing does not change the closed sheet
    t3 = db.session.scalar(select(Submission).join(Submission.task).where(Submission.state == "draft"))
    t3.state, t3.accepted_at = "accepted", datetime(2022, 5, 19, 3)
    db.session.commit()
    x = openpyxl.load_workbook(io.BytesIO(client.get(f"/evaluations/{ev_id}/unit.xlsx").data)).active
    names = [x.cell(r, 2).value for r in range(1, x.max_row + 1)]
    row = names.index("Lê Chuyên A") + 1
    header = [x.cell(5, c).value or x.cell(4, c).value for c in range(1, x.max_column + 1)]
    cell = lambda title: x.cell(row, header.index(title) + 1).value  # noqa: E731
    # the frozen figures (task 3 accepted after closing changes nothing), overdue as corrected
    assert (cell("Tổng số"), cell("Đúng hạn"), cell("Chậm hạn"), cell("Số ngày chậm")) == (4, 2, 1, 3)
    assert (cell("Chưa hoàn thành"), cell("Chưa hoàn thành, quá hạn"), cell("Bị trả lại")) == (1, 0, 1)
    assert cell("Nhận xét của Trưởng phòng") == "Hoàn thành tốt" and cell("Điểm chất lượng của Trưởng phòng") == 95
    assert cell("Mức xếp loại đề xuất") == frozen["score"]["rating_label"]
    assert cell("Tổng điểm") == frozen["score"]["total"]
    # staff_a may no longer comment
    login(client, w.staff_a)
    assert client.post(f"{base}/comment", data={"comment": "Muộn"}).status_code == 409
    # reopen needs a reason and creates version 2; version 1 stays closed
    login(client, w.leader)
    assert client.post(f"/evaluations/{ev_id}/move/reopen", data={"comment": ""}).status_code == 409
    r = client.post(f"/evaluations/{ev_id}/move/reopen", data={"comment": "Sửa theo kiến nghị"})
    assert r.status_code == 302
    v2 = db.session.scalar(select(Evaluation).where(Evaluation.version == 2))
    assert v2.state == "open" and v2.reopen_reason == "Sửa theo kiến nghị" and v2.previous_id == ev_id
    db.session.refresh(ev)
    assert ev.state == "closed" and not ev.current
    assert db.session.scalar(select(EvaluationCorrection).where(EvaluationCorrection.evaluation_id == v2.id))
    # every change is in the audit log
    audited = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.object_type == "evaluation")).all()
    assert any("Chấm chất lượng" in s for s in audited) and any("Sửa số liệu" in s for s in audited)
    assert any("Khóa sổ" in s for s in audited)


def test_person_docx_and_dashboard(world, client):
    w = world
    scenario(w)
    login(client, w.head_a)
    ev_id = _open(client, w)
    r = client.get(f"/evaluations/{ev_id}/people/{w.staff_a.id}/summary.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(r.data)).paragraphs)
    assert "Lê Chuyên A" in text and "Tháng 05/2022" in text and "Mức xếp loại đề xuất" in text
    assert client.get("/evaluations/dashboard").status_code == 403
    login(client, w.leader)
    html = client.get("/evaluations/dashboard?year=2022").get_data(as_text=True)
    # div_a in May: 1 on time of 3 due (late 1, overdue 1)
    assert "Phòng Bảo trợ xã hội – Trẻ em" in html and "33 %" in html


def test_schemes_are_versioned(world, client):
    w = world
    login(client, w.admin)
    page = client.get("/evaluations/schemes").get_data(as_text=True)
    assert "Nghị định 335/2025/NĐ-CP" in page
    from app.domain import evaluation as de
    values = {p: str(de.field_value(de.DEFAULT_WEIGHTS, p)).replace(".", ",") for p, *_ in de.SCHEME_FIELDS}
    bad = client.post("/evaluations/schemes", data={"name": "Bản 2", "valid_from": "01/07/2022",
                                                    **values, "criteria.quality": "0,9"})
    assert bad.status_code == 400 and "phải bằng 1" in bad.get_data(as_text=True)
    assert 'value="0,9"' in bad.get_data(as_text=True)
    ok = client.post("/evaluations/schemes", data={"name": "Bản 2", "valid_from": "01/07/2022", **values,
                                                   "criteria.quality": "0,5", "criteria.progress": "0,2"})
    assert ok.status_code == 302
    rows = db.session.scalars(select(EvaluationScheme).order_by(EvaluationScheme.version)).all()
    assert [s.version for s in rows] == [1, 2] and rows[0].weights["criteria"]["quality"] == 0.4
    assert rows[1].weights["criteria"]["quality"] == 0.5
    # a July sheet takes version 2, a May sheet version 1
    login(client, w.head_a)
    may = db.session.get(Evaluation, _open(client, w))
    july = db.session.get(Evaluation, _open(client, w, number=7))
    assert (may.scheme.version, july.scheme.version) == (1, 2)
    for u in (w.head_a, w.leader, w.office_user):
        login(client, u)
        assert client.get("/evaluations/schemes").status_code == 403


def test_bad_period_is_refused_with_a_message(world, client):
    login(client, world.head_a)
    r = client.post("/evaluations/", data={"unit_id": world.div_a.id, "kind": "month", "number": "13", "year": "2022"})
    assert r.status_code == 400 and "Tháng phải từ 1 đến 12" in r.get_data(as_text=True)
    r = client.post("/evaluations/", data={"unit_id": world.div_b.id, "kind": "month", "number": "5", "year": "2022"})
    assert r.status_code in (400, 403)
    assert not db.session.scalar(select(Evaluation.id))


def test_priority_and_difficulty_are_set_on_the_task_and_weigh_in(world, client):
    w = world
    draft = make_plan(w, state="draft", number="30/KH-SLĐTBXH", tasks=[])
    login(client, w.office_user)
    r = client.post(f"/plans/{draft.id}/tasks", data={
        "content": "Nhiệm vụ khẩn", "lead_unit_id": str(w.div_a.id), "due_on": "15/06/2022",
        "priority": "urgent", "difficulty": "hard"})
    assert r.status_code == 302
    from app.models import Task
    t = db.session.scalar(select(Task).where(Task.plan_id == draft.id))
    assert (t.priority, t.difficulty) == ("urgent", "hard")
    bad = client.post(f"/plans/{draft.id}/tasks", data={"content": "X", "lead_unit_id": str(w.div_a.id),
                                                        "priority": "top"})
    assert bad.status_code == 400
    # an accepted urgent and hard task weighs 1 x 2 x 1,5 = 3 for its assignee
    plan = make_plan(w, tasks=[])
    task = add_task(w, plan, 1, "NV-KHAN", due_on=date(2022, 5, 10))
    task.priority, task.difficulty = "urgent", "hard"
    _accept(task, date(2022, 5, 9))
    db.session.commit()
    login(client, w.head_a)
    ev = db.session.get(Evaluation, _open(client, w))
    from app.evaluations import services
    with client.application.test_request_context("/"):
        r = next(p for p in services.compute(ev)["people"] if p.user.id == w.staff_a.id)
    assert r.roles["assignee"].weighted["on_time"] == 3.0 and r.computed.counts["on_time"] == 1
