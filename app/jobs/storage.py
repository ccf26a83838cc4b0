"""Job files under STORAGE_FOLDER: written whole or not at all (temp file, fsync, rename)."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


def root() -> Path:
    return Path(current_app.config["STORAGE_FOLDER"])


def absolute(rel: str) -> Path:
    path = (root() / rel).resolve()
    if root().resolve() not in path.parents:
        raise ValueError("path outside storage")
    return path


def write_atomic(rel: str, data: bytes) -> tuple[int, str]:
    """Write `data` at `rel`; a reader sees the old file or the whole new one, never a part.
    Returns (size, sha256)."""
    path = absolute(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # the rename itself survives a power cut once the directory is synced
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
    return len(data), hashlib.sha256(data).hexdigest()


def exists(rel: str | None) -> bool:
    return bool(rel) and absolute(rel).is_file()


def remove(rel: str | None) -> None:
    if rel:
        try:
            absolute(rel).unlink()
        except FileNotFoundError:
            pass
