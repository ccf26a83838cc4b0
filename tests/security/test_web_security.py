"""Web security: headers everywhere, CSRF on every POST route (htmx included), no session
fixation, no open redirect after login."""
from __future__ import annotations

import re

import pytest
from flask import g

from tests.conftest import PASSWORD


def _switch():
    """Tests run inside one app context (the `ctx` fixture), so `g` outlives a request: it
    would carry flask-login's user and Flask-WTF's token from one request to the next. In
    production every request has its own `g`; do the same here."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def _token(html: str) -> str:
    m = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert m, "no CSRF token on the page"
    return m.group(1)


def _login_with_csrf(client, username: str):
    token = _token(client.get("/login").get_data(as_text=True))
    _switch()
    return client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": token})


# ---- headers -----------------------------------------------------------------------------

@pytest.mark.parametrize("path,status", [("/login", 200), ("/", 302), ("/khong-co-trang-nay", 404),
                                         ("/static/css/app.css", 200)])
def test_security_headers_on_every_kind_of_response(client, world, path, status):
    r = client.get(path)
    assert r.status_code == status
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style_in_pages(as_user, world):
    client = as_user(world.office_user)
    for path in ("/", "/notifications/", "/account/password"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and "hx-on" not in html, path


# ---- CSRF --------------------------------------------------------------------------------

def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            yield rule


def test_every_post_route_refuses_a_request_without_csrf_token(app, client, world):
    """Generated from the route list: a new POST route is covered the day it is added."""
    app.config["WTF_CSRF_ENABLED"] = True
    _login_with_csrf(client, "vanphong")
    rules = list(_post_rules(app))
    assert len(rules) >= 4
    for rule in rules:
        url = rule.build({a: 1 for a in rule.arguments}, append_unknown=False)[1]
        for headers in ({}, {"HX-Request": "true"}):
            r = client.post(url, data={"x": "1"}, headers=headers)
            assert r.status_code == 400, (rule.rule, headers, r.status_code)
            assert "mã bảo mật" in r.get_data(as_text=True), rule.rule


def test_htmx_post_with_header_token_is_accepted_and_without_refused(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    assert _login_with_csrf(client, "cv_btxh").status_code == 302
    _switch()
    page = client.get("/").get_data(as_text=True)
    _switch()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    htmx = {"HX-Request": "true", "HX-Target": "main"}
    r = client.post("/notifications/read-all", headers={**htmx, "X-CSRFToken": token})
    assert r.status_code == 200 and r.headers["HX-Redirect"] == "/notifications/"
    r = client.post("/notifications/read-all", headers=htmx)
    assert r.status_code == 400
    r = client.post("/notifications/read-all", headers={**htmx, "X-CSRFToken": "forged." + token[7:]})
    assert r.status_code == 400


def test_token_of_another_session_is_refused(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    a, b = app.test_client(), app.test_client()
    _login_with_csrf(a, "cv_btxh")
    _switch()
    _login_with_csrf(b, "cv_ldvl")
    _switch()
    token_a = _token(a.get("/").get_data(as_text=True))
    _switch()
    assert b.post("/notifications/read-all", headers={"X-CSRFToken": token_a}).status_code == 400


# ---- session fixation --------------------------------------------------------------------

def test_login_starts_a_fresh_session(client, world):
    client.get("/login")
    with client.session_transaction() as s:
        s["planted"] = "attacker"  # whatever a fixed pre-login session carried
    before = client.get_cookie("session").value
    assert client.post("/login", data={"username": "cv_btxh", "password": PASSWORD}).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as s:
        assert "planted" not in s and s.get("_user_id") == str(world.staff_a.id)


def test_pre_login_cookie_gives_no_access_after_victim_logs_in(app, world):
    attacker, victim = app.test_client(), app.test_client()
    attacker.get("/login")
    fixed = attacker.get_cookie("session").value
    victim.set_cookie("session", fixed)  # attacker planted their cookie in the victim's browser
    victim.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    _switch()
    assert attacker.get("/").status_code == 302  # the attacker's copy is still anonymous


def test_logout_clears_the_session(client, world):
    client.post("/login", data={"username": "cv_btxh", "password": PASSWORD})
    client.post("/logout")
    with client.session_transaction() as s:
        assert "_user_id" not in s
    assert client.get("/").status_code == 302


# ---- open redirect -----------------------------------------------------------------------

EVIL_NEXT = ["https://evil.example/x", "//evil.example", "///evil.example", "/\\evil.example",
             "\\\\evil.example", "https:evil.example", "javascript:alert(1)", "/\t/evil.example",
             "%2F%2Fevil.example", "http://localhost@evil.example", " //evil.example",
             "data:text/html,<script>alert(1)</script>"]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_next_never_leaves_the_site(client, world, target):
    r = client.post("/login", query_string={"next": target},
                    data={"username": "cv_btxh", "password": PASSWORD})
    assert r.status_code == 302
    loc = r.headers["Location"]
    assert loc.startswith("/") and not loc.startswith("//") and "evil" not in loc and "\\" not in loc
    # Already logged in: /login?next=... redirects at once, with the same rule.
    r = client.get("/login", query_string={"next": target})
    assert r.headers["Location"] == "/"


def test_next_inside_the_site_is_followed(client, world):
    r = client.post("/login?next=/notifications/%3Fpage%3D2",
                    data={"username": "cv_btxh", "password": PASSWORD})
    assert r.headers["Location"] == "/notifications/?page=2"
