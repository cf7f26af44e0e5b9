"""The database's own guards, checked and put back: the triggers that audit every
write and refuse changes to locked runs, issued bulletins and the audit log.

Anyone with the file can drop those triggers, or open it with triggers disabled
(`.dbconfig enable_trigger off`), change what they like and recompute the
(unkeyed) audit chain. `check` therefore compares the triggers with those of a
fresh database and restores them, and compares every audited row with what its
latest audit row logged, so an edit made while the guards were down shows.
"""

from __future__ import annotations

import functools
import sqlite3

from desktop.db import audit
from desktop.db.connection import transaction
from desktop.errors import UserError

TABLE_LABELS = {
    "app_setting": "设置", "area": "区划", "organization": "组织", "guidance_station": "指导站",
    "instructor": "指导员", "instructor_assignment": "挂钩指导", "liaison_officer": "联络员",
    "posting": "派驻", "assessment": "考核", "subsidy_policy": "补贴标准",
    "payment_run": "发放批次", "bulletin": "组工信息", "app_user": "用户", "access_event": "登录记录",
}
TABLE_LABELS |= {"visit": "走访记录", "problem": "问题", "problem_step": "问题办理步骤"}
_HOW = {
    audit.UNAUDITED: "在审计日志之外写入（没有对应的审计记录）",
    audit.ALTERED: "与审计日志的最后记录不符（在审计日志之外被改动）",
    audit.VANISHED: "已不在数据库中，但审计日志没有删除记录（在审计日志之外被删除）",
}
_SAMPLES = 3  # row ids named per problem


def _normal(sql: str) -> str:
    return " ".join(sql.split())


@functools.lru_cache(maxsize=1)
def expected_triggers() -> dict[str, str]:
    """name -> SQL of every trigger a freshly created database has."""
    from desktop.db.migrations import migrate

    from desktop.db.connection import register_functions

    fresh = sqlite3.connect(":memory:", isolation_level=None)
    try:
        register_functions(fresh, "")  # the migrations write audited settings
        migrate(fresh)
        return {name: sql for name, sql in
                fresh.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    finally:
        fresh.close()


def trigger_differences(conn: sqlite3.Connection) -> tuple[list[str], list[str], list[str]]:
    """(missing, altered, unknown) trigger names, compared with a fresh database."""
    expected = expected_triggers()
    found = {name: sql for name, sql in
             conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    missing = sorted(set(expected) - set(found))
    altered = sorted(name for name in set(expected) & set(found)
                     if _normal(expected[name]) != _normal(found[name] or ""))
    return missing, altered, sorted(set(found) - set(expected))


def restore_triggers(conn: sqlite3.Connection) -> list[str]:
    """Put missing or altered guard triggers back, drop foreign ones; one Chinese
    line per trigger found wrong (empty when all were in place)."""
    missing, altered, unknown = trigger_differences(conn)
    if not (missing or altered or unknown):
        return []
    expected = expected_triggers()
    try:
        with transaction(conn):
            for name in altered + unknown:
                conn.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            for name in missing + altered:
                conn.execute(expected[name])
        done = "已恢复"
    except (UserError, sqlite3.DatabaseError) as exc:
        done = f"未能恢复（{exc}）"
    lines = [_named(f"保护触发器缺失 {len(missing)} 个", missing, done) if missing else "",
             _named(f"保护触发器被改动 {len(altered)} 个", altered, done) if altered else "",
             _named(f"发现不属于本软件的触发器 {len(unknown)} 个", unknown,
                    done.replace("恢复", "删除")) if unknown else ""]
    return [line for line in lines if line]


def _named(head: str, names: list[str], done: str) -> str:
    return f"{head}（{_shown(names)}），{done}"


def _shown(names: list[str]) -> str:
    return "、".join(names[:_SAMPLES]) + ("等" if len(names) > _SAMPLES else "")


def unlogged_problems(conn: sqlite3.Connection) -> list[str]:
    """Chinese lines for audited rows the log does not account for, and audit
    rows missing from the log."""
    problems = []
    for table in audit.AUDITED_TABLES:
        found: dict[str, list[str]] = {}
        for row_id, how in audit.unlogged_changes(conn, table):
            found.setdefault(how, []).append(row_id)
        for how, ids in found.items():
            problems.append(f"{TABLE_LABELS[table]}有 {len(ids)} 条记录{_HOW[how]}：{_shown(ids)}")
    forged = audit.changes_after_lock(conn)
    if forged:
        problems.append(f"发放批次锁定后仍有 {forged} 条修改记录（锁定的批次不能修改），审计日志可能被伪造")
    inside, at_end = audit.missing_rows(conn)
    if inside:
        problems.append(f"审计日志缺少 {inside} 条记录（编号不连续），可能被删除")
    if at_end:
        problems.append(f"审计日志末尾的 {at_end} 条记录已被删除")
    return problems


def guard_problems(conn: sqlite3.Connection) -> list[str]:
    """Everything `check` reports about the guards: triggers (put back) and
    writes made outside the audit log."""
    return restore_triggers(conn) + unlogged_problems(conn)
