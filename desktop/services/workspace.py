"""Opening the working database and the settings kept inside it."""

from __future__ import annotations

from pathlib import Path

from desktop import paths
from desktop.db import settings_store
from desktop.db.connection import Database, open_database


def open_workspace(db_path: Path | None = None, *, operator: str = "") -> Database:
    """Open (creating and migrating if needed) the database at `db_path`,
    by default the clerk's database in the data directory."""
    return open_database(Path(db_path) if db_path else paths.default_db_path(), operator=operator)


def database_path(db: Database) -> Path:
    """The file behind an open database."""
    return Path(settings_store.main_file(db))


def get_setting(db: Database, key: str, default: str = "") -> str:
    """An app setting kept in the database (county name, bulletin masthead …)."""
    return settings_store.get(db, key, default)


def set_setting(db: Database, key: str, value: str) -> None:
    """Save an app setting; audited like every other change."""
    settings_store.put(db, key, value)


def county_name(db: Database) -> str:
    """The county's name as printed on sheets and reports."""
    return get_setting(db, "county_name") or "本县"
