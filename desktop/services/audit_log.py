"""The 审计日志 (ACCESS.md "The audit log, trusted"): the log filtered by user,
date, table and record, a page at a time; its export to a printable workbook;
and whether the hash chain still holds. Administrators and reviewers only:
every function checks READ_AUDIT (and a refusal is itself logged).

What is shown never holds a password or its hash (the triggers leave
app_user.password_hash out of the log) nor the chain's hashes, and personal
numbers are masked as on every other screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.db import audit, audit_query
from desktop.db.connection import Database
from desktop.domain import access
from desktop.domain import audit_view as view
from desktop.domain.audit_view import AuditFilter
from desktop.domain.registry import Page
from desktop.errors import UserError
from desktop.services import users
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.workspace import county_name
from desktop.sheets.audit_sheet import AuditLine, write_audit_sheet

PROGRESS_EVERY = 2000
MAX_ROW_ID = 100  # longer text in 记录ID cannot be a row id


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as the screen shows it (never its hashes)."""

    id: int
    at: str  # UTC, as stored
    operator: str
    table: str
    row_id: str
    action: str
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def local_at(self) -> str:
        return view.local_time(self.at)

    @property
    def table_label(self) -> str:
        return view.table_label(self.table)

    @property
    def action_label(self) -> str:
        return view.action_label(self.action, self.table, self.after or self.before)

    def summary(self, fields: int | None = view.SUMMARY_FIELDS) -> str:
        """What the entry changed, on one line."""
        return view.summary(self.table, self.action, self.before, self.after, fields=fields)

    def detail(self) -> list[view.FieldLine]:
        """Every field before and after, the changed ones first."""
        return view.detail_lines(self.table, self.before, self.after)


@dataclass(frozen=True)
class ChainStatus:
    """The chain check: `ok`, and the sentence the screen shows."""

    ok: bool
    text: str
    first_bad: int | None = None


@dataclass(frozen=True)
class AuditExport:
    path: Path
    rows: int

    def describe(self) -> str:
        return f"已导出 {self.rows} 条审计记录到：{self.path}（个人身份号码、电话、银行卡号已部分隐藏）"


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row["id"], row["at"], row["operator"], row["table_name"], row["row_id"],
                      row["action"], view.parse_row(row["before_json"]),
                      view.parse_row(row["after_json"]))


def _where(f: AuditFilter) -> audit_query.AuditWhere:
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise UserError("起始日期不能晚于截止日期")
    if len(f.row_id.strip()) > MAX_ROW_ID:
        raise UserError(f"记录ID最多 {MAX_ROW_ID} 个字符")
    first, after = view.day_bounds(f.date_from, f.date_to)
    return audit_query.AuditWhere(operator=f.operator.strip(), at_first=first, at_after=after,
                                  table=f.table, row_id=f.row_id.strip())


def check_filter(db: Database, f: AuditFilter) -> None:
    """Refuse (UserError) a filter the list would refuse, without reading the log."""
    users.require(db, access.READ_AUDIT)
    _where(f)


def list_entries(db: Database, f: AuditFilter, *, count: bool = True) -> Page:
    """One page of the entries `f` selects, newest first; `total` is the count of
    all matches (-1 with count=False: the screen counts off the GUI thread)."""
    users.require(db, access.READ_AUDIT)
    where = _where(f)
    rows = tuple((_entry(r), None) for r in audit_query.page(db, where, f.offset, f.limit))
    return Page(rows=rows, total=audit_query.count(db, where) if count else -1)


def count_entries(db: Database, f: AuditFilter) -> tuple[int, dict]:
    """(how many entries `f` selects, {}) — the paged model's count."""
    users.require(db, access.READ_AUDIT)
    return audit_query.count(db, _where(f)), {}


def entry(db: Database, entry_id: int) -> AuditEntry | None:
    """One entry by its number, or None."""
    users.require(db, access.READ_AUDIT)
    row = audit.entry(db, entry_id)
    return _entry(row) if row is not None else None


def chain_status(db: Database) -> ChainStatus:
    """Whether the log is whole: every hash links to the one before, and no row
    is missing inside or at the end of the log."""
    users.require(db, access.READ_AUDIT)
    broken = audit.verify_chain(db)
    if broken is not None:
        return ChainStatus(False, f"审计日志已被改动：第 {broken} 条起与校验值不符", broken)
    inside, at_end = audit.missing_rows(db)
    if inside:
        return ChainStatus(False, f"审计日志不完整：缺少 {inside} 条记录（编号不连续），可能被删除")
    if at_end:
        return ChainStatus(False, f"审计日志不完整：末尾的 {at_end} 条记录已被删除")
    total = audit_query.newest_id(db)
    return ChainStatus(True, f"审计日志完整：共 {total} 条，校验链逐条核对无误")


def filter_text(f: AuditFilter) -> str:
    """The filter in words, printed on the export."""
    parts = []
    if f.operator.strip():
        parts.append(f"操作人含“{f.operator.strip()}”")
    if f.date_from or f.date_to:
        parts.append(f"日期 {f.date_from or '最早'} 至 {f.date_to or '最新'}")
    if f.table:
        parts.append(f"表：{view.table_label(f.table)}")
    if f.row_id.strip():
        parts.append(f"记录ID：{f.row_id.strip()}")
    return "；".join(parts) or "全部记录"


def _line(e: AuditEntry) -> AuditLine:
    return AuditLine(e.id, e.local_at, e.operator, e.table_label, e.row_id, e.action_label,
                     e.summary(fields=None))


def export_entries(db: Database, f: AuditFilter, path: str | Path, *,
                   progress: Callable[[int, int, str], None] | None = None,
                   now: datetime | None = None) -> AuditExport:
    """Write every entry `f` selects (all pages), newest first, to the workbook
    `path`. `progress(done, total, text)` may raise to cancel: no file is left."""
    users.require(db, access.READ_AUDIT)
    out = checked_target(path, (".xlsx",))
    where = _where(f)
    total = audit_query.count(db, where)
    status = chain_status(db)
    moment = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    status_line = f"筛选：{filter_text(f)}　共 {total} 条　导出时间：{moment}　{status.text}"
    lines = (_line(_entry(r)) for r in audit_query.rows(db, where))

    def on_row(done: int) -> None:
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total, f"已写入 {done} / {total} 条……")

    written = write_atomically(out, lambda tmp: write_audit_sheet(
        tmp, title=f"{county_name(db)}两新党建工作台审计日志", status_line=status_line,
        total=total, lines=lines, on_row=on_row))
    return AuditExport(out, written)
