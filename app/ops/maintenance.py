"""Maintenance state: while `flask restore` (or another bulk operation) rewrites the database,
every request except static files is answered at once with a Vietnamese page, HTTP 503 and
Retry-After, instead of queueing behind the restore's table locks until the worker is killed.

The state is a small JSON file (`MAINTENANCE_FILE`, default `instance/maintenance.json`; on
several app servers put it on the shared storage, like UPLOAD_FOLDER). Checking it costs one
stat() per request and no SQL. `maintenance(path, ...)` sets it and always removes it, also when
the operation fails.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_RETRY_AFTER = 120  # seconds


def read(path: str | os.PathLike) -> dict | None:
    """The maintenance state, or None when the portal is in service."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return {"retry_after": DEFAULT_RETRY_AFTER}
    try:
        state = json.loads(raw)
    except ValueError:
        state = {}
    return state if isinstance(state, dict) else {}


@contextmanager
def maintenance(path: str | os.PathLike, reason: str, retry_after: int = DEFAULT_RETRY_AFTER) -> Iterator[None]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"reason": reason, "retry_after": int(retry_after), "pid": os.getpid(),
                               "since": datetime.now(timezone.utc).isoformat(timespec="seconds")},
                              ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # atomic: a request never reads half a file
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def register(app) -> None:
    """The before_request hook; registered first so no other hook touches the database."""
    from flask import render_template, request

    @app.before_request
    def in_maintenance():
        if request.endpoint == "static":
            return None
        state = read(app.config["MAINTENANCE_FILE"])
        if state is None:
            return None
        request.environ["portal.audited"] = True  # no audit row (nor user loading) now
        retry = int(state.get("retry_after") or DEFAULT_RETRY_AFTER)
        body = render_template("errors/maintenance.html", reason=state.get("reason") or "", retry=retry)
        return body, 503, {"Retry-After": str(retry), "Cache-Control": "no-store"}
