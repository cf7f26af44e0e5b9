"""How every connection is configured and written to.

Foreign keys on, WAL, synchronous=FULL (desktop.db.database opens the file and
migrates it). Connections run in autocommit mode; writes go through `transaction()`
so a multi-row change is all or nothing, and SQLite errors become `UserError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterator

from desktop.db.disk_space import DISK_FULL, is_disk_full
from desktop.errors import UserError

Database = sqlite3.Connection  # the handle services pass around
CACHE_KIB = 32 * 1024  # SQLite's page cache per connection, filled only as pages are read

UNIQUE_MESSAGES = {
    "organization.uscc": "重复的统一社会信用代码：已有组织使用该代码",
    "instructor.id_number": "重复的公民身份号码：已有指导员使用该号码",
    "liaison_officer.id_number": "重复的公民身份号码：已有联络员使用该号码",
    "assessment.officer_id, assessment.year": "该联络员本年度已有考核等次",
    "subsidy_policy.year": "该年度已有补贴标准",
    "bulletin.year, bulletin.number": "本年度已有该期号",
    "area.parent_id, area.name": "同一上级区划下已有同名区划",
    "guidance_station.name": "已有同名指导站",
}


def _sha256(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def configure(conn: sqlite3.Connection, operator: str, *, read_only: bool = False) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 15000")
    if not read_only:  # switching the journal mode is a write
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA recursive_triggers = OFF")
    # 2 MB (the default) holds a tenth of the organization search index of a
    # 100,000-row registry; with 32 MB a search reads it from disk once, not per key.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    register_functions(conn, operator)


def register_functions(conn: sqlite3.Connection, operator: str) -> None:
    """The SQL functions the audit triggers call (audit.py)."""
    set_operator(conn, operator)
    conn.create_function("app_sha256", 1, _sha256, deterministic=True)


def journal_mode(conn: sqlite3.Connection) -> str:
    """The journal mode SQLite actually uses ('wal' unless the file system refused it)."""
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()


def set_operator(conn: sqlite3.Connection, operator: str) -> None:
    """Name the person whose changes the audit log records on this connection."""
    name = operator or "未署名"
    conn.create_function("app_operator", 0, lambda: name)


def current_operator(conn: sqlite3.Connection) -> str:
    """The name the audit log records for this connection's changes now."""
    return conn.execute("SELECT app_operator()").fetchone()[0]


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing write; nested use becomes a savepoint."""
    if conn.in_transaction:
        name = f"sp{id(object())}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException as exc:
            _undo_savepoint(conn, name, exc)
            raise
        conn.execute(f"RELEASE {name}")
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise translate(exc, conn) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        _rollback(conn)
        raise translate(exc, conn) from exc
    except BaseException:
        _rollback(conn)
        raise


def _undo_savepoint(conn: sqlite3.Connection, name: str, exc: BaseException) -> None:
    """Roll back to a savepoint after `exc`. A full disk or an I/O error makes
    SQLite roll back the whole transaction itself, savepoints included; then
    `ROLLBACK TO` would fail with "no such savepoint" and hide the real error,
    so that error is raised (translated) instead."""
    if conn.in_transaction:
        try:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            return
        except sqlite3.DatabaseError:
            if conn.in_transaction:
                return  # the outer transaction() rolls back everything
    if isinstance(exc, sqlite3.DatabaseError):
        raise translate(exc, conn) from exc


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.DatabaseError):  # the first error is the one to report
            conn.execute("ROLLBACK")


def translate(exc: sqlite3.DatabaseError, conn: sqlite3.Connection | None = None) -> UserError:
    """A SQLite error as a message a clerk can act on; with `conn`, an I/O error
    on a disk with (almost) no space left is reported as the full disk it is."""
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        for columns, message in UNIQUE_MESSAGES.items():
            if text.endswith(columns):
                return UserError(message)
        if "FOREIGN KEY" in text:
            return UserError("引用的记录不存在或已被删除")
        if "CHECK constraint" in text:
            return UserError(f"数据不符合规则，未保存（{text}）")
        # Trigger refusals carry their own Chinese message.
        return UserError(text)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return UserError("数据库正被其他程序占用，请稍后再试")
    if is_disk_full(exc, conn):
        return UserError(DISK_FULL)
    if "readonly" in lowered or "read-only" in lowered:
        return UserError("数据库文件是只读的，无法保存，请检查文件权限")
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return UserError("数据库文件已损坏，请从备份恢复（文件 → 恢复）")
    if "disk i/o error" in lowered:
        return UserError("读写数据库文件时出错（磁盘 I/O 错误），请检查磁盘或存储设备后重试")
    return UserError(f"数据库错误：{text}")





def query(conn: sqlite3.Connection, sql: str, params=()) -> list[sqlite3.Row]:
    """Run a read and map SQLite errors to UserError."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise translate(exc, conn) from exc
