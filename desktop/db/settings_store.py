"""Key/value settings stored in the database, so they travel with its data."""

from __future__ import annotations

import sqlite3

from desktop.db.connection import transaction
from desktop.db.records import now_utc


def get(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM app_setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def get_if_readable(conn: sqlite3.Connection, key: str) -> str:
    """A setting, or '' when the file cannot be read (damaged: the caller's own
    integrity check is what reports that, not this read)."""
    try:
        return get(conn, key)
    except sqlite3.DatabaseError:
        return ""


def put(conn: sqlite3.Connection, key: str, value: str) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO app_setting (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, now_utc()))


def main_file(conn: sqlite3.Connection) -> str:
    return conn.execute("PRAGMA database_list").fetchone()[2]
