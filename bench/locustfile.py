"""Quarter-end load mix for locust (bench/load-test.sh runs it; see its header).

Users log in like a browser (the login form's CSRF token, then the session cookie) with the
fixed gen-data accounts (app/ops/gendata.py ACCOUNTS, password Bench@2022) and think 0,5–1,5 s
between requests:

- staff (cv_btxh): home, their task list, a task page, and saving the result of one of their
  draft tasks (POST with the CSRF token and version taken from the task page);
- heads (tp_btxh): home, the unit's list waiting for approval, task pages;
- office (vanphong): overdue list, dashboard, the quarterly report being consolidated
  (/reports/<id>, the figures and sections of every unit), the task list;
- downloaders (LOAD_DOWNLOADERS of the users): the largest plan's tracker XLSX, the dashboard
  XLSX and the report DOCX in turn, as the heads and the office do at quarter end.

Environment: LOAD_USERS (total users), LOAD_DOWNLOADERS (how many of them download; 0 for the
idle mix), PLAN_ID and REPORT_ID (the largest plan and the latest report; found from the
pages when unset), LOAD_PASSWORD, LOAD_LOG (a file receiving every request's name, time and
outcome, which bench/load_table.py turns into the side-by-side table).
"""
from __future__ import annotations

import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Bench@2022")
USERS = int(os.environ.get("LOAD_USERS", "15"))
DOWNLOADERS = int(os.environ.get("LOAD_DOWNLOADERS", "0"))
BROWSERS = USERS - DOWNLOADERS
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="([^"]*)"')
TASK_LINK = re.compile(r'href="/tasks/(\d+)"')
JOB_LINK = re.compile(r'id="job-(\d+)"')


LOG = os.environ.get("LOAD_LOG", "")  # every request (name, ms, ok) for bench/load_table.py
_log: list[str] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **_kw):
    _log.append(f"{name}\t{response_time:.1f}\t{0 if exception else 1}\n")


@events.quitting.add_listener
def _write(**_kw):
    if LOG:
        with open(LOG, "w", encoding="utf-8") as out:
            out.writelines(_log)


def _share(part: float) -> int:
    """This role's number of the browsing users (staff 2/5, heads 1/3, office the rest)."""
    return max(1, round(BROWSERS * part)) if BROWSERS else 0


class Portal(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self) -> None:
        r = self.client.get("/login", name="login form")
        token = CSRF.search(r.text)
        r = self.client.post("/login", name="login", allow_redirects=False, data={
            "csrf_token": token.group(1) if token else "", "username": self.username, "password": PASSWORD})
        if r.status_code != 302:
            raise RuntimeError(f"login as {self.username} answered {r.status_code}")
        self.tasks_seen: list[int] = []

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return ""
            ids = TASK_LINK.findall(r.text)
            if ids:
                self.tasks_seen = [int(i) for i in ids[:25]]
            return r.text

    def a_task(self) -> int | None:
        return random.choice(self.tasks_seen) if self.tasks_seen else None


class Staff(Portal):
    fixed_count = _share(0.4)
    username = "cv_btxh"

    @task(3)
    def home(self):
        self.page("/", "home (staff)")

    @task(3)
    def my_tasks(self):
        self.page("/tasks/?mine=1&year=", "tasks (staff)")

    @task(3)
    def task_page(self):
        if (tid := self.a_task()) is not None:
            self.page(f"/tasks/{tid}", "task page")

    @task(2)
    def save_result(self):
        """Save the draft result of one of my tasks still in draft, as the form does."""
        body = self.page("/tasks/?mine=1&state=draft&year=", "tasks (staff, draft)")
        ids = TASK_LINK.findall(body)
        if not ids:
            return
        tid = random.choice(ids[:25])
        body = self.page(f"/tasks/{tid}", "task page")
        token, version = CSRF.search(body), VERSION.search(body)
        if token is None or version is None or 'id="result-form"' not in body:
            return  # not editable by me (assigned to a colleague)
        with self.client.post(f"/tasks/{tid}/result", name="save result (POST)", catch_response=True, data={
                "csrf_token": token.group(1), "version": version.group(1),
                "result_text": f"Đã rà soát {random.randint(3, 120)} TTHC; kết quả kèm theo."}) as r:
            # 409: a colleague (another simulated session of the same account) saved the same
            # draft in between: the portal refuses to overwrite it, as it must.
            if r.status_code in (200, 409):
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}")


class Head(Portal):
    fixed_count = _share(1 / 3)
    username = "tp_btxh"

    @task(3)
    def home(self):
        self.page("/", "home (head)")

    @task(3)
    def to_approve(self):
        self.page("/tasks/?state=submitted&year=", "tasks (head, to approve)")

    @task(3)
    def task_page(self):
        if (tid := self.a_task()) is not None:
            self.page(f"/tasks/{tid}", "task page")


def _report_id(user: Portal) -> str:
    rid = os.environ.get("REPORT_ID")
    if not rid:
        m = re.search(r'href="/reports/(\d+)"', user.page("/reports/", "reports (office)"))
        rid = m.group(1) if m else ""
    return rid


class Office(Portal):
    fixed_count = max(0, BROWSERS - _share(0.4) - _share(1 / 3))
    username = "vanphong"

    def on_start(self) -> None:
        super().on_start()
        self.report_id = _report_id(self)

    @task(3)
    def overdue(self):
        self.page("/overdue", "overdue (office)")

    @task(2)
    def dashboard(self):
        self.page("/dashboard/", "dashboard (office)")

    @task(2)
    def consolidation(self):
        if self.report_id:
            self.page(f"/reports/{self.report_id}", "report consolidation (office)")

    @task(2)
    def task_list(self):
        self.page("/tasks/", "tasks (office)")


class Downloader(Portal):
    fixed_count = DOWNLOADERS
    username = "vanphong"

    def on_start(self) -> None:
        super().on_start()
        self.report_id = _report_id(self)
        self.plan_id = os.environ.get("PLAN_ID") or ""
        if not self.plan_id:
            m = re.search(r'href="/plans/(\d+)"', self.page("/plans/", "plans (office)"))
            self.plan_id = m.group(1) if m else ""

    def download(self, path: str, name: str) -> None:
        """The export cache answers a ready file at once; otherwise a page with the job's progress
        bar: follow it as the browser does (poll the job each second, then fetch its file), so a
        download is measured until the user has the file."""
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200 or not r.content:
                r.failure(f"HTTP {r.status_code}")
                return
            html = r.headers.get("Content-Type", "").startswith("text/html")
            job = JOB_LINK.search(r.text) if html else None
            if html and not job:
                r.failure("neither a file nor a job")
                return
        if job is None:
            return
        job_id = job.group(1)
        for _ in range(120):
            with self.client.get(f"/jobs/{job_id}", name="download: job progress (poll)", catch_response=True) as p:
                if p.status_code != 200:
                    p.failure(f"HTTP {p.status_code}")
                    return
                if f"/jobs/{job_id}/file" in p.text:
                    break
                if 'data-job-state="failed"' in p.text:
                    p.failure("job failed")
                    return
            time.sleep(1)
        with self.client.get(f"/jobs/{job_id}/file", name=f"{name} (built file)", catch_response=True) as f:
            if f.status_code != 200 or not f.content:
                f.failure(f"HTTP {f.status_code}")

    @task(2)
    def tracker(self):
        if self.plan_id:
            self.download(f"/plans/{self.plan_id}/tracker.xlsx", "download: plan tracker XLSX")

    @task(1)
    def dashboard_xlsx(self):
        self.download("/dashboard/all.xlsx", "download: dashboard XLSX")

    @task(1)
    def report_docx(self):
        if self.report_id:
            self.download(f"/reports/{self.report_id}/report.docx", "download: report DOCX")
