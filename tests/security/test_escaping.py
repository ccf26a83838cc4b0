"""HTML and script typed into any text field come back escaped, on every page.

Every free-text column of every table gets a hostile suffix, then every GET route (from
the route list, ids filled with existing ones) is requested as each role: the raw markup
must never appear. A new table, column or page is covered the day it is added.
"""
from __future__ import annotations

from datetime import date

from flask import g
from sqlalchemy import String, Text

from app.extensions import db
from app.models import Notification, Plan, Submission, Task
from tests.conftest import login

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert("
# Columns that are identifiers or machine values, not text a person types.
NOT_FREE_TEXT = {"username", "password_hash", "email", "code", "kind", "role", "state", "action",
                 "from_state", "to_state", "stored_name", "content_type", "url", "ip", "status",
                 "online_service", "set_by", "level", "name_folded", "version_num"}


def _poison() -> list[str]:
    touched = []
    for table in db.metadata.sorted_tables:
        for col in table.columns:
            if not isinstance(col.type, String | Text) or col.name in NOT_FREE_TEXT:
                continue
            if getattr(col.type, "length", None) and col.type.length < 60:
                continue
            db.session.execute(table.update().where(col.is_not(None)).values({col: col + PAYLOAD}))
            touched.append(f"{table.name}.{col.name}")
    db.session.commit()
    return touched


def _some_content(world) -> None:
    plan = Plan(number="19/KH-SLĐTBXH", title="Kế hoạch", year=2022, kind="review", state="issued",
                created_by_id=world.office_user.id, issued_on=date(2022, 3, 1), basis="Căn cứ",
                targets="Mục tiêu")
    db.session.add(plan)
    db.session.flush()
    task = Task(plan_id=plan.id, content="Rà soát", lead_unit_id=world.div_a.id, due_text="Quý II/2022",
                due_on=date(2022, 5, 1), product="Báo cáo", group_label="I",
                cooperating_units=[world.div_b])
    db.session.add(task)
    db.session.flush()
    db.session.add(Submission(task_id=task.id, state="approved", result_text="Kết quả"))
    for u in (world.staff_a, world.office_user, world.head_a, world.leader, world.local_user, world.admin):
        db.session.add(Notification(user_id=u.id, kind="task", text="Thông báo", url="/"))
    db.session.commit()


def _get_paths(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if any(not isinstance(conv.to_python("1"), int) for conv in rule._converters.values()):
            continue  # only numeric ids are filled in
        paths.append(rule.build({a: 1 for a in rule.arguments}, append_unknown=False)[1])
    return sorted(set(paths))


def test_hostile_text_is_escaped_everywhere(app, client, world):
    _some_content(world)
    users = [world.admin, world.leader, world.office_user, world.head_a, world.staff_a,
             world.local_user]
    names = [u.username for u in users]
    touched = _poison()
    assert "users.full_name" in touched and "notifications.text" in touched
    paths = _get_paths(app)
    assert "/" in paths and "/notifications/" in paths
    seen_escaped = 0
    for name in names:
        g.pop("_login_user", None)
        login(client, name)
        for path in paths:
            g.pop("_login_user", None)
            r = client.get(path)
            assert r.status_code < 500, (name, path, r.status_code)
            if r.mimetype not in ("text/html", "text/plain"):
                continue  # downloads (XLSX, files) are not HTML
            body = r.get_data(as_text=True)
            assert "<script>alert" not in body and "<img src=x" not in body, (name, path)
            seen_escaped += ESCAPED in body
    assert seen_escaped >= len(names)  # the hostile text really was on the pages, escaped


def test_login_form_echoes_username_escaped(client, world):
    r = client.post("/login", data={"username": PAYLOAD, "password": "x"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "<script>alert" not in body and "&lt;script&gt;" in body
