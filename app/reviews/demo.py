"""Demo reviews of plan 19/KH-SLĐTBXH (seed 000): the accepted time cut of two commune-level
procedures (19/32 days = 59,38 %, seed 001) and the 02/2017 review of seven procedures in progress."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.catalog import demo as catalog_demo
from app.domain.formatting import utc_of_local
from app.domain.text import fold
from app.extensions import db
from app.models import Plan, Procedure, Submission, SubmissionEvent, Task, Unit, User
from app.models.review import ProcedureReview, ReviewCostItem

PLAN_NUMBER = "19/KH-SLĐTBXH"
TIME_CUT_TASK = ("Rà soát, đề xuất cắt giảm thời hạn giải quyết 02 TTHC cấp xã (Phụ lục I), "
                 "cắt giảm tối thiểu 30% thời gian")
REVIEW_TASK = ("Rà soát, đánh giá TTHC theo Thông tư số 02/2017/TT-VPCP: 03 TTHC cấp Sở, 03 TTHC cấp huyện, "
               "01 TTHC cấp xã (Phụ lục II)")
CUTS = {"1.001776": (20, 8), "1.001758": (12, 5)}  # 32 -> 13 days: 19/32 = 59,38 %


def _find_task(plan: Plan, words: tuple[str, ...]) -> Task | None:
    return next((t for t in plan.tasks if all(w in fold(t.content) for w in words)), None)


def _user(username: str, fallback_role: str) -> User:
    return db.session.scalar(select(User).where(User.username == username)) or \
        db.session.scalar(select(User).where(User.role == fallback_role).limit(1))


def _ensure_plan(office: User, btxh: Unit) -> tuple[Plan, Task, Task]:
    plan = db.session.scalar(select(Plan).where(Plan.number == PLAN_NUMBER))
    if plan is None:
        plan = Plan(number=PLAN_NUMBER, issued_on=date(2022, 2, 21), year=2022, kind="review",
                    title="Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2022",
                    basis="Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022 của UBND tỉnh Lạng Sơn",
                    state="issued", created_by_id=office.id)
        db.session.add(plan)
        db.session.flush()
    cut_task = _find_task(plan, ("cat giam thoi han",))
    review_task = _find_task(plan, ("02/2017",))
    for attr, content, due in (("cut", TIME_CUT_TASK, date(2022, 4, 5)), ("review", REVIEW_TASK, date(2022, 5, 31))):
        if (cut_task if attr == "cut" else review_task) is None:
            t = Task(plan=plan, position=90 + len(plan.tasks), content=content, lead_unit_id=btxh.id,
                     due_text=f"Trước ngày {due.day:02d}/{due.month}/{due.year}", due_on=due,
                     product="Báo cáo kết quả rà soát")
            db.session.add(t)
            db.session.flush()
            if attr == "cut":
                cut_task = t
            else:
                review_task = t
    plan.time_cut_target = Decimal(30)
    plan.cost_cut_target = Decimal(20)
    plan.simplified_target = Decimal(20)
    return plan, cut_task, review_task


def _submission(task: Task, state: str) -> Submission:
    if task.submission is None:
        task.submission = Submission(state=state, result_text="")
    return task.submission


# Seed 003 (internal procedures): cut at least 20 % of compliance cost and simplify 20 % of them.
# code -> proposal, [(phase, activity, hours, income/hour, fees, other, per year)]
INTERNAL_REVIEWS = {
    "NB.01": ("amend", [("before", "Lập, trình hồ sơ giấy qua 3 cấp", 8, 25000, 0, 20000, 40),
                        ("after", "Lập, trình hồ sơ trên hệ thống điện tử", 4, 25000, 0, 10000, 40)]),
    "NB.02": ("abolish", [("before", "Tổng hợp báo cáo trùng với báo cáo định kỳ", 6, 25000, 0, 0, 12)]),
    "NB.03": ("keep", [("before", "Chuẩn bị hồ sơ đề nghị công nhận", 2, 25000, 0, 0, 100),
                       ("after", "Chuẩn bị hồ sơ đề nghị công nhận", 2, 25000, 0, 0, 100)]),
    "NB.04": ("keep", []),
    "NB.05": ("keep", []),
}


def _internal_plan(office: User, btxh: Unit, procs: dict[str, Procedure]) -> None:
    """A review of internal procedures awaiting the office: cost -39,74 %, 2 of 5 simplified (both >= 20 %)."""
    plan = Plan(number="45/KH-SLĐTBXH", issued_on=date(2022, 3, 15), year=2022, kind="internal",
                title="Rà soát, đơn giản hóa thủ tục hành chính nội bộ giai đoạn 2022 - 2025 (dữ liệu mẫu)",
                basis="Thực hiện Kế hoạch rà soát, đơn giản hóa TTHC nội bộ trong hệ thống cơ quan hành chính "
                      "nhà nước giai đoạn 2022 - 2025 của UBND tỉnh",
                targets="Cắt giảm tối thiểu 20% TTHC nội bộ và 20% chi phí tuân thủ TTHC nội bộ.",
                state="issued", created_by_id=office.id, cost_cut_target=Decimal(20),
                simplified_target=Decimal(20))
    task = Task(plan=plan, position=1, lead_unit_id=btxh.id,
                content="Rà soát, đề xuất phương án đơn giản hóa TTHC nội bộ lĩnh vực Bảo trợ xã hội, Trẻ em, "
                        "Người có công", due_text="Trước ngày 30/5/2022", due_on=date(2022, 5, 30),
                product="Biểu mẫu rà soát, phương án đơn giản hóa")
    db.session.add_all([plan, task])
    # Approved by the head, waiting for the office: the quarter's report (seed 001) stays as it was,
    # and the office can accept it during a demo.
    task.submission = Submission(state="approved", result_text="Rà soát 05 TTHC nội bộ; đơn giản hóa 02 TTHC.",
                                 submitted_at=utc_of_local(date(2022, 6, 8), 10))
    db.session.flush()
    for n, (code, (proposal, rows)) in enumerate(INTERNAL_REVIEWS.items(), start=1):
        p = procs[code]
        db.session.add(ProcedureReview(
            task_id=task.id, procedure_id=p.id, position=n, proposal=proposal,
            current_days=p.processing_days,
            proposal_detail="Bãi bỏ do trùng với chế độ báo cáo định kỳ." if proposal == "abolish" else None,
            cost_items=[ReviewCostItem(phase=ph, position=i, activity=act, hours=Decimal(h),
                                       income_per_hour=Decimal(inc), fees=Decimal(fee), other_costs=Decimal(oth),
                                       per_year=Decimal(per)) for i, (ph, act, h, inc, fee, oth, per) in enumerate(rows)]))


def load(today: date) -> None:
    if db.session.scalar(select(Procedure.id).limit(1)) is None:
        catalog_demo.load(today)
    if db.session.scalar(select(ProcedureReview.id).limit(1)) is not None:
        return
    office = _user("vanphong", "office")
    staff = _user("cv_btxh", "staff")
    head = _user("tp_btxh", "head")
    btxh = db.session.scalar(select(Unit).where(Unit.code == "BTXH"))
    if office is None or staff is None or head is None or btxh is None:
        return  # the core demo did not run: nothing to attach reviews to
    plan, cut_task, review_task = _ensure_plan(office, btxh)
    procs = {p.code: p for p in db.session.scalars(select(Procedure))}

    for n, (code, (cur, prop)) in enumerate(CUTS.items(), start=1):
        p = procs[code]
        db.session.add(ProcedureReview(
            task_id=cut_task.id, procedure_id=p.id, position=n, current_days=Decimal(cur),
            proposed_days=Decimal(prop), proposal="amend",
            proposal_detail="Rút ngắn thời gian xem xét, thẩm định hồ sơ tại UBND cấp xã.",
            legal_change="Quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh",
            recommendation="Đề nghị Chủ tịch UBND tỉnh phê duyệt phương án cắt giảm thời hạn giải quyết.",
            cut_reason="Ứng dụng phần mềm một cửa điện tử; liên thông kết quả giữa cấp xã và cấp huyện.",
            parts=json.dumps({"time": {"necessary": "yes", "reasonable": "no", "lawful": "yes",
                                       "reason": "Thời hạn dài hơn thực tế xử lý hồ sơ."}}, ensure_ascii=False),
            updated_by_id=staff.id))
    sub = _submission(cut_task, "accepted")
    accepted_at = utc_of_local(date(2022, 3, 31), 15, 30)
    if sub.state != "accepted":
        db.session.add(SubmissionEvent(submission=sub, actor_id=office.id, action="accept",
                                       from_state=sub.state, to_state="accepted", created_at=accepted_at,
                                       comment="Tiếp nhận kết quả cắt giảm thời hạn (demo)."))
    sub.state = "accepted"
    sub.result_text = sub.result_text or "Cắt giảm 19/32 ngày (59,38%) đối với 02 TTHC cấp xã."
    sub.submitted_at = sub.submitted_at or utc_of_local(date(2022, 3, 28), 9)
    sub.accepted_at = sub.accepted_at or accepted_at

    # Phụ lục II: each procedure goes to the 02/2017 task of its unit (else the first such task).
    review_tasks = [t for t in plan.tasks if "02/2017" in t.content] or [review_task]
    positions: dict[int, int] = {}
    first = None
    for code, _name, _field, _level, unit_code, _days in catalog_demo.REVIEW_02:
        p = procs[code]
        task = next((t for t in review_tasks if t.lead_unit.code == unit_code), review_tasks[0])
        positions[task.id] = positions.get(task.id, 0) + 1
        r = ProcedureReview(task_id=task.id, procedure_id=p.id, position=positions[task.id],
                            current_days=p.processing_days, updated_by_id=staff.id)
        db.session.add(r)
        first = first or r
    first.proposed_days = Decimal(5)
    first.proposal = "amend"
    first.proposal_detail = "Bỏ yêu cầu bản sao chứng thực giấy tờ đã có trong cơ sở dữ liệu quốc gia."
    first.legal_change = "Điểm b khoản 1 Điều 14 Nghị định 23/2021/NĐ-CP"
    first.parts = json.dumps({"dossier": {"necessary": "yes", "reasonable": "no", "lawful": "yes",
                                          "reason": "Bản sao chứng thực trùng dữ liệu đã có."}},
                             ensure_ascii=False)
    first.cost_items = [
        ReviewCostItem(phase="before", position=0, activity="Chuẩn bị, nộp hồ sơ", hours=Decimal(16),
                       income_per_hour=Decimal(25000), fees=Decimal(0), other_costs=Decimal(50000),
                       per_year=Decimal(12)),
        ReviewCostItem(phase="after", position=1, activity="Chuẩn bị, nộp hồ sơ trực tuyến", hours=Decimal(8),
                       income_per_hour=Decimal(25000), fees=Decimal(0), other_costs=Decimal(10000),
                       per_year=Decimal(12)),
    ]
    for t in review_tasks:
        _submission(t, "draft")
    _internal_plan(office, btxh, procs)
    db.session.commit()
