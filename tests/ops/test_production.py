"""Production run: refuses the default secret, secure cookies, proxy headers, and
scripts/serve.sh really serving with gunicorn, logging to stdout."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app import create_app

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if k not in ("SECRET_KEY", "PORTAL_ENV", "SESSION_COOKIE_SECURE", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=60)


def test_production_refuses_default_secret():
    r = _python("import wsgi", PORTAL_ENV="production")
    assert r.returncode != 0
    assert "SECRET_KEY must be set in production" in r.stderr


def test_production_turns_secure_cookies_on():
    code = "import wsgi; c = wsgi.app.config; print(c['SESSION_COOKIE_SECURE'], c['REMEMBER_COOKIE_SECURE'], c['SESSION_COOKIE_HTTPONLY'], c['SESSION_COOKIE_SAMESITE'])"
    r = _python(code, PORTAL_ENV="production", SECRET_KEY="x" * 40)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "True", "True", "Lax"]
    r = _python(code, SECRET_KEY="x" * 40)  # development stays on plain http
    assert r.stdout.split()[0] == "False"


def test_secure_cookie_and_hsts_on_responses(tmp_path):
    app = create_app("config.TestConfig", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}", "SECRET_KEY": "k" * 40,
        "SESSION_COOKIE_SECURE": True, "ENV_NAME": "production"})
    r = app.test_client().get("/login")
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


def test_proxy_hops_gives_the_client_address(tmp_path):
    app = create_app("config.TestConfig", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}", "PROXY_HOPS": 1})
    seen = {}

    @app.get("/_addr")
    def addr():
        from flask import request
        seen["ip"], seen["scheme"] = request.remote_addr, request.scheme
        return "ok"

    app.test_client().get("/_addr", headers={"X-Forwarded-For": "10.1.2.3",
                                              "X-Forwarded-Proto": "https"},
                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == {"ip": "10.1.2.3", "scheme": "https"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_script_requires_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(VENV=str(Path(sys.executable).parent.parent), DATABASE_URL="sqlite:////tmp/x.sqlite")
    r = subprocess.run(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=30)
    assert r.returncode != 0 and "SECRET_KEY must be set" in r.stderr


def test_serve_script_runs_gunicorn_with_headers_and_stdout_logs(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_TODAY",)}
    env.update(VENV=str(Path(sys.executable).parent.parent), SECRET_KEY="s" * 40,
               DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite'}", WORKERS="2",
               BIND=f"127.0.0.1:{port}", UPLOAD_FOLDER=str(tmp_path / "uploads"))
    proc = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body, headers, status = r.read().decode(), r.headers, r.status
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("gunicorn did not answer")
                time.sleep(0.3)
        assert status == 200 and "Đăng nhập" in body
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "Secure" in headers["Set-Cookie"]
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert '"GET /login HTTP/1.1" 200' in out  # access log on stdout
    assert "Booting worker" in out            # gunicorn's own log on stdout too


def test_postgresql_sessions_run_without_jit_and_with_custom_plans(app):
    """Short OLTP queries must not pay PostgreSQL's JIT compilation nor run on generic plans
    of prepared statements (see app/ops/production.py)."""
    from sqlalchemy import text

    from app.extensions import db
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only")
        assert db.session.scalar(text("SHOW jit")) == "off"
        assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
