from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, request
from flask_login import current_user, login_required

from app import access
from app.catalog import services
from app.exports.catalog import catalog_xlsx
from app.web import Pager, go, page, page_number

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, name: str) -> Response:
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _need_editor() -> None:
    if not access.can_edit_catalog(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():
    f = services.Filters.from_args(request.args)
    per = current_app.config["PAGE_SIZE"]
    p = page_number()
    items, total = services.search(f, (p - 1) * per, per)
    return page("catalog/index.html", block="rows", items=items, pg=Pager(p, per, total),
                filters=f, choices=services.filter_choices(current_user), counts=services.catalog_counts(),
                can_edit=access.can_edit_catalog(current_user), display=services.display)


@bp.get("/export.xlsx")
@login_required
def export():
    from dataclasses import asdict
    from app.jobs import exports
    from app.jobs.routes import deliver
    filters = asdict(services.Filters.from_args(request.args))
    return deliver(exports.catalog_job(current_user, filters), "Danh mục TTHC (XLSX)")


@bp.get("/template.xlsx")
@login_required
def template():
    return _xlsx(catalog_xlsx([(k, label) for k, label, _ in services.FIELDS], services.template_rows(),
                              "Mẫu nhập danh mục"), "mau-nhap-danh-muc-tthc.xlsx")


@bp.get("/<int:proc_id>")
@login_required
def show(proc_id: int):
    proc = services.get(proc_id)
    return page("catalog/show.html", proc=proc, history=services.history(proc),
                fields=services.FIELDS, labels=services.LABELS, display=services.display,
                can_edit=access.can_edit_procedure(current_user, proc))


def _form(proc, values, errors, status=200):
    return page("catalog/form.html", status=status, proc=proc, values=values, errors=errors,
                fields=services.FIELDS, choices=services.filter_choices(current_user))


@bp.route("/new", methods=["GET", "POST"], defaults={"proc_id": None})
@bp.route("/<int:proc_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proc_id: int | None):
    _need_editor()
    proc = services.get(proc_id) if proc_id is not None else None
    if proc is not None and not access.can_edit_procedure(current_user, proc):
        abort(403)  # one province catalog: each agency edits the procedures it owns
    if request.method == "GET":
        return _form(proc, services.form_values(proc), {})
    saved, errors = services.save(current_user, proc, request.form)
    if errors:
        return _form(proc, request.form, errors, 400)
    flash(f"Đã lưu TTHC {saved.code}.", "success")
    return go("catalog.show", proc_id=saved.id)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_file():
    _need_editor()
    if request.method == "GET":
        return page("catalog/import.html", preview=None, error=None, labels=services.LABELS)
    upload = request.files.get("file")
    error = None
    preview = None
    if upload is None or not upload.filename:
        error = "Chọn tệp Excel (.xlsx) cần nhập."
    elif not upload.filename.lower().endswith(".xlsx"):
        error = "Chỉ nhận tệp Excel .xlsx."
    else:
        try:
            preview = services.preview_import(current_user, upload.stream, upload.filename,
                                              full=request.form.get("full") == "1")
        except services.ImportError_ as e:
            error = e.message
    return page("catalog/import.html", block="result", status=400 if error else 200,
                preview=preview, error=error, labels=services.LABELS)


@bp.post("/import/<token>/confirm")
@login_required
def import_confirm(token: str):
    _need_editor()
    counts = services.confirm_import(current_user, token)
    absent = f", đánh dấu hết hiệu lực {counts['absent']} TTHC không có trong tệp" if counts["absent"] else ""
    flash(f"Đã nhập danh mục: thêm mới {counts['create']}, cập nhật {counts['update']}, "
          f"không đổi {counts['same']}, bỏ qua {counts['error']} dòng lỗi{absent}.", "success")
    return go("catalog.index")
