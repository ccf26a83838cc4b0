"""`flask backup` / `flask restore`: the whole database and the uploaded files in one .tar.gz.

Database-agnostic: one JSON-lines file per table (parents first), values tagged with their
type (date, datetime, decimal, bytes, JSON) so a backup taken on SQLite restores on
PostgreSQL and back. The manifest carries the Alembic revision(s); restore refuses a backup
of another schema revision, then empties every table, inserts in order and moves PostgreSQL's
id sequences past the restored ids, all in one transaction. Uploaded files are swapped in
only after the database part has committed.
"""
from __future__ import annotations

import base64
import io
import json
import os
import shutil
import tarfile
import tempfile
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Engine, bindparam, select

from app.clock import now
from app.ops.dbutil import (DERIVED_TABLES, batched, empty_tables, ordered_tables, reflect, reset_sequences,
                            schema_revisions, self_reference_columns)
from app.ops.derived import rebuild_derived, triggers_off

FORMAT = "kstt-backup/1"
BATCH = 2000


class RestoreRefused(Exception):
    """The backup cannot go into this database; the message says why (in Vietnamese)."""


@dataclass
class Summary:
    tables: dict[str, int]
    files: int
    revisions: list[str]


# ---- values ------------------------------------------------------------------------------

def encode(value: Any, is_json: bool = False) -> Any:
    if value is None:
        return None
    if is_json:
        return {"$json": value}
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


_DECODERS = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$decimal": Decimal,
    "$bytes": base64.b64decode,
    "$json": lambda v: v,
}


def decode(cell: Any) -> Any:
    if isinstance(cell, dict) and len(cell) == 1:
        (tag, raw), = cell.items()
        return _DECODERS[tag](raw)
    return cell


# ---- backup ------------------------------------------------------------------------------

def backup(engine: Engine, upload_folder: str | os.PathLike, target: str | os.PathLike) -> Summary:
    """Write the database and the upload folder to `target` (.tar.gz)."""
    target = Path(target)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="kstt-backup-") as tmp, engine.connect() as conn:
        # One repeatable snapshot on PostgreSQL so rows across tables agree.
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        md = reflect(conn)
        tables = [t for t in ordered_tables(md) if t.name not in DERIVED_TABLES]
        revisions = schema_revisions(conn)
        columns: dict[str, list[str]] = {}
        for i, table in enumerate(tables):
            names = [c.name for c in table.columns]
            json_cols = [isinstance(c.type, JSON) for c in table.columns]
            columns[table.name] = names
            n = 0
            order = list(table.primary_key.columns) or list(table.columns)
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(table).order_by(*order))
            with open(Path(tmp) / f"{i:03d}_{table.name}.jsonl", "w", encoding="utf-8") as out:
                for row in result:
                    out.write(json.dumps([encode(v, j) for v, j in zip(row, json_cols)],
                                         ensure_ascii=False, separators=(",", ":")))
                    out.write("\n")
                    n += 1
            counts[table.name] = n
        conn.rollback()

        files = _upload_files(Path(upload_folder))
        manifest = {
            "format": FORMAT,
            "created_at": now().isoformat(timespec="seconds"),
            "dialect": engine.dialect.name,
            "revisions": revisions,
            "tables": [{"name": t.name, "columns": columns[t.name], "rows": counts[t.name],
                        "file": f"tables/{i:03d}_{t.name}.jsonl"} for i, t in enumerate(tables)],
            "uploads": [rel for rel, _ in files],
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for i, t in enumerate(tables):
                tar.add(Path(tmp) / f"{i:03d}_{t.name}.jsonl", arcname=f"tables/{i:03d}_{t.name}.jsonl")
            for rel, path in files:
                tar.add(path, arcname=f"uploads/{rel}")
        partial.replace(target)  # never leave a half-written backup under the real name
    return Summary(tables=counts, files=len(files), revisions=revisions)


def _upload_files(folder: Path) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out.append((path.relative_to(folder).as_posix(), path))
    return out


# ---- restore -----------------------------------------------------------------------------

def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise RestoreRefused("Tệp sao lưu không hợp lệ (thiếu manifest.json).") from None
    manifest = json.load(tar.extractfile(member))
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"Định dạng sao lưu không được hỗ trợ: {manifest.get('format')!r}.")
    return manifest


def restore(engine: Engine, upload_folder: str | os.PathLike, source: str | os.PathLike,
            progress: Callable[[str], None] | None = None) -> Summary:
    """Replace the database content and the upload folder with the backup's; `progress`
    receives one line per step (the CLI prints them)."""
    say = progress or (lambda _m: None)
    source = Path(source)
    if not source.is_file():
        raise RestoreRefused(f"Không tìm thấy tệp sao lưu {source}.")
    with tarfile.open(source, "r:gz") as tar:
        manifest = read_manifest(tar)
        _check_uploads(tar, manifest)  # before touching the database
        counts: dict[str, int] = {}
        with engine.begin() as conn:
            current = schema_revisions(conn)
            if current != manifest["revisions"]:
                raise RestoreRefused(
                    "Bản sao lưu thuộc phiên bản cơ sở dữ liệu khác "
                    f"({', '.join(manifest['revisions']) or 'không rõ'}; hiện tại: "
                    f"{', '.join(current) or 'chưa khởi tạo'}). Hãy chạy `flask db upgrade` "
                    "đến đúng phiên bản trước khi khôi phục.")
            md = reflect(conn)
            tables = ordered_tables(md)
            _check_tables(manifest, md)
            say("Xóa dữ liệu hiện tại…")
            empty_tables(conn, tables)
            # The rows come back with their derived columns as they were backed up: the
            # triggers are off during the load (no row rewritten once per submission) and
            # unit_tasks and the search index are rebuilt once, set-based, at the end.
            with triggers_off(conn):
                total = sum(e["rows"] for e in manifest["tables"])
                done = 0
                for entry in manifest["tables"]:
                    table = md.tables[entry["name"]]
                    started = clock.perf_counter()
                    counts[table.name] = _insert_rows(conn, table, entry, tar)
                    done += counts[table.name]
                    if counts[table.name]:
                        say(f"  {table.name}: {counts[table.name]} dòng "
                            f"({clock.perf_counter() - started:.1f} s; {done * 100 // max(total, 1)} %)")
                reset_sequences(conn, tables)
                say("Dựng lại dữ liệu dẫn xuất (cột công việc, unit_tasks, chỉ mục tìm kiếm)…")
                rebuild_derived(conn, say)
            say("Ghi vào cơ sở dữ liệu…")
        say("Khôi phục tệp đính kèm…")
        _restore_uploads(tar, manifest, Path(upload_folder))
    return Summary(tables=counts, files=len(manifest["uploads"]), revisions=manifest["revisions"])


def _check_tables(manifest: dict, md) -> None:
    for entry in manifest["tables"]:
        table = md.tables.get(entry["name"])
        if table is None:
            raise RestoreRefused(f"Bảng {entry['name']} không có trong cơ sở dữ liệu hiện tại.")
        missing = set(entry["columns"]) - {c.name for c in table.columns}
        if missing:
            raise RestoreRefused(
                f"Bảng {entry['name']} thiếu cột: {', '.join(sorted(missing))}.")


def _insert_rows(conn, table, entry: dict, tar: tarfile.TarFile) -> int:
    names = entry["columns"]
    deferred = [c for c in self_reference_columns(table) if c in names]
    pk = [c.name for c in table.primary_key.columns]
    later: list[dict] = []
    n = 0
    stream = io.TextIOWrapper(tar.extractfile(entry["file"]), encoding="utf-8")
    rows = (dict(zip(names, map(decode, json.loads(line)))) for line in stream)
    # Rows come in primary-key order: a reference to a smaller id is already in (or earlier in
    # the same batch, inserted in order) and goes in as it is; only one to a later row is
    # inserted NULL and set after (rewriting every child task cost a dead row each).
    by_id = len(pk) == 1 and pk[0] in names
    for chunk in batched(rows, BATCH):
        for row in chunk:
            # A row may point at a later row of its own table: insert NULL, fix it after.
            for col in deferred:
                ref = row[col]
                if ref is not None and not (by_id and isinstance(ref, int) and isinstance(row[pk[0]], int)
                                            and ref < row[pk[0]]):
                    later.append({**{f"k_{k}": row[k] for k in pk}, "v": row[col], "c": col,
                                  "rev": row.get("revision")})
                    row[col] = None
        conn.execute(table.insert(), chunk)
        n += len(chunk)
    for col in deferred:
        params = [p for p in later if p["c"] == col]
        if params:
            where = [table.c[k] == bindparam(f"k_{k}") for k in pk]
            stmt = table.update().where(*where).values({col: bindparam("v")})
            for chunk in batched(params, BATCH):
                conn.execute(stmt, [{k: v for k, v in p.items() if k not in ("c", "rev")} for p in chunk])
    if later and "revision" in table.c:
        # The fix-up above is an edit to the triggers that count edits (0016_jobs): give the
        # rows their counters back (an UPDATE that sets `revision` itself is taken as is).
        where = [table.c[k] == bindparam(f"k_{k}") for k in pk]
        stmt = table.update().where(*where).values(revision=bindparam("r"))
        fixed = {tuple(p[f"k_{k}"] for k in pk): p["rev"] for p in later if p["rev"] is not None}
        for chunk in batched(list(fixed.items()), BATCH):
            conn.execute(stmt, [{**{f"k_{k}": v for k, v in zip(pk, key)}, "r": rev} for key, rev in chunk])
    if n != entry["rows"]:
        raise RestoreRefused(f"Bảng {table.name}: đọc được {n} dòng, manifest ghi {entry['rows']}.")
    return n


def _check_uploads(tar: tarfile.TarFile, manifest: dict) -> None:
    for rel in manifest["uploads"]:
        parts = Path(rel).parts
        if Path(rel).is_absolute() or ".." in parts or "\\" in rel:
            raise RestoreRefused(f"Tên tệp không hợp lệ trong bản sao lưu: {rel!r}.")
        try:
            member = tar.getmember(f"uploads/{rel}")
        except KeyError:
            raise RestoreRefused(f"Bản sao lưu thiếu tệp {rel!r}.") from None
        if not member.isfile():
            raise RestoreRefused(f"Mục không phải tệp trong bản sao lưu: {rel!r}.")


def _restore_uploads(tar: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".restore-", dir=folder.parent))
    try:
        for rel in manifest["uploads"]:
            dest = fresh / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(f"uploads/{rel}") as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
        old = None
        if folder.exists():
            old = folder.with_name(folder.name + f".old-{os.getpid()}")
            folder.rename(old)
        fresh.rename(folder)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)
