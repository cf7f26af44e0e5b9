"""Is this file ours, may it be written, and is it intact? Asked before anything is changed.

Our database files carry `PRAGMA application_id = APPLICATION_ID` (SQLite's own
mark for application file formats, bytes 68-71 of the header). A non-empty file
that is not ours is refused *unchanged*: the questions below only read, and
`open_database` asks them before it switches on WAL or runs a migration.
Files made before the mark existed (application_id 0, user_version >= 1 and the
tables of that version) are recognised and marked when next opened for writing.

A file that cannot be written (read-only file or folder) is opened read-only:
with `mode=ro`, or `immutable=1` where SQLite could not create the WAL index
beside it. `PRAGMA query_only` is then on, which is how the rest of the app
tells (see `is_read_only`).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from desktop.db.disk_space import DISK_FULL, is_disk_full
from desktop.errors import UserError

# "LXDK" (Liangxin Desk) as a big-endian 32-bit integer; never change it, every file has it.
APPLICATION_ID = 0x4C58444B
SQLITE_HEADER = b"SQLite format 3\x00"
UNCHANGED = "文件未作任何改动"
HOW_TO_CREATE = "如需新建数据库，请用命令 init 或菜单“文件 → 新建数据库”"


class EmptyFile(UserError):
    """A zero-byte (or table-less) file: only `init` may turn it into a database."""


class ForeignFile(UserError):
    """A file that is not one of our databases."""


class DamagedDatabase(UserError):
    """SQLite's structural check failed: nothing may be written until restored."""


@dataclass(frozen=True)
class OpenPlan:
    """How to connect to a database file."""

    target: str  # a file name, or a file: URI when `uri`
    uri: bool
    read_only: bool


def writable(path: Path) -> bool:
    """Whether the file (and its folder, where SQLite keeps the WAL) can be written.

    As root this is always true: chmod does not stop root, so tests simulate it."""
    folder = path.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def plan_open(path: Path, *, create: bool) -> OpenPlan:
    """Check the path before connecting; raise a Chinese refusal for what cannot
    be opened (a folder, a missing folder or file, an empty file, not SQLite)."""
    if path.is_dir():
        raise UserError(f"所给路径是一个文件夹，不是数据库文件：{path}")
    if not path.parent.is_dir():
        raise UserError(f"文件夹不存在：{path.parent}")
    if not path.exists():
        if not create:
            raise UserError(f"数据库文件不存在：{path}（请检查文件名；{HOW_TO_CREATE}）")
        return OpenPlan(str(path), False, False)
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UserError(f"无法读取数据库文件：{path}（{exc.strerror or exc}）") from exc
    if not head:
        if not create:
            raise EmptyFile(f"空文件：{path}（不是工作台数据库；{HOW_TO_CREATE}）")
        return OpenPlan(str(path), False, False)
    if head != SQLITE_HEADER:
        raise ForeignFile(f"文件不是工作台数据库：{path.name}，{UNCHANGED}")
    if writable(path):
        return OpenPlan(str(path), False, False)
    return _read_only_plan(path)


def _read_only_plan(path: Path) -> OpenPlan:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    has_index = all(Path(f"{path}{s}").exists() for s in ("-wal", "-shm"))
    if not os.access(path.parent, os.W_OK) and not has_index:
        # SQLite cannot create the WAL index here; nobody can write the file
        # through this folder either, so reading it as immutable is safe.
        uri += "&immutable=1"
    return OpenPlan(uri, True, True)


def connect(plan: OpenPlan, *, timeout: float) -> sqlite3.Connection:
    """A connection as planned; a read-only one refuses every write (query_only)."""
    conn = sqlite3.connect(plan.target, uri=plan.uri, isolation_level=None, timeout=timeout)
    if plan.read_only:
        conn.execute("PRAGMA query_only = ON")
    return conn


def is_read_only(conn: sqlite3.Connection) -> bool:
    """Whether this connection was opened read-only (see `connect`)."""
    return bool(conn.execute("PRAGMA query_only").fetchone()[0])


_V1_TABLES = frozenset({
    "app_setting", "area", "assessment", "audit_log", "bulletin", "guidance_station",
    "instructor", "instructor_assignment", "liaison_officer", "organization", "payment_line",
    "payment_line_month", "payment_run", "posting", "subsidy_policy",
})
_V4_TABLES = _V1_TABLES - {"payment_line_month"}  # v4 moved months into payment_line
_V6_TABLES = _V4_TABLES | {"record_alias", "exchange_base", "exchange_log"}
_V7_TABLES = _V6_TABLES | {"visit", "problem", "problem_step"}  # the problem list
_V8_TABLES = _V7_TABLES | {"app_user", "access_event", "app_secret"}  # users and roles
# The tables each schema version has. Written out, not found by running the
# migrations (a third of a second at every start); tests/db/test_file_identity.py
# compares it with the migrations, so a new migration that adds a table fails there.
TABLES_BY_VERSION: tuple[frozenset[str], ...] = (
    frozenset(), _V1_TABLES, _V1_TABLES, _V1_TABLES, _V4_TABLES, _V4_TABLES, _V6_TABLES,
    _V7_TABLES, _V8_TABLES, _V8_TABLES,
)


def _tables(conn: sqlite3.Connection) -> frozenset[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                        " AND name NOT LIKE 'sqlite_%'")
    return frozenset(r[0] for r in rows)


def identify(conn: sqlite3.Connection, path: Path, *, create: bool) -> None:
    """Refuse a file that is not one of ours (or is incomplete) before anything
    is written to it. Blank files pass only when `create` (init)."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = _tables(conn)
    except sqlite3.DatabaseError as exc:
        if is_disk_full(exc, conn):  # a 100% full disk cannot make the WAL index
            raise UserError(DISK_FULL) from exc
        raise DamagedDatabase(f"数据库文件已损坏，无法读取其结构：{path.name}（{exc}）") from exc
    if app_id not in (0, APPLICATION_ID):
        raise ForeignFile(f"文件是其他程序的数据库，不是工作台数据库：{path.name}，{UNCHANGED}")
    if not tables and version == 0:
        if not create:
            raise EmptyFile(f"空数据库：{path}（还没有工作台的数据表；{HOW_TO_CREATE}）")
        return
    if app_id == 0 and (version == 0 or "organization" not in tables):
        raise ForeignFile(f"文件是其他程序的 SQLite 数据库，不是工作台数据库：{path.name}，{UNCHANGED}")
    if version < len(TABLES_BY_VERSION):  # a newer release's tables are its own business
        _require_tables(tables, version, path)


def _require_tables(tables: frozenset[str], version: int, path: Path) -> None:
    missing = sorted(TABLES_BY_VERSION[version] - tables)
    if missing:
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        raise ForeignFile(f"文件不是完整的工作台数据库（结构版本 {version}，缺少数据表：{shown}）："
                          f"{path.name}，{UNCHANGED}")


def mark(conn: sqlite3.Connection) -> None:
    """Stamp our application_id on a database of ours that lacks it (made by an
    older release, or new). Read-only connections stay unmarked."""
    if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return
    if not is_read_only(conn):
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def damage(conn: sqlite3.Connection) -> list[str]:
    """SQLite's structural check (`quick_check`: every page, not the indexes'
    contents) as Chinese lines; empty when the file is intact."""
    try:
        result = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    except sqlite3.DatabaseError as exc:
        return [f"数据库文件已损坏（SQLite 结构检查无法完成：{exc}）"]
    if result == ["ok"]:
        return []
    return ["数据库文件已损坏（SQLite 结构检查：" + "；".join(result[:5]) + "）"]


def require_intact(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse to go on with a damaged file: writing to it can spread the damage."""
    found = damage(conn)
    if found:
        raise DamagedDatabase(f"{found[0]}：{path}。为免损坏扩大，已停止使用；"
                              "请运行“检查数据库”查看，或从备份恢复。")
