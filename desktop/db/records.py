"""Generic mapping between frozen dataclasses and rows, and the writes every
registry table shares: insert with a new UUID, update, soft delete, get.

Column names come from the dataclass fields, never from user input, so the
f-strings below cannot carry injected SQL.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import typing
import uuid
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from desktop.db.connection import transaction
from desktop.errors import UserError

T = TypeVar("T")


def escape_like(text: str) -> str:
    """`text` with LIKE's wildcards escaped, for a pattern with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def now_utc() -> str:
    """Timestamps are UTC ISO text with milliseconds."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return str(uuid.uuid4())


def _to_column(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def to_row(obj: Any) -> dict[str, Any]:
    """A dataclass as column values (bools as 0/1, dates as ISO text)."""
    return {f.name: _to_column(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, str], ...]:
    """(field, how to read its column) for each field of `cls`: 'bool', 'date' or ''.

    Worked out once per class: get_type_hints evaluates every annotation and cost
    more than the query itself on a page of 200 rows."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        args = typing.get_args(hints[f.name]) or (hints[f.name],)
        plan.append((f.name, "bool" if bool in args else "date" if date in args else ""))
    return tuple(plan)


def from_row(cls: type[T], row: sqlite3.Row | dict) -> T:
    """A row as the dataclass `cls`; extra columns are ignored."""
    keys = set(row.keys())
    values: dict[str, Any] = {}
    for name, kind in _plan(cls):
        if name not in keys:
            continue
        value = row[name]
        if value is not None and kind:
            value = bool(value) if kind == "bool" else date.fromisoformat(value)
        values[name] = value
    return cls(**values)


def insert(conn: sqlite3.Connection, table: str, obj: Any) -> str:
    """Insert a record with a new UUID and timestamps; returns the id."""
    row = to_row(obj)
    row["id"] = row.get("id") or new_id()
    row["created_at"] = row["updated_at"] = now_utc()
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    with transaction(conn):
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))
    return row["id"]


def update(conn: sqlite3.Connection, table: str, obj: Any) -> None:
    """Write every field of a live record; refuses a missing or deleted one."""
    row = to_row(obj)
    record_id = row.pop("id")
    row["updated_at"] = now_utc()
    assignments = ", ".join(f"{name} = ?" for name in row)
    with transaction(conn):
        cursor = conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ? AND deleted_at IS NULL",
            [*row.values(), record_id],
        )
        if cursor.rowcount != 1:
            raise UserError("记录不存在或已被删除，未保存")


def soft_delete(conn: sqlite3.Connection, table: str, record_id: str) -> None:
    """Tombstone a record instead of deleting it (merging needs the id later)."""
    stamp = now_utc()
    with transaction(conn):
        cursor = conn.execute(
            f"UPDATE {table} SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
            (stamp, stamp, record_id),
        )
        if cursor.rowcount != 1:
            raise UserError("记录不存在或已被删除")


def get(conn: sqlite3.Connection, table: str, cls: type[T], record_id: str) -> T:
    """A live record by id, or UserError."""
    row = conn.execute(
        f"SELECT * FROM {table} WHERE id = ? AND deleted_at IS NULL", (record_id,)
    ).fetchone()
    if row is None:
        raise UserError("记录不存在或已被删除")
    return from_row(cls, row)


def count_live(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]
