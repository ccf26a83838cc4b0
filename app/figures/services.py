"""Per-unit report figures: entry by the unit (or the office), XLSX import from the one-stop
software's export, overdue explanations, sending to the office; every change kept in history."""
from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import access
from app.clock import now
from app.domain.checks import (DOSSIER_PARTS, FIGURE_LABELS, Dossiers, check_dossiers, check_feedback,
                               check_overdue_cases, missing_explanations,
                               missing_explanations_message)
from app.domain.numbers import NumberError, parse_vn_integer
from app.domain.periods import Period
from app.domain.reportforms import FormSpec, parse_count
from app.extensions import db
from app.models import FigureEvent, FigureSet, OverdueCase, Unit, User
from app.notifications.services import notify, users_with
from app.reportforms import services as reportforms

FIELDS = DOSSIER_PARTS + ("feedback_received", "feedback_handled")
TOTALS = ("received", "received_new", "resolved", "pending")
# The import template's columns, in order (header text as in the one-stop software's export).
TEMPLATE_COLUMNS = [("unit_code", "Mã đơn vị"), ("unit_name", "Tên đơn vị")] + [
    (k, FIGURE_LABELS[k]) for k in ("received", "carried_over", "received_online", "received_direct",
                                    "resolved", "resolved_early", "resolved_on_time", "resolved_late",
                                    "pending", "pending_in_time", "pending_late",
                                    "feedback_received", "feedback_handled")]


class FiguresError(Exception):
    def __init__(self, errors: list[str], needs_confirmation: bool = False,
                 fields: dict[str, str] | None = None):
        super().__init__("; ".join(errors))
        self.errors = errors
        # Only unexplained overdue dossiers stand in the way: the sender may confirm and go on.
        self.needs_confirmation = needs_confirmation
        self.fields = fields or {}  # {input name: message} shown next to the input


def reporting_units_query():
    return (select(Unit).where(Unit.active.is_(True), Unit.kind != "leadership")
            .order_by(Unit.sort_order, Unit.name))


@dataclass
class Overview:
    period: Period
    rows: list[tuple[Unit, FigureSet | None]]
    total: Dossiers = field(default_factory=Dossiers)
    sent: int = 0


def overview(user: User, period: Period) -> Overview:
    """Units the user may see, each with its figure set of the period (2 queries)."""
    units = list(db.session.scalars(reporting_units_query().where(
        access.visible_figure_units_filter(user))))
    sets = {fs.unit_id: fs for fs in db.session.scalars(
        select(FigureSet).where(FigureSet.period_key == period.key,
                                FigureSet.unit_id.in_([u.id for u in units])))}
    ov = Overview(period, [(u, sets.get(u.id)) for u in units])
    for fs in sets.values():
        if fs.state == "sent":
            ov.sent += 1
            ov.total = ov.total + dossiers(fs)
    return ov


def dossiers(fs: FigureSet | None) -> Dossiers:
    if fs is None:
        return Dossiers()
    return Dossiers.from_mapping({k: getattr(fs, k) for k in DOSSIER_PARTS})


def load(user: User, unit_id: int, period: Period) -> tuple[Unit, FigureSet | None]:
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.kind == "leadership" or not access.can_view_figure_set(user, unit_id):
        abort(404)
    fs = db.session.scalar(select(FigureSet).where(
        FigureSet.unit_id == unit_id, FigureSet.period_key == period.key).options(
        selectinload(FigureSet.overdue_cases), selectinload(FigureSet.events).selectinload(FigureEvent.actor)))
    return unit, fs


def validate(values: dict[str, int], typed: dict[str, int | None]) -> list[str]:
    d = Dossiers.from_mapping(values)
    return (check_dossiers(d, **{k: typed.get(k) for k in TOTALS})
            + check_feedback(values.get("feedback_received", 0), values.get("feedback_handled", 0)))


def _apply(user: User, unit_id: int, period: Period, values: dict[str, int], action: str,
           fs: FigureSet | None, confirm_missing: bool = False,
           forms: list[tuple[FormSpec, dict[str, int]]] | None = None) -> FigureSet:
    if fs is None:
        fs = FigureSet(unit_id=unit_id, period_key=period.key, state="draft")
        db.session.add(fs)
    changes = {k: [(getattr(fs, k) or 0) if fs.id else None, v] for k, v in values.items()
               if fs.id is None or (getattr(fs, k) or 0) != v}
    for k, v in values.items():
        setattr(fs, k, v)
    if forms:
        kept = dict(fs.form_values or {})
        for spec, new in forms:
            old = dict(kept.get(spec.code) or {})
            changes.update({f"{spec.sheet} – {spec.label(k)}": [old.get(k), v] for k, v in new.items()
                            if old.get(k) != v})
            kept[spec.code] = {**old, **new}
        fs.form_values = kept  # a new dict: the JSON column sees the change
    if access.can_manage_figures(user) and fs.state != "sent":
        # Figures the office enters or imports come from the one-stop software: they count.
        changes["state"] = [fs.state, "sent"]
        fs.state, fs.sent_at = "sent", now()
    fs.updated_by_id, fs.updated_at = user.id, now()
    fs.events.append(FigureEvent(actor_id=user.id, action=action, changes=changes, created_at=now()))
    if access.can_manage_figures(user):
        missing = missing_explanations(Dossiers.from_mapping(values), len(fs.overdue_cases) if fs.id else 0)
        if missing:
            if not confirm_missing:
                raise FiguresError([missing_explanations_message(missing) + "."], needs_confirmation=True)
            # The sender saw the count and went on: the history says who, when and how many.
            fs.events.append(FigureEvent(actor_id=user.id, action="confirm_missing",
                                         changes={"missing_explanations": [None, missing]},
                                         created_at=now()))
    return fs


def missing_of(fs: FigureSet | None) -> int:
    """How many overdue dossiers of a figure set still lack the head's explanation."""
    return missing_explanations(dossiers(fs), len(fs.overdue_cases)) if fs else 0


def save(user: User, unit_id: int, period: Period, values: dict[str, int],
         typed: dict[str, int | None], note: str | None = None,
         confirm_missing: bool = False) -> FigureSet:
    unit, fs = load(user, unit_id, period)
    if not access.can_edit_figure_set(user, unit_id, fs.state if fs else None):
        abort(403, "Số liệu đã gửi Văn phòng, đơn vị không sửa được nữa.")
    errors = validate(values, typed)
    for spec, _ in entry_forms(period):  # a figure another form of the period also carries
        errors += reportforms.mirror_errors(spec, reportforms.values_of(fs, spec), values)
    if errors:
        raise FiguresError(errors)
    try:
        fs = _apply(user, unit_id, period, values, "save", fs, confirm_missing)
    except FiguresError:
        db.session.rollback()
        raise
    fs.note = (note or "").strip() or None
    db.session.commit()
    return fs


def send(user: User, unit_id: int, period: Period, values: dict[str, int] | None = None,
         typed: dict[str, int | None] | None = None, note: str | None = None) -> FigureSet:
    """Send the unit's figures to the office. `values` (the form posted with the button) are
    saved first in the same transaction, so what was typed is what is sent; a refusal saves
    nothing and the caller shows the typed figures again."""
    unit, fs = load(user, unit_id, period)
    if fs is None or not access.can_send_figure_set(user, unit_id, fs.state):
        abort(403, "Chỉ Thủ trưởng đơn vị gửi số liệu đang nhập của đơn vị mình.")
    try:
        if values is not None:
            errors = validate(values, typed or {})
            for spec, _ in entry_forms(period):  # as save(): figures another form also carries
                errors += reportforms.mirror_errors(spec, reportforms.values_of(fs, spec), values)
            if errors:
                raise FiguresError(errors)
            _apply(user, unit_id, period, values, "save", fs)
            fs.note = (note or "").strip() or None
        errors = check_overdue_cases(dossiers(fs), len(fs.overdue_cases))
        if errors:
            raise FiguresError(errors)
    except FiguresError:
        db.session.rollback()
        raise
    fs.state, fs.sent_at = "sent", now()
    fs.events.append(FigureEvent(actor_id=user.id, action="send", changes={"state": ["draft", "sent"]},
                                 created_at=now()))
    notify(users_with("office", agency_id=unit.agency_id), "figures",
           f"{unit.name} đã gửi số liệu {period.label}.", f"/figures/{period.key}/{unit_id}")
    db.session.commit()
    return fs


# ---- forms beyond Biểu II.06a (data: app/reportforms) ---------------------------------------

def entry_forms(period: Period) -> list[tuple[FormSpec, list[str]]]:
    """The forms in force in the period with inputs of their own (not FigureSet columns)."""
    return [(spec, keys) for _, spec in reportforms.forms_for(period.start, period.end)
            if (keys := reportforms.entry_keys(spec))]


def entry_form(period: Period, slug: str) -> tuple[FormSpec, list[str]]:
    found = next(((s, k) for s, k in entry_forms(period) if s.slug == slug), None)
    if found is None:
        abort(404)
    return found


def parse_form_values(spec: FormSpec, keys: list[str], raw, row: str = "") -> tuple[dict[str, int], dict[str, str]]:
    """Typed cells -> (counts, {key: message}); '3.238' and '3238' are the same count."""
    values, fields = {}, {}
    for k in keys:
        try:
            n = parse_count(raw.get(k))
        except ValueError:
            fields[k] = f"{row}“{spec.label(k)}” phải là số nguyên không âm (ví dụ 3.238), đang là “{raw.get(k)}”."
            continue
        if n < 0:
            fields[k] = f"{row}“{spec.label(k)}” không được âm."
            continue
        values[k] = n
    return values, fields


def save_form_values(user: User, unit_id: int, period: Period, slug: str, raw) -> FigureSet:
    """Save one form's figures of a unit: every cell a count, every rule of the form kept."""
    unit, fs = load(user, unit_id, period)
    if not access.can_edit_figure_set(user, unit_id, fs.state if fs else None):
        abort(403, "Số liệu đã gửi Văn phòng, đơn vị không sửa được nữa.")
    spec, keys = entry_form(period, slug)
    values, fields = parse_form_values(spec, keys, raw)
    if fields:
        raise FiguresError([], fields=fields)
    full = spec.complete({**reportforms.values_of(fs, spec), **values})
    errors = spec.check(full)
    if errors:
        raise FiguresError(errors)
    # the totals this form shares with the unit's figure set follow it (recorded in the history)
    fs = _apply(user, unit_id, period, reportforms.mirrored(spec, full), "save_form", fs,
                confirm_missing=True, forms=[(spec, values)])
    db.session.commit()
    return fs


def add_overdue_case(user: User, unit_id: int, period: Period, code: str, procedure: str,
                     explanation: str) -> OverdueCase:
    unit, fs = load(user, unit_id, period)
    if fs is None:
        raise FiguresError(["Lưu số liệu trước khi nhập giải trình hồ sơ quá hạn."])
    if not access.can_edit_figure_set(user, unit_id, fs.state):
        abort(403)
    errors = [m for m, v in (("Nhập mã hồ sơ.", code), ("Nhập tên thủ tục hành chính.", procedure),
                             ("Nhập giải trình của Thủ trưởng đơn vị.", explanation)) if not v.strip()]
    if errors:
        raise FiguresError(errors)
    case = OverdueCase(dossier_code=code.strip()[:80], procedure_name=procedure.strip()[:500],
                       explanation=explanation.strip(), created_by_id=user.id, created_at=now())
    fs.overdue_cases.append(case)
    fs.events.append(FigureEvent(actor_id=user.id, action="overdue_add",
                                 changes={"dossier_code": [None, case.dossier_code]}, created_at=now()))
    db.session.commit()
    return case


def remove_overdue_case(user: User, unit_id: int, period: Period, case_id: int) -> None:
    unit, fs = load(user, unit_id, period)
    case = next((c for c in (fs.overdue_cases if fs else []) if c.id == case_id), None)
    if case is None:
        abort(404)
    if not access.can_edit_figure_set(user, unit_id, fs.state):
        abort(403)
    fs.overdue_cases.remove(case)
    fs.events.append(FigureEvent(actor_id=user.id, action="overdue_remove",
                                 changes={"dossier_code": [case.dossier_code, None]}, created_at=now()))
    db.session.commit()


# ---- XLSX import -------------------------------------------------------------------------

def template_rows(user: User | None = None) -> list[dict]:
    """One row per reporting unit (of the user's agency) for the downloadable template."""
    q = reporting_units_query()
    if user is not None:
        q = q.where(access.agency_units_filter(user))
    return [{"unit_code": u.code, "unit_name": u.name} for u in db.session.scalars(q)]


def template_forms(period: Period) -> list[dict]:
    """The other forms' sheets of the import template (their columns from the forms' data)."""
    out = []
    for spec, keys in entry_forms(period):
        cols = [(k, _cap(spec.label(k)), None) for k in keys]
        cols += [(k, _cap(spec.label(k)), spec.column(k)["sum_of"]) for k in spec.total_keys
                 if set(spec.column(k)["sum_of"]) <= set(keys)]
        out.append({"sheet": spec.sheet, "code": spec.code, "title": spec.title, "columns": cols})
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _form_sheets(wb, units: dict[str, Unit], period: Period, errors: list[str]) -> dict[int, list]:
    """Rows of the other forms' sheets, by unit id: [(spec, values)]. Columns are found by
    their header (the form's labels, any order); a typed total must match its parts."""
    from app.domain.text import fold
    out: dict[int, list] = {}
    names = {ws.title: ws for ws in wb.worksheets}
    for spec, keys in entry_forms(period):
        ws = names.get(spec.sheet)
        if ws is None:
            continue
        by_label = {fold(spec.label(k)): k for k in keys + spec.total_keys}
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            continue
        mapping = {i: by_label.get(fold(str(h or ""))) for i, h in enumerate(rows[0])}
        missing = [k for k in keys if k not in mapping.values()]
        if missing:
            errors.append(f"Trang “{spec.sheet}”: thiếu cột " + ", ".join(f"“{_cap(spec.label(k))}”" for k in missing) + ".")
            continue
        for i, raw in enumerate(rows[1:], 2):
            code = str((raw or (None,))[0] or "").strip().upper()
            if not code:
                continue
            unit = units.get(code)
            if unit is None:
                errors.append(f"Trang “{spec.sheet}”, dòng {i}: không có đơn vị mã “{code}”.")
                continue
            cells = {k: raw[j] for j, k in mapping.items() if k and j < len(raw)}
            where = f"Trang “{spec.sheet}”, dòng {i} ({unit.name}): "
            values, fields = parse_form_values(spec, keys, cells, where)
            errors.extend(fields.values())
            typed = {}
            for k in spec.total_keys:
                try:
                    typed[k] = parse_count(cells[k]) if cells.get(k) not in (None, "") else None
                except ValueError:
                    errors.append(f"{where}“{_cap(spec.label(k))}” phải là số nguyên.")
            if not fields:
                errors.extend(where + e for e in spec.check(values, typed))
            out.setdefault(unit.id, []).append((spec, values))
    return out


def _int(value, label: str, row: int, errors: list[str]) -> int | None:
    """A cell as a count: a number, or text typed the Vietnamese way ('3.238', '3 238')."""
    try:
        return parse_vn_integer(value, f"“{label}”", allow_negative=True)
    except NumberError as e:
        errors.append(f"Dòng {row}: {e.message} (đang là “{value}”)")
        return None


def import_xlsx(user: User, period: Period, data: bytes, confirm_missing: bool = False) -> int:
    """Import every unit's row or nothing: a file with one bad row is refused whole, with a
    message per row naming the figures. Returns how many units were imported."""
    if not access.can_manage_figures(user):
        abort(403)
    from openpyxl import load_workbook
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable upload gets the same answer
        raise FiguresError(["Tệp không đọc được: hãy dùng tệp XLSX theo mẫu."]) from None
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header_at = next((i for i, r in enumerate(rows[:10]) if r and str(r[0] or "").strip() == "Mã đơn vị"), None)
    if header_at is None:
        raise FiguresError(["Không thấy dòng tiêu đề “Mã đơn vị”: hãy dùng tệp XLSX theo mẫu."])
    # Codes are unique per agency: the office imports its own agency's units only.
    units = {u.code.upper(): u for u in db.session.scalars(
        reporting_units_query().where(access.agency_units_filter(user)))}
    errors: list[str] = []
    parsed: list[tuple[Unit, dict, dict]] = []
    for i, raw in enumerate(rows[header_at + 1:], header_at + 2):
        cells = dict(zip([k for k, _ in TEMPLATE_COLUMNS], raw or ()))
        code = str(cells.get("unit_code") or "").strip().upper()
        if not code:
            continue
        unit = units.get(code)
        if unit is None:
            errors.append(f"Dòng {i}: không có đơn vị mã “{code}”.")
            continue
        labels = dict(TEMPLATE_COLUMNS)
        values = {k: _int(cells.get(k), labels[k], i, errors) or 0 for k in FIELDS}
        typed = {k: _int(cells.get(k), labels[k], i, errors) for k in TOTALS if k in labels}
        row_errors = validate(values, typed)
        errors += [f"Dòng {i} ({unit.name}): {e}" for e in row_errors]
        parsed.append((unit, values, typed))
    forms = _form_sheets(wb, units, period, errors)
    for unit, values, _ in parsed:
        for spec, form_values in forms.get(unit.id, []):
            full = spec.complete(form_values)
            for attr, n in reportforms.mirrored(spec, full).items():
                if values.get(attr) and values[attr] != n:
                    errors += reportforms.mirror_errors(spec, full, values, f"Đơn vị {unit.name}: ")
                    break
                values[attr] = n  # left blank on the main sheet: the form's figure counts
    if errors:
        raise FiguresError(errors)
    if not parsed:
        raise FiguresError(["Tệp không có dòng số liệu nào."])
    existing = {fs.unit_id: fs for fs in db.session.scalars(
        select(FigureSet).where(FigureSet.period_key == period.key)
        .options(selectinload(FigureSet.overdue_cases)))}
    if not confirm_missing:
        missing = []
        for unit, values, _ in parsed:
            fs = existing.get(unit.id)
            n = missing_explanations(Dossiers.from_mapping(values), len(fs.overdue_cases) if fs else 0)
            if n:
                missing.append(f"{unit.name}: {missing_explanations_message(n)[0].lower()}"
                               f"{missing_explanations_message(n)[1:]}.")
        if missing:
            raise FiguresError(missing, needs_confirmation=True)
    for unit, values, _ in parsed:
        _apply(user, unit.id, period, values, "import", existing.get(unit.id), confirm_missing=True,
               forms=forms.pop(unit.id, None))
    for unit_id, form_rows in forms.items():  # in the other forms' sheets only
        _apply(user, unit_id, period, {}, "import", existing.get(unit_id), confirm_missing=True,
               forms=form_rows)
    db.session.commit()
    return len(parsed) + len(forms)
