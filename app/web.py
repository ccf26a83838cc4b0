"""Web plumbing shared by every feature: page-or-fragment rendering, htmx redirects,
Jinja filters, security headers and pagination."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, make_response, redirect, request, url_for
from flask_htmx import make_response as htmx_response
from jinja2_fragments.flask import render_block
from flask import render_template

from app.domain import formatting as fmt
from app.domain import workflow as wf
from app.extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that targets part of the page (not hx-boost navigation or history restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request and bool(htmx.target)


def page(template: str, block: str | None = None, status: int = 200, **ctx: Any):
    """Render the whole page, or only `block` of the same template for an htmx request."""
    if block and wants_fragment():
        body = render_block(template, block, **ctx)
    else:
        body = render_template(template, **ctx)
    resp = make_response(body, status)
    resp.headers["Vary"] = "HX-Request, HX-Target"
    return resp


def go(endpoint_or_url: str, **values: Any):
    """Redirect after a POST: 302 for a plain request, 200 + HX-Redirect for htmx (which ignores 3xx)."""
    url = endpoint_or_url if endpoint_or_url.startswith("/") else url_for(endpoint_or_url, **values)
    if htmx:
        return htmx_response(redirect=url)
    return redirect(url)


def session_lost(reason: str):
    """The one answer to a request whose session is gone: the login expired ("login") or the
    form's CSRF token no longer matches the session ("csrf").

    An htmx request gets nothing to swap (401 for the login; 400 and HX-Reswap: none for the
    token, still the CSRF refusal), marked X-Session-Lost, so the form and what was typed stay
    on the page; static/js/app.js then asks for the password in a dialog (or only fetches a
    fresh token), and sends the same request again. For a plain request it returns None: the caller
    answers as before (the login page, or the CSRF error page)."""
    if htmx:
        if reason == "login" and htmx.boosted and request.method == "GET":
            # A boosted link is a page change with nothing typed at stake: go to the login page.
            return htmx_response(redirect=url_for("auth.login", next=request.full_path.rstrip("?")))
        if reason == "csrf":
            resp = make_response("Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật.", 400)
        else:
            resp = make_response("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.", 401)
        resp.headers["X-Session-Lost"] = reason
        resp.headers["HX-Reswap"] = "none"
        resp.headers["Cache-Control"] = "no-store"
        return resp
    return None


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return fallback
    return target


@dataclass
class Pager:
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments replaced (for pagination and filters)."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        vn_number=fmt.vn_number,
        vn_percent=fmt.vn_percent,
        vn_date=fmt.vn_date,
        vn_datetime=fmt.vn_datetime,
    )
    app.jinja_env.globals.update(
        url_with=url_with,
        plan_state_label=wf.PLAN.label,
        submission_state_label=wf.SUBMISSION.label,
        standing_return=lambda kind, events: wf.standing_return(wf.WORKFLOWS[kind], events),
    )

    from app.navigation import nav_items, work_counters
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["work_counters"] = work_counters
    app.jinja_env.globals["state_tone"] = wf.tone
    from app.domain import files
    app.jinja_env.globals["file_icon_class"] = files.icon_class
    app.jinja_env.filters["file_size"] = files.size_text

    @app.before_request
    def keep_session_expiring():
        from flask import session
        session.permanent = True  # PERMANENT_SESSION_LIFETIME applies

    @app.after_request
    def security_headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        # htmx 2 injects its indicator style unless htmx.config.includeIndicatorStyles is off
        # (set in base.html's meta), so style-src can stay 'self'.
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
        return resp
