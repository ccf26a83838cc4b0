"""The demo data set: seed 000 (Sở LĐ-TB&XH Lạng Sơn, plan 19/KH-SLĐTBXH, 2022), with tasks in
every state and some overdue relative to the demo's "today" (PORTAL_TODAY, 10/06/2022)."""
from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta

from app.auth.services import hash_password
from app.clock import today
from app.domain.formatting import utc_of_local
from app.extensions import db
from app.ops.dbutil import empty_tables
from app.models import (Agency, Plan, PlanEvent, Submission, SubmissionEvent, Task, TaskAssignee, Unit,
                        User)

DEMO_PASSWORD = "Demo@2022"

# Feature modules that add their own demo data: each has load(today).
DEMO_HOOKS: list[str] = [
    "app.deadlines.demo",
    "app.reports.demo",
    "app.catalog.demo",
    "app.reviews.demo",
    "app.agencies.demo",  # the province around the department: last (unit codes repeat per agency)
    "app.sendup.demo",    # quarter II/2022 reports of the agencies sent up to the province
    "app.evaluations.demo",  # Phòng BTXH: quarter I/2022 closed, June 2022 open
]

# The department of seed 000 (today's demo, unchanged inside it).
SO_LDTBXH = {
    "name": "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn",
    "short_name": "Sở Lao động – Thương binh và Xã hội", "abbreviation": "SLĐTBXH",
    "kind": "department", "place_name": "Lạng Sơn", "sort_order": 10,
    "settings": {"header_name": "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "parent_header": "UBND TỈNH LẠNG SƠN"},
}

UNITS = [
    # code, name, kind, order
    ("LD", "Lãnh đạo Sở", "leadership", 1),
    ("VP", "Văn phòng Sở", "office", 2),
    ("BTXH", "Phòng Bảo trợ xã hội – Trẻ em", "division", 3),
    ("TNXH", "Phòng Phòng, chống tệ nạn xã hội – Bình đẳng giới", "division", 4),
    ("LDVL", "Phòng Lao động, Việc làm – Bảo hiểm xã hội", "division", 5),
    ("NCC", "Phòng Người có công", "division", 6),
    ("KHTC", "Phòng Kế hoạch – Tài chính", "division", 7),
    ("TTRA", "Thanh tra Sở", "division", 8),
    ("TTDVVL", "Trung tâm Dịch vụ việc làm", "affiliate", 9),
    ("TPLS", "UBND thành phố Lạng Sơn", "local", 20),
    ("CAOLOC", "UBND huyện Cao Lộc", "local", 21),
    ("VANLANG", "UBND huyện Văn Lãng", "local", 22),
]

USERS = [
    # username, full name, role, unit code, title
    ("admin", "Quản trị hệ thống", "admin", "VP", None),
    ("giamdoc", "Phạm Đức Huân", "leader", "LD", "Giám đốc"),
    ("pgd", "Hoàng Văn Minh", "leader", "LD", "Phó Giám đốc"),
    ("vanphong", "Lương Thị Hà", "office", "VP", "Chuyên viên đầu mối KSTT"),
    ("chanhvp", "Nông Văn Tuấn", "head", "VP", "Chánh Văn phòng"),
    ("tp_btxh", "Đinh Thị Lan", "head", "BTXH", "Trưởng phòng"),
    ("cv_btxh", "Vi Văn Nam", "staff", "BTXH", "Chuyên viên"),
    ("pp_btxh", "Lành Thị Thảo", "staff", "BTXH", "Phó trưởng phòng"),
    ("tp_tnxh", "Lăng Thị Mai", "head", "TNXH", "Trưởng phòng"),
    ("cv_tnxh", "Hà Văn Bình", "staff", "TNXH", "Chuyên viên"),
    ("tp_ldvl", "Chu Văn Thắng", "head", "LDVL", "Trưởng phòng"),
    ("cv_ldvl", "Mã Thị Hương", "staff", "LDVL", "Chuyên viên"),
    ("dm_tpls", "Hoàng Thị Thu", "local", "TPLS", "Công chức đầu mối"),
    ("dm_caoloc", "Lộc Văn Đức", "local", "CAOLOC", "Công chức đầu mối"),
    ("dm_vanlang", "Triệu Thị Yến", "local", "VANLANG", "Công chức đầu mối"),
]

PLAN_19 = {
    "number": "19/KH-SLĐTBXH",
    "issued_on": date(2022, 2, 25),
    "title": "Rà soát, đánh giá thủ tục hành chính năm 2022",
    "basis": ("Thực hiện Kế hoạch số 28/KH-UBND ngày 11/02/2022 của Ủy ban nhân dân tỉnh về việc "
              "rà soát đánh giá thủ tục hành chính năm 2022 trên địa bàn tỉnh Lạng Sơn."),
    "year": 2022,
    "kind": "review",
    "targets": ("Đảm bảo 100% TTHC có thời hạn giải quyết từ 03 ngày trở lên được rà soát, đề xuất "
                "cắt giảm ít nhất 30% thời gian thực hiện.\nKết quả rà soát có kiến nghị cụ thể, "
                "xác định rõ văn bản QPPL cần sửa đổi, bổ sung, thay thế hoặc bãi bỏ."),
}

# content, group, lead, cooperating, due_text, due date, product, demo state, accepted day
TASKS = [
    ("Báo cáo kết quả cắt giảm thời hạn giải quyết TTHC, xây dựng Tờ trình kèm dự thảo Quyết định "
     "trình Chủ tịch UBND tỉnh phê duyệt phương án cắt giảm thời hạn giải quyết TTHC",
     "1. Rà soát, cắt giảm thời hạn giải quyết TTHC (Phụ lục I)", "VP", ["TPLS", "CAOLOC", "VANLANG"],
     "Xong trước ngày 05/4/2022", date(2022, 4, 5),
     "Báo cáo kết quả cắt giảm, Tờ trình, dự thảo Quyết định", "accepted", date(2022, 4, 4)),
    ("Tổng hợp Báo cáo kết quả cắt giảm thời gian thực hiện TTHC, dự thảo quyết định phê duyệt "
     "của Chủ tịch UBND tỉnh", "1. Rà soát, cắt giảm thời hạn giải quyết TTHC (Phụ lục I)", "VP", [],
     "Xong trước ngày 29/4/2022", date(2022, 4, 29), "Báo cáo, dự thảo Quyết định", "accepted",
     date(2022, 5, 6)),
    ("Rà soát, đánh giá TTHC thuộc thẩm quyền giải quyết của Sở lĩnh vực Bảo trợ xã hội theo "
     "Thông tư 02/2017/TT-VPCP; đôn đốc, tổng hợp kết quả rà soát của UBND cấp huyện",
     "2. Rà soát, đánh giá TTHC theo Thông tư 02/2017/TT-VPCP (Phụ lục II)", "BTXH", ["TPLS"],
     "Trước ngày 15/6/2022", date(2022, 6, 15), "Biểu mẫu rà soát 02/RS-KSTT, báo cáo kết quả",
     "submitted", None),
    ("Rà soát, đánh giá TTHC lĩnh vực Phòng, chống tệ nạn xã hội – Bình đẳng giới theo Thông tư "
     "02/2017/TT-VPCP", "2. Rà soát, đánh giá TTHC theo Thông tư 02/2017/TT-VPCP (Phụ lục II)",
     "TNXH", [], "Trước ngày 15/6/2022", date(2022, 6, 15),
     "Biểu mẫu rà soát 02/RS-KSTT, báo cáo kết quả", "returned", None),
    ("Rà soát, đánh giá TTHC lĩnh vực Lao động, Việc làm – Bảo hiểm xã hội theo Thông tư "
     "02/2017/TT-VPCP", "2. Rà soát, đánh giá TTHC theo Thông tư 02/2017/TT-VPCP (Phụ lục II)",
     "LDVL", ["TTDVVL"], "Trước ngày 15/6/2022", date(2022, 6, 15),
     "Biểu mẫu rà soát 02/RS-KSTT, báo cáo kết quả", "draft", None),
    ("Hoàn thành rà soát, tổng hợp kết quả rà soát, đánh giá TTHC của UBND cấp xã trong Báo cáo "
     "kết quả rà soát của UBND thành phố", "3. Kết quả rà soát của UBND cấp huyện, cấp xã", "TPLS", [],
     "Trước ngày 31/5/2022", date(2022, 5, 31), "Báo cáo kết quả rà soát của UBND cấp huyện",
     "accepted", date(2022, 5, 30)),
    ("Hoàn thành rà soát, tổng hợp kết quả rà soát, đánh giá TTHC của UBND cấp xã trong Báo cáo "
     "kết quả rà soát của UBND huyện Cao Lộc", "3. Kết quả rà soát của UBND cấp huyện, cấp xã",
     "CAOLOC", [], "Trước ngày 31/5/2022", date(2022, 5, 31),
     "Báo cáo kết quả rà soát của UBND cấp huyện", "approved", None),
    ("Hoàn thành rà soát, tổng hợp kết quả rà soát, đánh giá TTHC của UBND cấp xã trong Báo cáo "
     "kết quả rà soát của UBND huyện Văn Lãng", "3. Kết quả rà soát của UBND cấp huyện, cấp xã",
     "VANLANG", [], "Trước ngày 31/5/2022", date(2022, 5, 31),
     "Báo cáo kết quả rà soát của UBND cấp huyện", "draft", None),
    ("Tổng hợp Báo cáo kết quả rà soát, đánh giá TTHC và các biểu mẫu, xây dựng Tờ trình, Quyết "
     "định phê duyệt phương án đơn giản hóa TTHC trình UBND tỉnh",
     "4. Tổng hợp của Văn phòng Sở", "VP", ["BTXH", "TNXH", "LDVL"], "Xong trước ngày 30/6/2022",
     date(2022, 6, 30), "Báo cáo tổng hợp, Tờ trình, dự thảo Quyết định", "draft", None),
]

RESULTS = {
    "accepted": "Đã hoàn thành; gửi kèm báo cáo và biểu mẫu trên hệ thống VNPT-iOffice.",
    "submitted": "Đã rà soát 03 TTHC cấp Sở, 01 TTHC cấp huyện theo biểu mẫu 02/RS-KSTT; đề xuất "
                 "sửa đổi thành phần hồ sơ của 01 TTHC.",
    "approved": "UBND huyện đã tổng hợp kết quả rà soát của 23 xã, thị trấn.",
    "returned": "Dự thảo kết quả rà soát lĩnh vực phòng, chống tệ nạn xã hội.",
}


def _reset() -> None:
    """Empty every table (keeps the schema and alembic_version)."""
    db.session.remove()
    with db.engine.begin() as conn:
        empty_tables(conn, db.metadata.sorted_tables)


def _at(day: date, hour: int = 9) -> datetime:
    return utc_of_local(day, hour)  # office hours in Vietnam, stored in UTC


def load_demo(reset: bool = True) -> dict:
    if reset:
        _reset()
    so = Agency(**SO_LDTBXH)
    db.session.add(so)
    db.session.flush()
    units = {}
    for code, name, kind, order in UNITS:
        units[code] = Unit(agency_id=so.id, code=code, name=name, kind=kind, sort_order=order)
        db.session.add(units[code])
    db.session.flush()
    for code in ("TPLS", "CAOLOC", "VANLANG"):
        units[code].parent_id = None
    pw = hash_password(DEMO_PASSWORD)  # one hash for all demo accounts: fast to load
    users = {}
    for username, full_name, role, unit, title in USERS:
        users[username] = User(username=username, full_name=full_name, role=role,
                               unit_id=units[unit].id, title=title, password_hash=pw,
                               email=f"{username}@sldtbxh.langson.gov.vn",
                               created_at=_at(date(2022, 1, 3)))
        db.session.add(users[username])
    db.session.flush()
    _plan_19(units, users)
    db.session.commit()
    for path in DEMO_HOOKS:
        importlib.import_module(path).load(today())
        db.session.commit()
    _delegation(users)
    # Plans the demo writes as already issued (19/KH-SLĐTBXH, 28/KH-UBND ...) enter the register.
    from app.register.services import enter_issued_documents
    enter_issued_documents()
    db.session.commit()
    from app.agencies.demo import ACCOUNTS, AGENCIES
    names = {key: name for key, name, *_ in AGENCIES}
    kinds = {key: kind for key, _, _, _, kind, *_ in AGENCIES}
    province = [(u, _role_label(r, kinds[key]), f"{title or ''} · {names[key]}".strip(" ·"))
                for u, _, r, key, _, title in ACCOUNTS]
    return {"password": DEMO_PASSWORD,
            "users": [(u, _role_label(r), units[unit].name) for u, _, r, unit, _ in USERS] + province}


def _delegation(users: dict) -> None:
    """The head of Phòng BTXH is away this month: her deputy approves the unit's results
    "thay mặt" her (issue 12.4)."""
    from calendar import monthrange
    from app.models import Delegation
    day = today()
    head = users["tp_btxh"]
    db.session.add(Delegation(
        delegator_id=head.id, delegate_id=users["pp_btxh"].id, kind="unit_head", unit_id=head.unit_id,
        starts_on=day.replace(day=1), ends_on=day.replace(day=monthrange(day.year, day.month)[1]),
        reason="Trưởng phòng đi học tập trung", created_by_id=head.id, created_at=_at(day.replace(day=1), 8)))


def _role_label(role: str, agency_kind: str = "department") -> str:
    """As User.role_label names it: "Văn phòng UBND tỉnh (đầu mối KSTT)" in the province."""
    from app.models.org import AGENCY_ROLES, ROLES
    return AGENCY_ROLES.get((agency_kind, role)) or ROLES[role]


def _plan_19(units: dict, users: dict) -> None:
    office, leader = users["vanphong"], users["giamdoc"]
    plan = Plan(agency_id=office.unit.agency_id, issued_agency_name=office.unit.agency.name,
                created_by_id=office.id, state="issued", created_at=_at(date(2022, 2, 21)),
                updated_at=_at(date(2022, 2, 25)), **PLAN_19)
    db.session.add(plan)
    db.session.flush()
    for action, frm, to, actor, day in (("create", None, "draft", office, date(2022, 2, 21)),
                                         ("submit", "draft", "pending", office, date(2022, 2, 23)),
                                         ("issue", "pending", "issued", leader, date(2022, 2, 25))):
        db.session.add(PlanEvent(plan_id=plan.id, actor_id=actor.id, action=action, from_state=frm,
                                 to_state=to, created_at=_at(day)))
    heads = {u.unit_id: u for u in users.values() if u.role in ("head", "local")}
    staff = {u.unit_id: u for u in users.values() if u.role == "staff"}
    staff[units["VP"].id] = office
    for i, (content, group, lead, coop, due_text, due_on, product, state, accepted_on) in enumerate(TASKS, 1):
        task = Task(plan_id=plan.id, position=i, group_label=group, content=content,
                    lead_unit_id=units[lead].id, due_text=due_text, due_on=due_on, product=product,
                    created_at=_at(date(2022, 2, 21)))
        task.cooperating_units = [units[c] for c in coop]
        db.session.add(task)
        db.session.flush()
        head = heads[units[lead].id]
        worker = staff.get(units[lead].id, head)
        if worker is not head:
            db.session.add(TaskAssignee(task_id=task.id, user_id=worker.id, assigned_by_id=head.id,
                                        assigned_at=_at(date(2022, 2, 28))))
        sub = Submission(task_id=task.id, state="draft", result_text=RESULTS.get(state, ""),
                         updated_at=_at(date(2022, 3, 1)))
        db.session.add(sub)
        db.session.flush()
        _history(sub, state, worker, head, office, due_on, accepted_on)


def _history(sub: Submission, state: str, worker: User, head: User, office: User,
             due_on: date, accepted_on: date | None) -> None:
    """Walk the submission through the workflow with plausible dates."""
    steps: list[tuple[str, str, str, User, date, str | None]] = []
    # Steps happen a few days before the deadline, and never after the demo's "today".
    base = min((accepted_on or due_on) - timedelta(days=4), date(2022, 6, 6))
    if state in ("submitted", "approved", "accepted", "returned"):
        steps.append(("submit", "draft", "submitted", worker, base, None))
    if state in ("approved", "accepted", "returned"):
        steps.append(("approve", "submitted", "approved", head, base + timedelta(days=1), None))
    if state == "returned":
        steps.append(("office_return", "approved", "returned", office, base + timedelta(days=2),
                      "Đề nghị bổ sung biểu mẫu 02/RS-KSTT cho từng TTHC và nêu rõ văn bản cần sửa đổi."))
    if state == "accepted":
        steps.append(("accept", "approved", "accepted", office, accepted_on, None))
    for action, frm, to, actor, day, comment in steps:
        db.session.add(SubmissionEvent(submission_id=sub.id, actor_id=actor.id, action=action,
                                       from_state=frm, to_state=to, comment=comment,
                                       snapshot=sub.result_text if action != "office_return" else None,
                                       created_at=_at(day, 10)))
        if action == "approve":
            sub.submitted_at = _at(day, 10)
    sub.state = state
    if state == "accepted":
        sub.accepted_at = _at(accepted_on, 10)
    sub.version = 1 + len(steps)
