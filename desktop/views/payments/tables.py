"""The tables of the 补贴发放 screen: runs, lines and the months of a line, as
read-only models over the payment-run service's plain rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex,
    QSortFilterProxyModel, Qt,
)

from desktop.domain.identifiers import mask_id_number
from desktop.domain.labels import GRADE_LABELS
from desktop.domain.money import format_fen
from desktop.domain.periods import parse_period
from desktop.domain.subsidy import GRADES, PRORATION_LABELS
from desktop.services.payruns import KIND_LABELS, STATUS_LABELS, RunDetail, run_kind
from desktop.views.paged_model import header_data

ROW_ROLE = Qt.ItemDataRole.UserRole
Index: TypeAlias = QModelIndex | QPersistentModelIndex


def sheet_file_name(detail: RunDetail, suffix: str) -> str:
    """The file name offered for a run's sheet: '工作补贴发放表-2026年第二季度-草稿.xlsx'."""
    draft = "-草稿" if detail.run.status == "draft" else ""
    return f"{KIND_LABELS[run_kind(detail.run)]}发放表-{detail.period.label_zh}{draft}.{suffix}"


def standard_text(detail: RunDetail) -> str:
    """The policy a run was computed with, in one line."""
    policy = detail.policy
    if detail.run.kind == "stipend":
        return (f"每月 {format_fen(policy.monthly_stipend_fen)} 元，"
                f"不足整月{PRORATION_LABELS[policy.proration]}")
    amounts = "、".join(f"{GRADE_LABELS[g]} {format_fen(policy.bonus_fen[g])} 元" for g in GRADES)
    days = f"；最低驻企 {policy.bonus_min_posted_days} 天" if policy.bonus_min_posted_days else ""
    prorate = "；按驻企天数折算" if policy.prorate_bonus else ""
    return amounts + days + prorate


def local_time(stamp: str | None) -> str:
    """A stored UTC timestamp as local 'YYYY-MM-DD HH:MM' ('' for none)."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and how a row shows in it."""

    header: str
    text: Callable[[Any], str]
    numeric: bool = False


class RowsModel(QAbstractTableModel):
    """Rows held in memory (the runs, or one run's lines or months) shown by columns.

    Give it a parent: a parentless model is deleted whenever Python's garbage
    collector frees it, which may happen in a worker thread (a crash in Qt).
    """

    def __init__(self, columns: Iterable[Column], parent: QObject | None) -> None:
        super().__init__(parent)
        self.columns: tuple[Column, ...] = tuple(columns)
        self.rows: tuple[Any, ...] = ()

    def set_rows(self, rows: Iterable[Any], columns: Iterable[Column] | None = None) -> None:
        """Show `rows` (and, when given, these columns instead)."""
        self.beginResetModel()
        self.rows = tuple(rows)
        if columns is not None:
            self.columns = tuple(columns)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        """The record shown in `row`, or None."""
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return header_data(self.columns, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        column, record = self.columns[index.column()], self.row_at(index.row())
        if record is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return side | Qt.AlignmentFlag.AlignVCenter
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(record)
        return record if role == ROW_ROLE else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class LineFilter(QSortFilterProxyModel):
    """The lines whose name, full ID number, enterprises or township contain the search."""

    def __init__(self, source: RowsModel, parent: QObject | None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self._text = ""

    def set_text(self, text: str) -> None:
        """Filter by `text` (spaces ignored, letters in any case)."""
        self.beginFilterChange()
        self._text = "".join(text.split()).upper()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:  # noqa: N802
        if not self._text:
            return True
        line = self.sourceModel().row_at(row)
        return line is not None and any(
            self._text in (value or "").upper()
            for value in (line.officer_name, line.id_number, line.organizations, line.township))


def stamp_by(stamp: str | None, who: str | None) -> str:
    return f"{local_time(stamp)} {who or ''}".strip() if stamp else ""


RUN_COLUMNS = (
    Column("类别", lambda r: KIND_LABELS[run_kind(r)]),
    Column("期间", lambda r: parse_period(r.period).label_zh),
    Column("状态", lambda r: STATUS_LABELS.get(r.status, r.status)),
    Column("人数", lambda r: str(r.line_count), numeric=True),
    Column("合计（元）", lambda r: format_fen(r.total_fen), numeric=True),
    Column("生成时间", lambda r: stamp_by(r.created_at, r.created_by)),
    Column("锁定时间", lambda r: stamp_by(r.locked_at, r.locked_by)),
)

MONTH_COLUMNS = (
    Column("月份", lambda m: f"{int(m.month[:4])}年{int(m.month[5:])}月"),
    Column("驻企天数", lambda m: str(m.posted_days), numeric=True),
    Column("当月天数", lambda m: str(m.days_in_month), numeric=True),
    Column("金额（元）", lambda m: format_fen(m.amount_fen), numeric=True),
    Column("计算规则", lambda m: m.rule),
    Column("备注", lambda m: m.note),
)


def line_columns(detail: RunDetail | None) -> tuple[Column, ...]:
    """The columns of a run's lines: the monthly standard for stipends, the grade for bonuses."""
    if detail is None or detail.run.kind == "stipend":
        standard = format_fen(detail.policy.monthly_stipend_fen) if detail else ""
        middle = Column("月补贴标准（元）", lambda _line: standard, numeric=True)
    else:
        middle = Column("考核等次", lambda line: GRADE_LABELS.get(line.grade or "", "—"))
    return (
        Column("序号", lambda line: str(line.seq), numeric=True),
        Column("姓名", lambda line: line.officer_name),
        Column("公民身份号码", lambda line: mask_id_number(line.id_number)),
        Column("派驻企业", lambda line: line.organizations),
        Column("所属乡镇", lambda line: line.township),
        Column("驻企天数", lambda line: str(line.posted_days), numeric=True),
        middle,
        Column("应发金额（元）", lambda line: format_fen(line.amount_fen), numeric=True),
        Column("备注", lambda line: line.note),
    )
