"""The adapters to the catalog and review features: used when present, fallback otherwise."""
import sys
import types
from dataclasses import dataclass
from decimal import Decimal

from app.domain.periods import make_period
from app.reports import sources


@dataclass
class ReviewTotals:
    reviewed: int
    days_current: Decimal
    days_proposed: Decimal
    days_cut: Decimal
    cut_ratio: Decimal
    proposals: dict
    cost_before: Decimal
    cost_after: Decimal
    cost_saving: Decimal
    cost_ratio: Decimal | None


def _fake(monkeypatch, name, **functions):
    pkg, mod = types.ModuleType(f"app.{name}"), types.ModuleType(f"app.{name}.services")
    for k, f in functions.items():
        setattr(mod, k, f)
    monkeypatch.setitem(sys.modules, f"app.{name}", pkg)
    monkeypatch.setitem(sys.modules, f"app.{name}.services", mod)


def test_uses_the_catalog_and_review_services_when_merged(ctx, monkeypatch):
    calls = {}

    def review_totals(plan_id=None, unit_id=None, start=None, end=None, accepted_only=True):
        calls.update(plan_id=plan_id, start=start, end=end, accepted_only=accepted_only)
        return ReviewTotals(2, Decimal(32), Decimal(13), Decimal(19), Decimal("0.59375"),
                            {"keep": 0, "amend": 2, "replace": 0, "abolish": 0},
                            Decimal(1000), Decimal(600), Decimal(400), None)

    _fake(monkeypatch, "catalog", catalog_counts=lambda unit_id=None: {
        "published": 109, "one_stop": 56, "central": 109, "by_level": {"tỉnh": 100}})
    _fake(monkeypatch, "reviews", review_totals=review_totals)
    c = sources.catalog_counts()
    assert (c["published"], c["one_stop"], c["local"], c["by_level"]) == (109, 56, 0, {"tỉnh": 100})
    q2 = make_period("quarter", 2022, 2)
    r = sources.review_totals(q2, plan_id=7)
    assert calls == {"plan_id": 7, "start": q2.start, "end": q2.end, "accepted_only": True}
    # Issue 14: a ratio of a zero whole stays unknown (shown "—"), it used to become 0 (%).
    assert (r["reviewed"], r["days_cut"], r["cut_ratio"], r["cost_ratio"]) == (2, 19.0, 0.59375, None)
    assert r["proposals"]["amend"] == 2


def test_fallback_without_the_features(ctx, monkeypatch):
    from app.extensions import db
    from app.models import Procedure
    for name in ("app.catalog.services", "app.reviews.services"):
        monkeypatch.setitem(sys.modules, name, None)  # importing it raises ImportError
    db.session.add(Procedure(code="1.1", name="A", postal=True, online_service="partial"))
    db.session.commit()
    r = sources.review_totals(make_period("quarter", 2022, 2))
    assert r["reviewed"] == 0 and r["proposals"] == {"keep": 0, "amend": 0, "replace": 0, "abolish": 0}
    c = sources.catalog_counts()
    assert (c["published"], c["postal"], c["online_total"], c["online_partial"]) == (1, 1, 1, 1)
