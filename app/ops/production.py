"""Production plumbing applied by create_app() (before the database is bound): trusted
proxy headers, HSTS, PostgreSQL session settings."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def apply(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Measured on gen-data province (200 000 tasks):
        # - JIT compiles every query whose cost estimate is high (lists filtered by unit) for
        #   hundreds of milliseconds each time: a unit's task list 1,1 s with JIT, 0,4 s without;
        # - psycopg prepares a statement after its 5th run, and PostgreSQL then switches to a
        #   generic plan that ignores which unit is asked for: a head's home page went from
        #   0,25 s to 0,8-1,0 s from the 5th request on. Custom plans keep it at 0,25 s.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", "-c jit=off -c plan_cache_mode=force_custom_plan")
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # Trust exactly `hops` proxies' X-Forwarded-For/-Proto/-Host, so request.remote_addr
        # (the login rate limit's key) and https URLs are the client's, not the balancer's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    if app.config.get("SESSION_COOKIE_SECURE"):
        @app.after_request
        def strict_transport(resp):
            resp.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            return resp
