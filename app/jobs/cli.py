"""`flask jobs worker` (an RQ worker running each job inside the app context) and
`flask jobs backup` (the backup as a job)."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup


def register(app: Flask) -> None:
    group = AppGroup("jobs", help="Background jobs (RQ on Redis).")

    @group.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    @click.option("--simple", is_flag=True, help="Run jobs in the worker process itself (no fork).")
    def worker(burst: bool, simple: bool) -> None:
        """Run queued jobs (REDIS_URL, queue JOBS_QUEUE) until stopped."""
        from rq import SimpleWorker, Worker
        from app.jobs import runner, services
        runner.kinds()  # import every kind before forking work horses
        current_app.config["JOBS_FORKED"] = not simple
        cls = SimpleWorker if simple else Worker
        w = cls([services.queue()], connection=services.redis_connection())
        click.echo(f"Worker {w.name}: hàng đợi {current_app.config['JOBS_QUEUE']} trên {current_app.config['REDIS_URL']}")
        w.work(burst=burst, with_scheduler=False, logging_level="INFO")

    @group.command("backup")
    def backup() -> None:
        """Queue a backup into STORAGE_FOLDER/backups (see also `flask backup PATH`)."""
        from app.jobs import services
        job = services.ensure("backup", key=None, user=None, agency_id=None)
        click.echo(f"Việc sao lưu #{job.id}: {job.state_label}"
                   + (f" → {job.result_path}" if job.result_path else "")
                   + (f" ({job.error})" if job.error else ""))

    app.cli.add_command(group)
