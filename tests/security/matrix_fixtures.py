"""The authorization matrix's world: for each of two divisions (scope "own" = div_a, the unit of
head_own/staff_own; scope "other" = div_b) one object of every kind a route takes, built through
the services or by writing what the services write. Objects that belong to nobody's unit (the
catalog, reports, the calendar) exist once and are reached the same way from both scopes.

A second agency (Sở Y tế, "X") has the same objects for its own division (scope "foreign") and
its own admin, leader, office, head and staff (principals *_x): nothing of one agency may show
to the other, and a route's rule for the own unit holds, mirrored, for agency X's people on
agency X's objects (tests/security/test_matrix.py)."""
from __future__ import annotations

import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import current_app, g
from werkzeug.datastructures import FileStorage

from app.domain.text import fold
from app.extensions import db
from app.ops.dbutil import empty_tables
from app.models import (Contribution, Delegation, Notification, Plan, Procedure, Submission, Task,
                        TaskAssignee)
from app.models.org import DirectoryMapping, User, UserSession
from app.models.deadlines import CalendarDay, TaskExplanation, TaskStage
from app.models.report import FigureSet, OverdueCase
from app.models.review import ProcedureReview
from tests.register.helpers import make_next

PERIOD = "2022-q2"
PRINCIPALS = ("anon", "admin", "leader", "office", "head_own", "staff_own", "staff_own_unassigned",
              "head_other", "staff_other", "local", "admin_x", "leader_x", "office_x", "head_x", "staff_x",
              "delegate_own", "expired_own", "office_p", "leader_p", "office_c")
WORLD_ATTR = {"admin": "admin", "leader": "leader", "office": "office_user", "head_own": "head_a",
              "staff_own": "staff_a", "staff_own_unassigned": "staff_a2", "head_other": "head_b",
              "staff_other": "staff_b", "local": "local_user"}
# Agency X's people, each the counterpart of an agency-A principal on agency X's own objects.
MIRROR = {"admin": "admin_x", "leader": "leader_x", "office": "office_x", "head_own": "head_x",
          "staff_own": "staff_x"}
X_PRINCIPALS = frozenset(MIRROR.values())
# The province's own agency (Ủy ban nhân dân tỉnh: its office Văn phòng UBND tỉnh, the đầu mối
# KSTT "kstt_tinh", and its chairman) and a commune (UBND xã, its office): each the counterpart
# of an agency-A overseer on pages without an object (they see their own agency's content there).
P_MIRROR = {"office": "office_p", "leader": "leader_p"}
C_MIRROR = {"office": "office_c"}
P_PRINCIPALS = frozenset(P_MIRROR.values())
C_PRINCIPALS = frozenset(C_MIRROR.values())
PROVINCE_ATTR = {"office_p": "office", "leader_p": "leader", "office_c": "commune_office"}
# Members of the own unit (div_a, staff, unassigned) holding the head's approval by delegation
# (ủy quyền, active today for every plan) and one whose delegation expired yesterday (issue 12.4).
DELEGATED = ("delegate_own", "expired_own")


OWN_MEMBERS = frozenset({"head_own", "staff_own", "staff_own_unassigned", *DELEGATED})
OTHER_MEMBERS = frozenset({"head_other", "staff_other"})
OVERSEERS = frozenset({"admin", "leader", "office"})
X_MEMBERS = frozenset({"head_x", "staff_x"})
X_OVERSEERS = frozenset({"admin_x", "leader_x", "office_x"})
# Text written into the world that only some principals may ever read, on any page or export:
# a unit never sees another unit's drafts (nor do the office and leadership before the head
# approves), explanations are for the lead unit and the overseers, figures for their own unit.
SECRETS = {
    "KQNHAP-BTXH": OWN_MEMBERS, "KQNHAP-LDVL": OTHER_MEMBERS,
    "KQTRINH-BTXH": OWN_MEMBERS, "KQTRINH-LDVL": OTHER_MEMBERS,
    "DXNHAP-BTXH": OWN_MEMBERS, "DXNHAP-LDVL": OTHER_MEMBERS,
    "GIAITRINH-BTXH": OWN_MEMBERS | OVERSEERS, "GIAITRINH-LDVL": OTHER_MEMBERS | OVERSEERS,
    "SOLIEU-BTXH": OWN_MEMBERS | OVERSEERS, "SOLIEU-LDVL": OTHER_MEMBERS | OVERSEERS,
    # Tasks of plans not issued belong to the office and leadership (they read them on the plan).
    "NVDUTHAO-BTXH": OVERSEERS, "NVDUTHAO-LDVL": OVERSEERS,
    "NVCHODUYET-BTXH": OVERSEERS, "NVCHODUYET-LDVL": OVERSEERS,
    # agency X's: never to anybody of agency A, whatever their role
    "KQNHAP-NVY": X_MEMBERS, "KQTRINH-NVY": X_MEMBERS, "DXNHAP-NVY": X_MEMBERS,
    "GIAITRINH-NVY": X_MEMBERS | X_OVERSEERS, "SOLIEU-NVY": X_MEMBERS | X_OVERSEERS,
    "KHDUTHAO-NVY": X_OVERSEERS, "BAOCAO-SYT": X_OVERSEERS,
    "NVDUTHAO-NVY": X_OVERSEERS, "NVCHODUYET-NVY": X_OVERSEERS,
    # the province's draft plan: its office and chairman only, never an agency or a commune
    "KHTINH-DUTHAO": frozenset({"office_p", "leader_p"}),
    # an agency's draft answer to a province task: the agency's overseers (its office drafts,
    # its leader approves), never the province before the agency's leader approved it
    "KQTINH-SLDTBXH": OVERSEERS, "KQTINH-SYT": X_OVERSEERS,
}
# Tasks of plans not issued, overdue: they count in no list, counter, dashboard or export.
UNISSUED_TAGS = ("NVDUTHAO", "NVCHODUYET")


@dataclass
class XWorld:
    """Agency X (Sở Y tế): its units and the counterparts of the world's principals."""
    agency: object
    office_unit: object
    div: object
    admin: object
    leader: object
    office: object
    head: object
    staff: object


def build_x() -> XWorld:
    from tests.conftest import make_agency, make_unit, make_user
    agency = make_agency("Sở Y tế tỉnh Lạng Sơn", "Sở Y tế", "SYT", order=20, header="SỞ Y TẾ")
    # Same unit names and codes as agency A's (unique per agency): nothing may mix them up.
    ld = make_unit("Lãnh đạo Sở", "LD", "leadership", 1, agency=agency)
    vp = make_unit("Văn phòng Sở", "VP", "office", 2, agency=agency)
    div = make_unit("Phòng Nghiệp vụ Y", "NVY", "division", 3, agency=agency)
    x = XWorld(agency, vp, div,
               admin=make_user("admin_syt", "admin", vp, "Quản Trị Y Tế"),
               leader=make_user("giamdoc_syt", "leader", ld, "Giám Đốc Y Tế", "Giám đốc"),
               office=make_user("vanphong_syt", "office", vp, "Văn Phòng Y Tế"),
               head=make_user("tp_nvy", "head", div, "Trưởng Phòng Y"),
               staff=make_user("cv_nvy", "staff", div, "Chuyên Viên Y"))
    db.session.commit()
    return x


@dataclass
class PWorld:
    """The province's own agency (kind "province") and a commune, with their people."""
    agency: object
    office: object            # kstt_tinh: Văn phòng UBND tỉnh (Phòng Kiểm soát TTHC)
    leader: object            # Chủ tịch UBND tỉnh
    commune: object
    commune_office: object    # Văn phòng UBND xã (đầu mối KSTT)


def build_p() -> PWorld:
    from app.models import Agency
    from tests.conftest import make_agency, make_unit, make_user
    province = Agency(name="Ủy ban nhân dân tỉnh Lạng Sơn", short_name="Ủy ban nhân dân tỉnh",
                      abbreviation="UBND", kind="province", place_name="Lạng Sơn", sort_order=1,
                      settings={"header_name": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"})
    db.session.add(province)
    db.session.flush()
    ld = make_unit("Lãnh đạo UBND tỉnh", "LD", "leadership", 1, agency=province)
    vp = make_unit("Văn phòng UBND tỉnh", "VP", "office", 2, agency=province)
    commune = make_agency("Ủy ban nhân dân xã Mai Pha", "UBND xã Mai Pha", "UBND", kind="commune",
                          order=51, header="ỦY BAN NHÂN DÂN XÃ MAI PHA")
    cvp = make_unit("Văn phòng UBND xã", "VP", "office", 2, agency=commune)
    p = PWorld(province, office=make_user("kstt_tinh", "office", vp, "Kiểm Soát Tỉnh"),
               leader=make_user("ct_tinh", "leader", ld, "Chủ Tịch Tỉnh", "Chủ tịch"),
               commune=commune, commune_office=make_user("vp_maipha", "office", cvp, "Văn Phòng Mai Pha"))
    db.session.commit()
    return p


@dataclass
class Matrix:
    w: object                      # tests.conftest.World
    x: XWorld | None = None        # agency X
    p: PWorld | None = None        # the province's agency and a commune
    own: dict = field(default_factory=dict)
    other: dict = field(default_factory=dict)
    foreign: dict = field(default_factory=dict)   # agency X's division's objects
    shared: dict = field(default_factory=dict)
    xshared: dict = field(default_factory=dict)   # agency X's report, procedure
    catalog_tokens: dict = field(default_factory=dict)   # username -> token
    plan_tokens: dict = field(default_factory=dict)
    notifications: dict = field(default_factory=dict)    # username -> notification id
    delegated: dict = field(default_factory=dict)        # DELEGATED principal -> user

    def user(self, principal: str):
        if principal == "anon":
            return None
        if principal in DELEGATED:
            return self.delegated[principal]
        if principal in X_PRINCIPALS:
            return getattr(self.x, principal[:-2])
        if principal in PROVINCE_ATTR:
            return getattr(self.p, PROVINCE_ATTR[principal])
        return getattr(self.w, WORLD_ATTR[principal])

    def o(self, scope: str, name: str):
        return {"own": self.own, "other": self.other, "foreign": self.foreign}[scope][name]

    def unit(self, scope: str):
        return {"own": self.w.div_a, "other": self.w.div_b, "foreign": self.x.div}[scope]


def wipe() -> None:
    """What tests/conftest.py does after each test, for a fresh world inside one test."""
    g.pop("_login_user", None)  # requests share the test's app context, so its g
    db.session.remove()
    with db.engine.begin() as conn:
        empty_tables(conn, db.metadata.sorted_tables)


def _plan(w, number: str, state: str, office=None, title: str | None = None) -> Plan:
    plan = Plan(number=number, title=title or f"Kế hoạch {number}", year=2022, kind="review", state=state,
                created_by_id=(office or w.office_user).id, issued_on=date(2022, 2, 21) if state == "issued" else None,
                time_cut_target=Decimal(30))
    db.session.add(plan)
    return plan


def _task(plan: Plan, unit, state: str, due: date, staff, w, coop=(), result: str = "Kết quả",
          head=None) -> Task:
    task = Task(plan=plan, content=f"Nhiệm vụ {state} của {unit.code}", lead_unit_id=unit.id,
                due_on=due, due_text=f"Trước ngày {due:%d/%m/%Y}")
    task.cooperating_units = list(coop)
    task.submission = Submission(state=state, result_text=result)
    db.session.add(task)
    db.session.flush()
    db.session.add(TaskAssignee(task_id=task.id, user_id=staff.id, assigned_by_id=(head or w.head_a).id))
    return task


def _attach(task: Task, user) -> int:
    from app.submissions import services as subs
    db.session.refresh(task)
    att = subs.add_attachment(user, task, FileStorage(io.BytesIO(b"%PDF-1.4 matrix"), "ket-qua.pdf",
                                                      content_type="application/pdf"))
    return att.id


def _token_file(folder: str, token: str, payload: dict) -> None:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / folder / f"{token}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False), "utf-8")


def _unit_objects(m: Matrix, scope: str, plan_number: str) -> dict:
    w = m.w
    unit = m.unit(scope)
    head, staff = {"own": (w.head_a, w.staff_a), "other": (w.head_b, w.staff_b),
                   "foreign": (m.x.head, m.x.staff) if m.x else (None, None)}[scope]
    office = m.x.office if scope == "foreign" else w.office_user
    coop = [w.local] if scope == "own" else []  # the local unit cooperates on the own unit's task
    o: dict = {}
    plan = _plan(w, plan_number, "issued", office)
    proc = m.shared["procedures"][scope]
    # result texts only the lead unit may read until its head approves (see SECRETS)
    draft = _task(plan, unit, "draft", date(2022, 5, 10), staff, w, coop,  # overdue on 20/05/2022
                  result=f"KQNHAP-{unit.code}", head=head)
    submitted = _task(plan, unit, "submitted", date(2022, 6, 30), staff, w, result=f"KQTRINH-{unit.code}",
                      head=head)
    approved = _task(plan, unit, "draft", date(2022, 6, 30), staff, w, head=head)
    db.session.flush()
    for t in (draft, approved):
        db.session.add(ProcedureReview(task_id=t.id, procedure_id=proc.id, position=1,
                                       current_days=proc.processing_days, proposal="amend",
                                       proposal_detail=f"DXNHAP-{unit.code}" if t is draft else None))
    db.session.add(TaskExplanation(task_id=draft.id, author_id=head.id, text=f"GIAITRINH-{unit.code}"))
    stage = TaskStage(task_id=draft.id, position=1, name="Phòng chuyên môn", unit_id=unit.id,
                      budget_days=3, due_on=date(2022, 5, 5))
    db.session.add(stage)
    if coop:
        db.session.add(Contribution(task_id=draft.id, unit_id=w.local.id, author_id=w.local_user.id,
                                    text="Ý kiến phối hợp"))
    db.session.commit()
    o["draft_attachment"] = _attach(draft, head)
    o["approved_attachment"] = _attach(approved, head)
    approved.submission.state = "approved"
    db.session.commit()
    o["review_draft"] = db.session.scalar(db.select(ProcedureReview.id).where(ProcedureReview.task_id == draft.id))
    o["review_approved"] = db.session.scalar(db.select(ProcedureReview.id).where(ProcedureReview.task_id == approved.id))
    # a draft plan with a task of this unit, and one waiting for the leader
    dplan = _plan(w, f"D-{plan_number}", "draft", office,
                  title=f"KHDUTHAO-{unit.code}" if scope == "foreign" else None)
    dtask = Task(plan=dplan, content="Nhiệm vụ dự thảo", lead_unit_id=unit.id, due_on=date(2022, 9, 1))
    db.session.add(dtask)
    pplan = _plan(w, f"P-{plan_number}", "pending", office)
    db.session.add(Task(plan=pplan, content="Nhiệm vụ chờ duyệt", lead_unit_id=unit.id,
                        due_on=date(2022, 9, 1)))
    # Overdue tasks of those plans with a draft submission each, as the plan import and the
    # recurring instances wrote them before migration 0010_fix_data (and old databases hold).
    for p, tag in ((dplan, "NVDUTHAO"), (pplan, "NVCHODUYET")):
        leak = Task(plan=p, content=f"{tag}-{unit.code} quá hạn", lead_unit_id=unit.id,
                    due_on=date(2022, 5, 2), due_text="Trước ngày 02/5/2022")
        leak.cooperating_units = list(coop)
        leak.submission = Submission(state="draft", result_text="")
        db.session.add(leak)
    fs = FigureSet(unit_id=unit.id, period_key=PERIOD, state="draft", received_online=3,
                   received_direct=2, resolved_on_time=5, note=f"SOLIEU-{unit.code}")
    db.session.add(fs)
    db.session.flush()
    case = OverdueCase(figure_set_id=fs.id, dossier_code="HS-001", procedure_name="Cấp giấy phép",
                       explanation="Chờ bổ sung", created_by_id=head.id)
    db.session.add(case)
    db.session.commit()
    # A delegation this unit's head gave for later (it gives nothing today): what revoking takes.
    later = Delegation(delegator_id=head.id, delegate_id=staff.id, kind="unit_head", unit_id=unit.id,
                       starts_on=date(2022, 7, 1), ends_on=date(2022, 7, 31), created_by_id=head.id)
    db.session.add(later)
    db.session.commit()
    o["delegation"] = later.id
    # This unit's evaluation sheet of May 2022 (issue 15): a person's results are for the person,
    # the unit's head, the agency's leadership and its administrator; "colleague" is another
    # member of the same unit (own: the unassigned staff; other and foreign: the head).
    from app.evaluations.services import ensure_default_scheme
    from app.models import Evaluation
    scheme = ensure_default_scheme(unit.agency_id)
    ev = Evaluation(agency_id=unit.agency_id, unit_id=unit.id, kind="month", year=2022, number=5,
                    starts_on=date(2022, 5, 1), ends_on=date(2022, 5, 31), version=1, state="open",
                    scheme_id=scheme.id, created_by_id=head.id)
    db.session.add(ev)
    db.session.commit()
    colleague = {"own": w.staff_a2, "other": w.head_b, "foreign": m.x.head if m.x else None}[scope]
    o.update(evaluation=ev.id, person=staff.id, colleague=colleague.id)
    o.update(plan=plan.id, task_draft=draft.id, task_submitted=submitted.id, task_approved=approved.id,
             stage=stage.id, draft_plan=dplan.id, draft_task=dtask.id, pending_plan=pplan.id,
             unit=unit.id, overdue_case=case.id, user=staff.id)
    return o


def build(w) -> Matrix:
    """Everything the matrix's routes take, for the world `w` (tests.conftest.World), and the
    same for agency X."""
    from app.reports import services as reports
    m = Matrix(w, build_x(), build_p())
    procs = {}
    for scope, code in (("own", "1.000001"), ("other", "1.000002"), ("foreign", "1.000003")):
        p = Procedure(code=code, name=f"Thủ tục {code}", name_folded=fold(f"Thủ tục {code}"),
                      level="Cấp tỉnh", processing_days=Decimal(20),
                      agency_id=(m.x.agency if scope == "foreign" else w.agency).id)
        db.session.add(p)
        procs[scope] = p
    spare = Procedure(code="1.000009", name="Thủ tục chưa chọn", name_folded=fold("Thủ tục chưa chọn"),
                      level="Cấp tỉnh", processing_days=Decimal(15))
    db.session.add(spare)
    db.session.add(CalendarDay(day=date(2022, 6, 1), kind="off", note="Nghỉ bù"))
    db.session.commit()
    m.shared.update(procedures=procs, procedure=procs["own"].id, spare_procedure=spare.id)
    m.xshared.update(procedure=procs["foreign"].id)
    from tests.conftest import make_user
    for principal, name, (start, end) in (
            ("delegate_own", "pp_btxh", (date(2022, 5, 16), date(2022, 5, 31))),
            ("expired_own", "pp_btxh_cu", (date(2022, 5, 1), date(2022, 5, 19)))):
        u = make_user(name, "staff", w.div_a, f"Phó Phòng {name}", "Phó trưởng phòng")
        db.session.flush()
        db.session.add(Delegation(delegator_id=w.head_a.id, delegate_id=u.id, kind="unit_head",
                                  unit_id=w.div_a.id, starts_on=start, ends_on=end,
                                  created_by_id=w.head_a.id))
        m.delegated[principal] = u
    db.session.commit()
    m.own = _unit_objects(m, "own", "19/KH-A")
    m.other = _unit_objects(m, "other", "20/KH-B")
    m.foreign = _unit_objects(m, "foreign", "21/KH-SYT")
    for principal in PRINCIPALS[1:]:
        u = m.user(principal)
        n = Notification(user_id=u.id, kind="info", text="Thông báo", url="/")
        db.session.add(n)
        db.session.flush()
        m.notifications[u.username] = n.id
        m.catalog_tokens[u.username] = tok = secrets.token_hex(16)
        _token_file("imports", tok, {"user_id": u.id, "filename": "dm.xlsx", "columns": [],
                                     "ignored": [], "rows": []})
        m.plan_tokens[u.username] = tok = secrets.token_hex(16)
        _token_file("planimport", tok, {"user_id": u.id, "source": "bảng dán", "year": 2022,
                                        "groups": [], "tasks": []})
    db.session.commit()
    draft = reports.open_report(w.office_user, "quarter", 2022, 2)
    pending = reports.open_report(w.office_user, "quarter", 2022, 1)
    reports.transition(w.office_user, pending, "submit")
    issued = reports.open_report(w.office_user, "quarter", 2021, 4)
    reports.transition(w.office_user, issued, "submit")
    make_next(issued.agency_id, 2022, "7/BC-SLĐTBXH")
    reports.transition(w.leader, issued, "issue", None, "7/BC-SLĐTBXH", date(2022, 1, 10), confirm_gaps=True)
    m.shared.update(report_draft=draft.id, report_pending=pending.id, report_issued=issued.id)
    mapping = DirectoryMapping(group_dn="cn=kstt-a,ou=groups,dc=test", unit_id=w.div_a.id, role="staff")
    db.session.add(mapping)
    x = m.x
    xdraft = reports.open_report(x.office, "quarter", 2022, 2)
    xpending = reports.open_report(x.office, "quarter", 2022, 1)
    reports.transition(x.office, xpending, "submit")
    xissued = reports.open_report(x.office, "quarter", 2021, 4)
    for r in (xdraft, xpending, xissued):
        r.basis = "BAOCAO-SYT: Sở Y tế báo cáo kết quả như sau:"
    db.session.commit()
    reports.transition(x.office, xissued, "submit")
    make_next(xissued.agency_id, 2022, "7/BC-SYT")
    reports.transition(x.leader, xissued, "issue", None, "7/BC-SYT", date(2022, 1, 10), confirm_gaps=True)
    m.xshared.update(report_draft=xdraft.id, report_pending=xpending.id, report_issued=xissued.id)
    db.session.commit()
    m.shared["mapping"] = mapping.id
    # A session of somebody who is none of the principals: nobody else may end it.
    outsider = User(username="nguoingoai", full_name="Người Ngoài", role="staff", unit_id=w.div_b.id,
                    password_hash="!", active=True)
    db.session.add(outsider)
    db.session.flush()
    foreign = UserSession(token_hash="0" * 64, user_id=outsider.id)
    db.session.add(foreign)
    db.session.commit()
    m.shared["foreign_session"] = foreign.id
    # Agency X's counterparts: a directory rule to one of its units and a session of one of
    # its people who is none of the principals.
    xmapping = DirectoryMapping(group_dn="cn=nvy-x,ou=groups,dc=test", unit_id=x.div.id, role="staff")
    xoutsider = User(username="nguoingoai_syt", full_name="Người Ngoài Y Tế", role="staff",
                     unit_id=x.div.id, password_hash="!", active=True)
    db.session.add_all([xmapping, xoutsider])
    db.session.flush()
    xforeign = UserSession(token_hash="1" * 64, user_id=xoutsider.id)
    db.session.add(xforeign)
    db.session.commit()
    m.xshared.update(mapping=xmapping.id, foreign_session=xforeign.id)
    _sendup(m, w, x)
    _province_plans(m, w, x)
    # The agencies themselves (the province dashboard's drill-down opens one).
    m.shared["agency"], m.xshared["agency"] = w.agency.id, x.agency.id
    _register_and_signing(m, w, x)
    _jobs(m, w, x)
    return m


def _register_and_signing(m: Matrix, w, x) -> None:
    """A number each agency's office reserved, and a signing certificate of each agency."""
    from datetime import datetime
    from app.models.signing import SigningCertificate
    from app.register import services as register
    for office, target in ((w.office_user, m.shared), (x.office, m.xshared)):
        entry = register.reserve(office, 2022, "CV", "Công văn đôn đốc")
        cert = SigningCertificate(agency_id=office.agency_id, label="Chứng thư cơ quan", subject="CN=x", issuer="CN=ca",
                                  serial="1", not_before=datetime(2022, 1, 1), not_after=datetime(2030, 1, 1),
                                  fingerprint="0" * 64, p12_path="/nonexistent.p12", passphrase_ref="env:NONE")
        db.session.add(cert)
        db.session.commit()
        target.update(register_entry=entry.id, signing_cert=cert.id)


def _jobs(m, w, x) -> None:
    """Background jobs of each agency: the issued report's DOCX (built, eager), the own plan's
    tracker built for the office's scope, and a failed job on the issued report."""
    from app.jobs import exports
    from app.models import Job, Plan, Report
    for shared, office, plan_id in ((m.shared, w.office_user, m.own["plan"]), (m.xshared, x.office, m.foreign["plan"])):
        report = db.session.get(Report, shared["report_issued"])
        shared["job_report"] = exports.report_job(office, report, "docx", reports_document(report)).id
        shared["job_tracker"] = exports.tracker_job(office, db.session.get(Plan, plan_id)).id
        failed = Job(kind="export", key=None, scope="any", object_kind="report", object_id=report.id,
                     params={"export": "report_xlsx", "user_id": office.id}, state="failed", progress=10,
                     step="Lỗi", error="Lỗi thử", attempts=1, created_by_id=office.id, agency_id=report.agency_id)
        db.session.add(failed)
        db.session.commit()
        shared["job_failed"] = failed.id


def reports_document(report):
    from app.reports import services as reports
    return reports.document(report)


def _sendup(m: Matrix, w, x) -> None:
    """Reports flowing up: each agency's issued report of quarter III/2021 sent to UBND tỉnh,
    and a reporting request of the province (its office and chairman are the principals
    office_p and leader_p)."""
    from app.models import ReportingRequest
    from app.reports import services as reports
    province = m.p.agency
    for office, leader, number, target in ((w.office_user, w.leader, "8/BC-SLĐTBXH", m.shared),
                                           (x.office, x.leader, "8/BC-SYT", m.xshared)):
        r = reports.open_report(office, "quarter", 2021, 3)
        reports.transition(office, r, "submit")
        make_next(r.agency_id, 2021, number)
        reports.transition(leader, r, "issue", None, number, date(2021, 10, 10), confirm_gaps=True)
        r.sendup_state, r.sent_up_by_id = "sent", office.id
        req = ReportingRequest(agency_id=province.id, period_key="2021-q3", number="1/VP-KSTT",
                               letter_date=date(2021, 9, 20), deadline=date(2021, 10, 15), created_by_id=m.p.office.id) \
            if target is m.shared else None
        if req is not None:
            db.session.add(req)
            db.session.flush()
        target.update(report_sent=r.id, request=m.shared.get("request") or req.id)
    db.session.commit()


def _province_plans(m: Matrix, w, x) -> None:
    """The province's own plans: a draft (nobody outside the province's office and chairman
    reads it) and an issued one giving a task to each agency's office (agency A's and X's):
    the lead agency's office answers or cascades it."""
    from app.models import Unit
    p = m.p
    draft = Plan(number="29/KH-UBND", title="KHTINH-DUTHAO", year=2022, kind="reform", state="draft",
                 created_by_id=p.office.id, agency_id=p.agency.id)
    db.session.add(draft)
    plan = Plan(number="28/KH-UBND", title="Kế hoạch kiểm soát TTHC năm 2022 của UBND tỉnh", year=2022,
                kind="reform", state="issued", created_by_id=p.office.id, agency_id=p.agency.id,
                issued_on=date(2022, 1, 20))
    db.session.add(plan)
    db.session.flush()
    db.session.add(Task(plan=draft, content="Nhiệm vụ dự thảo của tỉnh", lead_unit_id=w.office_user.unit_id,
                        due_on=date(2022, 9, 1)))
    for target, office, tag in ((m.shared, w.office_user, "KQTINH-SLDTBXH"), (m.xshared, x.office, "KQTINH-SYT")):
        task = Task(plan=plan, content=f"Rà soát TTHC nội bộ ({office.unit.agency.abbreviation})",
                    lead_unit_id=office.unit_id, due_on=date(2022, 6, 30), due_text="Trước ngày 30/6/2022")
        task.submission = Submission(state="draft", result_text=tag)
        db.session.add(task)
        db.session.flush()
        target["province_task"] = task.id
        target["province_plan"], target["province_draft"] = plan.id, draft.id
    db.session.commit()
