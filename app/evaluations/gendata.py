"""gen-data hook: a year of evaluation sheets (issue 15) for every unit that has a head: the
twelve months up to today's and the quarters they cover. Ended periods are closed (their
figures are read live: gen-data writes no snapshot), the last ended month waits for the
leader, the running month is open. Marks and comments for every member of the closed and
proposed sheets come in one INSERT ... SELECT on the server; the copies for other agencies are
made by app.ops.gendata.replicate_agencies like every other table."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, cast, literal, select, text

from app.domain import evaluation as de
from app.models import Evaluation, EvaluationMark, EvaluationScheme, Unit, User


def _periods(today) -> list[de.EvalPeriod]:
    out = []
    y, m = today.year, today.month
    for _ in range(12):
        out.append(de.make_period("month", y, m))
        if m % 3 == 0 or (y, m) == (today.year, today.month):
            out.append(de.make_period("quarter", y, (m - 1) // 3 + 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def generate(ctx) -> dict[str, int]:
    conn, today = ctx.conn, ctx.today
    created = datetime.combine(today, datetime.min.time())
    agency_id = ctx.ids.get("agencies", [1])[0]
    scheme_id = (conn.scalar(select(EvaluationScheme.id).order_by(EvaluationScheme.id.desc()).limit(1)) or 0) + 1
    ctx.insert(EvaluationScheme, [{"id": scheme_id, "agency_id": agency_id, "version": 1,
                                   "valid_from": datetime(2000, 1, 1).date(),
                                   "name": "Mặc định theo cấu trúc Nghị định 335/2025/NĐ-CP (cần xác nhận)",
                                   "description": de.DEFAULT_DESCRIPTION, "weights": de.DEFAULT_WEIGHTS,
                                   "created_by_id": None, "created_at": created}])
    heads = conn.execute(select(User.unit_id, User.id).join(Unit, Unit.id == User.unit_id)
                         .where(User.role.in_(("head", "local")), Unit.agency_id == agency_id)
                         .order_by(User.unit_id, User.id)).all()
    head_of: dict[int, int] = {}
    for unit_id, user_id in heads:
        head_of.setdefault(unit_id, user_id)
    first = (conn.scalar(select(Evaluation.id).order_by(Evaluation.id.desc()).limit(1)) or 0) + 1
    rows = []
    last_ended = None
    for p in _periods(today):
        if p.kind == "month" and p.end < today and last_ended is None:
            last_ended = p
    for unit_id, head_id in head_of.items():
        for p in _periods(today):
            state = "open" if p.end >= today else ("proposed" if p == last_ended else "closed")
            rows.append({"id": first + len(rows), "agency_id": agency_id, "unit_id": unit_id, "kind": p.kind,
                         "year": p.year, "number": p.number, "starts_on": p.start, "ends_on": p.end, "version": 1,
                         "current": True, "state": state, "scheme_id": scheme_id, "reopen_reason": None,
                         "previous_id": None, "snapshot": None, "created_by_id": head_id, "created_at": created,
                         "closed_at": created if state == "closed" else None})
    ctx.insert(Evaluation, rows)
    # every member's mark on the closed and proposed sheets, on the server
    m = EvaluationMark.__table__
    quality = 60 + (cast(User.id, Integer) * 7 + cast(Evaluation.id, Integer) * 3) % 41
    src = (select(Evaluation.id, User.id, quality, literal("Hoàn thành nhiệm vụ được giao."), Evaluation.created_by_id,
                  literal(created))
           .join(User, User.unit_id == Evaluation.unit_id)
           .where(Evaluation.state != "open", Evaluation.id >= first, User.active.is_(True)))
    conn.execute(m.insert().from_select(["evaluation_id", "user_id", "quality", "head_comment", "updated_by_id",
                                         "updated_at"], src))
    marks = conn.scalar(select(text("count(*)")).select_from(m))
    ctx.counts["evaluation_marks"] = marks
    return {"evaluations": len(rows), "evaluation_marks": marks}
