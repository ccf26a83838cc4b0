"""The demo's evaluations: quarter I/2022 of Phòng BTXH closed with its frozen figures, June open."""
from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.models import Evaluation
from tests.conftest import login


def test_demo_has_a_closed_quarter_and_an_open_month(app, client):
    with app.app_context():
        app.config["PORTAL_TODAY"] = "2022-06-10"
        load_demo(reset=True)
        sheets = db.session.scalars(select(Evaluation).order_by(Evaluation.id)).all()
        assert [(e.kind, e.number, e.state) for e in sheets] == [("quarter", 1, "closed"), ("month", 6, "open")]
        q1 = {p["name"]: p for p in sheets[0].snapshot["people"]}
        nam = q1["Vi Văn Nam"]
        assert (nam["figures"]["assigned"], nam["figures"]["on_time"], nam["figures"]["late"],
                nam["figures"]["late_days"], nam["figures"]["returned"]) == (3, 2, 1, 3, 1)
        assert nam["quality"] == 88 and nam["person_comment"]
        assert q1["Đinh Thị Lan"]["roles"]["lead"]["assigned"] == 4
        login(client, "tp_btxh", "Demo@2022")
        page = client.get(f"/evaluations/{sheets[1].id}").get_data(as_text=True)
        assert "Tháng 06/2022" in page and "Vi Văn Nam" in page
        login(client, "cv_btxh", "Demo@2022")
        assert client.get(f"/evaluations/{sheets[0].id}/people/{nam['user_id']}").status_code == 200
        assert client.get(f"/evaluations/{sheets[0].id}").status_code == 403
