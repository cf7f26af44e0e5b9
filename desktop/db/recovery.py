"""Getting a damaged database back: the newest backup that is whole, and
putting it in the damaged file's place.

The damaged file is never written to and never deleted: it is renamed aside
(`…-damaged-<stamp>.sqlite3`, with its -wal/-shm), so whatever can still be
read from it stays on disk. The backup goes in through SQLite's backup API
into a `.part` file first, then takes the database's name in one rename.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from desktop.db import file_identity
from desktop.db.connection import translate
from desktop.db.backup import BackupInfo, list_backups
from desktop.errors import UserError

COUNTED = (("organization", "组织"), ("instructor", "指导员"), ("liaison_officer", "联络员"))


@dataclass(frozen=True)
class GoodBackup:
    """A backup that passed SQLite's structural check, with what it holds."""

    path: Path
    taken_at: datetime  # UTC
    counts: dict[str, int]  # label (组织 …) -> live records


def summarize(info: BackupInfo) -> GoodBackup | None:
    """The backup's record counts when it is whole and ours; None otherwise."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(info.path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        file_identity.identify(conn, info.path, create=False)
        if file_identity.damage(conn):
            return None
        counts = {label: conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL")
                  .fetchone()[0] for table, label in COUNTED}
    except (UserError, sqlite3.DatabaseError):
        return None
    finally:
        conn.close()
    return GoodBackup(info.path, info.taken_at, counts)


def newest_good_backup(folder: Path) -> GoodBackup | None:
    """The newest backup in `folder` that is whole (damaged ones are skipped)."""
    for info in list_backups(folder):
        good = summarize(info)
        if good is not None:
            return good
    return None


def replace_with_backup(db_path: Path, backup_path: Path) -> Path:
    """Put a copy of `backup_path` where the damaged `db_path` was; returns
    where the damaged file was set aside. No connection to it may be open."""
    db_path, backup_path = Path(db_path), Path(backup_path)
    try:
        return _replace(db_path, backup_path)
    except sqlite3.DatabaseError as exc:
        raise translate(exc) from exc
    except OSError as exc:
        raise UserError(f"恢复失败，无法写入文件：{exc.filename or db_path}"
                        f"（{exc.strerror or exc}），数据库未改动") from exc


def _replace(db_path: Path, backup_path: Path) -> Path:
    part = db_path.with_name(db_path.name + ".part")
    source = sqlite3.connect(f"file:{quote(str(backup_path.resolve()))}?mode=ro", uri=True)
    target = sqlite3.connect(str(part))
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        target.close()
        part.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    target.close()
    aside = _set_aside(db_path)
    part.replace(db_path)
    return aside


def _set_aside(db_path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}-damaged-{stamp}{db_path.suffix}")
    for suffix in ("-wal", "-shm"):  # the log belongs to the damaged file, not the backup
        companion = Path(f"{db_path}{suffix}")
        if companion.exists():
            companion.replace(Path(f"{aside}{suffix}"))
    db_path.replace(aside)
    return aside
