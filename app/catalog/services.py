"""Catalog use cases: list and count, create/update with history, XLSX import (preview, confirm).

One cleaning function (`clean_row`) turns what a person typed in the form or in a spreadsheet
cell into model values plus Vietnamese messages, so the form and the import agree.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Iterable

from flask import abort, current_app
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from app import access
from app.clock import now
from app.domain import catalogtext, metrics
from app.domain.numbers import format_vn_number
from app.domain.text import fold
from app.extensions import db
from app.models import Procedure, ProcedureChange, Unit, User
from app.models.folded import matches
from app.models.catalog import ONLINE_SERVICE, PROCEDURE_STATUSES

DEFAULT_LEVELS = ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
SET_BY = {"": "", "central": "Trung ương", "local": "Địa phương"}
NOT_SET = "Không quy định"

# (key, label, kind). The order is the form's, the export's and the import template's.
FIELDS: list[tuple[str, str, str]] = [
    ("code", "Mã TTHC", "code"),
    ("name", "Tên thủ tục hành chính", "name"),
    ("field", "Lĩnh vực", "text"),
    ("level", "Cấp thực hiện", "level"),
    ("lead_unit", "Đơn vị chủ trì", "unit"),
    ("agency", "Cơ quan thực hiện", "agency"),
    ("processing", "Thời hạn giải quyết", "days"),
    ("fees", "Phí", "fee"),
    ("charges", "Lệ phí", "charge"),
    ("one_stop", "Một cửa", "bool"),
    ("interconnected", "Một cửa liên thông", "bool"),
    ("postal", "Qua bưu chính công ích", "bool"),
    ("online_service", "Dịch vụ công trực tuyến", "online"),
    ("internal", "TTHC nội bộ", "bool"),
    ("set_by", "Thẩm quyền quy định", "set_by"),
    ("legal_basis", "Căn cứ pháp lý", "text"),
    ("decision", "Quyết định công bố", "text"),
    ("status", "Trạng thái", "status"),
    ("replaced_by", "Thay thế bởi (mã TTHC)", "replaced_by"),
]
LABELS = {k: label for k, label, _ in FIELDS}

# Column names seen in exported catalog files (folded), mapped to our keys.
HEADER_SYNONYMS = {
    "code": ["ma tthc", "ma thu tuc", "ma so", "ma", "ma thu tuc hanh chinh", "ma so tthc"],
    "name": ["ten thu tuc hanh chinh", "ten tthc", "ten thu tuc", "thu tuc hanh chinh", "ten"],
    "field": ["linh vuc", "linh vuc thuc hien"],
    "level": ["cap thuc hien", "cap", "cap giai quyet", "cap co tham quyen"],
    "lead_unit": ["don vi chu tri", "co quan chu tri", "don vi", "phong chu tri"],
    # the national database names the agency in words ("Sở Lao động - Thương binh và Xã hội",
    # "UBND cấp xã"): kept as written; it sets the lead unit only when it names one of ours
    "agency": ["co quan thuc hien", "don vi thuc hien", "co quan giai quyet", "co quan truc tiep thuc hien",
               "co quan thuc hien tthc", "co quan co tham quyen", "co quan co tham quyen quyet dinh"],
    "processing": ["thoi han giai quyet", "thoi han giai quyet ngay lam viec", "thoi han",
                   "thoi gian giai quyet", "thoi han giai quyet ngay", "thoi han giai quyet tthc",
                   "thoi gian giai quyet tthc"],
    "fees": ["phi le phi", "phi", "phi va le phi", "muc phi", "phi le phi neu co"],
    "charges": ["le phi", "muc le phi"],
    "one_stop": ["mot cua", "co che mot cua"],
    "interconnected": ["mot cua lien thong", "lien thong"],
    "postal": ["qua buu chinh cong ich", "buu chinh cong ich", "buu chinh", "dich vu buu chinh cong ich"],
    "online_service": ["dich vu cong truc tuyen", "dvc truc tuyen", "dvctt", "muc do dvc",
                       "muc do dich vu cong truc tuyen", "truc tuyen", "muc do",
                       "muc do dich vu cong truc tuyen toan trinh mot phan",
                       "dich vu cong truc tuyen toan trinh mot phan", "muc do dvctt", "dich vu cong",
                       "muc do cung cap dich vu cong truc tuyen", "dvc toan trinh mot phan"],
    "internal": ["tthc noi bo", "noi bo"],
    "set_by": ["tham quyen quy dinh", "co quan quy dinh", "quy dinh boi"],
    "legal_basis": ["can cu phap ly", "can cu"],
    "decision": ["quyet dinh cong bo", "qd cong bo", "so quyet dinh cong bo", "quyet dinh cong bo tthc",
                 "so qd cong bo", "quyet dinh"],
    "status": ["trang thai", "tinh trang", "hieu luc", "tinh trang hieu luc", "trang thai hieu luc"],
    "replaced_by": ["thay the boi ma tthc", "thay the boi", "ma tthc thay the", "duoc thay the boi"],
}

_TRUE = {"x", "co", "1", "true", "yes", "c", "v", "dung", "\u2713", "\u2714"}
_FALSE = {"", "khong", "0", "false", "no", "k", "-"}
_ONLINE = {"": "", "khong": "", "0": "", "muc do 2": "", "2": "", "muc do 1": "", "khong ho tro": "", "partial": "partial", "mot phan": "partial",
           "truc tuyen mot phan": "partial", "muc do 3": "partial", "3": "partial", "x": "partial",
           "co": "partial", "full": "full", "toan trinh": "full", "truc tuyen toan trinh": "full",
           "muc do 4": "full", "4": "full"}
_SET_BY = {"": "", "central": "central", "trung uong": "central", "tw": "central",
           "local": "local", "dia phuong": "local", "dp": "local"}
_STATUS = {"": "active", "active": "active", "con hieu luc": "active", "hieu luc": "active",
           "abolished": "abolished", "da bai bo": "abolished", "bai bo": "abolished",
           "het hieu luc": "abolished", "replaced": "replaced", "thay the": "replaced",
           "da duoc thay the": "replaced", "da thay the": "replaced", "bi thay the": "replaced"}


def levels() -> list[str]:
    return list(current_app.config.get("PROCEDURE_LEVELS") or DEFAULT_LEVELS)


# ---- cleaning -----------------------------------------------------------------------------

@dataclass
class Lookups:
    """What cleaning needs from the database, loaded once per form or import."""
    units: dict[str, Unit]              # code / folded name -> unit
    known_codes: set[str]               # existing procedure codes (replaced_by targets)

    @classmethod
    def load(cls, extra_codes: set[str] | None = None, user: User | None = None) -> Lookups:
        units: dict[str, Unit] = {}
        # Unit codes are unique per agency: an agency's file names its own units.
        unit_q = select(Unit) if user is None else select(Unit).where(access.agency_units_filter(user))
        for u in db.session.scalars(unit_q):
            units[u.code.lower()] = u
            units[fold(u.name)] = u
        codes = set(db.session.scalars(select(Procedure.code)))
        return cls(units, codes | (extra_codes or set()))


def _key(text: Any) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(str(text) if text is not None else "")).split())


_HEADER_INDEX = {syn: key for key, syns in HEADER_SYNONYMS.items() for syn in syns}
_HEADER_INDEX.update({_key(label): k for k, label, _ in FIELDS})  # our own template's headers


def _header(cell: Any) -> str | None:
    """The key a header cell names: its words, else its words without a parenthesis
    ('Thời hạn giải quyết (ngày làm việc)', 'Mức độ DVC (toàn trình, một phần)')."""
    text = _text(cell)
    return _HEADER_INDEX.get(_key(text)) or _HEADER_INDEX.get(_key(re.sub(r"\(.*?\)", " ", text)))


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def parse_processing(text: str) -> tuple[Decimal | None, str | None]:
    """'20' / '20 ngày làm việc' -> (20, None); 'Trong thời hạn 05 ngày làm việc kể từ ...' ->
    (5, the words); 'Không quy định' -> (None, 'Không quy định'). The words are kept whenever
    they say more than "N ngày làm việc" (app.domain.catalogtext.parse_duration)."""
    try:
        d = catalogtext.parse_duration(_text(text))
    except catalogtext.DurationError as e:
        raise metrics.MetricError(str(e)) from None  # as every figure of the portal refuses
    return d.days, d.text


def _level(text: str) -> str | None:
    """'xã', 'Cấp Xã' -> 'Cấp xã'; exported files list several ('Cấp Tỉnh, Cấp Huyện'): the first known."""
    known = {}
    for lv in levels():
        known[_key(lv)] = lv
        known[_key(lv).removeprefix("cap ")] = lv
    for part in re.split(r"[,;/\n]", text or ""):
        if _key(part) in known:
            return known[_key(part)]
    return None


def _online(k: str) -> str | None:
    """'' / 'Một phần' / 'Toàn trình' and the spellings of exported files ('DVC trực tuyến toàn trình',
    'Mức độ 4'); None when it is none of them."""
    if k in _ONLINE:
        return _ONLINE[k]
    if "toan trinh" in k or "muc do 4" in k:
        return "full"
    if "mot phan" in k or "muc do 3" in k:
        return "partial"
    return None


def clean_row(raw: dict[str, Any], lookups: Lookups) -> tuple[dict[str, Any], dict[str, str]]:
    """Raw strings (form or spreadsheet) -> (model values, {field: message})."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, label, kind in FIELDS:
        text = _text(raw.get(key))
        k = _key(text)
        if kind == "code":
            if not text:
                errors[key] = "Nhập mã TTHC."
            elif len(text) > 40 or not re.fullmatch(r"[\w.\-/]+", text):
                errors[key] = "Mã TTHC chỉ gồm chữ, số và dấu chấm (ví dụ 1.001776), tối đa 40 ký tự."
            values["code"] = text
        elif kind == "name":
            if not text:
                errors[key] = "Nhập tên thủ tục hành chính."
            values["name"] = text
        elif kind == "text":
            values[key] = text or None
        elif kind == "level":
            match = _level(text)
            if text and match is None:
                errors[key] = "Cấp thực hiện phải là một trong: " + ", ".join(levels()) + "."
            values["level"] = match
        elif kind == "unit":
            unit = lookups.units.get(text.lower()) or lookups.units.get(fold(text))
            if text and unit is None:
                errors[key] = f"Không tìm thấy đơn vị “{text}”."
            values["lead_unit"] = unit
        elif kind == "agency":
            values["agency"] = text[:255] or None
            unit = lookups.units.get(text.lower()) or lookups.units.get(fold(text)) if text else None
            if unit is not None and "lead_unit" not in raw:
                values["lead_unit"] = unit  # the file has no lead-unit column: the agency is ours
        elif kind == "days":
            try:
                d = catalogtext.parse_duration(text)
            except catalogtext.DurationError as e:
                errors[key] = str(e)
            else:
                values["processing_days"], values["processing_text"] = d.days, d.text
                if d.note:
                    values.setdefault("_notes", {})[key] = d.note
        elif kind in ("fee", "charge"):
            amount, words = catalogtext.parse_money(text)
            values[key] = words
            values["fee_amount" if kind == "fee" else "charge_amount"] = amount
        elif kind == "bool":
            if k in _TRUE:
                values[key] = True
            elif k in _FALSE:
                values[key] = False
            else:
                errors[key] = f"{label}: ghi “x” (có) hoặc để trống (không)."
        elif kind == "online":
            online = _online(k)
            if online is None:
                errors[key] = "Dịch vụ công trực tuyến: để trống, “Một phần” hoặc “Toàn trình”."
            values[key] = online or ""
        elif kind == "set_by":
            if k not in _SET_BY:
                errors[key] = "Thẩm quyền quy định: “Trung ương” hoặc “Địa phương”."
            values[key] = _SET_BY.get(k) or None
        elif kind == "status":
            if k not in _STATUS:
                errors[key] = "Trạng thái: Còn hiệu lực, Đã bãi bỏ hoặc Đã được thay thế."
            values[key] = _STATUS.get(k, "active")
        elif kind == "replaced_by":
            values["replaced_by_code"] = text or None
            if text and text == values.get("code"):
                errors[key] = "Một TTHC không thể thay thế chính nó."
            elif text and text not in lookups.known_codes:
                errors[key] = f"Không có TTHC mã “{text}” trong danh mục."
    if values.get("replaced_by_code") and "replaced_by" not in errors:
        values["status"] = "replaced"
    elif values.get("status") == "replaced" and "status" not in errors:
        errors["replaced_by"] = "TTHC đã được thay thế: nhập mã TTHC thay thế."
    return values, errors


# ---- display and history ----------------------------------------------------------------

def format_days(days: Decimal | None) -> str:
    """20 -> '20'; 2.5 -> '2,5'; 1234.5 -> '1.234,5' (every digit kept, as it is typed back)."""
    return format_vn_number(days)


def display(p: Procedure, key: str) -> str:
    """A field as a person reads it (history, export, the form's initial value)."""
    if key == "lead_unit":
        return p.lead_unit.name if p.lead_unit else ""
    if key == "processing":
        return p.processing_text or format_days(p.processing_days)
    if key in ("one_stop", "interconnected", "postal", "internal"):
        return "x" if getattr(p, key) else ""
    if key == "online_service":
        return "" if not p.online_service else ONLINE_SERVICE.get(p.online_service, p.online_service)
    if key == "set_by":
        return SET_BY.get(p.set_by or "", p.set_by or "")
    if key == "status":
        return PROCEDURE_STATUSES.get(p.status, p.status)
    if key == "replaced_by":
        return p.replaced_by.code if p.replaced_by else ""
    value = getattr(p, key)
    return "" if value is None else str(value)


def form_values(p: Procedure | None) -> dict[str, str]:
    if p is None:
        return {"status": "active"}
    out = {k: display(p, k) for k, _, _ in FIELDS}
    out["lead_unit"] = p.lead_unit.code if p.lead_unit else ""
    out["online_service"] = p.online_service
    out["set_by"] = p.set_by or ""
    out["status"] = p.status
    return out


def _snapshot(p: Procedure) -> dict[str, str]:
    return {k: display(p, k) for k, _, _ in FIELDS}


def _apply(p: Procedure, values: dict[str, Any], by_code: dict[str, Procedure]) -> None:
    """Set cleaned values; relationships are set as objects so the history needs no reload."""
    for attr, value in values.items():
        if attr.startswith("_"):
            continue
        if attr == "replaced_by_code":
            p.replaced_by = by_code.get(value) if value else None
        else:
            setattr(p, attr, value)


def _record(user: User, p: Procedure, before: dict[str, str] | None, action: str) -> bool:
    after = _snapshot(p)
    if before is None:
        diff = {k: [None, v] for k, v in after.items() if v}
    else:
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not diff:
            return False
    p.updated_at = now()
    db.session.add(ProcedureChange(procedure=p, actor_id=user.id, action=action,
                                   changes=json.dumps(diff, ensure_ascii=False)))
    return True


# ---- use cases --------------------------------------------------------------------------

@dataclass
class Filters:
    q: str = ""
    field: str = ""
    level: str = ""
    unit: str = ""
    mechanism: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(**{k: (args.get(k) or "").strip() for k in cls.__dataclass_fields__})


MECHANISMS = {
    "one_stop": ("Một cửa", Procedure.one_stop.is_(True)),
    "interconnected": ("Một cửa liên thông", Procedure.interconnected.is_(True)),
    "postal": ("Bưu chính công ích", Procedure.postal.is_(True)),
    "online": ("Dịch vụ công trực tuyến", Procedure.online_service != ""),
    "online_full": ("Trực tuyến toàn trình", Procedure.online_service == "full"),
    "online_partial": ("Trực tuyến một phần", Procedure.online_service == "partial"),
    "internal": ("TTHC nội bộ", Procedure.internal.is_(True)),
}


def _filtered(f: Filters):
    stmt = select(Procedure)
    if f.q:
        stmt = stmt.where(or_(matches(Procedure.name_folded, f.q), matches(Procedure.code, f.q)))
    if f.field:
        stmt = stmt.where(Procedure.field == f.field)
    if f.level:
        stmt = stmt.where(Procedure.level == f.level)
    if f.unit.isdigit():
        stmt = stmt.where(Procedure.lead_unit_id == int(f.unit))
    if f.mechanism in MECHANISMS:
        stmt = stmt.where(MECHANISMS[f.mechanism][1])
    if f.status in PROCEDURE_STATUSES:
        stmt = stmt.where(Procedure.status == f.status)
    return stmt


def search(f: Filters, offset: int | None = None, limit: int | None = None) -> tuple[list[Procedure], int]:
    stmt = _filtered(f)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    stmt = stmt.options(selectinload(Procedure.lead_unit), selectinload(Procedure.replaced_by)) \
        .order_by(Procedure.field, Procedure.code)
    if limit is not None:
        stmt = stmt.offset(offset or 0).limit(limit)
    return list(db.session.scalars(stmt)), total


def filter_choices(user: User | None = None) -> dict[str, list]:
    """The filter and form pickers. Units: the user's agency's own (unit codes are unique per
    agency, and a procedure's lead unit is of the agency that owns it), not the province's
    hundreds of units, codes repeated in every agency."""
    fields = [f for f in db.session.scalars(
        select(Procedure.field).where(Procedure.field.is_not(None)).distinct().order_by(Procedure.field))]
    mine = [access.agency_units_filter(user)] if user is not None else []
    units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True), *mine)
                                    .order_by(Unit.sort_order, Unit.name)))
    return {"fields": fields, "levels": levels(), "units": units,
            "mechanisms": [(k, v[0]) for k, v in MECHANISMS.items()],
            "statuses": list(PROCEDURE_STATUSES.items()), "online": list(ONLINE_SERVICE.items()),
            "set_by": list(SET_BY.items())}


def catalog_counts(unit_id: int | None = None, agency_id: int | None = None) -> dict:
    """Figures of the report's section on published procedures (seed 001), over procedures in force.

    Internal procedures (TTHC nội bộ, between agencies) are published separately and have no
    one-stop or online mechanism: they are counted in `internal` only, not in the other figures.
    """
    def flag(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    public = Procedure.internal.is_(False)
    where = [Procedure.status == "active"]
    if unit_id is not None:
        where.append(Procedure.lead_unit_id == unit_id)
    if agency_id is not None:  # the procedures one agency owns in the province catalog
        where.append(Procedure.agency_id == agency_id)
    # One statement grouped by level, index-only over ix_procedures_counts: the province's
    # catalog read once per page, not twice (migration 0016_prov).
    rows = db.session.execute(select(
        Procedure.level,
        flag(public), flag(public & Procedure.one_stop.is_(True)),
        flag(public & Procedure.interconnected.is_(True)), flag(public & Procedure.postal.is_(True)),
        flag(public & (Procedure.online_service != "")), flag(public & (Procedure.online_service == "partial")),
        flag(public & (Procedure.online_service == "full")), flag(public & (Procedure.set_by == "central")),
        flag(public & (Procedure.set_by == "local")), flag(Procedure.internal.is_(True)),
    ).where(*where).group_by(Procedure.level)).all()
    keys = ("published", "one_stop", "interconnected", "postal", "online_total", "online_partial",
            "online_full", "central", "local", "internal")
    out: dict[str, Any] = {k: sum(int(r[i + 1] or 0) for r in rows) for i, k in enumerate(keys)}
    out["by_level"] = {(r[0] or ""): int(r[1] or 0) for r in rows if r[1]}
    return out


def get(proc_id: int) -> Procedure:
    p = db.session.get(Procedure, proc_id)
    if p is None:
        abort(404)
    return p


def history(p: Procedure) -> list[tuple[ProcedureChange, dict]]:
    rows = db.session.scalars(select(ProcedureChange).where(ProcedureChange.procedure_id == p.id)
                              .options(selectinload(ProcedureChange.actor))
                              .order_by(ProcedureChange.id.desc()))
    return [(c, json.loads(c.changes)) for c in rows]


def save(user: User, p: Procedure | None, raw: dict[str, Any]) -> tuple[Procedure | None, dict[str, str]]:
    """Create (p is None) or update a procedure from form input; returns (procedure, errors)."""
    if not access.can_edit_catalog(user) or (p is not None and not access.can_edit_procedure(user, p)):
        abort(403)
    values, errors = clean_row(raw, Lookups.load(user=user))
    code = values.get("code")
    if code and "code" not in errors:
        other = db.session.scalar(select(Procedure).where(Procedure.code == code))
        if other is not None and other is not p:
            errors["code"] = f"Mã “{code}” đã có trong danh mục."
    if errors:
        return None, errors
    before = _snapshot(p) if p is not None else None
    if p is None:
        p = Procedure(code=code, name=values["name"], agency_id=user.agency_id)
        db.session.add(p)
    _apply(p, values, _procedures_by_code({values.get("replaced_by_code")} - {None}))
    _record(user, p, before, "create" if before is None else "update")
    db.session.commit()
    return p, errors


def _procedures_by_code(codes: Iterable[str]) -> dict[str, Procedure]:
    codes = list(codes)
    if not codes:
        return {}
    return {p.code: p for p in db.session.scalars(
        select(Procedure).where(Procedure.code.in_(codes))
        .options(selectinload(Procedure.lead_unit), selectinload(Procedure.replaced_by)))}


# ---- import -----------------------------------------------------------------------------

class ImportError_(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PreviewRow:
    row: int
    raw: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    action: str = ""  # create / update / same / error
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)
    notes: dict[str, str] = field(default_factory=dict)  # read, but not into a number
    retire: bool = False  # an entry in force that the file marks no longer in force


@dataclass
class Preview:
    token: str
    filename: str
    columns: list[str]           # our keys found in the file
    ignored: list[str]           # the file's headers we did not recognise
    rows: list[PreviewRow]
    full: bool = False           # the file is the whole catalog: what it lacks is no longer in force
    absent: list[dict] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)  # the fields (lĩnh vực) `absent` looked in

    SHOWN = 100

    @property
    def shown(self) -> list[PreviewRow]:
        """Every row with an error, the first SHOWN changed ones and the first SHOWN others
        (a large file stays a light page; the counts say the rest)."""
        keep = {id(r) for r in [r for r in self.rows if r.action == "update"][:self.SHOWN]}
        keep |= {id(r) for r in [r for r in self.rows if r.action in ("create", "same")][:self.SHOWN]}
        return [r for r in self.rows if r.action == "error" or id(r) in keep]

    @property
    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "same": 0, "error": 0}
        for r in self.rows:
            out[r.action] += 1
        out["retire"] = sum(1 for r in self.rows if r.retire)
        out["absent"] = len(self.absent)
        return out


def _read_sheet(stream: BinaryIO) -> tuple[list[str], list[str], list[tuple[int, dict[str, str]]]]:
    """The first sheet's rows under its header row, as {our key: cell text}.

    The header is the first of the first 15 rows naming both a code and a name column, in any
    order and spelling (`HEADER_SYNONYMS`); title rows above it are skipped. A second header
    row right under it (merged group headers: "Phí, lệ phí" over "Phí" | "Lệ phí") refines it.
    The numbering row "(1) (2) …" is skipped; a section row ("I. Lĩnh vực Bảo trợ xã hội")
    gives its field to the rows under it that have none."""
    from openpyxl import load_workbook
    head = stream.read(4)
    stream.seek(0)
    if head[:2] != b"PK":
        raise ImportError_("Tệp không phải Excel .xlsx (hãy lưu lại dưới dạng .xlsx).")
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        raise ImportError_("Không đọc được tệp Excel; tệp có thể bị hỏng.") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    mapping: dict[int, str] = {}
    ignored: dict[int, str] = {}
    header_row = 0
    for n, cells in enumerate(rows, start=1):
        found = {i: _header(c) for i, c in enumerate(cells) if _key(c)}
        if {"code", "name"} <= set(found.values()):
            for i, k in found.items():
                if k and k not in mapping.values():
                    mapping[i] = k
                else:
                    ignored[i] = _text(cells[i])
            header_row = n
            break
        if n >= 15:
            break
    if not mapping:
        wb.close()
        raise ImportError_("Không tìm thấy dòng tiêu đề có cột “Mã TTHC” và “Tên thủ tục hành chính” "
                           "(hãy dùng tệp mẫu).")
    data = []
    group = ""
    code_col = next(i for i, k in mapping.items() if k == "code")
    for n, cells in enumerate(rows, start=header_row + 1):
        texts = [_text(c) for c in cells]
        name_col = next(i for i, k in mapping.items() if k == "name")
        if n == header_row + 1 and not any(texts[i] for i in (code_col, name_col) if i < len(texts)) \
                and not catalogtext.is_numbering_row(texts) and any(texts):
            # the second row of a two-row header: its cells name the columns under a merged one
            for i, c in enumerate(cells):
                k = _header(c)
                if k and (k not in mapping.values() or mapping.get(i) == k):
                    mapping[i] = k
                    ignored.pop(i, None)
                elif _key(c):
                    ignored[i] = _text(c)
            continue
        if catalogtext.is_numbering_row(texts):
            continue
        raw = {k: texts[i] for i, k in mapping.items() if i < len(texts)}
        if not raw.get("code"):
            heading = catalogtext.section_heading(texts)
            if heading:
                group = heading
                continue
        if group and not raw.get("field"):
            raw["field"] = group
        if any(raw.values()):
            data.append((n, raw))
    wb.close()
    columns = list(dict.fromkeys(mapping.values()))
    if group and "field" not in columns:
        columns.append("field")
    return columns, [t for t in ignored.values() if t], data


def _import_dir() -> Path:
    d = Path(current_app.config["UPLOAD_FOLDER"]) / "imports"
    d.mkdir(parents=True, exist_ok=True)
    return d


_BOOLS = ("one_stop", "interconnected", "postal", "internal")


def _shown(values: dict, key: str) -> str:
    """A cleaned value as `display` would show it once saved (the preview's "new")."""
    if key == "lead_unit":
        unit = values.get("lead_unit")
        return unit.name if unit else ""
    if key == "processing":
        return values.get("processing_text") or format_days(values.get("processing_days"))
    if key in _BOOLS:
        return "x" if values.get(key) else ""
    if key == "online_service":
        v = values.get(key) or ""
        return ONLINE_SERVICE.get(v, v) if v else ""
    if key == "set_by":
        return SET_BY.get(values.get(key) or "", values.get(key) or "")
    if key == "status":
        return PROCEDURE_STATUSES.get(values.get("status"), values.get("status") or "")
    if key == "replaced_by":
        return values.get("replaced_by_code") or ""
    v = values.get(key)
    return "" if v is None else str(v)


def _sets(raw: dict, key: str, values: dict) -> bool:
    """Whether an import row changes a field of an entry that exists: blank cells keep what the
    catalog holds (exported files often omit columns)."""
    if key == "status" and _text(raw.get("replaced_by")):
        return True
    if key == "lead_unit" and "lead_unit" not in raw:
        return values.get("lead_unit") is not None  # named by the agency column
    return key in raw and _text(raw.get(key)) != ""


def _check_rows(data: list[tuple[int, dict[str, str]]], user: User | None = None) -> list[tuple[PreviewRow, dict]]:
    """Clean every row and decide create / update (field by field) / same; one query for the
    existing entries. A row updating a procedure another agency owns is refused (one province
    catalog)."""
    file_codes = {raw.get("code", "").strip() for _, raw in data} - {""}
    lookups = Lookups.load(file_codes, user)
    existing = {p.code: p for p in db.session.scalars(
        select(Procedure).where(Procedure.code.in_(file_codes))
        .options(selectinload(Procedure.lead_unit), selectinload(Procedure.replaced_by)))} \
        if file_codes else {}
    seen: set[str] = set()
    out = []
    for n, raw in data:
        values, errors = clean_row(raw, lookups)
        code = values.get("code")
        if code in seen and "code" not in errors:
            errors["code"] = f"Mã “{code}” lặp lại trong tệp."
        seen.add(code)
        row = PreviewRow(n, raw, errors, notes=values.pop("_notes", {}))
        if errors:
            row.action = "error"
        elif code in existing and user is not None and not access.can_edit_procedure(user, existing[code]):
            row.errors["code"] = f"Mã “{code}” thuộc danh mục của cơ quan khác."
            row.action = "error"
        elif code in existing:
            old = existing[code]
            row.changes = [(label, display(old, k), _shown(values, k)) for k, label, _ in FIELDS
                           if _sets(raw, k, values) and display(old, k) != _shown(values, k)]
            row.action = "update" if row.changes else "same"
            row.retire = old.status == "active" and values.get("status") in ("abolished", "replaced") \
                and _sets(raw, "status", values)
        else:
            row.action = "create"
        out.append((row, values))
    return out


def _absent(file_codes: set[str], data: list[tuple[int, dict[str, str]]]) -> tuple[list[Procedure], list[str]]:
    """Entries in force that a whole-catalog file lacks. When the file names its fields
    (lĩnh vực), only those fields are looked at: a department's export of its own fields
    says nothing about the others."""
    scope = sorted({raw["field"].strip() for _, raw in data if (raw.get("field") or "").strip()})
    folded = {fold(f) for f in scope}  # 'VIỆC LÀM' and 'Việc làm' are one field
    stmt = (select(Procedure).where(Procedure.status == "active", Procedure.internal.is_(False))
            .options(selectinload(Procedure.lead_unit), selectinload(Procedure.replaced_by))
            .order_by(Procedure.field, Procedure.code))
    return [p for p in db.session.scalars(stmt) if p.code not in file_codes
            and (not folded or fold(p.field) in folded)], scope


def preview_import(user: User, stream: BinaryIO, filename: str, full: bool = False) -> Preview:
    if not access.can_edit_catalog(user):
        abort(403)
    columns, ignored, data = _read_sheet(stream)
    if not data:
        raise ImportError_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    rows = [r for r, _ in _check_rows(data, user)]
    absent, scope = [], []
    if full:
        codes = {raw.get("code", "").strip() for _, raw in data} - {""}
        found, scope = _absent(codes, data)
        absent = [{"code": p.code, "name": p.name, "field": p.field or ""} for p in found]
    token = secrets.token_hex(16)
    payload = {"user_id": user.id, "filename": filename, "columns": columns, "ignored": ignored,
               "full": full, "rows": [[n, raw] for n, raw in data]}
    (_import_dir() / f"{token}.json").write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    return Preview(token, filename, columns, ignored, rows, full, absent, scope)


def _load_payload(user: User, token: str) -> dict:
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        abort(404)
    path = _import_dir() / f"{token}.json"
    if not path.exists():
        abort(404)
    payload = json.loads(path.read_text("utf-8"))
    if payload["user_id"] != user.id:
        abort(404)
    return payload


def confirm_import(user: User, token: str) -> dict[str, int]:
    """Apply the previewed file: rows without errors are created or updated by code, with
    history; for a whole-catalog file, entries in force that it lacks are marked no longer in
    force (never deleted), each with its history line."""
    if not access.can_edit_catalog(user):
        abort(403)
    payload = _load_payload(user, token)
    data = [(n, raw) for n, raw in payload["rows"]]
    checked = _check_rows(data, user)  # again: the catalog may have changed since the preview
    counts = {"create": 0, "update": 0, "same": 0, "error": 0, "retire": 0, "absent": 0}
    wanted = [v["code"] for r, v in checked if r.action in ("create", "update")]
    by_code = _procedures_by_code(wanted + [v["replaced_by_code"] for r, v in checked
                                            if r.action in ("create", "update") and v.get("replaced_by_code")])
    pending: list[tuple[Procedure, dict | None, dict]] = []
    for row, values in checked:
        counts[row.action] += 1
        counts["retire"] += row.retire
        if row.action not in ("create", "update"):
            continue
        p = by_code.get(values["code"])
        before = _snapshot(p) if p is not None else None
        if p is None:
            p = Procedure(code=values["code"], name=values["name"], agency_id=user.agency_id)
            db.session.add(p)
            by_code[p.code] = p
        kept = {k: v for k, v in values.items() if before is None or _sets(row.raw, _ATTRS.get(k, k), values)}
        pending.append((p, before, kept))
    for p, before, kept in pending:  # after the loop: a row may be replaced by a later row's entry
        _apply(p, kept, by_code)
        _record(user, p, before, "import")
    if payload.get("full"):
        codes = {raw.get("code", "").strip() for _, raw in data} - {""}
        for p in _absent(codes, data)[0]:
            before = _snapshot(p)
            p.status = "abolished"
            _record(user, p, before, "import_absent")
            counts["absent"] += 1
    db.session.commit()
    (_import_dir() / f"{token}.json").unlink(missing_ok=True)
    return counts


_ATTRS = {"processing_days": "processing", "processing_text": "processing",
          "replaced_by_code": "replaced_by", "fee_amount": "fees", "charge_amount": "charges"}


def template_rows() -> list[dict[str, str]]:
    return [{"code": "1.001776", "name": "Thủ tục xác định, xác định lại mức độ khuyết tật và cấp "
             "Giấy xác nhận khuyết tật", "field": "Bảo trợ xã hội", "level": "Cấp xã",
             "lead_unit": "", "processing": "20", "fees": "Không", "one_stop": "x",
             "interconnected": "", "postal": "x", "online_service": "Trực tuyến một phần",
             "internal": "", "set_by": "Trung ương", "legal_basis": "Luật Người khuyết tật 2010",
             "decision": "", "status": "Còn hiệu lực", "replaced_by": ""}]
