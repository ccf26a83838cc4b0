"""The authorization matrix: every route x every role x own/other unit, allow or deny.

RULES is generated against `app.url_map`: an endpoint (and method) without a rule fails
`test_every_route_has_a_rule`, a rule for a route that no longer exists fails too. Each case
names who is allowed on the own unit's object (div_a, the unit of head_own/staff_own) and on the
other unit's object (div_b); every other principal must be refused (403/404, anon: to /login).

Allowed = any answer but 401/403/404 and not a redirect to /login (a 400 for bad input or a 409
for a state conflict means "allowed to try"), except on workflow transitions where a 409 saying
"không có quyền" is the refusal. GETs share one world per case; a POST that changes data gets a
fresh world for every allowed principal after the first (refused ones run first and change
nothing). Set MATRIX_DUMP=path to write every observed status as a table.

Agencies: principals *_x belong to a second agency (X); office_p and leader_p to the province's
own agency (Văn phòng UBND tỉnh and the chairman), office_c to a commune (UBND xã). A rule written for agency A's people
holds, mirrored (admin -> admin_x, office -> office_x, head_own -> head_x ...), for agency X's
people on agency X's objects (scope "foreign"), and agency A's people are refused there; on
agency A's objects nobody of agency X is allowed. Pages without an object (lists, forms) are
open to the mirrored principals too (each sees their own agency's content: the leak check
proves agency A's secrets never reach them, and agency X's never reach agency A). The province's
and the commune's office and leader mirror agency A's on those pages too (`mirror_all`); on
agency A's or X's objects they are refused unless a rule names them (the province office on the
reports sent up to it, the requests, the consolidation, the province dashboard's drill-down).
"""
from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from typing import Callable

import pytest

from tests.conftest import build_world, login
from tests.security.matrix_fixtures import (C_MIRROR, MIRROR, P_MIRROR, PERIOD, PRINCIPALS, SECRETS,
                                           UNISSUED_TAGS, Matrix, build, wipe)

# ---- principal sets ---------------------------------------------------------------------------

ANON = {"anon"}
USERS = set(PRINCIPALS) - ANON
OVERSEERS = {"admin", "leader", "office"}
X_USERS = {"admin_x", "leader_x", "office_x", "head_x", "staff_x"}   # agency X
# The province's own agency: its office (Văn phòng UBND tỉnh, kstt_tinh) and chairman; a commune's office
PROVINCE = {"office_p", "leader_p"}
COMMUNE = {"office_c"}
OUTSIDERS = X_USERS | PROVINCE | COMMUNE        # nobody of agency A
X_OVERSEERS = {"admin_x", "leader_x", "office_x"}
# members of div_a ("own"); delegate_own holds the head's approval by delegation, expired_own did
A_UNIT = {"head_own", "staff_own", "staff_own_unassigned", "delegate_own", "expired_own"}
B_UNIT = {"head_other", "staff_other"}                      # members of div_b ("other")
NOBODY: set[str] = set()


@dataclass
class Case:
    endpoint: str
    method: str
    url: Callable[[Matrix, str, str], str]      # (m, principal, scope) -> path
    own: set[str]                               # allowed on the own unit's object
    other: set[str] | None = None               # allowed on the other unit's object; None: no scope
    data: Callable[[Matrix, str], dict] | dict | None = None
    label: str = ""
    fresh: bool | None = None                   # fresh world per allowed POST (default: POST)
    transition: bool = False
    ends_at_login: bool = False                 # an allowed answer is a redirect to /login (logout)
    # Agency X: allowed on agency X's object (scope "foreign"); None: the mirror of `own`.
    foreign: set[str] | None = None
    # Agency X's people also allowed on the "any" scope (None: yes for pages without an object).
    x_any: bool | None = None

    @property
    def name(self) -> str:
        return f"{self.endpoint}{'#' + self.label if self.label else ''} {self.method}"

    def scopes(self) -> list[tuple[str, set[str]]]:
        foreign = mirror(self.own) if self.foreign is None else self.foreign
        if self.other is None:
            fixed = getattr(self.url, "fixed", False)
            x_any = fixed if self.x_any is None else self.x_any
            out = [("any", self.own | (mirror_all(self.own) if x_any else set()))]
            return out if fixed else out + [("foreign", foreign)]
        return [("own", self.own), ("other", self.other), ("foreign", foreign)]


def mirror(allowed: set[str]) -> set[str]:
    """Agency X's counterparts of agency A's principals."""
    return {MIRROR[p] for p in allowed if p in MIRROR}


def mirror_all(allowed: set[str]) -> set[str]:
    """Every other agency's counterparts (agency X, the province's own agency, a commune) of
    agency A's principals: on a page without an object each sees their own agency's content."""
    return mirror(allowed) | {m[p] for m in (P_MIRROR, C_MIRROR) for p in allowed if p in m}


def _fixed(path: str):
    def url(m, who, scope):
        return path
    url.fixed = True   # no object in the path: agency X's people reach the same page
    return url


def _obj(fmt: str, *names: str):
    """A path whose placeholders are objects of the scope ('any' uses the own unit's)."""
    def url(m, who, scope):
        s = "own" if scope == "any" else scope
        return fmt.format(*(m.o(s, n) for n in names))
    return url


def _mixed(fmt: str, outer: str, inner: str):
    """The scope's object with the OTHER scope's sub-object in its path (nobody may use that)."""
    def url(m, who, scope):
        flip = "other" if scope == "own" else "own"
        return fmt.format(m.o(scope, outer), m.o(flip, inner))
    return url


def _shared(fmt: str, *names: str):
    """One object of agency A (scope "any") or agency X's (scope "foreign")."""
    return lambda m, who, scope: fmt.format(*((m.xshared if scope == "foreign" else m.shared)[n]
                                              for n in names))


def _token(kind: str, fmt: str):
    """Import previews belong to the user who uploaded them: own = one's own token,
    other = somebody else's (the office's, or the admin's for the office)."""
    def url(m, who, scope):
        tokens = m.catalog_tokens if kind == "catalog" else m.plan_tokens
        if scope == "foreign":  # agency X's people use their own; others, agency X's office's
            owner = m.user(who).username if who in X_USERS else "vanphong_syt"
        elif who == "anon":
            owner = "vanphong"
        elif scope == "own" and who not in OUTSIDERS:   # other agencies' people: agency A's office's
            owner = m.user(who).username
        else:
            owner = "admin" if who == "office" else "vanphong"
        return fmt.format(tokens[owner])
    return url


def _notification(m, who, scope):
    if scope == "foreign":
        name = m.user(who).username if who in X_USERS else "vanphong_syt"
        return f"/notifications/{m.notifications[name]}/open"
    if who == "anon":
        return f"/notifications/{m.notifications['vanphong']}/open"
    name = m.user(who).username
    if scope == "other":
        name = "admin" if name != "admin" else "vanphong"
    return f"/notifications/{m.notifications[name]}/open"


def _upload(m, who):
    return {"file": (io.BytesIO(b"%PDF-1.4 matrix"), "bao-cao.pdf")}


def _task_form(m, who):
    return {"content": "Nhiệm vụ mới", "lead_unit_id": m.w.div_a.id, "due_on": "30/09/2022"}


TASK_VIEWERS_A = OVERSEERS | A_UNIT | {"local"}    # local cooperates on the own unit's draft task
TASK_VIEWERS_B = OVERSEERS | B_UNIT
FIGURE_EDITORS = ({"office"} | A_UNIT, {"office"} | B_UNIT)
EVAL_SHEET_A = {"head_own", "delegate_own", "leader", "admin"}   # a unit's whole evaluation sheet
EVAL_SHEET_B = {"head_other", "leader", "admin"}

RULES: list[Case] = [
    # ---- auth
    Case("auth.login", "GET", _fixed("/login"), USERS | ANON),
    Case("auth.login", "POST", _fixed("/login"), USERS | ANON, data={"username": "x", "password": "y"},
         fresh=False),
    # The log-in-again dialog asks whether the browser is still logged in: it tells only that.
    Case("auth.session_state", "GET", _fixed("/session"), USERS | ANON),
    Case("auth.logout", "POST", _fixed("/logout"), USERS, fresh=False, ends_at_login=True),
    Case("auth.password", "GET", _fixed("/account/password"), USERS),
    Case("auth.password", "POST", _fixed("/account/password"), USERS,
         data={"current": "sai", "new": "x", "confirm": "y"}, fresh=False),
    Case("auth.login_otp", "GET", _fixed("/login/otp"), NOBODY),   # no first step: back to login
    Case("auth.login_otp", "POST", _fixed("/login/otp"), NOBODY, data={"code": "123456"}, fresh=False),
    Case("auth.totp", "GET", _fixed("/account/totp"), USERS),
    Case("auth.totp_confirm", "POST", _fixed("/account/totp/confirm"), USERS, data={"code": "000000"}, fresh=False),
    Case("auth.totp_disable", "POST", _fixed("/account/totp/disable"), USERS, data={"password": "sai"}, fresh=False),
    Case("auth.my_sessions", "GET", _fixed("/account/sessions"), USERS),
    Case("auth.end_session", "POST", _shared("/account/sessions/{}/end", "foreign_session"), NOBODY, fresh=False),
    Case("auth.end_other_sessions", "POST", _fixed("/account/sessions/end-others"), USERS, fresh=False),
    # ---- org (admin only)
    Case("org.units", "GET", _fixed("/admin/units"), {"admin"}),
    Case("org.unit_new", "GET", _fixed("/admin/units/new"), {"admin"}),
    Case("org.unit_new", "POST", _fixed("/admin/units/new"), {"admin"}, data={}, fresh=False),
    Case("org.unit_edit", "GET", _obj("/admin/units/{}", "unit"), {"admin"}, {"admin"}),
    Case("org.unit_edit", "POST", _obj("/admin/units/{}", "unit"), {"admin"}, {"admin"}, data={},
         fresh=False),
    Case("org.users", "GET", _fixed("/admin/users"), {"admin"}),
    Case("org.user_new", "GET", _fixed("/admin/users/new"), {"admin"}),
    Case("org.user_new", "POST", _fixed("/admin/users/new"), {"admin"}, data={}, fresh=False),
    Case("org.user_edit", "GET", _obj("/admin/users/{}", "user"), {"admin"}, {"admin"}),
    Case("org.user_edit", "POST", _obj("/admin/users/{}", "user"), {"admin"}, {"admin"}, data={},
         fresh=False),
    Case("org.user_reset_password", "POST", _obj("/admin/users/{}/reset-password", "user"), {"admin"}, {"admin"}),
    Case("org.user_reset_totp", "POST", _obj("/admin/users/{}/reset-totp", "user"), {"admin"}, {"admin"}),
    Case("org.user_sessions_end", "POST", _obj("/admin/users/{}/sessions/end", "user"), {"admin"}, {"admin"},
         fresh=False),
    Case("org.directory", "GET", _fixed("/admin/directory"), {"admin"}),
    Case("org.mapping_new", "GET", _fixed("/admin/directory/new"), {"admin"}),
    Case("org.mapping_new", "POST", _fixed("/admin/directory/new"), {"admin"}, data={}, fresh=False),
    Case("org.mapping_edit", "GET", _shared("/admin/directory/{}", "mapping"), {"admin"}),
    Case("org.mapping_edit", "POST", _shared("/admin/directory/{}", "mapping"), {"admin"}, data={},
         fresh=False),
    Case("org.mapping_delete", "POST", _shared("/admin/directory/{}/delete", "mapping"), {"admin"}),
    Case("audit.index", "GET", _fixed("/admin/audit/"), {"admin"}),
    Case("audit.export", "GET", _fixed("/admin/audit/export.xlsx"), {"admin"}),
    # ---- delegation (ủy quyền): everyone lists what they gave or received; heads and leaders
    # delegate; the delegator or the agency's administrator revokes
    Case("delegations.index", "GET", _fixed("/delegations/"), USERS),
    Case("delegations.create", "POST", _fixed("/delegations/"), {"head_own", "head_other", "leader", "local"},
         data={"delegate_id": "0"}, fresh=False),
    Case("delegations.revoke", "POST", _obj("/delegations/{}/revoke", "delegation"), {"head_own", "admin"},
         {"head_other", "admin"}),
    # ---- home, notifications, tracking
    Case("home.index", "GET", _fixed("/"), USERS),
    Case("notifications.index", "GET", _fixed("/notifications/"), USERS),
    Case("notifications.bell", "GET", _fixed("/notifications/bell"), USERS),
    Case("notifications.open_one", "POST", _notification, USERS, NOBODY, fresh=False),
    Case("notifications.read_all", "POST", _fixed("/notifications/read-all"), USERS, fresh=False),
    Case("tracking.tasks", "GET", _fixed("/tasks/"), USERS),
    Case("tracking.overdue", "GET", _fixed("/overdue"), USERS),
    # ---- calendar (the administrator keeps the calendar, the office and leadership read it;
    # the office sets the report days)
    Case("calendar.index", "GET", _fixed("/calendar/"), {"admin", "office", "leader"}),
    Case("calendar.add_day", "POST", _fixed("/calendar/days"), {"admin"},
         data={"day": "02/09/2022", "kind": "off", "note": "Quốc khánh"}),
    Case("calendar.remove_day", "POST", _fixed("/calendar/days/2022-06-01/delete"), {"admin"}),
    Case("calendar.report_days", "GET", _fixed("/calendar/report-days"), {"office", "admin"}),
    Case("calendar.report_days", "POST", _fixed("/calendar/report-days"), {"office", "admin"},
         data={}, fresh=False),
    # ---- catalog (everyone reads; admin and office keep it)
    Case("catalog.index", "GET", _fixed("/catalog/"), USERS),
    Case("catalog.export", "GET", _fixed("/catalog/export.xlsx"), USERS),
    Case("catalog.template", "GET", _fixed("/catalog/template.xlsx"), USERS),
    # one province catalog: everybody reads every agency's procedures; each agency edits its own
    Case("catalog.show", "GET", _shared("/catalog/{}", "procedure"), USERS, x_any=True, foreign=USERS),
    Case("catalog.edit", "GET", _fixed("/catalog/new"), {"admin", "office"}, label="new"),
    Case("catalog.edit", "POST", _fixed("/catalog/new"), {"admin", "office"}, data={}, label="new",
         fresh=False),
    Case("catalog.edit", "GET", _shared("/catalog/{}/edit", "procedure"), {"admin", "office"}),
    Case("catalog.edit", "POST", _shared("/catalog/{}/edit", "procedure"), {"admin", "office"},
         data={}, fresh=False),
    Case("catalog.import_file", "GET", _fixed("/catalog/import"), {"admin", "office"}),
    Case("catalog.import_file", "POST", _fixed("/catalog/import"), {"admin", "office"}, data={},
         fresh=False),
    Case("catalog.import_confirm", "POST", _token("catalog", "/catalog/import/{}/confirm"),
         {"admin", "office"}, NOBODY),
    # ---- dashboard
    Case("dashboard.index", "GET", _fixed("/dashboard/"), OVERSEERS),
    Case("dashboard.export", "GET", _fixed("/dashboard/all.xlsx"), OVERSEERS),
    # ---- province dashboard (an agency's overseers see their own agency's line; the
    # province's own office and leaders, every agency: tests/province/test_routes.py)
    Case("province.index", "GET", _fixed("/province/"), OVERSEERS),
    Case("province.export", "GET", _fixed("/province/ranking.xlsx"), OVERSEERS),
    # drill-down: an agency's own overseers, and the province's (the tasks given to it, counts only)
    Case("province.agency", "GET", _shared("/province/agencies/{}", "agency"), OVERSEERS | PROVINCE,
         foreign={"admin_x", "leader_x", "office_x"} | PROVINCE),
    # ---- plans
    Case("plans.index", "GET", _fixed("/plans/"), USERS),
    Case("plans.new", "GET", _fixed("/plans/new"), {"office"}),
    Case("plans.new", "POST", _fixed("/plans/new"), {"office"}, data={}, fresh=False),
    Case("plans.detail", "GET", _obj("/plans/{}", "plan"), TASK_VIEWERS_A, TASK_VIEWERS_B),
    Case("plans.detail", "GET", _obj("/plans/{}", "draft_plan"), OVERSEERS, OVERSEERS, label="draft"),
    # the province's plan (one, giving a task to agency A and one to agency X): its office and
    # chairman; once issued, the overseers of every agency it gives a task to, not their units
    Case("plans.detail", "GET", _shared("/plans/{}", "province_plan"), OVERSEERS | PROVINCE | X_OVERSEERS,
         foreign=OVERSEERS | PROVINCE | X_OVERSEERS, label="province"),
    Case("plans.detail", "GET", _shared("/plans/{}", "province_draft"), PROVINCE, foreign=PROVINCE,
         label="province_draft"),
    Case("plans.edit", "GET", _obj("/plans/{}/edit", "draft_plan"), {"office"}, {"office"}),
    Case("plans.edit", "POST", _obj("/plans/{}/edit", "draft_plan"), {"office"}, {"office"}, data={},
         fresh=False),
    Case("plans.edit", "GET", _obj("/plans/{}/edit", "plan"), NOBODY, NOBODY, label="issued"),
    Case("plans.add_task", "POST", _obj("/plans/{}/tasks", "draft_plan"), {"office"}, {"office"},
         data=_task_form),
    Case("plans.add_task", "POST", _obj("/plans/{}/tasks", "plan"), NOBODY, NOBODY, data=_task_form,
         label="issued"),
    Case("plans.edit_task", "GET", _obj("/plans/{}/tasks/{}/edit", "draft_plan", "draft_task"),
         {"office"}, {"office"}),
    Case("plans.edit_task", "POST", _obj("/plans/{}/tasks/{}/edit", "draft_plan", "draft_task"),
         {"office"}, {"office"}, data=_task_form),
    Case("plans.delete_task", "POST", _obj("/plans/{}/tasks/{}/delete", "draft_plan", "draft_task"),
         {"office"}, {"office"}),
    Case("plans.delete_task", "POST", _obj("/plans/{}/tasks/{}/delete", "plan", "task_draft"),
         NOBODY, NOBODY, label="issued"),
    Case("plans.edit_task", "POST", _mixed("/plans/{}/tasks/{}/edit", "draft_plan", "draft_task"),
         NOBODY, NOBODY, data=_task_form, label="mixed"),
    Case("plans.delete_task", "POST", _mixed("/plans/{}/tasks/{}/delete", "draft_plan", "draft_task"),
         NOBODY, NOBODY, label="mixed"),
    Case("plans.transition", "POST", _obj("/plans/{}/transition/submit", "draft_plan"),
         {"office"}, {"office"}, transition=True, label="submit"),
    Case("plans.transition", "POST", _obj("/plans/{}/transition/issue", "pending_plan"),
         {"leader"}, {"leader"}, transition=True, label="issue"),
    Case("plans.tracker", "GET", _obj("/plans/{}/tracker.xlsx", "plan"), OVERSEERS, OVERSEERS),
    # only the lead agency's office cascades a PROVINCIAL task; an agency's own task is no such
    Case("plans.cascade", "POST", _obj("/plans/cascade/{}", "task_draft"), NOBODY, NOBODY, foreign=NOBODY),
    Case("plans.cascade", "POST", _shared("/plans/cascade/{}", "province_task"), {"office"},
         label="province"),
    # the province task: the province's overseers and the lead agency's (never another agency's)
    Case("submissions.task", "GET", _shared("/tasks/{}", "province_task"), OVERSEERS | PROVINCE,
         foreign={"admin_x", "leader_x", "office_x"} | PROVINCE, label="province"),
    Case("submissions.save", "POST", _shared("/tasks/{}/result", "province_task"), {"office", "leader"},
         data={"result_text": "Kết quả của Sở"}, label="province"),
    # ---- plan import (the office; a preview belongs to the user who uploaded it)
    Case("planimport.start", "GET", _fixed("/plans/import/"), {"office"}),
    Case("planimport.upload", "POST", _fixed("/plans/import/"), {"office"}, data={}, fresh=False),
    Case("planimport.preview", "GET", _token("plan", "/plans/import/{}"), {"office"}, NOBODY),
    Case("planimport.confirm", "POST", _token("plan", "/plans/import/{}"), {"office"}, NOBODY,
         data={"number": "30/KH-SLĐTBXH", "title": "Kế hoạch nhập", "year": "2022", "kind": "reform"}),
    Case("planimport.done", "GET", _obj("/plans/import/done/{}", "draft_plan"), {"office"}, {"office"}),
    # ---- submissions (a unit never sees another unit's drafts)
    Case("submissions.task", "GET", _obj("/tasks/{}", "task_draft"), TASK_VIEWERS_A, TASK_VIEWERS_B),
    Case("submissions.save", "POST", _obj("/tasks/{}/result", "task_draft"),
         {"head_own", "staff_own"}, {"head_other", "staff_other"},
         data={"result_text": "Kết quả mới"}),
    Case("submissions.save", "POST", _obj("/tasks/{}/result", "task_approved"), NOBODY, NOBODY,
         data={"result_text": "Sửa sau khi duyệt"}, label="approved"),
    Case("submissions.transition", "POST", _obj("/tasks/{}/transition/submit", "task_draft"),
         {"head_own", "staff_own"}, {"head_other", "staff_other"}, transition=True, label="submit"),
    Case("submissions.transition", "POST", _obj("/tasks/{}/transition/approve", "task_submitted"),
         {"head_own", "delegate_own"}, {"head_other"}, transition=True, label="approve"),
    Case("submissions.transition", "POST", _obj("/tasks/{}/transition/accept", "task_approved"),
         {"office"}, {"office"}, transition=True, label="accept"),
    Case("submissions.assign", "POST", _obj("/tasks/{}/assign", "task_draft"), {"head_own"},
         {"head_other"}, data=lambda m, who: {"user_ids": [m.w.staff_a2.id]}),
    Case("submissions.contribute", "POST", _obj("/tasks/{}/contributions", "task_draft"), {"local"},
         NOBODY, data={"text": "Ý kiến của đơn vị phối hợp"}),
    Case("submissions.upload", "POST", _obj("/tasks/{}/attachments", "task_draft"),
         {"head_own", "staff_own"}, {"head_other", "staff_other"}, data=_upload),
    Case("submissions.download", "GET", _obj("/tasks/{}/attachments/{}", "task_draft", "draft_attachment"),
         A_UNIT, B_UNIT, label="draft"),
    Case("submissions.download", "GET",
         _obj("/tasks/{}/attachments/{}", "task_approved", "approved_attachment"),
         OVERSEERS | A_UNIT, OVERSEERS | B_UNIT, label="approved"),
    Case("submissions.remove", "POST",
         _obj("/tasks/{}/attachments/{}/delete", "task_draft", "draft_attachment"),
         {"head_own", "staff_own"}, {"head_other", "staff_other"}),
    Case("submissions.download", "GET",
         _mixed("/tasks/{}/attachments/{}", "task_approved", "approved_attachment"), NOBODY, NOBODY,
         label="mixed"),
    Case("submissions.remove", "POST",
         _mixed("/tasks/{}/attachments/{}/delete", "task_draft", "draft_attachment"), NOBODY, NOBODY,
         label="mixed"),
    # ---- deadlines: explanations and stages
    Case("deadlines.explanations", "GET", _obj("/tasks/{}/explanations", "task_draft"),
         TASK_VIEWERS_A, TASK_VIEWERS_B),
    Case("deadlines.explain", "POST", _obj("/tasks/{}/explanations", "task_draft"), {"head_own"},
         {"head_other"}, data={"text": "Chậm do chờ ý kiến của Bộ."}),
    Case("deadlines.plan_stages", "POST", _obj("/tasks/{}/stages", "task_draft"), {"office"},
         {"office"}, data={"budgets": "Phòng chuyên môn: 03 ngày; Văn phòng Sở: 02 ngày",
                           "start": "01/06/2022"}),
    Case("deadlines.change_due", "POST", _obj("/tasks/{}/deadline", "task_draft"), {"office"}, {"office"},
         data={"due_text": "Trước ngày 30/6/2022", "reason": "Lùi hạn theo đề nghị của đơn vị"}),
    Case("deadlines.change_due", "POST", _obj("/tasks/{}/deadline", "draft_task"), NOBODY, NOBODY,
         data={"due_on": "30/09/2022", "reason": "Đặt hạn"}, label="draft_plan"),
    Case("deadlines.complete_stage", "POST", _obj("/tasks/{}/stages/{}/done", "task_draft", "stage"),
         {"office", "head_own"}, {"office", "head_other"}),
    Case("deadlines.complete_stage", "POST", _mixed("/tasks/{}/stages/{}/done", "task_draft", "stage"),
         NOBODY, NOBODY, label="mixed"),
    # ---- reviews
    Case("reviews.index", "GET", _fixed("/reviews/"), USERS),
    Case("reviews.cut_preview", "GET", _fixed("/reviews/cut-preview?current_days=20&proposed_days=15"),
         USERS),
    Case("reviews.task", "GET", _obj("/reviews/task/{}", "task_draft"), TASK_VIEWERS_A, TASK_VIEWERS_B),
    Case("reviews.candidates", "GET", _obj("/reviews/task/{}/candidates?q=thu", "task_draft"),
         TASK_VIEWERS_A, TASK_VIEWERS_B),
    Case("reviews.add", "POST", _obj("/reviews/task/{}/procedures", "task_draft"), {"office"}, {"office"},
         data=lambda m, who: {"procedure_id": m.shared["spare_procedure"]}),
    Case("reviews.remove", "POST", _obj("/reviews/item/{}/remove", "review_draft"), {"office"}, {"office"}),
    Case("reviews.form", "GET", _obj("/reviews/item/{}", "review_draft"), A_UNIT, B_UNIT, label="draft"),
    Case("reviews.form", "GET", _obj("/reviews/item/{}", "review_approved"), OVERSEERS | A_UNIT,
         OVERSEERS | B_UNIT, label="approved"),
    Case("reviews.form", "POST", _obj("/reviews/item/{}", "review_draft"), {"head_own", "staff_own"},
         {"head_other", "staff_other"}, data={"proposal": "keep"}),
    Case("reviews.form", "POST", _obj("/reviews/item/{}", "review_approved"), NOBODY, NOBODY,
         data={"proposal": "keep"}, label="approved"),
    Case("reviews.plan", "GET", _obj("/reviews/plan/{}", "plan"), TASK_VIEWERS_A, TASK_VIEWERS_B),
    Case("reviews.export", "GET", _obj("/reviews/plan/{}/export.xlsx", "plan"), TASK_VIEWERS_A,
         TASK_VIEWERS_B),
    Case("reviews.targets", "POST", _obj("/reviews/plan/{}/targets", "plan"), {"office"}, {"office"},
         data={"time_cut_target": "30"}),
    # ---- figures (units enter and see only their own; the office manages all)
    Case("figures.index", "GET", _fixed("/figures/"), USERS),
    Case("figures.overview", "GET", _fixed(f"/figures/{PERIOD}"), USERS),
    Case("figures.template", "GET", _fixed(f"/figures/{PERIOD}/template.xlsx"), {"office"}),
    Case("figures.import_file", "POST", _fixed(f"/figures/{PERIOD}/import"), {"office"}, data={},
         fresh=False),
    Case("figures.unit", "GET", _obj(f"/figures/{PERIOD}/{{}}", "unit"), OVERSEERS | A_UNIT,
         OVERSEERS | B_UNIT),
    Case("figures.save", "POST", _obj(f"/figures/{PERIOD}/{{}}", "unit"), *FIGURE_EDITORS,
         data={"received_online": "4", "received_direct": "2", "resolved_on_time": "6"}),
    Case("figures.save_form", "POST", _obj(f"/figures/{PERIOD}/{{}}/forms/ii-07b-vpcp-kstt", "unit"),
         *FIGURE_EDITORS, data={"fb_new": "2", "fb_regulation": "2", "fb_pending_regulation": "2"}),
    Case("figures.send", "POST", _obj(f"/figures/{PERIOD}/{{}}/send", "unit"), {"head_own"},
         {"head_other"}),
    Case("figures.add_overdue", "POST", _obj(f"/figures/{PERIOD}/{{}}/overdue", "unit"), *FIGURE_EDITORS,
         data={"dossier_code": "HS-002", "procedure_name": "Cấp phép", "explanation": "Chờ bổ sung"}),
    Case("figures.remove_overdue", "POST",
         _obj(f"/figures/{PERIOD}/{{}}/overdue/{{}}/delete", "unit", "overdue_case"), *FIGURE_EDITORS),
    Case("figures.remove_overdue", "POST",
         _mixed(f"/figures/{PERIOD}/{{}}/overdue/{{}}/delete", "unit", "overdue_case"), NOBODY, NOBODY,
         label="mixed"),
    # ---- reports (office drafts, leader issues; units never see them)
    Case("reports.index", "GET", _fixed("/reports/"), OVERSEERS),
    Case("reports.open_report", "POST", _fixed("/reports/open"), {"office"}, data={}, fresh=False),
    Case("reports.view", "GET", _shared("/reports/{}", "report_draft"), OVERSEERS),
    # a report sent up: the province's office and chairman read it too (never a draft)
    Case("reports.view", "GET", _shared("/reports/{}", "report_sent"), OVERSEERS | PROVINCE,
         foreign={"admin_x", "leader_x", "office_x"} | PROVINCE, label="sent"),
    Case("reports.docx", "GET", _shared("/reports/{}/report.docx", "report_sent"), OVERSEERS | PROVINCE,
         foreign={"admin_x", "leader_x", "office_x"} | PROVINCE, label="sent"),
    Case("reports.docx", "GET", _shared("/reports/{}/report.docx", "report_issued"), OVERSEERS),
    Case("reports.xlsx", "GET", _shared("/reports/{}/report.xlsx", "report_draft"), OVERSEERS),
    Case("reports.edit", "GET", _shared("/reports/{}/edit", "report_draft"), {"office"}),
    Case("reports.save", "POST", _shared("/reports/{}/edit", "report_draft"), {"office"},
         data={"title": "Báo cáo quý II", "lock_version": "1"}),
    Case("reports.move", "POST", _shared("/reports/{}/move/submit", "report_draft"), {"office"},
         transition=True, label="submit"),
    Case("reports.move", "POST", _shared("/reports/{}/move/issue", "report_pending"), {"leader"},
         data={"number": "9/BC-SLĐTBXH", "issued_on": "20/05/2022", "confirm_gaps": "1"}, transition=True,
         label="issue"),
    Case("reports.new_version", "POST", _shared("/reports/{}/new-version", "report_issued"), {"office"}),
    # ---- background jobs: a report's file for whoever may open the report; a tracker built for
    # the office's scope (agency + role + unit) for that scope only, not even the leader
    Case("jobs.view", "GET", _shared("/jobs/{}", "job_report"), OVERSEERS),
    Case("jobs.view", "GET", _shared("/jobs/{}", "job_tracker"), {"office"}, label="scope"),
    Case("jobs.download", "GET", _shared("/jobs/{}/file", "job_report"), OVERSEERS),
    Case("jobs.download", "GET", _shared("/jobs/{}/file", "job_tracker"), {"office"}, label="scope"),
    Case("jobs.retry", "POST", _shared("/jobs/{}/retry", "job_failed"), OVERSEERS, data={}),
    # ---- reports flow up (issue 10.4): the agency's office and leader send its issued report;
    # only the province office (kstt_tinh) returns or accepts it; its office and chairman follow
    # the requests and read the consolidation; a commune's office is an agency like any other
    Case("sendup.move", "POST", _shared("/province/report/{}/send_up", "report_issued"), {"office", "leader"},
         transition=True, label="send_up"),
    Case("sendup.move", "POST", _shared("/province/report/{}/province_accept", "report_sent"), {"office_p"},
         foreign={"office_p"}, transition=True, label="accept"),
    Case("sendup.move", "POST", _shared("/province/report/{}/province_return", "report_sent"), {"office_p"},
         foreign={"office_p"}, data={"comment": "Bổ sung"}, transition=True, label="return"),
    Case("sendup.requests", "GET", _fixed("/province/requests"), PROVINCE),
    Case("sendup.create_request", "POST", _fixed("/province/requests"), {"office_p"},
         data={"kind": "quarter", "number_in_year": "2", "year": "2022", "number": "2445/VP-TTPVHCC",
               "letter_date": "03/06/2022", "deadline": "10/06/2022"}),
    Case("sendup.status", "GET", _shared("/province/requests/{}", "request"), PROVINCE, foreign=PROVINCE),
    Case("sendup.remind", "POST", _shared("/province/requests/{}/remind", "request"), {"office_p"},
         foreign={"office_p"}),
    Case("sendup.consolidation", "GET", _shared("/province/requests/{}/consolidation", "request"), PROVINCE,
         foreign=PROVINCE),
    Case("sendup.consolidation_docx", "GET", _shared("/province/requests/{}/consolidation.docx", "request"),
         PROVINCE, foreign=PROVINCE),
    Case("sendup.consolidation_xlsx", "GET", _shared("/province/requests/{}/consolidation.xlsx", "request"),
         PROVINCE, foreign=PROVINCE),
    # ---- evaluations (issue 15): a person's results for the person, the unit's head (or the
    # head's delegate), the agency's leadership and its administrator (the personnel role);
    # never the office, a colleague, another unit or another agency
    Case("evaluations.index", "GET", _fixed("/evaluations/"), USERS),
    Case("evaluations.open_period", "POST", _fixed("/evaluations/"), {"head_own", "head_other", "local", "admin"},
         data={}, fresh=False),
    Case("evaluations.dashboard", "GET", _fixed("/evaluations/dashboard"), OVERSEERS),
    Case("evaluations.schemes", "GET", _fixed("/evaluations/schemes"), {"admin"}),
    Case("evaluations.create_scheme", "POST", _fixed("/evaluations/schemes"), {"admin"}, data={}, fresh=False),
    Case("evaluations.view", "GET", _obj("/evaluations/{}", "evaluation"), EVAL_SHEET_A, EVAL_SHEET_B),
    Case("evaluations.unit_xlsx", "GET", _obj("/evaluations/{}/unit.xlsx", "evaluation"), EVAL_SHEET_A, EVAL_SHEET_B),
    Case("evaluations.person", "GET", _obj("/evaluations/{}/people/{}", "evaluation", "person"),
         EVAL_SHEET_A | {"staff_own"}, EVAL_SHEET_B | {"staff_other"}),
    Case("evaluations.person", "GET", _obj("/evaluations/{}/people/{}", "evaluation", "colleague"),
         EVAL_SHEET_A | {"staff_own_unassigned"}, EVAL_SHEET_B, label="colleague"),
    Case("evaluations.person", "GET", _mixed("/evaluations/{}/people/{}", "evaluation", "person"), NOBODY, NOBODY,
         label="mixed"),
    Case("evaluations.figure_tasks", "GET", _obj("/evaluations/{}/people/{}/tasks?figure=overdue", "evaluation", "person"),
         EVAL_SHEET_A | {"staff_own"}, EVAL_SHEET_B | {"staff_other"}),
    Case("evaluations.person_docx", "GET", _obj("/evaluations/{}/people/{}/summary.docx", "evaluation", "person"),
         EVAL_SHEET_A | {"staff_own"}, EVAL_SHEET_B | {"staff_other"}),
    Case("evaluations.mark", "POST", _obj("/evaluations/{}/people/{}/mark", "evaluation", "person"),
         {"head_own", "delegate_own"}, {"head_other"}, data={"quality": "80", "head_comment": "Tốt"}),
    Case("evaluations.correct", "POST", _obj("/evaluations/{}/people/{}/correct", "evaluation", "person"),
         {"head_own", "delegate_own"}, {"head_other"}, data={"figure": "overdue", "value": "0", "reason": "Đã xong"}),
    Case("evaluations.comment", "POST", _obj("/evaluations/{}/people/{}/comment", "evaluation", "person"),
         {"staff_own"}, {"staff_other"}, data={"comment": "Tôi đồng ý"}),
    Case("evaluations.comment", "POST", _obj("/evaluations/{}/people/{}/comment", "evaluation", "colleague"),
         {"staff_own_unassigned"}, {"head_other"}, data={"comment": "Tôi đồng ý"}, label="colleague",
         foreign={"head_x"}),   # each comments on their own results only (agency X's colleague is its head)
    Case("evaluations.move", "POST", _obj("/evaluations/{}/move/propose", "evaluation"),
         {"head_own", "delegate_own"}, {"head_other"}, transition=True, label="propose"),
    # ---- register of outgoing documents: office, leaders and admin read it; the office keeps it
    Case("register.index", "GET", _fixed("/register/"), {"admin", "leader", "office"}),
    Case("register.export", "GET", _fixed("/register/export.xlsx"), {"admin", "leader", "office"}),
    Case("register.reserve", "POST", _fixed("/register/reserve"), {"office"},
         data={"year": "2022", "doc_type": "CV", "note": "Công văn trả lời"}),
    Case("register.opening", "POST", _fixed("/register/opening"), {"office"},
         data={"year": "2023", "doc_type": "QĐ", "opening": "12"}),
    Case("register.release", "POST", _shared("/register/{}/release", "register_entry"), {"office"}),
    # ---- digital signatures: anyone logged in verifies; the admin manages certificates and trust
    Case("signing.verify", "GET", _fixed("/signatures/verify"), USERS),
    Case("signing.verify_upload", "POST", _fixed("/signatures/verify"), USERS, data=_upload, fresh=False),
    Case("signing.admin", "GET", _fixed("/admin/signing"), {"admin"}),
    Case("signing.add_certificate", "POST", _fixed("/admin/signing/certificates"), {"admin"},
         data={"label": "x"}, fresh=False),
    Case("signing.deactivate_certificate", "POST", _shared("/admin/signing/certificates/{}/deactivate", "signing_cert"),
         {"admin"}),
    Case("signing.add_trust", "POST", _fixed("/admin/signing/trust"), {"admin"}, data={"kind": "root"}, fresh=False),
]


# ---- the checks ---------------------------------------------------------------------------------

def _route_methods(app) -> set[tuple[str, str]]:
    return {(r.endpoint, meth) for r in app.url_map.iter_rules() if r.endpoint != "static"
            for meth in r.methods - {"HEAD", "OPTIONS"}}


def test_every_route_has_a_rule(app):
    routes = _route_methods(app)
    ruled = {(c.endpoint, c.method) for c in RULES}
    assert not routes - ruled, f"routes without an authorization rule: {sorted(routes - ruled)}"
    assert not ruled - routes, f"rules for routes that no longer exist: {sorted(ruled - routes)}"
    names = [c.name for c in RULES]
    assert len(names) == len(set(names)), "two cases share a name: give one a label"
    for c in RULES:
        for _, allowed in c.scopes():
            assert allowed <= set(PRINCIPALS), (c.name, allowed - set(PRINCIPALS))


def _request(client, case: Case, m: Matrix, who: str, scope: str):
    url = case.url(m, who, scope)
    if case.method == "GET":
        return url, client.get(url)
    data = case.data(m, who) if callable(case.data) else dict(case.data or {})
    return url, client.post(url, data=data)


def _verdict(case: Case, who: str, resp) -> str:
    """'allow', 'deny' or 'error' for one answer."""
    location = resp.headers.get("Location", "")
    if resp.status_code in (301, 302, 303) and "/login" in location:
        if case.ends_at_login and who != "anon" and "next=" not in location:
            return "allow"
        return "deny" if who == "anon" else "error"   # a logged-in user never goes back to /login
    if resp.status_code in (401, 403, 404):
        return "deny"
    if case.transition and resp.status_code == 409 and "không có quyền" in resp.get_data(as_text=True):
        return "deny"
    if resp.status_code >= 500:
        return "error"
    return "allow"


def _readable(resp) -> str:
    """The response's text, or the XML inside a DOCX/XLSX download."""
    if resp.mimetype.startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(resp.get_data())) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                           if n.endswith(".xml"))
    return resp.get_data(as_text=True)


def _leaks(who: str, resp) -> list[str]:
    if resp.status_code != 200:
        return []
    body = _readable(resp)
    return [secret for secret, readers in SECRETS.items() if secret in body and who not in readers]


OBSERVED: dict[tuple[str, str, str], int] = {}


@pytest.mark.parametrize("case", RULES, ids=lambda c: c.name)
def test_matrix(case: Case, world, client, app):
    fresh = case.method == "POST" if case.fresh is None else case.fresh
    cells = [(scope, who, who in allowed) for scope, allowed in case.scopes() for who in PRINCIPALS]
    cells.sort(key=lambda cell: cell[2])   # refused principals first: they must change nothing
    m = build(world)
    used = False
    failures = []
    for scope, who, allowed in cells:
        if allowed and fresh and used:
            wipe()
            world = build_world()
            m = build(world)
        client.post("/logout")
        if who != "anon":
            login(client, m.user(who))
        url, resp = _request(client, case, m, who, scope)
        OBSERVED[(case.name, who, scope)] = resp.status_code
        verdict = _verdict(case, who, resp)
        used = used or (allowed and fresh)
        failures += [f"{case.name} × {who} × {scope}: shows {secret} ({url})"
                     for secret in _leaks(who, resp)]
        if not allowed and case.method == "POST" and case.data:
            # bad input must not get further than the permission check
            resp = client.post(url, data={})
            if _verdict(case, who, resp) != "deny":
                failures.append(f"{case.name} × {who} × {scope}: empty form answered "
                                f"{resp.status_code}, not refused ({url})")
        want = "allow" if allowed else "deny"
        if verdict != want:
            failures.append(f"{case.name} × {who} × {scope}: expected {want}, got "
                            f"{resp.status_code} {resp.headers.get('Location', '')} ({url})")
    client.post("/logout")
    assert not failures, "\n".join(failures)


def teardown_module(module):
    path = os.environ.get("MATRIX_DUMP")
    if not path or not OBSERVED:
        return
    names = sorted({k[0] for k in OBSERVED}, key=lambda n: [c.name for c in RULES].index(n))
    with open(path, "w", encoding="utf-8") as f:
        f.write("case | scope | " + " | ".join(PRINCIPALS) + "\n")
        for n in names:
            for scope in ("any", "own", "other"):
                if any((n, p, scope) in OBSERVED for p in PRINCIPALS):
                    f.write(f"{n} | {scope} | "
                            + " | ".join(str(OBSERVED.get((n, p, scope), "")) for p in PRINCIPALS) + "\n")


def test_the_secrets_are_on_their_readers_pages(world, client):
    """The leak check is not vacuous: each secret shows where its readers look."""
    m = build(world)
    seen = {
        ("head_own", f"/tasks/{m.own['task_draft']}"): "KQNHAP-BTXH",
        ("staff_other", f"/tasks/{m.other['task_submitted']}"): "KQTRINH-LDVL",
        ("staff_own", f"/reviews/item/{m.own['review_draft']}"): "DXNHAP-BTXH",
        ("office", f"/tasks/{m.other['task_draft']}/explanations"): "GIAITRINH-LDVL",
        ("office", f"/figures/{PERIOD}/{m.own['unit']}"): "SOLIEU-BTXH",
        ("head_other", f"/figures/{PERIOD}/{m.other['unit']}"): "SOLIEU-LDVL",
    }
    for (who, url), secret in seen.items():
        login(client, m.user(who))
        resp = client.get(url)
        assert resp.status_code == 200 and secret in _readable(resp), (who, url, secret)


def _counted(m: Matrix) -> dict:
    """Every role's home counters and short lists, task lists (overdue, every year, this year),
    progress table and dashboard figures, as numbers and task ids."""
    from app import access
    from app.clock import today
    from app.dashboard import services as dashboard
    from app.extensions import db
    from app.home import services as home
    from app.province import services as province
    from app.tracking import services as tracking
    from app.tracking.services import TaskFilters
    out = {}
    for who in PRINCIPALS[1:]:
        user = m.user(who)
        db.session.expire_all()
        h = home.home_for(user)
        seen: dict = {"home": (h["overdue_total"], h["soon_total"], h.get("progress"),
                               [(s["key"], s["total"], [r.id for r in s["rows"]]) for s in h["sections"]])}
        for name, f in (("overdue", TaskFilters(due="overdue")), ("all", TaskFilters()),
                        ("year", TaskFilters(year=2022)), ("soon", TaskFilters(due="soon"))):
            rows, total = tracking.list_tasks(user, f, 0, 500)
            seen[name] = (total, sorted(r.id for r in rows))
        seen["progress"] = tracking.unit_progress(user, year=2022)
        if access.can_view_dashboard(user):
            d = dashboard.dashboard(user, 2022, today())
            seen["dashboard"] = (d.units, d.plans, d.burndown, d.totals)
        if access.can_view_province_dashboard(user):
            seen["province"] = province.province_dashboard(user, 2022, today()).rows
        out[who] = seen
    return out


def test_unissued_plans_count_nowhere(world, client):
    """Issue 17.1: an overdue task of a draft or pending plan (with the draft submission the
    plan import used to write) appears in no role's counters, lists, dashboards or exports."""
    from app.extensions import db
    from app.models import Plan, Task
    m = build(world)
    pages = ["/", "/tasks/?year=", "/overdue?year=", "/tasks/?year=2022&due=soon", "/dashboard/",
             "/dashboard/all.xlsx", f"/plans/{m.own['plan']}/tracker.xlsx",
             f"/plans/{m.other['plan']}/tracker.xlsx", f"/reviews/plan/{m.own['plan']}/export.xlsx",
             "/province/?year=2022", "/province/ranking.xlsx?year=2022"]
    unissued = [n for n, in db.session.execute(db.select(Plan.number).where(Plan.state != "issued"))]
    failures = []
    for who in PRINCIPALS[1:]:
        login(client, m.user(who))
        for url in pages:
            resp = client.get(url)
            if resp.status_code != 200:
                continue
            body = _readable(resp)
            failures += [f"{who} {url}: {tag}" for tag in UNISSUED_TAGS if tag in body]
            if url.startswith("/dashboard"):
                failures += [f"{who} {url}: plan {n}" for n in unissued if n in body]
    client.post("/logout")
    assert not failures, "\n".join(failures)
    with_them = _counted(m)
    for tag in UNISSUED_TAGS:
        db.session.execute(db.delete(Task).where(Task.content.like(f"{tag}-%")))
    db.session.commit()
    assert _counted(m) == with_them


def test_a_head_cannot_assign_another_units_staff(world, client):
    from app.extensions import db
    from app.models import TaskAssignee
    m = build(world)
    login(client, world.head_a)
    task_id = m.own["task_draft"]
    resp = client.post(f"/tasks/{task_id}/assign", data={"user_ids": [world.staff_b.id, world.staff_a2.id]})
    assert resp.status_code == 302
    assigned = set(db.session.scalars(db.select(TaskAssignee.user_id).where(TaskAssignee.task_id == task_id)))
    assert assigned == {world.staff_a2.id}
