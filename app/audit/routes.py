from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user, login_required

from app import access
from app.audit import services
from app.exports.audit import audit_xlsx
from app.web import Pager, page, page_number

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
bp.after_app_request(services.after_request)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def only_auditors():
    if not access.can_view_audit(current_user):
        abort(403)


def _date(name: str):
    raw = (request.args.get(name) or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _filter() -> tuple[services.AuditFilter, dict[str, str]]:
    f = services.AuditFilter(who=request.args.get("who") or None, action=request.args.get("action") or None,
                             object_type=request.args.get("object_type") or None,
                             object_id=request.args.get("object_id") or None,
                             since=_date("since"), until=_date("until"),
                             agency_of=current_user)
    errors = {k: "Ngày không hợp lệ (dd/mm/yyyy)." for k in ("since", "until")
              if request.args.get(k) and _date(k) is None}
    return f, errors


@bp.get("/")
def index():
    f, errors = _filter()
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    rows, total = services.list_events(f, (p - 1) * per, per)
    return page("audit/index.html", block="rows", rows=rows, pager=Pager(p, per, total), args=request.args,
                errors=errors, actions=services.ACTIONS, object_types=services.object_types())


@bp.get("/export.xlsx")
def export():
    f, _ = _filter()
    rows = services.export_events(f)
    shown = ", ".join(f"{k}={v}" for k, v in request.args.items() if v)
    services.mark_recorded()
    services.record("download", "Xuất nhật ký hệ thống (XLSX)", object_type="audit",
                    detail={"filter": request.args.to_dict(), "rows": len(rows)}, status=200)
    return Response(audit_xlsx(rows, services.ACTIONS, f"Lọc: {shown}" if shown else ""), mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="nhat-ky-he-thong.xlsx"'})
