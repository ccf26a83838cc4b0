"""gen-data hook: reviews of internal procedures (form 02/RS-KSTT rows), so the province
dashboard's review rounds (seed 003) have something to count.

About three in four of the agency's internal procedures in force are put on an accepted task
of a review plan (kind review, time_cut or internal), one review each; some are also reviewed a
second time later. With several agencies each copy keeps a different share of these rows
(app.ops.gendata.replicate_agencies), so the agencies do not all tie.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from app.models import Plan, Procedure, ProcedureReview, Task

KINDS = ("review", "time_cut", "internal")


def generate(ctx) -> dict[str, int]:
    conn, rng = ctx.conn, ctx.rng
    procs = conn.execute(select(Procedure.id, Procedure.processing_days).where(
        Procedure.internal.is_(True), Procedure.status == "active").order_by(Procedure.id)).all()
    tasks = conn.execute(select(Task.id, Task.accepted_on).join(Plan, Plan.id == Task.plan_id).where(
        Plan.kind.in_(KINDS), Task.work_state == "accepted").order_by(Task.id)).all()
    if not procs or not tasks:
        return {}
    first = (conn.scalar(select(func.max(ProcedureReview.id))) or 0) + 1
    rows, seen = [], set()
    for proc_id, days in procs:
        for _ in range(1 if rng.random() < 0.8 else 2):
            if rng.random() > 0.75:
                continue
            task_id, accepted_on = rng.choice(tasks)
            if (task_id, proc_id) in seen:
                continue
            seen.add((task_id, proc_id))
            cut = None if days is None else (Decimal(days) * Decimal(rng.choice(["0.7", "0.8", "1"]))).quantize(Decimal("0.01"))
            rows.append({"id": first + len(rows), "task_id": task_id, "procedure_id": proc_id,
                         "position": len(rows) % 50, "parts": "{}",
                         "proposal": rng.choice(["keep", "amend", "amend", "abolish"]),
                         "proposal_detail": "Đơn giản hóa thành phần hồ sơ", "legal_change": None,
                         "recommendation": None, "current_days": days, "proposed_days": cut,
                         "cut_reason": "Rút ngắn thời gian thẩm định" if cut is not None and cut != days else None,
                         "updated_by_id": None,
                         "updated_at": datetime.combine(accepted_on or ctx.today, datetime.min.time())})
    ctx.insert(ProcedureReview, rows)
    return {"procedure_reviews": len(rows)}
