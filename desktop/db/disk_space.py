"""Telling a full disk from other I/O failures, for every writer of files and databases.

Its own module so that desktop.db.file_identity (imported by the connection
factory) can report a full disk at open without importing the factory.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

DISK_FULL = "磁盘空间已满，数据未保存，请清理磁盘后重试"
LOW_SPACE_BYTES = 1024 * 1024  # below this an I/O error is taken for a full disk


def is_disk_full(exc: sqlite3.DatabaseError, conn: sqlite3.Connection | None = None) -> bool:
    """Whether `exc` comes from a full disk: SQLite says so, or it could not grow
    the WAL index (what a 100% full disk gives), or it is an I/O error on a disk
    with less than LOW_SPACE_BYTES free."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    lowered = str(exc).lower()
    if name == "SQLITE_FULL" or "database or disk is full" in lowered:
        return True
    if name == "SQLITE_IOERR_SHMSIZE":
        return True
    if conn is None or not (name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered):
        return False
    try:
        main = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
        return bool(main) and low_on_space(Path(main).parent)
    except (sqlite3.Error, StopIteration):
        return False


def low_on_space(folder: Path, needed: int = 0) -> bool:
    """Whether the disk holding `folder` has less than `needed` + LOW_SPACE_BYTES free."""
    try:
        return shutil.disk_usage(folder).free < needed + LOW_SPACE_BYTES
    except OSError:
        return False
