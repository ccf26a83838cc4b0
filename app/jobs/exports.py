"""The export cache (issue 16, item 1): each export is built once per change of its data, by a
job, and served from storage.

Key = (export kind, object id, viewer scope, change stamp). The scope is the viewer's
visibility class (access.export_scope) wherever the rows depend on who asks, so a file built
for a wider scope is never served to a narrower one; a document that is the same for everyone
allowed to open it (a report) uses "any" and the object's own access check. The stamp is one
cheap aggregate over the rows the export reads (and the day, where overdue counts depend on
it). When a newer stamp is built, the older files of the same (kind, object, scope) go.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import delete, func, select

from app import access
from app.clock import today
from app.extensions import db
from app.jobs import runner, services, storage
from app.models import Job, Plan, Procedure, Submission, Task, User, task_cooperating_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:20]


@dataclass
class Export:
    label: str
    # (job, user, progress) -> (bytes, download name, mimetype)
    build: Callable[[Job, User, runner.Progress], tuple[bytes, str, str]]
    ext: str


EXPORTS: dict[str, Export] = {}


def request_export(user: User, name: str, *, object_kind: str | None, object_id: int | None,
                   scope: str, stamp: str, params: dict | None = None,
                   agency_id: int | None = None, variant: str = "") -> Job:
    """The job holding this export for this viewer scope and data: done (serve it), or queued
    / running (show the progress), or failed (show the error and the retry)."""
    group = f"export:{name}:{object_id or 0}:{scope}" + (f":{variant}" if variant else "")
    return services.ensure("export", key=f"{group}:{stamp}", group=group, user=user,
                           agency_id=agency_id if agency_id is not None else user.agency_id,
                           scope=scope, object_kind=object_kind, object_id=object_id,
                           params={"export": name, "user_id": user.id, **(params or {})})


def _run(job: Job, progress: runner.Progress) -> runner.Output:
    spec = EXPORTS[job.params["export"]]
    user = db.session.get(User, job.params["user_id"])
    if user is None:
        raise runner.JobError("Người yêu cầu tệp không còn trong hệ thống.")
    progress(10, f"Đang đọc dữ liệu: {spec.label}")
    data, name, mimetype = spec.build(job, user, progress)
    progress(90, "Đang lưu tệp")
    return runner.Output(data=data, name=name, mimetype=mimetype,
                         path=f"exports/{job.params['export']}/{job.id}-{digest(job.key)}.{spec.ext}")


def _drop_older(job: Job) -> None:
    """A newer build of the same (kind, object, scope) replaces the older ones and their files."""
    older = db.session.execute(select(Job.id, Job.result_path).where(
        Job.cache_group == job.cache_group, Job.id < job.id,   # ids, not times: the clock may be pinned
        Job.state.in_(("done", "failed")))).all()
    for _, path in older:
        storage.remove(path)
    if older:
        db.session.execute(delete(Job).where(Job.id.in_([i for i, _ in older])))


runner.register("export", runner.Kind(label="Tạo tệp xuất", run=_run, on_done=_drop_older))


# ---- change stamps --------------------------------------------------------------------------

def plan_stamp(plan: Plan) -> str:
    """Aggregates over the plan's tasks, their submissions and cooperating units (index ranges
    on plan_id)."""
    row = db.session.execute(
        select(func.count(Task.id), func.max(Task.id), func.sum(Task.revision),
               func.count(Submission.id), func.max(Submission.id), func.sum(Submission.revision))
        .select_from(Task).outerjoin(Submission, Submission.task_id == Task.id)
        .where(Task.plan_id == plan.id)).one()
    coop = task_cooperating_units
    units = db.session.execute(
        select(func.count(), func.sum(coop.c.unit_id), func.sum(coop.c.task_id))
        .select_from(coop.join(Task, Task.id == coop.c.task_id)).where(Task.plan_id == plan.id)).one()
    return digest(plan.state, plan.updated_at, plan.number, plan.title, tuple(row), tuple(units), today())


def year_stamp(year: int) -> str:
    """The dashboard's data: the year's tasks (work columns, kept by triggers) and submissions."""
    row = db.session.execute(
        select(func.count(Task.id), func.max(Task.id), func.sum(Task.revision),
               func.count(Submission.id), func.max(Submission.id), func.sum(Submission.revision))
        .select_from(Task).outerjoin(Submission, Submission.task_id == Task.id)
        .where(Task.plan_year == year)).one()
    plans = db.session.execute(select(func.count(Plan.id), func.max(Plan.updated_at))
                               .where(Plan.year == year)).one()
    return digest(year, tuple(row), tuple(plans), today())


def catalog_stamp(filters: dict) -> str:
    row = db.session.execute(select(func.count(Procedure.id), func.max(Procedure.id),
                                    func.sum(Procedure.revision))).one()
    return digest(tuple(row), sorted(filters.items()))


# ---- the exports ----------------------------------------------------------------------------

def _tracker(job: Job, user: User, progress) -> tuple[bytes, str, str]:
    from app.exports.tracker_xlsx import build_tracker_xlsx
    from app.plans import services as plans
    plan = db.session.get(Plan, job.object_id)
    if plan is None or not access.can_download_tracker(user, plan):
        raise runner.JobError("Kế hoạch không còn hoặc bạn không còn quyền tải bảng tổng hợp.")
    rows = plans.tracker_rows(user, plan)
    progress(50, f"Đang ghi bảng theo dõi ({len(rows)} nhiệm vụ)")
    data = build_tracker_xlsx(plan, rows, plans.unit_summary(rows), agency=plans.agency_header(plan))
    safe_number = "".join(c if c.isalnum() else "-" for c in plan.number)
    return data.getvalue(), f"theo-doi-{safe_number}.xlsx", XLSX


def tracker_job(user: User, plan: Plan) -> Job:
    return request_export(user, "tracker", object_kind="plan", object_id=plan.id,
                          scope=access.export_scope(user), stamp=plan_stamp(plan), agency_id=plan.agency_id)


def _report(fmt: str):
    def build(job: Job, user: User, progress) -> tuple[bytes, str, str]:
        from app.exports import report_docx, report_xlsx
        from app.models import Report
        from app.reports import services as reports
        report = db.session.get(Report, job.object_id)
        if report is None or not access.can_view_report(user, report):
            raise runner.JobError("Báo cáo không còn hoặc bạn không còn quyền xem.")
        doc = reports.document(report)
        exporter = report_docx if fmt == "docx" else report_xlsx
        progress(40, "Đang ghi văn bản báo cáo" if fmt == "docx" else "Đang ghi các biểu số liệu")
        return exporter.build(doc), exporter.filename(doc), DOCX if fmt == "docx" else XLSX
    return build


def report_job(user: User, report, fmt: str, doc: dict) -> Job:
    """A report's document is the same for everyone who may open the report (scope "any");
    the stamp is the document itself: the frozen snapshot once issued, the live draft else."""
    stamp = f"v{report.lock_version}" if report.snapshot else digest(doc)
    return request_export(user, f"report_{fmt}", object_kind="report", object_id=report.id,
                          scope="any", stamp=stamp, agency_id=report.agency_id)


def _dashboard(job: Job, user: User, progress) -> tuple[bytes, str, str]:
    from app.dashboard import services as dashboard
    from app.exports.dashboard import PARTS, dashboard_xlsx
    part, year = job.params["part"], job.params["year"]
    d = dashboard.dashboard(user, year, today())
    progress(50, "Đang ghi bảng tổng quan")
    return (dashboard_xlsx(d, tuple(PARTS) if part == "all" else (part,)),
            f"tong-quan-{part}-{d.year}.xlsx", XLSX)


def dashboard_job(user: User, part: str, year: int) -> Job:
    return request_export(user, f"dashboard_{part}", object_kind=None, object_id=year,
                          scope=access.export_scope(user), stamp=year_stamp(year),
                          params={"part": part, "year": year})


def _catalog(job: Job, user: User, progress) -> tuple[bytes, str, str]:
    from app.catalog import services as catalog
    from app.exports.catalog import catalog_xlsx
    items, _ = catalog.search(catalog.Filters(**job.params["filters"]))
    progress(50, f"Đang ghi danh mục ({len(items)} thủ tục)")
    rows = [{k: catalog.display(p, k) for k, _, _ in catalog.FIELDS} for p in items]
    return catalog_xlsx([(k, label) for k, label, _ in catalog.FIELDS], rows), "danh-muc-tthc.xlsx", XLSX


def catalog_job(user: User, filters: dict) -> Job:
    return request_export(user, "catalog", object_kind=None, object_id=None,
                          scope=access.export_scope(user), variant=digest(sorted(filters.items()))[:10],
                          stamp=catalog_stamp(filters), params={"filters": filters})


def _consolidation(fmt: str):
    def build(job: Job, user: User, progress) -> tuple[bytes, str, str]:
        from app.exports import province_docx, province_xlsx
        from app.sendup import services as sendup
        req = sendup.get_request(user, job.object_id)
        doc = sendup.consolidation(req)
        if doc["total"] is None:
            raise runner.JobError("Số liệu của các cơ quan chưa khớp nên chưa tổng hợp được.")
        exporter = province_docx if fmt == "docx" else province_xlsx
        progress(50, "Đang ghi báo cáo tổng hợp toàn tỉnh")
        return exporter.build(doc), exporter.filename(doc), DOCX if fmt == "docx" else XLSX
    return build


def consolidation_job(user: User, req, fmt: str, doc: dict) -> Job:
    """The province's consolidation of the reports sent up: the stamp is the document itself
    (the frozen snapshots it sums and who sent what)."""
    return request_export(user, f"consolidation_{fmt}", object_kind=None, object_id=req.id,
                          scope=access.export_scope(user), stamp=digest(doc), agency_id=req.agency_id)


EXPORTS.update({
    "consolidation_docx": Export("Báo cáo tổng hợp toàn tỉnh (DOCX)", _consolidation("docx"), "docx"),
    "consolidation_xlsx": Export("Báo cáo tổng hợp toàn tỉnh (XLSX)", _consolidation("xlsx"), "xlsx"),
    "tracker": Export("Bảng theo dõi kế hoạch", _tracker, "xlsx"),
    "report_docx": Export("Báo cáo (DOCX)", _report("docx"), "docx"),
    "report_xlsx": Export("Báo cáo (XLSX)", _report("xlsx"), "xlsx"),
    "catalog": Export("Danh mục TTHC", _catalog, "xlsx"),
})
for _part in ("all", "units", "plans", "burndown"):
    EXPORTS[f"dashboard_{_part}"] = Export("Bảng tổng quan", _dashboard, "xlsx")
