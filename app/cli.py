"""Command-line tasks: `flask demo`, `flask create-admin`, ..."""
from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    from app.ops import cli as ops_cli; ops_cli.register(app)  # backup, restore, gen-data
    from app.reminders.cli import register as register_remind
    register_remind(app)
    register_agencies(app)
    from app.reportforms.cli import register as register_report_forms
    register_report_forms(app)
    from app.jobs.cli import register as register_jobs
    register_jobs(app)

    @app.cli.command("demo")
    @click.option("--reset/--no-reset", default=True, help="Empty the database first.")
    def demo(reset: bool) -> None:
        """Load the demo data set (seed 000, Lạng Sơn 2022) and print the demo accounts."""
        from app.demo import load_demo
        accounts = load_demo(reset=reset)
        click.echo("Tài khoản demo (mật khẩu chung: %s):" % accounts["password"])
        for username, role, unit in accounts["users"]:
            click.echo(f"  {username:<14} {role:<40} {unit}")


def register_agencies(app: Flask) -> None:
    @app.cli.command("merge-agency")
    @click.argument("source")
    @click.argument("target")
    @click.option("--on", "on", default=None, help="Ngày hợp nhất (yyyy-mm-dd); mặc định hôm nay.")
    @click.option("--reason", default=None, help="Căn cứ (quyết định hợp nhất).")
    def merge_agency(source: str, target: str, on: str | None, reason: str | None) -> None:
        """Merge agency SOURCE into TARGET (id or abbreviation): units, users, tasks, plans,
        reports and catalog share move; issued documents keep their names."""
        from datetime import date as _date

        from app.agencies import services
        from app.clock import today
        src, dst = services.find_agency(source), services.find_agency(target)
        if src is None or dst is None:
            raise click.ClickException(f"Không tìm thấy cơ quan {source if src is None else target}.")
        try:
            result = services.merge_agency(src, dst, on=_date.fromisoformat(on) if on else today(),
                                           reason=reason)
        except services.MergeError as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"Đã hợp nhất {src.name} vào {dst.name}: {result.units} đơn vị, {result.plans} kế hoạch, "
                   f"{result.reports} báo cáo, {result.procedures} TTHC.")
        for old, new in result.renamed:
            click.echo(f"  đổi tên: {old} → {new}")

    @app.cli.command("agencies")
    def agencies() -> None:
        """List the agencies (id, abbreviation, kind, name)."""
        from app.agencies import services
        for a in services.list_agencies():
            click.echo(f"{a.id:>4}  {a.abbreviation:<12} {a.kind:<11} {'' if a.active else '(ngừng) '}{a.name}")
