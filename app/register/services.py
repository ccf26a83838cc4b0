"""Register use cases: take the next number at issue (in the issuing transaction), reserve and
release numbers, set a series' opening number, list and export the register.

Concurrency: the counter is read only after an UPDATE of its own row. On PostgreSQL that UPDATE
takes the row lock (and the read is SELECT ... FOR UPDATE), so a second issuer waits until the
first commits and then reads the new counter. On SQLite the UPDATE is the transaction's first
write: it takes the database's write lock (pysqlite opens the transaction there), so writers
queue and each reads the counter under the lock. Numbers are never given twice nor skipped."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app import access
from app.clock import now
from app.domain.register import format_symbol, next_number, parse_symbol
from app.extensions import db
from app.models import Agency, Plan, Report, User
from app.models.register import DOC_TYPES, ENTRY_STATES, RegisterEntry, RegisterSeries


class RegisterError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def abbreviation(agency: Agency | None) -> str:
    if agency is not None and agency.abbreviation:
        return agency.abbreviation
    return current_app.config.get("DOC_SYMBOL") or "SLĐTBXH"


# ---- the counter ---------------------------------------------------------------------------

def _key(agency_id: int, year: int, doc_type: str):
    return and_(RegisterSeries.agency_id == agency_id, RegisterSeries.year == year,
                RegisterSeries.doc_type == doc_type)


def _locked_series(agency_id: int, year: int, doc_type: str) -> RegisterSeries:
    """The series row, created if missing, locked for this transaction (see the module doc)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(RegisterSeries).values(
        agency_id=agency_id, year=year, doc_type=doc_type, last_number=0, opening_number=0,
        lock_count=0).on_conflict_do_nothing(index_elements=["agency_id", "year", "doc_type"]))
    db.session.execute(update(RegisterSeries).where(_key(agency_id, year, doc_type))
                       .values(lock_count=RegisterSeries.lock_count + 1)
                       .execution_options(synchronize_session=False))
    return db.session.scalar(select(RegisterSeries).where(_key(agency_id, year, doc_type))
                             .with_for_update().execution_options(populate_existing=True))


def _free_entry(series: RegisterSeries) -> RegisterEntry:
    """The entry the next number goes into: the smallest released number, else a new one."""
    released = db.session.scalar(select(RegisterEntry).where(
        RegisterEntry.series_id == series.id, RegisterEntry.state == "released")
        .order_by(RegisterEntry.number).limit(1).with_for_update().execution_options(populate_existing=True))
    number, reused = next_number(series.last_number, [released.number] if released else [])
    if reused:
        return released
    series.last_number = number
    entry = RegisterEntry(series_id=series.id, number=number, symbol="", state="released", created_at=now())
    db.session.add(entry)
    return entry


def take_number(agency: Agency, year: int, doc_type: str, *, user: User | None, doc_kind: str,
                doc_id: int, title: str, issued_on: date, reserved_symbol: str | None = None) -> RegisterEntry:
    """Give a document its number at issue, inside the caller's transaction (the caller
    commits, or rolls back and the number was never given). `reserved_symbol`: the number the
    office reserved for it; otherwise the next free number of the series."""
    series = _locked_series(agency.id, year, doc_type)
    if reserved_symbol:
        entry = db.session.scalar(select(RegisterEntry).where(
            RegisterEntry.series_id == series.id, RegisterEntry.symbol == reserved_symbol.strip())
            .with_for_update().execution_options(populate_existing=True))
        if entry is None or entry.state != "reserved":
            raise RegisterError(f"Số {reserved_symbol} không phải số đang giữ chỗ trong sổ văn bản đi "
                                f"({DOC_TYPES.get(doc_type, doc_type)} năm {year}).", "number")
    else:
        entry = _free_entry(series)
    entry.symbol = format_symbol(entry.number, doc_type, abbreviation(agency))
    entry.state = "issued"
    entry.doc_kind, entry.doc_id, entry.title = doc_kind, doc_id, (title or "")[:500]
    entry.issued_on, entry.issued_by_id, entry.issued_at = issued_on, user.id if user else None, now()
    db.session.flush()
    return entry


def next_symbol(agency: Agency, year: int, doc_type: str) -> str:
    """What the next issue would get now (shown in the issue dialog; not a promise)."""
    series = db.session.scalar(select(RegisterSeries).where(_key(agency.id, year, doc_type)))
    last = series.last_number if series else 0
    released = db.session.scalar(select(func.min(RegisterEntry.number)).where(
        RegisterEntry.series_id == series.id, RegisterEntry.state == "released")) if series else None
    n, _ = next_number(last, [released] if released else [])
    return format_symbol(n, doc_type, abbreviation(agency))


def reserved_choices(agency_id: int, year: int, doc_type: str) -> list[RegisterEntry]:
    return list(db.session.scalars(select(RegisterEntry).join(RegisterSeries).where(
        _key(agency_id, year, doc_type), RegisterEntry.state == "reserved").order_by(RegisterEntry.number)))


# ---- the office's actions ------------------------------------------------------------------

def reserve(user: User, year: int, doc_type: str, note: str) -> RegisterEntry:
    if not access.can_manage_register(user):
        abort(403)
    if doc_type not in DOC_TYPES:
        raise RegisterError("Chọn loại văn bản.", "doc_type")
    if not (2000 <= year <= 2100):
        raise RegisterError("Năm không hợp lệ.", "year")
    note = (note or "").strip()
    if not note:
        raise RegisterError("Ghi rõ số giữ chỗ dành cho văn bản nào.", "note")
    series = _locked_series(user.agency_id, year, doc_type)
    entry = _free_entry(series)
    entry.symbol = format_symbol(entry.number, doc_type, abbreviation(user.agency))
    if entry.note:   # a released number reserved again: the earlier reservation stays readable
        note = f"{note}\n(Lần giữ trước, đã trả lại: {entry.note})"
    entry.state, entry.note = "reserved", note[:2000]
    entry.reserved_by_id, entry.reserved_at = user.id, now()
    db.session.commit()
    return entry


def get_entry(user: User, entry_id: int) -> RegisterEntry:
    entry = db.session.scalar(select(RegisterEntry).where(RegisterEntry.id == entry_id)
                              .options(selectinload(RegisterEntry.series)))
    if entry is None or not access.can_view_register(user) or not access.same_agency(user, entry.series.agency_id):
        abort(404)
    return entry


def release(user: User, entry: RegisterEntry) -> None:
    if not access.can_manage_register(user):
        abort(403)
    if entry.state != "reserved":
        raise RegisterError(f"Số {entry.symbol} {ENTRY_STATES.get(entry.state, entry.state).lower()}, "
                            "chỉ trả lại được số đang giữ chỗ.")
    entry.state = "released"
    entry.released_by_id, entry.released_at = user.id, now()
    db.session.commit()


def set_opening(user: User | None, agency: Agency, year: int, doc_type: str, last_number: int) -> RegisterSeries:
    """Numbers 1..last_number of the year were given on paper before the portal: the series
    continues after them. Only while the portal has given no number in the series."""
    if user is not None and not access.can_manage_register(user):
        abort(403)
    if doc_type not in DOC_TYPES:
        raise RegisterError("Chọn loại văn bản.", "doc_type")
    if last_number < 0 or last_number > 100000:
        raise RegisterError("Số đầu kỳ phải là số nguyên từ 0.", "opening")
    series = _locked_series(agency.id, year, doc_type)
    if db.session.scalar(select(func.count()).select_from(RegisterEntry).where(RegisterEntry.series_id == series.id)):
        raise RegisterError("Sổ đã cấp số trong năm này; không đặt lại số đầu kỳ được.", "opening")
    series.opening_number = series.last_number = last_number
    db.session.commit()
    return series


# ---- the page ------------------------------------------------------------------------------

@dataclass
class Filters:
    year: int | None = None
    doc_type: str | None = None
    state: str | None = None
    text: str | None = None


def _query(user: User, f: Filters):
    q = (select(RegisterEntry).join(RegisterSeries)
         .where(RegisterSeries.agency_id == user.agency_id))
    if f.year:
        q = q.where(RegisterSeries.year == f.year)
    if f.doc_type:
        q = q.where(RegisterSeries.doc_type == f.doc_type)
    if f.state:
        q = q.where(RegisterEntry.state == f.state)
    if f.text:
        like = f"%{f.text.strip()}%"
        q = q.where(or_(RegisterEntry.symbol.ilike(like), RegisterEntry.title.ilike(like),
                        RegisterEntry.note.ilike(like)))
    return q


def list_entries(user: User, f: Filters, offset: int = 0, limit: int | None = 25) -> tuple[list[RegisterEntry], int]:
    if not access.can_view_register(user):
        abort(403)
    q = _query(user, f)
    total = db.session.scalar(select(func.count()).select_from(q.subquery()))
    q = (q.options(selectinload(RegisterEntry.series), selectinload(RegisterEntry.issued_by),
                   selectinload(RegisterEntry.reserved_by), selectinload(RegisterEntry.released_by))
         .order_by(RegisterSeries.year.desc(), RegisterSeries.doc_type, RegisterEntry.number.desc()))
    if limit:
        q = q.offset(offset).limit(limit)
    return list(db.session.scalars(q)), total


def years(user: User) -> list[int]:
    return list(db.session.scalars(select(RegisterSeries.year).where(
        RegisterSeries.agency_id == user.agency_id).distinct().order_by(RegisterSeries.year.desc())))


def series_summary(user: User, year: int) -> list[RegisterSeries]:
    return list(db.session.scalars(select(RegisterSeries).where(
        RegisterSeries.agency_id == user.agency_id, RegisterSeries.year == year).order_by(RegisterSeries.doc_type)))


# ---- documents issued without the register (demo data, gen-data, older versions) -------------

def enter_issued_documents() -> int:
    """Enter every issued plan and report missing from the register, keeping its number (the
    series continues after the highest). Returns how many were entered. The caller commits."""
    known = {(k, i) for k, i in db.session.execute(select(RegisterEntry.doc_kind, RegisterEntry.doc_id)
                                                   .where(RegisterEntry.doc_kind.is_not(None)))}
    docs = [("plan", p.id, p.agency_id, p.number, p.issued_on, p.year, p.title, None)
            for p in db.session.execute(select(Plan.id, Plan.agency_id, Plan.number, Plan.issued_on,
                                                Plan.year, Plan.title).where(Plan.state == "issued").order_by(Plan.id))]
    docs += [("report", r.id, r.agency_id, r.number, r.issued_on, None, r.title, r.signer_id)
             for r in db.session.execute(select(Report.id, Report.agency_id, Report.number, Report.issued_on,
                                                  Report.title, Report.signer_id).where(Report.state == "issued")
                                         .order_by(Report.id))]
    series: dict = {s_key: s for s in db.session.scalars(select(RegisterSeries))
                    for s_key in [(s.agency_id, s.year, s.doc_type)]}
    taken = {(e.series_id, e.number) for e in db.session.execute(select(RegisterEntry.series_id, RegisterEntry.number))}
    count = 0
    for kind, doc_id, agency_id, number, issued_on, year, title, signer in docs:
        parsed = parse_symbol(number)
        y = issued_on.year if issued_on else year
        if (kind, doc_id) in known or parsed is None or agency_id is None or y is None:
            continue
        n, doc_type = parsed
        key = (agency_id, y, doc_type)
        if key not in series:
            series[key] = RegisterSeries(agency_id=agency_id, year=y, doc_type=doc_type, last_number=0,
                                         opening_number=0, lock_count=0)
            db.session.add(series[key])
            db.session.flush()
        s = series[key]
        if (s.id, n) in taken:
            continue
        taken.add((s.id, n))
        s.last_number = max(s.last_number, n)
        db.session.add(RegisterEntry(series_id=s.id, number=n, symbol=number.strip(), state="issued",
                                     doc_kind=kind, doc_id=doc_id, title=(title or "")[:500], issued_on=issued_on,
                                     issued_by_id=signer, issued_at=now(), created_at=now(),
                                     note="Vào sổ từ văn bản đã ban hành trước khi có sổ"))
        count += 1
    db.session.flush()
    return count
