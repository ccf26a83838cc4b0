"""Plan import use cases: read a table, build a preview (stored server-side as JSON under a
random token), and on confirmation create the draft plan with its tasks and submissions."""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections import Counter
from datetime import date
from pathlib import Path

from flask import abort, current_app
from sqlalchemy import select

from app import access
from app.clock import now, today
from app.deadlines.services import generate_instances, stages_from_dues
from app.domain.deadlines import RECURRENCES, Due, parse_deadline
from app.domain.formatting import parse_vn_date
from app.domain.plantable import (ParsedTable, TableError, UnitIndex, UnitRef, choose_lead, match_cell,
                                  parse_table, rows_from_text)
from app.extensions import db
from app.models import Plan, PlanEvent, Task, Unit, User
from app.planimport.readers import rows_from_docx, rows_from_xlsx
from app.plans.services import check_plan_number

TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_PASTE = 500_000


def _require(user: User) -> None:
    if not access.can_import_plan(user):
        abort(403)


def unit_refs(user: User | None = None) -> list[UnitRef]:
    """Units a table's names are matched against: the importing office's own agency's units
    (and, for a provincial plan, every agency's office: access.plan_units_filter)."""
    q = select(Unit).where(Unit.active.is_(True))
    if user is not None:
        q = q.where(access.plan_units_filter(user))
    units = db.session.scalars(q.order_by(Unit.sort_order, Unit.name))
    return [UnitRef(u.id, u.name, u.kind, u.code) for u in units]


def read_source(filename: str | None, data: bytes | None, text: str | None) -> list[list[str]]:
    """Rows from an upload (checked by extension AND content) or pasted text."""
    if data:
        ext = (filename or "").rsplit(".", 1)[-1].lower()
        if ext == "docx" and data[:2] == b"PK":
            return rows_from_docx(data)
        if ext == "xlsx" and data[:2] == b"PK":
            return rows_from_xlsx(data)
        raise TableError("Chỉ nhận tệp .docx hoặc .xlsx.")
    if text and text.strip():
        if len(text) > MAX_PASTE:
            raise TableError("Nội dung dán quá dài.")
        return rows_from_text(text)
    raise TableError("Chọn tệp hoặc dán bảng nhiệm vụ.")


def _guess_year(table: ParsedTable) -> int:
    years = Counter()
    for t in table.tasks:
        p = parse_deadline(t.due)
        years.update(d.on.year for d in p.dues)
    return years.most_common(1)[0][0] if years else today().year


def _preview_task(i: int, row, units: UnitIndex, names: dict[int, str], year: int) -> dict:
    parsed = parse_deadline(row.due, context_year=year)
    lead_match = match_cell(row.lead, units)
    coop_match = match_cell(row.coop, units)
    lead_id, extra = choose_lead(lead_match, units)
    coop_ids = [u for u in extra + coop_match.unit_ids if u != lead_id]
    coop_ids = list(dict.fromkeys(coop_ids))
    flags = []
    if lead_id is None:
        flags.append(f"Không khớp đơn vị chủ trì “{row.lead}”: chọn đơn vị.")
    elif extra or lead_match.collectives:
        flags.append(f"Nhiều đơn vị chủ trì “{row.lead}”: {names[lead_id]} chủ trì, các đơn vị còn lại phối hợp.")
    for n in lead_match.unknown + coop_match.unknown:
        flags.append(f"Không có trong danh sách đơn vị: “{n}”.")
    if parsed.needs_date:
        flags.append(parsed.reason or "Cần nhập ngày.")
    product = " ".join(x for x in (row.product, row.note) if x)
    return {
        "idx": i, "stt": row.stt, "group_label": row.group_label, "content": row.content,
        "due_text": row.due, "due_kind": parsed.kind, "due_kind_label": parsed.kind_label,
        "due_on": parsed.due_on.isoformat() if parsed.due_on else None,
        "dues": [[d.label, d.on.isoformat()] for d in parsed.dues] if parsed.kind == "multi" else [],
        "recurrence": [RECURRENCES[r] for r in parsed.recurrence],
        "needs_date": parsed.needs_date, "due_note": parsed.note,
        "year_from_plan": parsed.year_from_plan,
        "lead_text": row.lead, "lead_id": lead_id,
        "coop_text": row.coop, "coop_ids": coop_ids,
        "coop_names": [names[u] for u in coop_ids],
        "product": product, "flags": flags,
    }


def build_preview(user: User, rows: list[list[str]], source: str) -> str:
    """Parse the rows, match units and dates, store the preview; returns its token."""
    _require(user)
    table = parse_table(rows)
    units = UnitIndex(unit_refs(user))  # built once: every cell is matched against it
    names = {u.id: u.name for u in units}
    year = _guess_year(table)
    preview = {
        "user_id": user.id, "source": source, "year": year, "groups": table.groups,
        "tasks": [_preview_task(i, r, units, names, year) for i, r in enumerate(table.tasks)],
    }
    token = secrets.token_hex(16)
    path = _path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    _forget_stale(path.parent)
    path.write_text(json.dumps(preview, ensure_ascii=False), encoding="utf-8")
    return token


def _forget_stale(folder: Path, max_age_s: int = 24 * 3600) -> None:
    """Previews never confirmed are dropped after a day."""
    limit = time.time() - max_age_s
    for old in folder.glob("*.json"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass


def _path(token: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "planimport" / f"{token}.json"


def load_preview(user: User, token: str) -> dict:
    _require(user)
    if not TOKEN.match(token or ""):
        abort(404)
    path = _path(token)
    if not path.exists():
        abort(404)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("user_id") != user.id:
        abort(404)
    return data


def apply_choices(preview: dict, form: dict, user: User | None = None) -> dict[int, str]:
    """Read the office's choices (lead unit, dates for phrases without one) into the preview;
    returns errors by task index."""
    unit_ids = {u.id for u in unit_refs(user)}
    errors: dict[int, str] = {}
    for t in preview["tasks"]:
        i = t["idx"]
        raw_lead = form.get(f"lead_{i}", "")
        if raw_lead:
            t["lead_id"] = int(raw_lead) if raw_lead.isdigit() and int(raw_lead) in unit_ids else None
            t["coop_ids"] = [u for u in t["coop_ids"] if u != t["lead_id"]]
        if t["lead_id"] is None:
            errors[i] = "Chọn đơn vị chủ trì."
        raw_due = (form.get(f"due_{i}") or "").strip()
        t["due_input"] = raw_due
        if raw_due:
            d = parse_vn_date(raw_due)
            if d is None:
                errors[i] = "Ngày không hợp lệ (dd/mm/yyyy)."
            else:
                t["due_on"] = d.isoformat()
    return errors


def _redate(t: dict, year: int) -> None:
    """Phrases without a year ("Hết quý III") took the guessed year of the preview; the office
    set another plan year, so they take that one."""
    parsed = parse_deadline(t["due_text"], context_year=year)
    t["due_on"] = parsed.due_on.isoformat() if parsed.due_on else None
    t["dues"] = [[d.label, d.on.isoformat()] for d in parsed.dues] if parsed.kind == "multi" else []


def confirm(user: User, token: str, preview: dict, number: str, title: str, year: int,
            kind: str) -> Plan:
    """Create the draft plan and its tasks (with stages for dated parts and one instance per
    period for recurring ones); forget the preview. The tasks get their submissions when the
    plan is issued (plans.services.transition): a draft plan's tasks carry no work."""
    _require(user)
    check_plan_number(number, year, agency_id=user.agency_id)
    plan = Plan(number=number.strip(), title=title.strip(), year=year, kind=kind, state="draft",
                agency_id=user.agency_id, created_by_id=user.id, created_at=now(), updated_at=now())
    db.session.add(plan)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(access.plan_units_filter(user)))}
    recurring = []
    for t in preview["tasks"]:
        if t.get("year_from_plan") and year != preview["year"] and not t.get("due_input"):
            _redate(t, year)
    for pos, t in enumerate(preview["tasks"], start=1):
        task = Task(plan=plan, position=pos * 10, group_label=(t["group_label"] or None) and t["group_label"][:255],
                    content=t["content"], lead_unit_id=t["lead_id"], due_text=t["due_text"] or None,
                    due_on=date.fromisoformat(t["due_on"]) if t["due_on"] else None,
                    product=t["product"] or None)
        task.cooperating_units = [units[u] for u in t["coop_ids"] if u in units]
        db.session.add(task)
        if t["dues"]:
            stages_from_dues(task, [Due(date.fromisoformat(on), label) for label, on in t["dues"]])
        if t["due_kind"] == "recurring":
            recurring.append(task)
    plan.events.append(PlanEvent(actor_id=user.id, action="import", to_state="draft",
                             comment=f"Nhập từ {preview['source']}: {len(preview['tasks'])} nhiệm vụ",
                             created_at=now()))
    db.session.flush()
    for task in recurring:
        generate_instances(task, until=date(year, 12, 31))
    db.session.commit()
    try:
        os.remove(_path(token))
    except OSError:
        pass
    return plan


def imported_plan(user: User, plan_id: int) -> Plan:
    """The plan just created, with its tasks, for the confirmation page (or the plan page
    once the plans feature is merged)."""
    _require(user)
    from sqlalchemy.orm import selectinload
    plan = db.session.scalar(select(Plan).options(
        selectinload(Plan.tasks).selectinload(Task.lead_unit),
        selectinload(Plan.tasks).selectinload(Task.cooperating_units))
        .where(Plan.id == plan_id))
    if plan is None or not access.can_view_plan(user, plan):
        abort(404)
    return plan
