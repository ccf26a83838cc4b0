"""Migration 0010_fid_forms on a database with data: fee amounts read from the words entries
already hold, and the way back."""
from datetime import datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db


def test_upgrade_reads_existing_fees_and_downgrade_drops_the_columns(tmp_path):
    app = create_app("config.TestConfig", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}",
                                           "UPLOAD_FOLDER": str(tmp_path / "up")})
    with app.app_context():
        upgrade(revision="0009_unit_tasks")
        now = datetime(2026, 1, 1)
        for code, fees in (("1", "50.000 đồng/hồ sơ"), ("2", "Không"), ("3", "Cấp mới 10.000 đồng; cấp lại 5.000 đồng"),
                           ("4", None)):
            db.session.execute(text(
                "INSERT INTO procedures (code, name, name_folded, fees, one_stop, interconnected, postal, "
                "online_service, internal, status, created_at, updated_at) VALUES (:c, 'T', 't', :f, 0, 0, 0, '', 0, "
                "'active', :n, :n)"), {"c": code, "f": fees, "n": now})
        db.session.commit()
        upgrade(revision="0010_fid_forms")
        rows = dict(db.session.execute(text("SELECT code, fee_amount FROM procedures")).all())
        assert {k: (int(v) if v is not None else None) for k, v in rows.items()} == \
            {"1": 50000, "2": 0, "3": None, "4": None}
        assert db.session.execute(text("SELECT fees FROM procedures WHERE code = '1'")).scalar() == \
            "50.000 đồng/hồ sơ"
        db.session.commit()
        downgrade(revision="0009_unit_tasks")
        cols = {r[1] for r in db.session.execute(text("PRAGMA table_info(procedures)"))}
        assert "fee_amount" not in cols and "agency" not in cols
        db.session.remove()
        db.engine.dispose()
