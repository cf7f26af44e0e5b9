"""The 审计校验码 printed on a locked subsidy sheet, and checking one against the database.

The code is the start of the hash of the audit row that locked the run. That row
logs the run as locked (its total and lines_sha256), and its hash chains every
audit row before it. Whoever rewrites that history must recompute the chain from
the first row changed, so the hash changes and the code on paper no longer is a
link of the chain; a run changed afterwards no longer matches what the row logged.
Sheets printed before this carried the chain's hash just before locking (the run's
audit_hash); such a code is accepted too and leads to the lock row after it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from desktop.db import audit, payruns

CODE_HEX = 16  # printed hex digits: 64 bits, typeable, unambiguous in any real log
_GROUP = 4


def format_code(hash_hex: str) -> str:
    """The printed form of an audit hash: '3f9a 1c0d 77be 4a21'."""
    head = hash_hex[:CODE_HEX]
    return " ".join(head[k:k + _GROUP] for k in range(0, len(head), _GROUP))


def normalize_code(text: str) -> str | None:
    """The hex digits of a typed code (spaces, dashes and case ignored), or None
    when it is not at least CODE_HEX hex digits."""
    digits = re.sub(r"[\s\-—_:：]", "", text).lower()
    if len(digits) < CODE_HEX or len(digits) > 64 or re.fullmatch(r"[0-9a-f]+", digits) is None:
        return None
    return digits


def run_code(conn: sqlite3.Connection, run_id: str) -> str:
    """The code a locked run's sheet prints ('' for a draft)."""
    row = audit.lock_entry(conn, run_id)
    return format_code(row["hash"]) if row else ""


@dataclass(frozen=True)
class CodeCheck:
    """What a code names and whether the database still agrees with it."""

    found: bool  # a link of the audit chain
    run_id: str = ""
    period: str = ""
    total_fen: int = 0  # as locked
    line_count: int = 0  # as stored now
    locked_at: str = ""
    problems: tuple[str, ...] = ()


def check_code(conn: sqlite3.Connection, digits: str) -> CodeCheck:
    """Look a code (normalized hex digits) up in the audit chain and compare the
    run it locked with what the database holds now."""
    entries = audit.entries_by_prefix(conn, digits)
    if not entries:
        return CodeCheck(False, problems=("不是本数据库审计日志中的校验码：审计记录可能已被删除或改写",))
    if len(entries) > 1:
        return CodeCheck(True, problems=("校验码对应多条审计记录，请输入完整的校验码",))
    lock = _lock_named_by(conn, entries[0])
    if lock is None:
        return CodeCheck(True, problems=("是审计日志中的记录，但不是发放表的校验码",))
    problems = [] if audit.entry_hash_ok(conn, lock["id"]) else [
        "该校验码的审计记录与其校验值不符，审计日志可能被改动"]
    sealed = json.loads(lock["after_json"])
    problems += _run_differences(conn, lock["row_id"], sealed)
    return CodeCheck(True, lock["row_id"], sealed.get("period", ""), sealed.get("total_fen", 0),
                     _line_count(conn, lock["row_id"]), sealed.get("locked_at") or "",
                     tuple(problems))


def _lock_named_by(conn: sqlite3.Connection, row: sqlite3.Row) -> sqlite3.Row | None:
    """The lock row a code names: the row itself, or (an older sheet's code, the
    chain's hash before locking) the lock row right after it."""
    candidates = [row] if row["table_name"] == "payment_run" else []
    following = audit.entry(conn, row["id"] + 1)
    if following is not None and following["table_name"] == "payment_run":
        after = json.loads(following["after_json"] or "{}")
        if after.get("audit_hash") == row["hash"]:
            candidates.append(following)
    for candidate in candidates:
        lock = audit.lock_entry(conn, candidate["row_id"])
        if lock is not None and lock["id"] == candidate["id"]:
            return lock
    return None


def _run_differences(conn: sqlite3.Connection, run_id: str, sealed: dict) -> list[str]:
    """How the run differs now from what its lock row logged."""
    now = conn.execute("SELECT status, total_fen, lines_sha256, deleted_at FROM payment_run"
                       " WHERE id = ?", (run_id,)).fetchone()
    if now is None or now["deleted_at"] is not None:
        return ["该校验码锁定的发放批次已不在数据库中"]
    problems = []
    if now["status"] != "locked":
        problems.append("该校验码锁定的发放批次已不是锁定状态")
    if now["total_fen"] != sealed.get("total_fen"):
        problems.append("该发放批次的合计与锁定时不符")
    lines_fen = conn.execute("SELECT coalesce(sum(amount_fen), 0) FROM payment_line"
                             " WHERE run_id = ?", (run_id,)).fetchone()[0]
    if lines_fen != sealed.get("total_fen"):
        problems.append("该发放批次的明细之和与锁定时的合计不符")
    seal = sealed.get("lines_sha256")
    if seal is not None and (now["lines_sha256"] != seal
                             or payruns.stored_lines_digest(conn, run_id) != seal):
        problems.append("该发放批次的明细与锁定时的校验值不符，可能被改动")
    return problems


def _line_count(conn: sqlite3.Connection, run_id: str) -> int:
    return conn.execute("SELECT count(*) FROM payment_line WHERE run_id = ?"
                        " AND deleted_at IS NULL", (run_id,)).fetchone()[0]
