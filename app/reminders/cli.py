"""`flask remind [--date YYYY-MM-DD]`: send today's digests (for cron)."""
from __future__ import annotations

from datetime import date

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("remind")
    @click.option("--date", "on", default=None, help="Ngày nhắc (YYYY-MM-DD), mặc định hôm nay.")
    def remind(on: str | None) -> None:
        """Send each user a digest of tasks due soon and overdue (once a day)."""
        from app.clock import today
        from app.domain.formatting import vn_date
        from app.reminders.services import send_reminders
        day = date.fromisoformat(on) if on else today()
        stats = send_reminders(day)
        click.echo(f"Nhắc việc {vn_date(day)}: {stats['notified']} người nhận thông báo, "
                   f"{stats['emailed']} e-mail, {stats['skipped']} đã nhắc trước đó, "
                   f"{stats['failed']} e-mail lỗi.")
