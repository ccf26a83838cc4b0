"""Every document's states and allowed transitions, in one place.

Services ask `move()` before changing a state; templates ask `available()` which buttons to
show; tests walk every allowed and refused move. Actors are abstract tags ("unit_staff",
"unit_head", "office", "leader"); app/access.py decides which tags a user holds on an object.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    actors: frozenset[str]
    label: str
    comment_required: bool = False
    style: str = "primary"  # how the button looks: primary / secondary / danger
    # A move that cannot be undone asks first, in a dialog, with this question.
    confirm: str | None = None


@dataclass(frozen=True)
class Workflow:
    name: str
    states: dict[str, str]  # state -> Vietnamese label
    initial: str
    transitions: tuple[Transition, ...] = field(default_factory=tuple)
    final: frozenset[str] = frozenset()

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def available(self, state: str, actors: set[str] | frozenset[str]) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources and t.actors & set(actors)]

    def label(self, state: str) -> str:
        return self.states.get(state, state)


def standing_return(workflow: Workflow, events) -> object | None:
    """The return still in force: the document's latest move (events oldest first, with
    `action`), when that move was a return; its reason belongs on top of the page until the
    document moves on (edits and uploads in between do not end it)."""
    last = None
    for e in events or ():
        t = workflow.transition(e.action)
        if t is not None:
            last = (e, t)
    return last[0] if last is not None and last[1].comment_required else None


class TransitionRefused(Exception):
    """A move that the workflow does not allow; `reason` is shown to the user in Vietnamese."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def move(workflow: Workflow, state: str, name: str, actors: set[str] | frozenset[str],
         comment: str | None = None) -> str:
    """Return the new state, or raise TransitionRefused with a reason a user can read."""
    t = workflow.transition(name)
    if t is None:
        raise TransitionRefused("Thao tác không tồn tại.")
    if state not in t.sources:
        allowed = ", ".join(workflow.label(s) for s in t.sources)
        raise TransitionRefused(
            f"Không thể “{t.label}” khi văn bản đang ở trạng thái “{workflow.label(state)}”"
            f" (chỉ được khi: {allowed})."
        )
    if not (t.actors & set(actors)):
        raise TransitionRefused(f"Bạn không có quyền “{t.label}” đối với văn bản này.")
    if t.comment_required and not (comment or "").strip():
        raise TransitionRefused(f"“{t.label}” cần ghi rõ lý do.")
    return t.target


PLAN = Workflow(
    name="plan",
    states={"draft": "Dự thảo", "pending": "Chờ Lãnh đạo duyệt", "issued": "Đã ban hành"},
    initial="draft",
    final=frozenset({"issued"}),
    transitions=(
        Transition("submit", ("draft",), "pending", frozenset({"office"}), "Trình Lãnh đạo duyệt"),
        Transition("issue", ("pending",), "issued", frozenset({"leader"}), "Duyệt, ban hành",
                   confirm="Duyệt và ban hành kế hoạch? Sau khi ban hành, kế hoạch và các nhiệm vụ "
                           "không sửa được nữa; các đơn vị được giao nhận thông báo."),
        Transition("return", ("pending",), "draft", frozenset({"leader"}), "Trả lại",
                   comment_required=True, style="danger"),
    ),
)

SUBMISSION = Workflow(
    name="submission",
    states={
        "draft": "Đang thực hiện",
        "submitted": "Chờ Trưởng phòng duyệt",
        "approved": "Chờ Văn phòng tiếp nhận",
        "returned": "Bị trả lại",
        "accepted": "Hoàn thành",
    },
    initial="draft",
    final=frozenset({"accepted"}),
    transitions=(
        Transition("submit", ("draft", "returned"), "submitted", frozenset({"unit_staff"}),
                   "Trình Trưởng phòng"),
        Transition("approve", ("submitted",), "approved", frozenset({"unit_head"}),
                   "Duyệt, gửi Văn phòng"),
        Transition("head_return", ("submitted",), "returned", frozenset({"unit_head"}),
                   "Trả lại chuyên viên", comment_required=True, style="danger"),
        Transition("accept", ("approved",), "accepted", frozenset({"office"}),
                   "Tiếp nhận, hoàn thành",
                   confirm="Tiếp nhận kết quả và ghi nhận nhiệm vụ hoàn thành? Sau khi tiếp nhận, "
                           "đơn vị không sửa được kết quả và không trả lại được nữa."),
        Transition("office_return", ("approved",), "returned", frozenset({"office"}),
                   "Trả lại đơn vị", comment_required=True, style="danger"),
    ),
)

# States in which the lead unit may still edit the result.
SUBMISSION_EDITABLE = frozenset({"draft", "returned"})
# States in which other units (office, leadership) may read the result text.
SUBMISSION_VISIBLE_OUTSIDE = frozenset({"approved", "accepted"})

WORKFLOWS = {w.name: w for w in (PLAN, SUBMISSION)}

REPORT = Workflow(
    name="report",
    states={"draft": "Dự thảo", "pending": "Trình Lãnh đạo", "issued": "Đã ban hành"},
    initial="draft",
    final=frozenset({"issued"}),
    transitions=(
        Transition("submit", ("draft",), "pending", frozenset({"office"}), "Trình Lãnh đạo"),
        Transition("issue", ("pending",), "issued", frozenset({"leader"}), "Duyệt, ban hành",
                   confirm="Duyệt và ban hành báo cáo? Số liệu và lời văn được giữ nguyên như lúc "
                           "ban hành; muốn sửa phải mở phiên bản mới."),
        Transition("return", ("pending",), "draft", frozenset({"leader"}), "Trả lại",
                   comment_required=True, style="danger"),
    ),
)
WORKFLOWS[REPORT.name] = REPORT

# The colour family of a state's badge, whatever the document (plan, submission, report,
# review, figures): one mapping so the same state looks the same everywhere.
STATE_TONES = {
    "draft": "secondary", "pending": "warning", "submitted": "warning", "sent": "warning",
    "approved": "info", "returned": "danger", "issued": "success", "accepted": "success",
    "done": "success", "overdue": "danger", "soon": "warning", "ok": "success",
}


def tone(state: str | None) -> str:
    return STATE_TONES.get(state or "", "secondary")

# Who must act next on a task's submission in each state (the transitions' actor tags).
SUBMISSION_HOLDER = {"draft": "unit_staff", "returned": "unit_staff", "submitted": "unit_head",
                     "approved": "office"}


def submission_holder(state: str | None, lead_unit: str, assignees: list[str],
                      office: str = "Văn phòng Sở", head: str | None = None) -> str | None:
    """Who holds the task now, as the task page says it; None once it is done. `office`: the
    office of the plan's agency that accepts the result ("Văn phòng UBND tỉnh" for a province
    task); `head`: who approves for the lead (a province task's lead agency's leadership)."""
    tag = SUBMISSION_HOLDER.get(state or "draft")
    if tag == "unit_staff":
        return f"{', '.join(assignees)} ({lead_unit})" if assignees else f"{lead_unit} (chưa giao chuyên viên)"
    if tag == "unit_head":
        return head or f"Trưởng phòng, {lead_unit}"
    if tag == "office":
        return f"{office} (đầu mối kiểm soát TTHC)"
    return None


# An issued report sent up to the province (issue 10, item 4). The report stays "issued" and
# frozen; this is its journey at UBND tỉnh. A returned report is fixed through a new version
# (REPORT again), which is issued and sent in its turn. Actors: "agency" (the report's own
# office and leaders), "province" (the province office).
REPORT_SENDUP = Workflow(
    name="report_sendup",
    states={"unsent": "Chưa gửi UBND tỉnh", "sent": "Đã gửi UBND tỉnh",
            "returned": "Bị UBND tỉnh trả lại", "accepted": "UBND tỉnh đã tiếp nhận"},
    initial="unsent",
    final=frozenset({"accepted"}),
    transitions=(
        Transition("send_up", ("unsent",), "sent", frozenset({"agency"}), "Gửi UBND tỉnh",
                   confirm="Gửi báo cáo đã ban hành lên UBND tỉnh? Báo cáo được gửi đúng như lúc ban hành; "
                           "muốn sửa phải mở phiên bản mới."),
        Transition("province_return", ("sent",), "returned", frozenset({"province"}), "Trả lại",
                   comment_required=True, style="danger"),
        Transition("province_accept", ("sent",), "accepted", frozenset({"province"}), "Tiếp nhận",
                   confirm="Tiếp nhận báo cáo? Sau khi tiếp nhận không trả lại được nữa."),
    ),
)
WORKFLOWS[REPORT_SENDUP.name] = REPORT_SENDUP

# A unit's evaluation sheet for a period (issue 15). The head proposes each person's results,
# the leader confirms (or returns with a reason); closing freezes the snapshot. A closed sheet
# changes only through "reopen" (reason required), which starts a NEW version in "open" and
# leaves the closed one as it was. Actors: "unit_head" (the unit's head), "leader" (the
# agency's leadership).
EVALUATION = Workflow(
    name="evaluation",
    states={"open": "Đang đánh giá", "proposed": "Chờ Lãnh đạo xác nhận",
            "confirmed": "Lãnh đạo đã xác nhận", "closed": "Đã khóa sổ"},
    initial="open",
    final=frozenset({"closed"}),
    transitions=(
        Transition("propose", ("open",), "proposed", frozenset({"unit_head"}), "Đề xuất kết quả",
                   confirm="Gửi đề xuất kết quả đánh giá của đơn vị lên Lãnh đạo? Sau khi gửi, điểm chất "
                           "lượng và số liệu không sửa được, trừ khi Lãnh đạo trả lại."),
        Transition("return", ("proposed",), "open", frozenset({"leader"}), "Trả lại Trưởng phòng",
                   comment_required=True, style="danger"),
        Transition("confirm", ("proposed",), "confirmed", frozenset({"leader"}), "Xác nhận kết quả"),
        Transition("close", ("confirmed",), "closed", frozenset({"leader"}), "Khóa sổ",
                   confirm="Khóa sổ kỳ đánh giá? Kết quả được giữ nguyên như lúc khóa; muốn sửa phải mở lại "
                           "(tạo phiên bản mới, cần ghi lý do).", style="secondary"),
    ),
)
WORKFLOWS[EVALUATION.name] = EVALUATION
# Reopening a closed sheet is not a move of that sheet: it stays closed and frozen (as an issued
# report does when a new version is opened) and version n+1 starts in "open". So "closed" is
# final, and the one way on from it is this version action, checked like a move.
EVALUATION_VERSIONS = Workflow(
    name="evaluation_version",
    states=EVALUATION.states,
    initial="closed",
    final=frozenset(),
    transitions=(
        Transition("reopen", ("closed",), "open", frozenset({"leader"}), "Mở lại (phiên bản mới)",
                   comment_required=True, style="danger"),
    ),
)
# States in which the head marks, comments and corrects; the person comments until closed.
EVALUATION_HEAD_EDITABLE = frozenset({"open"})
EVALUATION_PERSON_COMMENTS = frozenset({"open", "proposed", "confirmed"})
STATE_TONES.update({"open": "secondary", "proposed": "warning", "confirmed": "info", "closed": "success"})
# A background job (app/jobs): the worker moves it; whoever may see it retries a failed one.
# "start" also from "running": a worker killed mid-job leaves it running, and RQ runs it again.
JOB = Workflow(
    name="job",
    states={"queued": "Đang chờ xử lý", "running": "Đang xử lý", "done": "Đã xong", "failed": "Lỗi"},
    initial="queued",
    final=frozenset({"done"}),
    transitions=(
        Transition("start", ("queued", "running"), "running", frozenset({"worker"}), "Bắt đầu"),
        Transition("finish", ("running",), "done", frozenset({"worker"}), "Hoàn tất"),
        Transition("fail", ("queued", "running"), "failed", frozenset({"worker"}), "Báo lỗi"),
        Transition("retry", ("failed",), "queued", frozenset({"viewer"}), "Thử lại"),
    ),
)
WORKFLOWS[JOB.name] = JOB
