"""Shared builders for report tests: the demo units that carry figures and seed 001's report."""
from app.extensions import db
from app.reports import demo
from tests.conftest import make_unit


def demo_units(world):
    """Give the world's divisions the demo codes and add the other units of seed 001's figures."""
    world.leader.full_name = "Phạm Đức Huân"
    for code, order in (("NCC", 5), ("TNXH", 6), ("TTDVVL", 7)):
        make_unit(f"Đơn vị {code}", code, "division" if code != "TTDVVL" else "affiliate", order)
    db.session.commit()


def issued_demo(world, today):
    demo_units(world)
    demo.load(today)
    return demo.demo_report()
