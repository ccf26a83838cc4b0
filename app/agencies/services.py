"""Agencies as data: listing them and merging one into another (a 2025 merger of two Sở, or a
unit handed to another agency) without losing anything.

A unit keeps its id, so its users, the tasks it leads or cooperates on, submissions, figure
sets and every history row follow it; a `UnitMove` records where it came from. Issued plans
and reports keep the agency name they were issued under (`issued_agency_name`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update

from app.clock import now
from app.extensions import db
from app.models import Agency, Plan, Procedure, Report, Unit, UnitMove, User


class MergeError(ValueError):
    pass


@dataclass
class MergeResult:
    units: int = 0
    plans: int = 0
    reports: int = 0
    procedures: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)


def find_agency(ref: str | int) -> Agency | None:
    """By id or abbreviation (the CLI's way of naming one)."""
    if isinstance(ref, int) or str(ref).isdigit():
        return db.session.get(Agency, int(ref))
    return db.session.scalar(select(Agency).where(Agency.abbreviation == str(ref)))


def list_agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).order_by(Agency.sort_order, Agency.name)))


def _freeze_issued_names(agency: Agency) -> None:
    """Documents issued before anything moves keep the name they were issued under."""
    for model in (Plan, Report):
        db.session.execute(update(model).where(model.agency_id == agency.id, model.state == "issued",
                                               model.issued_agency_name.is_(None))
                           .values(issued_agency_name=agency.name))


def move_unit(unit: Unit, target: Agency, actor: User | None = None, reason: str | None = None,
              result: MergeResult | None = None) -> MergeResult:
    """Hand one unit (with its users, tasks and history) to another agency. Its name or code
    clashing with one of the target's units gets the source's abbreviation added, and the
    record of the move says so."""
    result = result or MergeResult()
    source = unit.agency
    if source.id == target.id:
        raise MergeError(f"Đơn vị {unit.name} đã thuộc {target.name}.")
    taken = db.session.execute(select(Unit.name, Unit.code).where(Unit.agency_id == target.id)).all()
    names, codes = {n.lower() for n, _ in taken}, {c.lower() for _, c in taken}
    note = reason or f"Chuyển từ {source.name} sang {target.name}"
    if unit.name.lower() in names or unit.code.lower() in codes:
        old = unit.name
        if unit.name.lower() in names:
            unit.name = f"{unit.name} ({source.abbreviation})"
        if unit.code.lower() in codes:
            unit.code = f"{unit.code}-{source.abbreviation}"[:40]
        result.renamed.append((old, unit.name))
        note += f"; đổi tên “{old}” thành “{unit.name}” (mã {unit.code})"
    unit.agency_id = target.id
    db.session.add(UnitMove(unit_id=unit.id, from_agency_id=source.id, to_agency_id=target.id,
                            reason=note[:2000], moved_by_id=actor.id if actor else None, moved_at=now()))
    result.units += 1
    return result


def merge_agency(source: Agency, target: Agency, actor: User | None = None, on: date | None = None,
                 reason: str | None = None) -> MergeResult:
    """Merge `source` into `target`: every unit moves (move_unit), and the source's plans,
    reports and catalog share become the target's (their tasks follow through the database
    triggers of migration 0011); the source stays as a record, inactive from `on`."""
    if source.id == target.id:
        raise MergeError("Chọn hai cơ quan khác nhau.")
    if not target.active:
        raise MergeError(f"{target.name} không còn hoạt động.")
    _freeze_issued_names(source)
    result = MergeResult()
    why = reason or f"Hợp nhất {source.name} vào {target.name}"
    for unit in db.session.scalars(select(Unit).where(Unit.agency_id == source.id).order_by(Unit.id)).all():
        move_unit(unit, target, actor, why, result)
    for model, key in ((Plan, "plans"), (Report, "reports"), (Procedure, "procedures")):
        moved = db.session.execute(update(model).where(model.agency_id == source.id)
                                   .values(agency_id=target.id))
        setattr(result, key, moved.rowcount or 0)
    source.active = False
    source.valid_to = on
    db.session.commit()
    return result
