"""SQL for users, sign-in events and the recovery code (schema_v8_users.sql), and the
signed-in user kept on the connection (an SQL function, as app_operator())."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass

from desktop.db.connection import query, set_operator, transaction
from desktop.db.records import now_utc

RECOVERY_CODE = "recovery_code"  # app_secret name


@dataclass(frozen=True)
class UserRow:
    """One live user. `password_hash` stays inside the services; never shown."""

    id: str
    login: str
    display_name: str
    roles: tuple[str, ...]
    password_hash: str
    must_change: bool
    failed_attempts: int
    locked_until: str | None
    disabled: bool
    last_sign_in: str | None


_COLUMNS = ("id, login, display_name, roles, password_hash, must_change, failed_attempts,"
            " locked_until, disabled, last_sign_in")


def _user(row: sqlite3.Row | tuple | None) -> UserRow | None:
    if row is None:
        return None
    return UserRow(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], bool(row[5]),
                   row[6], row[7], bool(row[8]), row[9])


def has_users(conn: sqlite3.Connection) -> bool:
    """Whether any live user exists; False on a database from before users (v6
    opened read-only, not migrated) as well."""
    try:
        return conn.execute("SELECT 1 FROM app_user WHERE deleted_at IS NULL LIMIT 1"
                            ).fetchone() is not None
    except sqlite3.OperationalError:  # no such table: an old file opened without migrating
        return False


def by_login(conn: sqlite3.Connection, login: str) -> UserRow | None:
    """The live user of `login` (case-insensitive), or None. A damaged file is a
    UserError (the first read of a sign-in: never a traceback)."""
    rows = query(conn, f"SELECT {_COLUMNS} FROM app_user WHERE lower(login) = lower(?)"
                 " AND deleted_at IS NULL", (login.strip(),))
    return _user(rows[0] if rows else None)


def by_id(conn: sqlite3.Connection, user_id: str) -> UserRow | None:
    """The live user of `user_id`, or None."""
    return _user(conn.execute(f"SELECT {_COLUMNS} FROM app_user WHERE id = ?"
                              " AND deleted_at IS NULL", (user_id,)).fetchone())


def all_users(conn: sqlite3.Connection) -> list[UserRow]:
    """Every live user, by login."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM app_user WHERE deleted_at IS NULL"
                        " ORDER BY lower(login)").fetchall()
    return [u for u in map(_user, rows) if u is not None]


def insert(conn: sqlite3.Connection, login: str, display_name: str, roles: list[str],
           password_hash: str, *, must_change: bool) -> str:
    """Add a user; returns the new id."""
    user_id, now = str(uuid.uuid4()), now_utc()
    conn.execute(
        "INSERT INTO app_user (id, login, display_name, roles, password_hash, password_changed_at,"
        " must_change, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, login, display_name, json.dumps(roles), password_hash, now, int(must_change),
         now, now))
    return user_id


def update(conn: sqlite3.Connection, user_id: str, **fields: object) -> None:
    """Change the named columns of one user (updated_at follows)."""
    if "password_hash" in fields:
        fields["password_changed_at"] = now_utc()
    if "roles" in fields:
        fields["roles"] = json.dumps(list(fields["roles"]))  # type: ignore[arg-type]
    names = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(f"UPDATE app_user SET {names}, updated_at = ? WHERE id = ?",
                 (*fields.values(), now_utc(), user_id))


def add_event(conn: sqlite3.Connection, kind: str, user_id: str | None, login: str,
              detail: str = "") -> None:
    """Record one sign-in event (its audit row links it into the chain)."""
    with transaction(conn):
        conn.execute("INSERT INTO access_event (id, at, kind, user_id, login, detail)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (str(uuid.uuid4()), now_utc(), kind, user_id, login, detail))


def events(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Every sign-in event, oldest first."""
    return conn.execute("SELECT at, kind, user_id, login, detail FROM access_event"
                        " ORDER BY at, rowid").fetchall()


def get_secret(conn: sqlite3.Connection, name: str) -> str:
    row = conn.execute("SELECT value FROM app_secret WHERE name = ?", (name,)).fetchone()
    return row[0] if row else ""


def put_secret(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("INSERT INTO app_secret (name, value, updated_at) VALUES (?, ?, ?)"
                 " ON CONFLICT(name) DO UPDATE SET value = excluded.value,"
                 " updated_at = excluded.updated_at", (name, value, now_utc()))


# ---------------------------------------------------------------- the signed-in user

def set_signed_in(conn: sqlite3.Connection, user_id: str, operator: str) -> None:
    """Make `user_id` the connection's signed-in user and `operator` the name its
    changes are recorded under."""
    conn.create_function("app_user_id", 0, lambda: user_id)
    set_operator(conn, operator)


def clear_signed_in(conn: sqlite3.Connection, operator: str = "") -> None:
    conn.create_function("app_user_id", 0, lambda: "")
    set_operator(conn, operator)


def signed_in_id(conn: sqlite3.Connection) -> str:
    """The signed-in user's id on this connection, '' when nobody has signed in."""
    try:
        return conn.execute("SELECT app_user_id()").fetchone()[0] or ""
    except sqlite3.OperationalError:  # never set on this connection
        return ""
