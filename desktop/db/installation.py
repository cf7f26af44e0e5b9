"""This database's installation identity and its exchange log (EXCHANGE.md).

The identity is kept in app_setting, so a change of level in 设置 is audited
like any other setting and travels in backups with the data.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass

from desktop.db import settings_store
from desktop.db.connection import transaction
from desktop.db.records import now_utc

ID_KEY, LEVEL_KEY, TOWNSHIP_KEY, SEQUENCE_KEY = (
    "installation_id", "installation_level", "installation_township", "exchange_sequence")


@dataclass(frozen=True)
class Identity:
    id: str
    level: str  # county | township
    township: str  # the township's name, "" at the county
    county: str


@dataclass(frozen=True)
class LogEntry:
    direction: str
    installation_id: str
    installation_name: str
    level: str
    township: str
    sequence: int
    package_created_at: str
    at: str
    operator: str
    file_name: str
    row_count: int
    counts: dict


def create_identity(conn: sqlite3.Connection) -> None:
    """Give the database an installation id (a county one) if it has none."""
    if not settings_store.get(conn, ID_KEY):
        settings_store.put(conn, ID_KEY, str(uuid.uuid4()))
        settings_store.put(conn, LEVEL_KEY, "county")


def identity(conn: sqlite3.Connection) -> Identity:
    return Identity(settings_store.get(conn, ID_KEY), settings_store.get(conn, LEVEL_KEY, "county"),
                    settings_store.get(conn, TOWNSHIP_KEY), settings_store.get(conn, "county_name"))


def set_level(conn: sqlite3.Connection, level: str, township: str) -> None:
    with transaction(conn):
        settings_store.put(conn, LEVEL_KEY, level)
        settings_store.put(conn, TOWNSHIP_KEY, township)


def next_sequence(conn: sqlite3.Connection) -> int:
    """Take the next package number (call inside the export's transaction)."""
    sequence = int(settings_store.get(conn, SEQUENCE_KEY, "0") or 0) + 1
    settings_store.put(conn, SEQUENCE_KEY, str(sequence))
    return sequence


def log(conn: sqlite3.Connection, entry: LogEntry) -> None:
    conn.execute(
        "INSERT INTO exchange_log (direction, installation_id, installation_name, level, township,"
        " sequence, package_created_at, at, operator, file_name, row_count, counts_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (entry.direction, entry.installation_id, entry.installation_name, entry.level,
         entry.township or None, entry.sequence, entry.package_created_at, entry.at or now_utc(),
         entry.operator, entry.file_name, entry.row_count,
         json.dumps(entry.counts, ensure_ascii=False)))


def last_merged_sequence(conn: sqlite3.Connection, sender_id: str) -> int:
    row = conn.execute("SELECT max(sequence) FROM exchange_log WHERE direction = 'import'"
                       " AND installation_id = ?", (sender_id,)).fetchone()
    return row[0] or 0


_ENTRY = ("SELECT direction, installation_id, installation_name, level, coalesce(township, ''),"
          " sequence, package_created_at, at, operator, file_name, row_count, counts_json"
          " FROM exchange_log")


def log_entries(conn: sqlite3.Connection) -> list[LogEntry]:
    rows = conn.execute(_ENTRY + " ORDER BY id")
    return [LogEntry(*r[:11], json.loads(r[11])) for r in rows]


def merged_from_townships(conn: sqlite3.Connection) -> list[LogEntry]:
    """Every township package merged here (the county's 数据报送 picks per quarter)."""
    rows = conn.execute(_ENTRY + " WHERE direction = 'import' AND level = 'township' ORDER BY id")
    return [LogEntry(*r[:11], json.loads(r[11])) for r in rows]
