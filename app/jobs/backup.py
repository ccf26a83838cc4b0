"""`flask backup` as a job too (`flask jobs backup`): the archive is written beside its final
name and renamed only once complete, so a failed backup leaves no half-written archive."""
from __future__ import annotations

import hashlib
import os
import tempfile

from flask import current_app

from app.clock import now
from app.extensions import db
from app.jobs import runner, storage


def _run(job, progress):
    from app.ops.backup import backup
    rel = f"backups/kstt-{now():%Y%m%d-%H%M%S}-{job.id}.tar.gz"
    final = storage.absolute(rel)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".part-", suffix=".tar.gz")
    os.close(fd)
    try:
        progress(10, "Đang sao lưu cơ sở dữ liệu và tệp đính kèm")
        summary = backup(db.engine, current_app.config["UPLOAD_FOLDER"], tmp)
        progress(90, "Đang kiểm tra tệp sao lưu")
        sha = hashlib.sha256()
        with open(tmp, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                sha.update(block)
            os.fsync(f.fileno())
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    job.result_path, job.result_name = rel, final.name
    job.result_mimetype, job.result_size, job.result_sha256 = "application/gzip", final.stat().st_size, sha.hexdigest()
    job.step = f"{sum(summary.tables.values())} dòng, {summary.files} tệp đính kèm"
    return None


runner.register("backup", runner.Kind(label="Sao lưu dữ liệu", run=_run))
