from decimal import Decimal

from sqlalchemy import func, select

from app.catalog import demo as catalog_demo
from app.catalog.services import catalog_counts
from app.clock import today
from app.domain.formatting import vn_percent
from app.extensions import db
from app.models import Plan, Procedure
from app.reviews import demo as review_demo
from app.reviews.services import review_totals


def test_demo_catalog_reproduces_seed_001(world):
    catalog_demo.load(today())
    c = catalog_counts()
    assert (c["published"], c["one_stop"], c["interconnected"], c["postal"], c["online_total"]) == (109, 56, 33, 98, 109)
    assert c["online_full"] == 47 and c["online_partial"] == 62 and c["central"] == 109
    assert sum(c["by_level"].values()) == 109 and c["by_level"]["Cấp xã"] >= 3
    assert c["internal"] == 5
    catalog_demo.load(today())  # idempotent
    assert db.session.scalar(select(func.count(Procedure.id))) == 115


def test_demo_review_reproduces_19_of_32(world):
    review_demo.load(today())
    plan = db.session.scalar(select(Plan).where(Plan.number == "19/KH-SLĐTBXH"))
    t = review_totals(plan_id=plan.id)
    assert (t.reviewed, t.days_current, t.days_cut) == (2, 32, 19)
    assert vn_percent(t.cut_ratio) == "59,38 %"
    assert t.proposals["amend"] == 2
    # The 02/2017 review is still a draft: counted only when asked for everything.
    everything = review_totals(plan_id=plan.id, accepted_only=False)
    assert everything.reviewed == 9 and everything.cost_before == Decimal(16 * 25000 + 50000) * 12
    assert review_totals(plan_id=plan.id, unit_id=world.div_b.id).reviewed == 0
    from datetime import date
    assert review_totals(start=date(2022, 4, 1), end=date(2022, 5, 1)).reviewed == 0
    assert review_totals(start=date(2022, 3, 1), end=date(2022, 3, 31)).reviewed == 2
    # Seed 003: the internal procedures' review meets both 20 % targets.
    internal = db.session.scalar(select(Plan).where(Plan.kind == "internal"))
    assert review_totals(plan_id=internal.id).reviewed == 0  # not accepted yet: not in the report
    t = review_totals(plan_id=internal.id, accepted_only=False)
    assert (t.cost_before, t.cost_after, t.cost_saving) == (15_600_000, 9_400_000, 6_200_000)
    assert vn_percent(t.cost_ratio) == "39,74 %" and (t.simplified, t.reviewed) == (2, 5)
    assert t.proposals == {"keep": 3, "amend": 1, "replace": 0, "abolish": 1}


def test_full_demo_with_core_plan(ctx, client):
    from app.demo import load_demo
    from app.models import ProcedureReview, Task
    from tests.conftest import login
    load_demo(reset=True)
    plan = db.session.scalar(select(Plan).where(Plan.number == "19/KH-SLĐTBXH"))
    # The core plan was reused (the other one is the internal procedures' plan).
    assert db.session.scalar(select(func.count(Plan.id)).where(Plan.number == "19/KH-SLĐTBXH")) == 1
    t = review_totals(plan_id=plan.id)
    assert (t.days_cut, t.days_current) == (19, 32) and vn_percent(t.cut_ratio) == "59,38 %"
    per_task = dict(db.session.execute(select(Task.lead_unit_id, func.count(ProcedureReview.id))
                                       .join(ProcedureReview, ProcedureReview.task_id == Task.id)
                                       .group_by(Task.lead_unit_id)).all())
    assert sum(per_task.values()) == 14 and len(per_task) >= 3
    login(client, "vanphong", "Demo@2022")
    body = client.get(f"/reviews/plan/{plan.id}?accepted=1").get_data(as_text=True)
    assert "59,38 % · chỉ tiêu ≥ 30 % · Đạt" in body
    assert client.get("/catalog/").status_code == 200
