"""Production plumbing applied by create_app(): trusted proxy headers and HSTS."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def apply(app: Flask) -> None:
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
