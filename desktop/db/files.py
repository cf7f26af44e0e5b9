"""What a database file is called: the one place that names its suffixes.

The databases, their backups and the file dialogs that pick them all use these,
so the name of the driver's file format appears in desktop/db/ only.
"""

from __future__ import annotations

from pathlib import Path

DB_SUFFIX = ".sqlite3"  # what the app writes: databases and backups
OPENABLE_SUFFIXES = (DB_SUFFIX, ".db")  # what it opens (older or renamed copies)
BACKUP_SUFFIXES = (*OPENABLE_SUFFIXES, ".bak")  # what a restore may pick


def db_file_name(stem: str) -> str:
    """'liangxin' -> 'liangxin.sqlite3'."""
    return f"{stem}{DB_SUFFIX}"


def with_db_suffix(path: Path) -> Path:
    """`path` as a database file name: kept when it already has an openable suffix."""
    return path if path.suffix.lower() in OPENABLE_SUFFIXES else path.with_suffix(DB_SUFFIX)


def file_filter(label: str, suffixes: tuple[str, ...], *, any_file: bool = True) -> str:
    """A file-dialog filter: '工作台数据库 (*.sqlite3 *.db);;所有文件 (*)'."""
    patterns = f"{label} ({' '.join('*' + s for s in suffixes)})"
    return f"{patterns};;所有文件 (*)" if any_file else patterns
