"""Test fixtures: the app built on a migrated database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), emptied after every test, and a small world of units and users
in every role, in two divisions, so every test can ask "and the other unit?"."""
from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.ops.dbutil import empty_tables
from app.models import Agency, Unit, User

PASSWORD = "Matkhau@2022"
TODAY = "2022-05-20"


def _prepare_database(url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("portal")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{base / 'test.sqlite'}"
    _prepare_database(url)
    app = create_app("config.TestConfig", {
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_FOLDER": str(base / "uploads"),
        "MAINTENANCE_FILE": str(base / "maintenance.json"),
        "STORAGE_FOLDER": str(base / "storage"),  # job files (issued PDFs, the export cache)
        "PORTAL_TODAY": TODAY,
        "WTF_CSRF_ENABLED": False,  # tests/security turn it on to prove it is enforced
    })
    with app.app_context():
        upgrade(revision="heads")  # the real migrations, never create_all
        with db.engine.begin() as conn:  # the first test starts empty too (0010 seeds one agency)
            empty_tables(conn, db.metadata.sorted_tables)
    yield app


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            empty_tables(conn, db.metadata.sorted_tables)
    app.config["PORTAL_TODAY"] = TODAY
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class World:
    leadership: Unit
    office: Unit
    div_a: Unit
    div_b: Unit
    local: Unit
    admin: User
    leader: User
    office_user: User
    head_a: User
    staff_a: User
    staff_a2: User
    head_b: User
    staff_b: User
    local_user: User
    agency: Agency | None = None


def make_agency(name: str = "Sở Lao động - Thương binh và Xã hội tỉnh Lạng Sơn",
                short_name: str = "Sở Lao động – Thương binh và Xã hội", abbreviation: str = "SLĐTBXH",
                kind: str = "department", parent: Agency | None = None, place: str = "Lạng Sơn",
                order: int = 10, header: str | None = "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") -> Agency:
    settings = {"header_name": header, "parent_header": "UBND TỈNH LẠNG SƠN"} if header else {}
    a = Agency(name=name, short_name=short_name, abbreviation=abbreviation, kind=kind, parent=parent,
               place_name=place, sort_order=order, settings=settings)
    db.session.add(a)
    db.session.flush()
    return a


def make_unit(name: str, code: str, kind: str, order: int = 100, agency: Agency | None = None) -> Unit:
    # Without an agency the unit joins the first one (the one-agency world of most tests),
    # made here when a test builds its units without the world.
    if agency is None and db.session.scalar(db.select(Agency.id).limit(1)) is None:
        agency = make_agency()
    u = Unit(name=name, code=code, kind=kind, sort_order=order)
    if agency is not None:
        u.agency_id = agency.id
    db.session.add(u)
    return u


def make_user(username: str, role: str, unit: Unit, full_name: str | None = None,
              title: str | None = None) -> User:
    from werkzeug.security import generate_password_hash
    u = User(username=username, full_name=full_name or username.title(), role=role, unit=unit,
             title=title, password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"),
             email=f"{username}@example.test")
    db.session.add(u)
    return u


@pytest.fixture
def world(ctx) -> World:
    return build_world()


def build_world() -> World:
    """The units and users of the `world` fixture (inside an app context): one agency."""
    agency = make_agency()
    ld = make_unit("Lãnh đạo Sở", "LD", "leadership", 1, agency)
    vp = make_unit("Văn phòng Sở", "VP", "office", 2, agency)
    a = make_unit("Phòng Bảo trợ xã hội – Trẻ em", "BTXH", "division", 3, agency)
    b = make_unit("Phòng Lao động, Việc làm – Bảo hiểm xã hội", "LDVL", "division", 4, agency)
    loc = make_unit("UBND huyện Cao Lộc", "CAOLOC", "local", 10, agency)
    w = World(
        leadership=ld, office=vp, div_a=a, div_b=b, local=loc,
        admin=make_user("admin", "admin", vp, "Quản Trị Viên"),
        leader=make_user("giamdoc", "leader", ld, "Phạm Đức Huân", "Giám đốc"),
        office_user=make_user("vanphong", "office", vp, "Nguyễn Văn Phòng"),
        head_a=make_user("tp_btxh", "head", a, "Trần Trưởng A"),
        staff_a=make_user("cv_btxh", "staff", a, "Lê Chuyên A"),
        staff_a2=make_user("cv_btxh2", "staff", a, "Đỗ Chuyên A2"),
        head_b=make_user("tp_ldvl", "head", b, "Hoàng Trưởng B"),
        staff_b=make_user("cv_ldvl", "staff", b, "Vũ Chuyên B"),
        local_user=make_user("caoloc", "local", loc, "Đầu Mối Cao Lộc"),
        agency=agency,
    )
    db.session.commit()
    return w


def login(client, user_or_name, password: str = PASSWORD):
    name = user_or_name if isinstance(user_or_name, str) else user_or_name.username
    client.post("/logout")
    resp = client.post("/login", data={"username": name, "password": password})
    assert resp.status_code in (200, 302), resp.status_code
    return resp


@pytest.fixture
def as_user(client):
    """as_user(user) logs the test client in as that user and returns the client."""
    def _as(user):
        login(client, user)
        return client
    return _as


# ---- browser tests (real headless Chromium driven by Playwright) ---------------------------

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "headless": True,
            "executable_path": os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"),
            "args": CHROMIUM_ARGS}


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port in a thread, with CSRF on, as in production."""
    import threading

    from werkzeug.serving import make_server

    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["WTF_CSRF_ENABLED"] = False


def browser_login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


# ---- the directory (a real OpenLDAP server, scripts/ldap-up.sh) ------------------------------------

LDAP_SUFFIX = "dc=langson,dc=gov,dc=vn"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def ldap_server(tmp_path_factory):
    """(url, ca_file) of the test directory: the one the README's test command started
    (LDAP_TEST_URL, LDAP_TEST_CA_FILE), else one started here for this run and stopped after."""
    import subprocess
    from pathlib import Path
    if os.environ.get("LDAP_TEST_URL"):
        yield os.environ["LDAP_TEST_URL"], os.environ.get("LDAP_TEST_CA_FILE", "")
        return
    scripts = Path(__file__).resolve().parents[1] / "scripts"
    env = {**os.environ, "LDAPROOT": str(tmp_path_factory.mktemp("ldap") / "slapd"), "LDAP_PORT": str(free_port())}
    out = subprocess.run(["sh", str(scripts / "ldap-up.sh")], env=env, check=True, capture_output=True,
                         text=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    try:
        yield values["LDAP_URL"], values["LDAP_CA_FILE"]
    finally:
        subprocess.run(["sh", str(scripts / "ldap-down.sh")], env=env, check=False)


@pytest.fixture
def directory_on(app, ldap_server):
    """The app configured for the test directory (search-then-bind with StartTLS), restored after."""
    url, ca = ldap_server
    settings = {"LDAP_URL": url, "LDAP_BASE_DN": LDAP_SUFFIX,
                "LDAP_BIND_DN": f"cn=portal-svc,ou=services,{LDAP_SUFFIX}", "LDAP_BIND_PASSWORD": "svc-pass-2022",
                "LDAP_START_TLS": True, "LDAP_CA_FILE": ca, "LDAP_TIMEOUT": 3}
    saved = {k: app.config.get(k) for k in settings}
    app.config.update(settings)
    yield settings
    app.config.update(saved)
