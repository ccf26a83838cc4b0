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
        from app.audit import services as audit
        audit.record("backup", f"Sao lưu dữ liệu vào {path}", username="(dòng lệnh)",
                     detail={"rows": sum(s.tables.values()), "files": s.files})
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
        from app.ops.maintenance import maintenance
        started = time.perf_counter()
        progress = lambda m: click.echo(f"[{time.perf_counter() - started:6.1f} s] {m}")  # noqa: E731
        db.session.remove()  # this command's own session must not hold a lock the restore waits on
        try:
            # Every request meanwhile gets the 503 maintenance page (not a worker stuck on the
            # table locks); the state is left at the end, also when the restore fails.
            with maintenance(current_app.config["MAINTENANCE_FILE"], "khôi phục dữ liệu từ bản sao lưu"):
                progress("Bật chế độ bảo trì (mọi yêu cầu nhận trang “Hệ thống đang bảo trì…”, HTTP 503).")
                s = restore(db.engine, current_app.config["UPLOAD_FOLDER"], path, progress=progress)
                progress("Tắt chế độ bảo trì.")
        except RestoreRefused as e:
            raise click.ClickException(str(e)) from None
        from app.audit import services as audit
        audit.record("restore", f"Khôi phục dữ liệu từ {path}", username="(dòng lệnh)",
                     detail={"rows": sum(s.tables.values()), "files": s.files})
        click.echo(f"Đã khôi phục {sum(s.tables.values())} dòng ({len(s.tables)} bảng), "
                   f"{s.files} tệp đính kèm từ {path} ({time.perf_counter() - started:.1f} s)")

    @app.cli.command("audit-prune")
    @click.option("--days", type=int, default=None, help="Keep this many days (default AUDIT_RETENTION_DAYS).")
    def audit_prune_cmd(days: int | None) -> None:
        """Delete audit log entries older than the retention period."""
        from app.audit import services as audit
        n = audit.prune(days)
        click.echo(f"Đã xóa {n} mục nhật ký quá thời hạn lưu.")

    @app.cli.command("gen-data")
    @click.option("--scale", "scale_name",
                  type=click.Choice(["small", "medium", "agency", "department", "province"]),
                  default="small", show_default=True,
                  help="province: 20 agencies of the agency scale's volume (1 000 000 tasks).")
    @click.option("--agencies", type=click.IntRange(1, 200), default=None,
                  help="Agencies with that volume each (default: the scale's; province 20).")
    @click.option("--factor", type=float, default=1.0, show_default=True,
                  help="Multiply the scale's users, procedures and tasks.")
    @click.option("--seed", type=int, default=2022, show_default=True)
    @click.option("--yes", is_flag=True, help="Do not ask before emptying the database.")
    def gen_data_cmd(scale_name: str, agencies: int | None, factor: float, seed: int, yes: bool) -> None:
        """Empty the database and fill it with a large generated data set (benchmarks)."""
        from app.auth.services import hash_password
        from app.clock import today
        from dataclasses import replace

        from app.ops.gendata import ACCOUNTS, PASSWORD, PROVINCE_ACCOUNTS, SCALES, generate, scaled
        if not yes:
            click.confirm("Toàn bộ dữ liệu hiện tại sẽ bị xóa. Tiếp tục?", abort=True)
        started = time.perf_counter()
        db.session.remove()
        with db.engine.begin() as conn:
            scale = scaled(SCALES[scale_name], factor)
            if agencies is not None:
                scale = replace(scale, agencies=agencies)
            counts = generate(conn, scale, today(), hash_password(PASSWORD), seed=seed, progress=click.echo)
        # The generated issued plans and reports go into the register with their numbers.
        from app.register.services import enter_issued_documents
        counts["register_entries"] = enter_issued_documents()
        db.session.commit()
        for table, n in sorted(counts.items()):
            click.echo(f"  {table:<24} {n:>9,}".replace(",", "."))
        accounts = list(ACCOUNTS.values()) + (list(PROVINCE_ACCOUNTS.values()) if scale.agencies > 1 else [])
        click.echo(f"Đã tạo dữ liệu quy mô {scale_name} ({scale.agencies} cơ quan) trong "
                   f"{time.perf_counter() - started:.0f} s. Tài khoản ({PASSWORD}): {', '.join(accounts)}"
                   + (f"; các cơ quan khác: cùng tên thêm .a02 … .a{scale.agencies:02d}" if scale.agencies > 1 else ""))
