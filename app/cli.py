"""Command-line tasks: `flask demo`, `flask create-admin`, ..."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    from app.ops import cli as ops_cli; ops_cli.register(app)  # backup, restore, gen-data
    from app.reminders.cli import register as register_remind
    register_remind(app)
    from app.reportforms.cli import register as register_report_forms
    register_report_forms(app)

    @app.cli.command("demo")
    @click.option("--reset/--no-reset", default=True, help="Empty the database first.")
    def demo(reset: bool) -> None:
        """Load the demo data set (seed 000, Lạng Sơn 2022) and print the demo accounts."""
        from app.demo import load_demo
        accounts = load_demo(reset=reset)
        click.echo("Tài khoản demo (mật khẩu chung: %s):" % accounts["password"])
        for username, role, unit in accounts["users"]:
            click.echo(f"  {username:<14} {role:<40} {unit}")
