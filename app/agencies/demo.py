"""The province around the demo's department (issue 10): Ủy ban nhân dân tỉnh Lạng Sơn with its
Văn phòng (Phòng Kiểm soát TTHC), two more Sở and two communes, the provincial plan 28/KH-UBND
whose first tasks the Sở LĐ-TB&XH carries out through its plan 19/KH-SLĐTBXH (cascaded: the
Sở's tasks link to the province's), and seed 003's provincial plan for internal procedures
waiting for the Chủ tịch. Loaded after the department's own demo data, which it leaves intact."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select

from app.extensions import db
from app.models import Agency, Plan, PlanEvent, Submission, SubmissionEvent, Task, Unit, User

PASSWORD_OF = "Demo@2022"

AGENCIES = [
    # key, name, short name, abbreviation, kind, place, order, header, units [(code, name, kind)]
    ("UBND", "Ủy ban nhân dân tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh", "UBND", "province", "Lạng Sơn", 1,
     {"header_name": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "parent_header": ""},
     [("LD", "Lãnh đạo UBND tỉnh", "leadership"), ("KSTT", "Phòng Kiểm soát TTHC (Văn phòng UBND tỉnh)", "office")]),
    ("SYT", "Sở Y tế tỉnh Lạng Sơn", "Sở Y tế", "SYT", "department", "Lạng Sơn", 20,
     {"header_name": "SỞ Y TẾ", "parent_header": "UBND TỈNH LẠNG SƠN"},
     [("LD", "Lãnh đạo Sở", "leadership"), ("VP", "Văn phòng Sở", "office"),
      ("NVY", "Phòng Nghiệp vụ Y", "division")]),
    ("STP", "Sở Tư pháp tỉnh Lạng Sơn", "Sở Tư pháp", "STP", "department", "Lạng Sơn", 30,
     {"header_name": "SỞ TƯ PHÁP", "parent_header": "UBND TỈNH LẠNG SƠN"},
     [("LD", "Lãnh đạo Sở", "leadership"), ("VP", "Văn phòng Sở", "office"),
      ("HCTP", "Phòng Hành chính tư pháp", "division")]),
    ("DONGKINH", "Ủy ban nhân dân phường Đông Kinh", "UBND phường Đông Kinh", "UBND", "commune", "Đông Kinh", 50,
     {"header_name": "ỦY BAN NHÂN DÂN PHƯỜNG ĐÔNG KINH", "parent_header": "UBND TỈNH LẠNG SƠN"},
     [("LD", "Lãnh đạo UBND phường", "leadership"), ("VP", "Văn phòng HĐND và UBND phường", "office")]),
    ("MAIPHA", "Ủy ban nhân dân xã Mai Pha", "UBND xã Mai Pha", "UBND", "commune", "Mai Pha", 51,
     {"header_name": "ỦY BAN NHÂN DÂN XÃ MAI PHA", "parent_header": "UBND TỈNH LẠNG SƠN"},
     [("LD", "Lãnh đạo UBND xã", "leadership"), ("VP", "Văn phòng HĐND và UBND xã", "office")]),
]

ACCOUNTS = [
    # username, full name, role, agency key, unit code, title
    ("kstt_tinh", "Hoàng Thị Ngọc", "office", "UBND", "KSTT", "Chuyên viên Phòng Kiểm soát TTHC"),
    ("chutich", "Hồ Tiến Thiệu", "leader", "UBND", "LD", "Chủ tịch"),
    ("pct_tinh", "Đoàn Thu Hà", "leader", "UBND", "LD", "Phó Chủ tịch"),
    ("qt_tinh", "Quản trị cổng tỉnh", "admin", "UBND", "KSTT", None),
    ("vp_syt", "Nguyễn Thị Hoa", "office", "SYT", "VP", "Chuyên viên đầu mối KSTT"),
    ("gd_syt", "Phan Văn Hùng", "leader", "SYT", "LD", "Giám đốc"),
    ("tp_nvy", "Lý Thị Hằng", "head", "SYT", "NVY", "Trưởng phòng"),
    ("vp_stp", "Trần Văn Khánh", "office", "STP", "VP", "Chuyên viên đầu mối KSTT"),
    ("gd_stp", "Vy Thị Lan", "leader", "STP", "LD", "Giám đốc"),
    ("vp_dongkinh", "Lương Văn Sơn", "office", "DONGKINH", "VP", "Công chức Văn phòng - Thống kê"),
    ("ct_dongkinh", "Hà Thị Vân", "leader", "DONGKINH", "LD", "Chủ tịch UBND phường"),
    ("vp_maipha", "Chu Thị Thanh", "office", "MAIPHA", "VP", "Công chức Văn phòng - Thống kê"),
]

PLAN_28 = {
    "number": "28/KH-UBND", "issued_on": date(2022, 2, 11), "year": 2022, "kind": "review",
    "title": "Rà soát, đánh giá thủ tục hành chính năm 2022 trên địa bàn tỉnh Lạng Sơn",
    "basis": ("Thực hiện Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 của Văn phòng Chính phủ hướng dẫn "
              "về nghiệp vụ kiểm soát thủ tục hành chính."),
    "targets": "Cắt giảm ít nhất 30% thời gian thực hiện đối với các TTHC được giao rà soát.",
}

# content, lead (agency key; None: the department of the base demo), cooperating agency keys,
# due text, due date, product, state, Sở plan 19 tasks that carry it out (positions)
PLAN_28_TASKS = [
    ("Rà soát, đề xuất cắt giảm ít nhất 30% thời hạn giải quyết các TTHC lĩnh vực lao động, "
     "thương binh và xã hội thuộc thẩm quyền giải quyết của các cấp chính quyền trên địa bàn tỉnh",
     None, ["DONGKINH"], "Trước ngày 05/4/2022", date(2022, 4, 5),
     "Báo cáo kết quả cắt giảm, Tờ trình, dự thảo Quyết định", "draft", [1, 2]),
    ("Rà soát, đánh giá TTHC theo Thông tư số 02/2017/TT-VPCP; tổng hợp khó khăn, vướng mắc "
     "theo Nghị quyết số 68/NQ-CP lĩnh vực lao động, thương binh và xã hội",
     None, [], "Trước ngày 30/6/2022", date(2022, 6, 30),
     "Báo cáo kết quả rà soát, Tờ trình, dự thảo Quyết định", "draft", [3, 4, 5, 6, 7, 8, 9]),
    ("Rà soát, đánh giá TTHC lĩnh vực y tế, đề xuất phương án đơn giản hóa", "SYT", ["STP"],
     "Trước ngày 30/6/2022", date(2022, 6, 30), "Báo cáo kết quả rà soát", "submitted", []),
    ("Rà soát, đánh giá TTHC lĩnh vực hộ tịch, chứng thực thuộc thẩm quyền cấp xã", "STP",
     ["DONGKINH", "MAIPHA"], "Trước ngày 31/5/2022", date(2022, 5, 31), "Báo cáo kết quả rà soát",
     "approved", []),
    ("Rà soát TTHC thuộc thẩm quyền giải quyết của UBND cấp xã, gửi kết quả về Sở quản lý ngành",
     "MAIPHA", [], "Trước ngày 31/5/2022", date(2022, 5, 31), "Báo cáo kết quả rà soát", "draft", []),
    ("Thẩm định, tổng hợp kết quả rà soát, trình Chủ tịch UBND tỉnh phê duyệt phương án đơn giản hóa TTHC",
     "UBND", [], "Xong trước ngày 31/7/2022", date(2022, 7, 31),
     "Quyết định phê duyệt phương án đơn giản hóa", "draft", []),
]

# Seed 003 (a provincial plan for internal procedures), as Lạng Sơn's: waiting for the Chủ tịch.
PLAN_INTERNAL = {
    "number": "/KH-UBND", "issued_on": None, "year": 2022, "kind": "internal",
    "title": ("Rà soát, đơn giản hóa thủ tục hành chính nội bộ trong hệ thống cơ quan hành chính nhà nước "
              "giai đoạn 2022 - 2025 trên địa bàn tỉnh Lạng Sơn"),
    "basis": ("Thực hiện Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ ban hành Kế hoạch "
              "rà soát, đơn giản hóa thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước "
              "giai đoạn 2022 - 2025."),
    "targets": ("Trước ngày 01/01/2025, 100% TTHC nội bộ được rà soát, đơn giản hóa, đạt tỷ lệ cắt giảm "
                "tối thiểu 20% TTHC và 20% chi phí tuân thủ TTHC."),
}
PLAN_INTERNAL_TASKS = [
    ("Thống kê, công bố (lần đầu) TTHC nội bộ thuộc thẩm quyền giải quyết", "Trước ngày 01/4/2023",
     date(2023, 4, 1), "Quyết định công bố danh mục TTHC nội bộ"),
    ("Rà soát và kiến nghị phê duyệt phương án đơn giản hóa TTHC nội bộ thuộc thẩm quyền giải quyết",
     "Lần 1: Trước 30/11/2023; Lần 2: Trước 30/11/2024", date(2023, 11, 30),
     "Phương án đơn giản hóa (ít nhất 50% TTHC lần 1; 100% lần 2)"),
]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0))


def load(today: date) -> None:
    so = db.session.scalar(select(Agency).where(Agency.abbreviation == "SLĐTBXH"))
    agencies, units = {None: so}, {}
    for key, name, short, abbr, kind, place, order, settings, unit_specs in AGENCIES:
        a = Agency(name=name, short_name=short, abbreviation=abbr, kind=kind, place_name=place,
                   sort_order=order, settings=settings)
        db.session.add(a)
        db.session.flush()
        agencies[key] = a
        for n, (code, uname, ukind) in enumerate(unit_specs, 1):
            units[key, code] = u = Unit(agency_id=a.id, code=code, name=uname, kind=ukind, sort_order=n)
            db.session.add(u)
    ubnd = agencies["UBND"]
    for a in agencies.values():
        if a is not ubnd:
            a.parent_id = ubnd.id
    db.session.flush()
    units[None, "VP"] = db.session.scalar(select(Unit).where(Unit.agency_id == so.id, Unit.code == "VP"))
    pw = db.session.scalar(select(User.password_hash).where(User.username == "vanphong"))
    users = {}
    for username, full_name, role, key, code, title in ACCOUNTS:
        users[username] = u = User(username=username, full_name=full_name, role=role, unit_id=units[key, code].id,
                                   title=title, password_hash=pw, email=f"{username}@langson.gov.vn",
                                   created_at=_at(date(2022, 1, 3)))
        db.session.add(u)
    db.session.flush()
    _plan_28(agencies, units, users)
    _plan_internal(ubnd, agencies, units, users)
    db.session.commit()


def _office_of(units, key):
    return units[key, "KSTT"] if key == "UBND" else units[key, "VP"]


def _plan_28(agencies, units, users) -> None:
    kstt, chutich = users["kstt_tinh"], users["chutich"]
    plan = Plan(agency_id=agencies["UBND"].id, issued_agency_name=agencies["UBND"].name, state="issued",
                created_by_id=kstt.id, created_at=_at(date(2022, 2, 7)), updated_at=_at(date(2022, 2, 11)),
                **PLAN_28)
    db.session.add(plan)
    db.session.flush()
    for action, frm, to, actor, day in (("create", None, "draft", kstt, date(2022, 2, 7)),
                                         ("submit", "draft", "pending", kstt, date(2022, 2, 9)),
                                         ("issue", "pending", "issued", chutich, date(2022, 2, 11))):
        db.session.add(PlanEvent(plan_id=plan.id, actor_id=actor.id, action=action, from_state=frm,
                                 to_state=to, created_at=_at(day)))
    plan_19 = db.session.scalar(select(Plan).where(Plan.number == "19/KH-SLĐTBXH"))
    by_position = {t.position: t for t in plan_19.tasks} if plan_19 else {}
    so_office = db.session.scalar(select(User).where(User.username == "vanphong"))
    so_leader = db.session.scalar(select(User).where(User.username == "giamdoc"))
    actors = {"SYT": (users["vp_syt"], users["gd_syt"]), "STP": (users["vp_stp"], users["gd_stp"])}
    for i, (content, lead, coop, due_text, due_on, product, state, carried) in enumerate(PLAN_28_TASKS, 1):
        task = Task(plan_id=plan.id, position=i, content=content, lead_unit_id=_office_of(units, lead).id,
                    due_text=due_text, due_on=due_on, product=product, created_at=_at(date(2022, 2, 7)))
        task.cooperating_units = [_office_of(units, c) for c in coop]
        db.session.add(task)
        db.session.flush()
        sub = Submission(task_id=task.id, state="draft", updated_at=_at(date(2022, 2, 14)),
                         result_text="" if state == "draft" else
                         f"Đã rà soát các TTHC được giao; kết quả gửi kèm ({product.lower()}).")
        db.session.add(sub)
        db.session.flush()
        office, leader = actors.get(lead, (so_office, so_leader))
        steps = []
        if state in ("submitted", "approved"):
            steps.append(("submit", "draft", "submitted", office, date(2022, 5, 25)))
        if state == "approved":
            steps.append(("approve", "submitted", "approved", leader, date(2022, 5, 27)))
        for action, frm, to, actor, day in steps:
            db.session.add(SubmissionEvent(submission_id=sub.id, actor_id=actor.id, action=action,
                                           from_state=frm, to_state=to, created_at=_at(day, 10),
                                           snapshot=sub.result_text))
        sub.state = state
        sub.version = 1 + len(steps)
        if state == "approved":
            sub.submitted_at = _at(date(2022, 5, 27), 10)
        for pos in carried:  # the Sở's plan 19 carries these out (cascade)
            if pos in by_position:
                by_position[pos].source_task_id = task.id


def _plan_internal(ubnd, agencies, units, users) -> None:
    kstt = users["kstt_tinh"]
    plan = Plan(agency_id=ubnd.id, state="pending", created_by_id=kstt.id, created_at=_at(date(2022, 6, 1)),
                updated_at=_at(date(2022, 6, 3)), time_cut_target=None, cost_cut_target=20,
                simplified_target=20, **PLAN_INTERNAL)
    db.session.add(plan)
    db.session.flush()
    for action, frm, to, day in (("create", None, "draft", date(2022, 6, 1)),
                                 ("submit", "draft", "pending", date(2022, 6, 3))):
        db.session.add(PlanEvent(plan_id=plan.id, actor_id=kstt.id, action=action, from_state=frm,
                                 to_state=to, created_at=_at(day)))
    pos = 0
    for content, due_text, due_on, product in PLAN_INTERNAL_TASKS:
        for key in (None, "SYT", "STP", "DONGKINH", "MAIPHA"):
            pos += 1
            who = agencies[key].short_name
            office = units[None, "VP"] if key is None else _office_of(units, key)
            db.session.add(Task(plan_id=plan.id, position=pos, group_label=who, content=content,
                                lead_unit_id=office.id, due_text=due_text, due_on=due_on, product=product,
                                created_at=_at(date(2022, 6, 1))))
