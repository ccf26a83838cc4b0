"""Which report forms apply to a period, and the figures a unit keeps for each.

Definitions ship as JSON files in forms/ (one file per form version); `sync` adds the ones the
database lacks, so a new version is a new file (or a row added by `flask report-forms load`),
never a code change. Figures of columns that are FigureSet attributes (Biểu II.06a's parts)
live there; every other form's figures live in FigureSet.form_values[code].
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.formatting import vn_number
from app.domain.reportforms import FormSpec, pick
from app.extensions import db
from app.models import FigureSet, ReportForm

FORMS_DIR = Path(__file__).parent / "forms"
# FigureSet columns that hold figures (a form's key equal to one of these is stored there).
FIGURE_SET_COLUMNS = frozenset(c.key for c in FigureSet.__table__.columns) - {
    "id", "unit_id", "period_key", "state", "note", "updated_by_id", "updated_at", "sent_at",
    "form_values"}


@lru_cache(maxsize=1)
def definitions() -> tuple[dict, ...]:
    out = []
    for path in sorted(FORMS_DIR.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        FormSpec.from_data(data)  # a broken file fails loudly at first use, not in a report
        out.append(data)
    return tuple(out)


def definition(code: str, version: int) -> dict:
    return next(d for d in definitions() if d["code"] == code and d["version"] == version)


def record_values(data: Mapping) -> dict:
    """ReportForm constructor arguments from a definition."""
    return {"code": data["code"], "version": int(data.get("version") or 1), "title": data["title"],
            "legal_basis": data.get("legal_basis"), "columns": data["columns"],
            "checks": data.get("checks") or [], "options": data.get("options") or {},
            "valid_from": _date(data.get("valid_from")), "valid_to": _date(data.get("valid_to")),
            "active": True}


def _date(v) -> date | None:
    return date.fromisoformat(v) if isinstance(v, str) else v


def spec_of(form: ReportForm) -> FormSpec:
    """The record as a FormSpec. Records made before checks and options were data (Biểu II.06a
    v1 of earlier releases) take them from the shipped definition of the same version."""
    checks, options = form.checks, form.options
    if checks is None or options is None:
        shipped = next((d for d in definitions() if d["code"] == form.code
                        and d["version"] == form.version), {})
        checks = shipped.get("checks", []) if checks is None else checks
        options = shipped.get("options", {}) if options is None else options
    return FormSpec.from_data({"code": form.code, "version": form.version, "title": form.title,
                               "columns": form.columns, "checks": checks, "options": options,
                               "legal_basis": form.legal_basis, "valid_from": form.valid_from,
                               "valid_to": form.valid_to})


def all_forms() -> list[ReportForm]:
    """Every active record, after adding the shipped definitions the database lacks (1 query
    once they are all there)."""
    forms = list(db.session.scalars(select(ReportForm).where(ReportForm.active.is_(True))
                                    .order_by(ReportForm.id)))
    have = {(f.code, f.version) for f in forms}
    missing = [d for d in definitions() if (d["code"], d["version"]) not in have]
    if missing:
        known = set(db.session.execute(select(ReportForm.code, ReportForm.version)))  # inactive too
        added = [ReportForm(**record_values(d)) for d in missing if (d["code"], d["version"]) not in known]
        if added:
            db.session.add_all(added)
            try:
                db.session.flush()  # committed with the request's work (every caller runs before its changes)
            except IntegrityError:
                # another request added them meanwhile: theirs count
                db.session.rollback()
                return list(db.session.scalars(select(ReportForm).where(ReportForm.active.is_(True))
                                               .order_by(ReportForm.id)))
            forms += added
    return forms


def add_definition(data: Mapping) -> ReportForm:
    """Add one form version from its definition (checked first); an existing (code, version)
    is refused: an issued report may rest on it, so a change is a new version."""
    FormSpec.from_data(data)
    values = record_values(data)
    if db.session.scalar(select(ReportForm.id).where(ReportForm.code == values["code"],
                                                     ReportForm.version == values["version"])):
        raise ValueError(f"Biểu {values['code']} phiên bản {values['version']} đã có")
    form = ReportForm(**values)
    db.session.add(form)
    db.session.commit()
    return form


def forms_for(start: date, end: date) -> list[tuple[ReportForm, FormSpec]]:
    """Each form code's latest version in force in the period, in the order first shipped."""
    forms = all_forms()
    specs = {id(f): spec_of(f) for f in forms}
    chosen = {(s.code, s.version) for s in pick(specs.values(), start, end)}
    return [(f, specs[id(f)]) for f in forms if (f.code, f.version) in chosen]


def entry_keys(spec: FormSpec) -> list[str]:
    """The inputs of a form that the generic entry form shows: those not kept as FigureSet
    columns (Biểu II.06a's parts have their own form)."""
    return [k for k in spec.input_keys if k not in FIGURE_SET_COLUMNS]


def mirrored(spec: FormSpec, full: Mapping[str, int]) -> dict[str, int]:
    """FigureSet columns that hold the same figure as a total of the form ("mirrors": the
    feedback received and handled of Biểu II.07b are those of the unit's figure set)."""
    return {c["mirrors"]: full[c["key"]] for c in spec.figure_columns
            if c.get("mirrors") in FIGURE_SET_COLUMNS}


def mirror_errors(spec: FormSpec, full: Mapping[str, int], own: Mapping[str, object], who: str = "") -> list[str]:
    """Messages where a FigureSet column disagrees with the form's total it mirrors; a form
    with no figure typed in says nothing."""
    if not any(full.get(k) for k in spec.input_keys):
        return []
    out = []
    for c in spec.figure_columns:
        attr = c.get("mirrors")
        if attr in FIGURE_SET_COLUMNS and int(own.get(attr) or 0) != full[c["key"]]:
            out.append(f"{who}{_label_of(attr)} ({vn_number(int(own.get(attr) or 0))}) phải bằng "
                       f"{spec.label(c['key'])} của Biểu {spec.code} ({vn_number(full[c['key']])})")
    return out


def _label_of(attr: str) -> str:
    from app.domain.checks import LABELS
    text = LABELS.get(attr, attr)
    if attr == "feedback_handled":
        text = "Phản ánh, kiến nghị đã xử lý"
    return text[:1].upper() + text[1:]


def values_of(source: Mapping | FigureSet | None, spec: FormSpec) -> dict[str, int]:
    """A unit's figures of one form, totals included, from its figure set (or a report row
    dict with the FigureSet columns and `form_values`)."""
    if source is None:
        return spec.complete({})
    if isinstance(source, FigureSet):
        own = {k: getattr(source, k) for k in FIGURE_SET_COLUMNS}
        extra = (source.form_values or {}).get(spec.code) or {}
    else:
        # a report row also carries the computed II.06a totals (received_new ...): a later
        # version may ask for one of them as a column of its own
        own = {k: v for k, v in source.items() if k != "form_values"}
        extra = (source.get("form_values") or {}).get(spec.code) or {}
    return spec.complete({k: own.get(k) if k in own else extra.get(k, 0) for k in spec.input_keys})
