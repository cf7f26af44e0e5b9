"""A damaged database at start-up: what can bring it back (the recovery dialog's services)."""

from __future__ import annotations

from pathlib import Path

from desktop import paths
from desktop.db import recovery
from desktop.db.recovery import GoodBackup

__all__ = ["GoodBackup", "describe", "newest_good_backup", "restore_damaged"]


def newest_good_backup(db_path: Path) -> GoodBackup | None:
    """The newest whole backup of the database at `db_path` (damaged copies skipped)."""
    return recovery.newest_good_backup(paths.backups_dir(db_path))


def restore_damaged(db_path: Path, backup: GoodBackup) -> Path:
    """Replace the damaged database with the backup; the damaged file is kept
    beside it under another name, which is returned."""
    return recovery.replace_with_backup(db_path, backup.path)


def describe(backup: GoodBackup) -> str:
    """'2026年3月1日 14:05 的备份（组织 967 家、指导员 120 人、联络员 60 人）'."""
    local = backup.taken_at.astimezone()
    counts = backup.counts
    return (f"{local.year}年{local.month}月{local.day}日 {local:%H:%M} 的备份"
            f"（组织 {counts.get('组织', 0)} 家、指导员 {counts.get('指导员', 0)} 人、"
            f"联络员 {counts.get('联络员', 0)} 人）")
