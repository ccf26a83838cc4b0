"""Every allowed and every refused move of each document's workflow."""
import itertools

import pytest

from app.domain import workflow as wf

ACTORS = ["unit_staff", "unit_head", "office", "leader", "cooperating"]

PLAN_ALLOWED = {
    ("draft", "submit", "office"): "pending",
    ("pending", "issue", "leader"): "issued",
    ("pending", "return", "leader"): "draft",
}
SUBMISSION_ALLOWED = {
    ("draft", "submit", "unit_staff"): "submitted",
    ("returned", "submit", "unit_staff"): "submitted",
    ("submitted", "approve", "unit_head"): "approved",
    ("submitted", "head_return", "unit_head"): "returned",
    ("approved", "accept", "office"): "accepted",
    ("approved", "office_return", "office"): "returned",
}


def _cases(workflow, allowed):
    for state, t, actor in itertools.product(workflow.states, workflow.transitions, ACTORS):
        yield workflow, state, t.name, actor, allowed.get((state, t.name, actor))


CASES = list(_cases(wf.PLAN, PLAN_ALLOWED)) + list(_cases(wf.SUBMISSION, SUBMISSION_ALLOWED))


@pytest.mark.parametrize("workflow,state,name,actor,expected", CASES,
                         ids=[f"{c[0].name}-{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_every_move(workflow, state, name, actor, expected):
    comment = "lý do"
    if expected:
        assert wf.move(workflow, state, name, {actor}, comment) == expected
        assert name in [t.name for t in workflow.available(state, {actor})]
    else:
        with pytest.raises(wf.TransitionRefused) as e:
            wf.move(workflow, state, name, {actor}, comment)
        assert e.value.reason  # a reason a user can read
        assert name not in [t.name for t in workflow.available(state, {actor})]


@pytest.mark.parametrize("workflow,state,name,actor", [
    (wf.PLAN, "pending", "return", "leader"),
    (wf.SUBMISSION, "submitted", "head_return", "unit_head"),
    (wf.SUBMISSION, "approved", "office_return", "office"),
])
def test_return_requires_comment(workflow, state, name, actor):
    with pytest.raises(wf.TransitionRefused) as e:
        wf.move(workflow, state, name, {actor}, "   ")
    assert "lý do" in e.value.reason


def test_refusal_names_the_state():
    with pytest.raises(wf.TransitionRefused) as e:
        wf.move(wf.SUBMISSION, "accepted", "submit", {"unit_staff"})
    assert "Hoàn thành" in e.value.reason


def test_unknown_transition():
    with pytest.raises(wf.TransitionRefused):
        wf.move(wf.PLAN, "draft", "explode", {"office"})


def test_final_states_have_no_way_out():
    for w in wf.WORKFLOWS.values():
        for s in w.final:
            assert not w.available(s, set(ACTORS))


def test_submission_holder_follows_the_state():
    unit = "Phòng Bảo trợ xã hội – Trẻ em"
    assert wf.submission_holder("draft", unit, []) == f"{unit} (chưa giao chuyên viên)"
    assert wf.submission_holder("returned", unit, ["Lê Chuyên A"]) == f"Lê Chuyên A ({unit})"
    assert wf.submission_holder("submitted", unit, ["Lê Chuyên A"]) == f"Trưởng phòng, {unit}"
    assert wf.submission_holder("approved", unit, []).startswith("Văn phòng Sở")
    assert wf.submission_holder("accepted", unit, []) is None


def test_every_state_has_a_badge_tone():
    for workflow in wf.WORKFLOWS.values():
        for state in workflow.states:
            assert wf.tone(state) in {"secondary", "warning", "info", "danger", "success"}, state


def test_submission_holder_names_the_office_and_the_lead_agency():
    """A province task: the lead agency answers and approves, Văn phòng UBND tỉnh accepts."""
    lead, head = "Sở Tư pháp", "Lãnh đạo Sở Tư pháp"
    office = "Văn phòng UBND tỉnh"
    assert wf.submission_holder("approved", lead, [], office=office, head=head) == \
        "Văn phòng UBND tỉnh (đầu mối kiểm soát TTHC)"
    assert wf.submission_holder("submitted", lead, [], office=office, head=head) == head
    assert wf.submission_holder("draft", lead, [], office=office, head=head) == "Sở Tư pháp (chưa giao chuyên viên)"
