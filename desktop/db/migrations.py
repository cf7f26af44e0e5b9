"""Numbered schema migrations tracked by PRAGMA user_version.

A fresh database runs the same chain as an old one; each step runs in one
transaction with its version bump, after a backup of any existing data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from desktop.db import audit, file_identity
from desktop.db.connection import set_operator
from desktop.errors import UserError

_HERE = Path(__file__).resolve().parent


def _split_sql(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _script(conn: sqlite3.Connection, name: str) -> None:
    for statement in _split_sql((_HERE / name).read_text(encoding="utf-8")):
        conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v1.sql")
    audit.install_triggers(conn)


def _v2(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v2.sql")


def _v3(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v3.sql")
    audit.install_triggers(conn)  # payment_run's triggers learn its new column


def _v4(conn: sqlite3.Connection) -> None:
    from desktop.db import payruns

    _script(conn, "schema_v4_move.sql")
    sealed = payruns.sealed_runs(conn)  # sealed in the old layout
    if sealed:
        operator = conn.execute("SELECT app_operator()").fetchone()[0]
        set_operator(conn, audit.UPGRADE_OPERATOR)
        try:
            for run_id, _period, _seal in sealed:
                conn.execute("UPDATE payment_run SET lines_sha256 = ? WHERE id = ?",
                             (payruns.stored_lines_digest(conn, run_id), run_id))
        finally:
            set_operator(conn, operator)
    _script(conn, "schema_v4_finish.sql")


def _v5(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v5.sql")
    audit.install_triggers(conn)  # payment_run's triggers learn its new column


def _v6(conn: sqlite3.Connection) -> None:
    from desktop.db import installation

    _script(conn, "schema_v6.sql")
    installation.create_identity(conn)  # an existing database is a county installation


def _v7_problems(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v7_problems.sql")
    audit.install_triggers(conn, audit.PROBLEM_TABLES)


def _v8_users(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v8_users.sql")
    audit.install_triggers(conn)  # app_user, access_event; payment_run's new column


def _v9_access_events(conn: sqlite3.Connection) -> None:
    _script(conn, "schema_v9_access_events.sql")
    audit.install_triggers(conn, ("access_event",))


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6]
MIGRATIONS.append(_v7_problems)  # visits and problems (PROBLEMS.md)
MIGRATIONS.append(_v8_users)  # users, roles and access events (ACCESS.md)
MIGRATIONS.append(_v9_access_events)  # reveal, enable, unlock, idle-lock events
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before."""
    found = current_version(conn)
    if found > SCHEMA_VERSION:
        raise UserError(f"该数据库由更新版本的工作台创建（结构版本 {found}），请升级软件后再打开")
    if found < SCHEMA_VERSION and file_identity.is_read_only(conn):
        raise UserError("数据库文件是只读的，而它由旧版本的工作台创建，须先升级结构才能使用："
                        "请把它复制到可以写入的文件夹后再打开")
    if found < SCHEMA_VERSION and found > 0 and path is not None:
        from desktop.db.backup import backup_database

        backup_database(conn, path, reason=f"before-migration-v{found}")
    file_identity.mark(conn)  # ours (checked by open_database): new, or from before the mark
    for version in range(found + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version - 1](conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found
