"""Demo: Phòng Bảo trợ xã hội – Trẻ em's evaluations (issue 15). Quarter I/2022 is closed (the
head marked and proposed, the Director confirmed and closed it), from a small plan of the
quarter whose four tasks the unit finished (one three working days late, after the head
returned it once); June 2022 (the demo's month) is open, computed live from plan 19 and a
June task done on time."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Plan, PlanEvent, Submission, SubmissionEvent, Task, TaskAssignee, Unit, User

PLAN = {"number": "04/KH-SLĐTBXH", "issued_on": date(2022, 1, 10), "year": 2022, "kind": "reform",
        "title": "Kế hoạch triển khai công tác kiểm soát thủ tục hành chính quý I năm 2022"}
# content, due, accepted, assignee, returned by the head first
TASKS = [
    ("Công bố, công khai danh mục TTHC lĩnh vực Bảo trợ xã hội năm 2022", date(2022, 1, 31), date(2022, 1, 28),
     "cv_btxh", False),
    ("Rà soát quy trình nội bộ giải quyết TTHC trợ cấp xã hội hằng tháng", date(2022, 2, 25), date(2022, 3, 2),
     "cv_btxh", True),
    ("Báo cáo tình hình tiếp nhận, xử lý phản ánh, kiến nghị về TTHC quý I/2022", date(2022, 3, 15),
     date(2022, 3, 14), "pp_btxh", False),
    ("Số hóa hồ sơ, kết quả giải quyết TTHC lĩnh vực Trẻ em", date(2022, 3, 31), date(2022, 3, 31), "cv_btxh", False),
    ("Cập nhật quy trình điện tử TTHC lĩnh vực Bảo trợ xã hội trên Hệ thống thông tin giải quyết TTHC",
     date(2022, 6, 9), date(2022, 6, 7), "cv_btxh", False),
]


def load(today: date) -> None:
    from app.demo import _at
    from app.evaluations import services
    users = {u.username: u for u in db.session.scalars(select(User).where(
        User.username.in_(("tp_btxh", "cv_btxh", "pp_btxh", "giamdoc", "vanphong"))))}
    if len(users) < 5:
        return
    head, office, leader = users["tp_btxh"], users["vanphong"], users["giamdoc"]
    unit = db.session.get(Unit, head.unit_id)
    plan = Plan(agency_id=unit.agency_id, issued_agency_name=unit.agency.name, created_by_id=office.id,
                state="issued", created_at=_at(date(2022, 1, 5)), updated_at=_at(date(2022, 1, 10)), **PLAN)
    db.session.add(plan)
    db.session.flush()
    db.session.add(PlanEvent(plan_id=plan.id, actor_id=leader.id, action="issue", from_state="pending",
                             to_state="issued", created_at=_at(date(2022, 1, 10))))
    for i, (content, due, accepted, who, returned) in enumerate(TASKS, 1):
        task = Task(plan_id=plan.id, position=i, content=content, lead_unit_id=unit.id,
                    due_text=f"Trước ngày {due:%d/%m/%Y}", due_on=due, created_at=_at(date(2022, 1, 10)))
        db.session.add(task)
        db.session.flush()
        db.session.add(TaskAssignee(task_id=task.id, user_id=users[who].id, assigned_by_id=head.id,
                                    assigned_at=_at(date(2022, 1, 11))))
        sub = Submission(task_id=task.id, state="accepted", result_text="Đã hoàn thành, gửi kèm sản phẩm.",
                         updated_at=_at(accepted), submitted_at=_at(accepted), accepted_at=_at(accepted, 15))
        db.session.add(sub)
        db.session.flush()
        steps = [("submit", "draft", "submitted", users[who], None)]
        if returned:
            steps += [("head_return", "submitted", "returned", head, "Bổ sung sơ đồ quy trình nội bộ."),
                      ("submit", "returned", "submitted", users[who], None)]
        steps += [("approve", "submitted", "approved", head, None), ("accept", "approved", "accepted", office, None)]
        for k, (action, frm, to, actor, comment) in enumerate(steps):
            db.session.add(SubmissionEvent(submission_id=sub.id, actor_id=actor.id, action=action, from_state=frm,
                                           to_state=to, comment=comment, created_at=_at(accepted, 8 + k)))
    db.session.commit()
    q1 = services.open_evaluation(head, unit.id, "quarter", 2022, 1)
    services.save_mark(head, q1, users["cv_btxh"], 88, "Hoàn thành đầy đủ nhiệm vụ; một nhiệm vụ chậm 3 ngày.")
    services.save_mark(head, q1, users["pp_btxh"], 95, "Chủ động, đúng hạn.")
    services.person_comment(users["cv_btxh"], q1, users["cv_btxh"], "Nhiệm vụ rà soát chậm do chờ số liệu của huyện.")
    services.move(head, q1, "propose")
    services.move(leader, q1, "confirm")
    services.move(leader, q1, "close")
    services.open_evaluation(head, unit.id, "month", today.year, today.month)
