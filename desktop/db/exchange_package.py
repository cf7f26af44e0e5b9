"""The `.lxpkg` file: an SQLite database holding a manifest and one table per
exchanged table (EXCHANGE.md, "The package").

Written with sqlite-utils, which creates each table from the rows themselves,
so the package needs no schema of its own to keep in step with ours. Its
header carries its own application_id (never our database's), so neither
file can be opened as the other. Every table's SHA-256 is in the manifest and
checked on reading: a changed byte is refused, not merged.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop.db.disk_space import DISK_FULL, is_disk_full, low_on_space
from desktop.domain import exchange as rules
from desktop.errors import UserError
from desktop.os_errors import file_error

PACKAGE_ID = 0x4C58504B  # "LXPK"
SQLITE_HEADER = b"SQLite format 3\x00"
ALIAS_TABLE = "record_alias"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass
class Package:
    """A package as read and verified: the manifest and the rows by table."""

    manifest: dict[str, Any]
    tables: dict[str, list[dict]] = field(default_factory=dict)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def write_package(path: Path, manifest: dict[str, Any], tables: dict[str, list[dict]],
                  aliases: list[dict]) -> None:
    """Write the package to `path` through a `.part` file, so a crash or a full
    disk never leaves a half package under the real name; any failure is a
    UserError in Chinese and leaves neither file behind."""
    require_folder(path)
    part = path.with_name(path.name + ".part")
    discard(part)
    try:
        digests, counts = _write_tables(part, tables, aliases)
        _write_manifest(part, {**manifest, "row_counts": counts, "sha256": digests})
        with open(part, "rb") as f:
            os.fsync(f.fileno())
        os.replace(part, path)
    except (OSError, sqlite3.DatabaseError) as exc:
        discard(part)
        raise write_error(exc, path) from exc


def require_folder(path: Path) -> None:
    """Refuse up front a package whose folder is gone (a drive pulled out)."""
    if not path.parent.is_dir():
        raise UserError(f"交换包无法写入：文件夹 {path.parent} 不存在（移动磁盘可能已拔出），"
                        "交换包没有生成")


def discard(path: Path) -> None:
    """Remove a package file (or its .part) and whatever SQLite kept beside it."""
    for leftover in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def write_error(exc: OSError | sqlite3.DatabaseError, path: Path) -> UserError:
    """A failure writing the package at `path`, in the clerk's words."""
    full = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    if isinstance(exc, OSError):
        if exc.errno in full or getattr(exc, "winerror", None) == 112:
            return UserError(f"{DISK_FULL}，交换包没有生成")
        return file_error("交换包无法写入", exc, path)
    if is_disk_full(exc) or low_on_space(path.parent):
        return UserError(f"{DISK_FULL}，交换包没有生成")
    if not path.parent.is_dir():
        return UserError(f"交换包无法写入：文件夹 {path.parent} 已不存在（移动磁盘可能已拔出），"
                         "交换包没有生成")
    return UserError(f"交换包无法写入：{path}（读写磁盘时出错，请检查磁盘或换一个位置保存）")


def _write_tables(part: Path, tables: dict[str, list[dict]],
                  aliases: list[dict]) -> tuple[dict[str, str], dict[str, int]]:
    db = sqlite_utils.Database(part)
    try:
        db.execute(f"PRAGMA application_id = {PACKAGE_ID}")
        for table, rows in {**tables, ALIAS_TABLE: aliases}.items():
            if rows:
                pk = "id" if table != ALIAS_TABLE else ("table_name", "alias_id")
                db[table].insert_all(rows, pk=pk, batch_size=1000)
        digests, counts = {}, {}
        for table in {**tables, ALIAS_TABLE: aliases}:
            rows = _read_table(db.conn, table)
            digests[table], counts[table] = rules.table_digest(rows), len(rows)
        return digests, counts
    finally:
        db.close()


def _write_manifest(part: Path, manifest: dict[str, Any]) -> None:
    db = sqlite_utils.Database(part)
    try:
        db["manifest"].insert_all(
            ({"key": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in manifest.items()),
            pk="key")
    finally:
        db.close()


def _read_table(conn: sqlite3.Connection, table: str) -> list[dict]:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          (table,)).fetchone()
    if not exists:
        return []
    cursor = conn.execute(f'SELECT * FROM "{table}"')
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor]


def read_package(path: Path) -> Package:
    """Read and verify a package; UserError with the reason for anything that is
    not an intact package of a format this version understands."""
    _refuse_non_package(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.DatabaseError as exc:
        raise UserError("交换包已损坏，无法读取") from exc
    try:
        return _verified(conn)
    except sqlite3.DatabaseError as exc:
        raise UserError("交换包已损坏（文件不完整或被改动），无法读取") from exc
    finally:
        conn.close()


def _refuse_non_package(path: Path) -> None:
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        raise UserError(f"找不到文件：{path}（文件或它所在的文件夹已不存在）") from None
    except OSError as exc:
        raise file_error("无法读取文件", exc, path) from exc
    if not head:
        raise UserError("文件为空，不是数据交换包")
    if head.startswith(_ZIP) or head.startswith(_OLE):
        raise UserError("这是 Excel/WPS 表格文件，不是数据交换包（.lxpkg）")
    if not head.startswith(SQLITE_HEADER) or len(head) < 100:
        raise UserError("不是数据交换包（.lxpkg），或文件已损坏")
    if int.from_bytes(head[68:72], "big") != PACKAGE_ID:
        raise UserError("这是一个数据库文件，但不是数据交换包（.lxpkg）")


def _verified(conn: sqlite3.Connection) -> Package:
    manifest = {r["key"]: json.loads(r["value"]) for r in _read_table(conn, "manifest")}
    if manifest.get("format") != rules.FORMAT:
        raise UserError("不是数据交换包（缺少清单），或文件已损坏")
    if int(manifest.get("format_version", 0)) > rules.FORMAT_VERSION:
        raise UserError("该交换包由更新版本的工作台生成，请升级软件后再导入")
    package = Package(manifest)
    for table, expected in dict(manifest.get("sha256") or {}).items():
        rows = _read_table(conn, table)
        if rules.table_digest(rows) != expected:
            label = rules.TABLE_LABELS.get(table, table)
            raise UserError(f"交换包已损坏或被改动（{label}的校验值不符），未导入")
        if table == ALIAS_TABLE:
            package.aliases = [(r["table_name"], r["alias_id"], r["target_id"]) for r in rows]
        elif table in rules.RULE_BY_TABLE:
            package.tables[table] = rows
    return package
