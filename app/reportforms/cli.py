"""`flask report-forms list` and `flask report-forms load FILE.json`: a form version added as
data on a running installation, without a release (see docs/report-forms.md)."""
from __future__ import annotations

import json

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("report-forms")
    def group() -> None:
        """Report forms (Biểu .../VPCP/KSTT) as versioned data."""

    @group.command("list")
    def list_forms() -> None:
        """Every form version in the database, with when it is in force."""
        from app.extensions import db
        from app.reportforms import services
        for f in services.all_forms():
            since = f.valid_from.strftime("%d/%m/%Y") if f.valid_from else "—"
            until = f.valid_to.strftime("%d/%m/%Y") if f.valid_to else "—"
            click.echo(f"{f.code:<22} v{f.version:<3} {since} → {until}  {len(f.columns)} cột  "
                       f"{f.legal_basis or ''}")
        db.session.commit()

    @group.command("load")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def load(path: str) -> None:
        """Add the form version defined in PATH (the JSON of app/reportforms/forms/)."""
        from app.domain.reportforms import FormError
        from app.reportforms import services
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        try:
            form = services.add_definition(data)
        except (FormError, KeyError, ValueError) as e:
            raise click.ClickException(f"Không nạp được biểu: {e}") from None
        click.echo(f"Đã thêm Biểu {form.code} phiên bản {form.version}.")
