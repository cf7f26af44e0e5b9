"""数据报送: which township sent the county a package in a quarter (EXCHANGE.md).

Pure: the exchange log's merged packages come in, one row per township comes
out, for the 数据报送 screen and the quarterly report's table. Stored
timestamps are UTC; the quarter is the clerk's calendar, so every timestamp is
turned into this PC's local date before it is compared or printed (a package
made at 01:00 on 1 April in 北京时间 is 31 March in UTC, yet belongs to Q2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Protocol

from desktop.domain.coverage import TOTAL_LABEL, Cell, ReportTable
from desktop.domain.periods import Period

NONE_YET = "—"
SENT = "已报送"
NOT_SENT = "本季度未报送"
TABLE_TITLE = "表8  数据报送情况（本季度内生成的交换包计为本季度报送）"
TABLE_HEADER = ("乡镇（街道、园区）", "最近交换包序号", "生成日期", "导入日期", "行数", "本季度报送")


class MergedPackage(Protocol):
    """A package merged here, as the exchange log holds it."""

    township: str
    sequence: int
    package_created_at: str
    at: str
    row_count: int


@dataclass(frozen=True)
class Submission:
    """One township's reporting for a quarter: its newest package made by the
    quarter's end (None: none), and whether it made one within the quarter."""

    township: str
    last_sequence: int | None
    last_created_at: str  # UTC, when the township made that package
    merged_at: str  # UTC, when the county merged it
    row_count: int
    sent_this_quarter: bool


def local_date(stamp: str) -> date | None:
    """The local calendar date of a stored UTC timestamp ('2026-03-31T17:00:00.000Z');
    a stamp without a zone is UTC too. None for an empty or unreadable stamp."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().date()


def township_submissions(townships: Sequence[str], merged: Iterable[MergedPackage],
                         quarter: Period) -> list[Submission]:
    """One row per township in `townships` order. A package made after the
    quarter's end is not yet known to that quarter's report; of the rest the
    newest (by when it was made: a reinstalled PC starts again at 第1号) counts."""
    newest: dict[str, tuple[date, MergedPackage]] = {}
    for package in merged:
        made = local_date(package.package_created_at)
        if made is None or made > quarter.end:
            continue
        held = newest.get(package.township)
        if held is None or _order(package) > _order(held[1]):
            newest[package.township] = (made, package)
    out = []
    for township in townships:
        if township not in newest:
            out.append(Submission(township, None, "", "", 0, False))
            continue
        made, package = newest[township]
        out.append(Submission(township, package.sequence, package.package_created_at, package.at,
                              package.row_count, made >= quarter.start))
    return out


def _order(package: MergedPackage) -> tuple[str, int]:
    # UTC stamps of one format: as text they sort in time order.
    return package.package_created_at, package.sequence


def _date_text(stamp: str) -> str:
    day = local_date(stamp)
    return day.isoformat() if day else NONE_YET


def submission_cells(row: Submission) -> tuple[Cell, ...]:
    """A row of the report's 数据报送 table, in TABLE_HEADER order."""
    mark = SENT if row.sent_this_quarter else NOT_SENT
    if row.last_sequence is None:
        return (row.township, NONE_YET, NONE_YET, NONE_YET, NONE_YET, mark)
    return (row.township, f"第{row.last_sequence}号", _date_text(row.last_created_at),
            _date_text(row.merged_at), row.row_count, mark)


def submissions_table(rows: Sequence[Submission]) -> ReportTable:
    """The quarterly report's 数据报送 table; townships that sent nothing in the
    quarter are marked in words and printed bold (greyscale printers)."""
    missing = sum(1 for r in rows if not r.sent_this_quarter)
    total = (TOTAL_LABEL, "", "", "", sum(r.row_count for r in rows if r.last_sequence),
             f"未报送 {missing} 个" if missing else "全部已报送")
    return ReportTable(
        title=TABLE_TITLE, header=TABLE_HEADER,
        rows=tuple(submission_cells(r) for r in rows), total=total,
        widths=(2.4, 1.3, 1.3, 1.3, 1, 1.5), align=("LEFT", "CENTER", "CENTER", "CENTER",
                                                    "RIGHT", "CENTER"),
        marked_rows=tuple(k for k, r in enumerate(rows) if not r.sent_this_quarter))
