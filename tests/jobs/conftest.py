"""A real Redis and a real `flask jobs worker` subprocess for the tests that go through the
queue: Redis from REDIS_TEST_URL (scripts/test.sh starts one), else a throwaway redis-server
started here on a free loopback port; the worker runs against the test database."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ping(url: str) -> bool:
    from redis import Redis
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_TEST_URL")
    if url:
        assert _ping(url), f"REDIS_TEST_URL {url} does not answer"
        yield url
        return
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    assert os.path.exists(server), "redis-server is missing: scripts/test.sh installs it (apt)"
    port = _free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            if _ping(url):
                break
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def worker(app, redis_url, tmp_path):
    """`flask jobs worker` in a subprocess on the test database and storage; the app enqueues
    through Redis (not eager) while it runs. Yields the worker's log path."""
    from redis import Redis
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    Redis.from_url(redis_url).flushdb()
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": redis_url, "JOBS_QUEUE": queue, "STORAGE_FOLDER": app.config["STORAGE_FOLDER"],
           "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "PORTAL_TODAY": app.config["PORTAL_TODAY"],
           "ISSUED_PDF": "1", "PYTHONUNBUFFERED": "1"}
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "worker"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    saved = {k: app.config[k] for k in ("JOBS_EAGER", "REDIS_URL", "JOBS_QUEUE")}
    app.config.update(JOBS_EAGER=False, REDIS_URL=redis_url, JOBS_QUEUE=queue)
    try:
        deadline = time.monotonic() + 30
        while b"Worker" not in log.read_bytes() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text(errors="replace")
            time.sleep(0.1)
        yield log
    finally:
        app.config.update(saved)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for(job_id: int, timeout: float = 120, log: Path | None = None):
    """Poll the jobs table (as the progress bar does) until the job is done or failed."""
    from app.extensions import db
    from app.models import Job
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job.state in ("done", "failed"):
            return job
        db.session.rollback()
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job.state}" + (f"\n{log.read_text(errors='replace')}" if log else ""))
