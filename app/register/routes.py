"""Sổ văn bản đi: the list with filters and XLSX, reserving / releasing numbers, opening numbers."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, request
from flask_login import current_user, login_required

from app import access
from app.clock import today
from app.exports.register import register_xlsx
from app.models.register import DOC_TYPES, ENTRY_STATES
from app.register import services
from app.web import Pager, go, page, page_number

bp = Blueprint("register", __name__, url_prefix="/register")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def only_keepers():
    if not access.can_view_register(current_user):
        abort(403)


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _filters() -> services.Filters:
    a = request.args
    doc_type = a.get("doc_type") if a.get("doc_type") in DOC_TYPES else None
    state = a.get("state") if a.get("state") in ENTRY_STATES else None
    return services.Filters(year=_int(a.get("year")), doc_type=doc_type, state=state,
                            text=(a.get("q") or "").strip()[:200] or None)


def _index(errors: dict | None = None, typed: dict | None = None, status: int = 200):
    f = _filters()
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    rows, total = services.list_entries(current_user, f, (p - 1) * per, per)
    year = f.year or today().year
    years = sorted(set(services.years(current_user)) | {today().year}, reverse=True)
    return page("register/index.html", block="rows", status=status, rows=rows, pager=Pager(p, per, total),
                args=request.args, years=years, doc_types=DOC_TYPES, states=ENTRY_STATES,
                series=services.series_summary(current_user, year), year=year,
                can_manage=access.can_manage_register(current_user), errors=errors or {},
                typed=typed or {"year": str(today().year), "doc_type": "CV", "note": ""})


@bp.get("/")
def index():
    return _index()


@bp.get("/export.xlsx")
def export():
    rows, _ = services.list_entries(current_user, _filters(), 0, None)
    shown = ", ".join(f"{k}={v}" for k, v in request.args.items() if v)
    return Response(register_xlsx(rows, current_user.agency.name, f"Lọc: {shown}" if shown else ""),
                    mimetype=XLSX, headers={"Content-Disposition": 'attachment; filename="so-van-ban-di.xlsx"'})


@bp.post("/reserve")
def reserve():
    if not access.can_manage_register(current_user):
        abort(403)
    typed = {k: (request.form.get(k) or "").strip() for k in ("year", "doc_type", "note")}
    year = _int(typed["year"])
    if year is None:
        return _index({"year": "Nhập năm (ví dụ 2022)."}, typed, 400)
    try:
        entry = services.reserve(current_user, year, typed["doc_type"], typed["note"])
    except services.RegisterError as e:
        return _index({e.field or "note": e.message}, typed, 400)
    flash(f"Đã giữ số {entry.symbol}.", "success")
    return go("register.index", year=year)


@bp.post("/<int:entry_id>/release")
def release(entry_id: int):
    entry = services.get_entry(current_user, entry_id)
    if not access.can_manage_register(current_user):
        abort(403)
    try:
        services.release(current_user, entry)
    except services.RegisterError as e:
        return _index({"release": e.message}, status=409)
    flash(f"Đã trả lại số {entry.symbol}: lần cấp số tiếp theo của sổ sẽ dùng lại số này.", "success")
    return go("register.index", year=entry.series.year)


@bp.post("/opening")
def opening():
    if not access.can_manage_register(current_user):
        abort(403)
    typed = {k: (request.form.get(k) or "").strip() for k in ("year", "doc_type", "opening")}
    year, last = _int(typed["year"]), _int(typed["opening"])
    if year is None or last is None:
        return _index({"opening": "Nhập năm và số cuối cùng đã cấp trên sổ giấy (số nguyên)."}, typed, 400)
    try:
        services.set_opening(current_user, current_user.agency, year, typed["doc_type"], last)
    except services.RegisterError as e:
        return _index({"opening": e.message}, typed, 400)
    flash(f"Sổ {DOC_TYPES[typed['doc_type']].lower()} năm {year} bắt đầu cấp từ số {last + 1}.", "success")
    return go("register.index", year=year)
