from app.demo import DEMO_PASSWORD, load_demo
from app.extensions import db
from app.models import Plan, Submission, Task


def test_demo_loads_seed_000(app, client):
    with app.app_context():
        accounts = load_demo(reset=True)
        plan = db.session.scalar(db.select(Plan).where(Plan.number == "19/KH-SLĐTBXH"))
        assert plan.state == "issued"
        dues = {t.due_on.isoformat() for t in db.session.scalars(db.select(Task).where(Task.plan_id == plan.id)) if t.due_on}
        assert {"2022-04-05", "2022-05-31", "2022-06-15", "2022-04-29", "2022-06-30"} <= dues
        states = set(db.session.scalars(db.select(Submission.state)))
        assert {"draft", "submitted", "approved", "returned", "accepted"} <= states
        roles = {r for _, r, _ in accounts["users"]}
        from app.models.org import AGENCY_ROLES, ROLES
        # every role, and the province's and the communes' as those agencies name them
        assert set(ROLES.values()) <= roles
        assert {AGENCY_ROLES[("province", "office")], AGENCY_ROLES[("commune", "leader")]} <= roles
    for username, _, _ in accounts["users"]:
        client.post("/logout")
        r = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, username
        assert client.get("/").status_code == 200
