"""Operations commands: `flask backup`, `flask restore`, `flask gen-data`."""
from __future__ import annotations

import time

import click
from flask import Flask, current_app

from app.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup_cmd(path: str) -> None:
        """Write the database and the uploaded files to PATH (.tar.gz)."""
        from app.ops.backup import backup
        started = time.perf_counter()
        s = backup(db.engine, current_app.config["UPLOAD_FOLDER"], path)
        click.echo(f"Đã sao lưu {sum(s.tables.values())} dòng ({len(s.tables)} bảng), "
                   f"{s.files} tệp đính kèm, phiên bản CSDL {', '.join(s.revisions)} → {path} "
                   f"({time.perf_counter() - started:.1f} s)")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_cmd(path: str, yes: bool) -> None:
        """Replace the database content and the uploaded files with the backup at PATH."""
        from app.ops.backup import RestoreRefused, restore
        if not yes:
            click.confirm("Toàn bộ dữ liệu hiện tại sẽ bị thay thế. Tiếp tục?", abort=True)
        started = time.perf_counter()
        try:
            s = restore(db.engine, current_app.config["UPLOAD_FOLDER"], path)
        except RestoreRefused as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"Đã khôi phục {sum(s.tables.values())} dòng ({len(s.tables)} bảng), "
                   f"{s.files} tệp đính kèm từ {path} ({time.perf_counter() - started:.1f} s)")
