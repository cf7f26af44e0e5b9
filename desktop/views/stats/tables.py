"""The 季度报表 screen's tables: one of the report's tables as a read-only Qt model,
with the headers and cell text the printed report uses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from desktop.domain.coverage import Cell, ReportTable

TOTAL_BACKGROUND = QColor(230, 230, 230)
ALIGNMENTS = {"LEFT": Qt.AlignmentFlag.AlignLeft, "CENTER": Qt.AlignmentFlag.AlignHCenter,
              "RIGHT": Qt.AlignmentFlag.AlignRight}
# A long header breaks before one of these, so a table needs less width.
HEADER_BREAKS = ("（", "覆盖率", "群团组织", "党组织", "新发现")


def cell_text(value: Cell) -> str:
    """A table cell as printed in the PDF: money with two decimals and thousands commas."""
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)


def wrap_header(text: str) -> str:
    """A header longer than four characters on two lines, broken before a word
    of HEADER_BREAKS: '党组织覆盖率' -> '党组织\\n覆盖率'."""
    if len(text) <= 4:
        return text
    for word in HEADER_BREAKS:
        at = text.find(word, 2)
        if 0 < at <= len(text) - 2:
            return f"{text[:at]}\n{text[at:]}"
    return text


def header_labels(table: ReportTable) -> list[str]:
    """Column headers; a grouped column shows its group above it ("组织数\\n增减")."""
    labels = [wrap_header(h) for h in table.header]
    for label, first, last in table.group_starts():
        for column in range(first, last + 1):
            labels[column] = f"{label}\n{table.header[column]}"
    return labels


class ReportTableModel(QAbstractTableModel):
    """One of the report's tables, read only, its 合计 row last and bold."""

    def __init__(self, table: ReportTable | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: ReportTable | None = None
        self._rows: list[tuple[Cell, ...]] = []
        self._headers: list[str] = []
        if table is not None:
            self.set_table(table)

    def set_table(self, table: ReportTable) -> None:
        """Show `table` (its body rows, then its total row)."""
        self.beginResetModel()
        self._table = table
        self._rows = [*table.rows, *((table.total,) if table.total is not None else ())]
        self._headers = header_labels(table)
        self.endResetModel()

    def table(self) -> ReportTable | None:
        """The table shown."""
        return self._table

    def is_total_row(self, row: int) -> bool:
        """Whether `row` is the table's 合计 row."""
        return self._table is not None and self._table.total is not None \
            and row == len(self._rows) - 1

    def _marked(self, row: int) -> bool:
        return self._table is not None and row in self._table.marked_rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        """Body rows plus the total row."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        """The table's columns."""
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text as printed; numbers right-aligned; the total row bold on grey."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(self._rows[row][column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = ALIGNMENTS[self._table.column_align(column) if self._table else "LEFT"]
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and (self.is_total_row(row) or self._marked(row)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self.is_total_row(row):
            return TOTAL_BACKGROUND
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column headers only; rows are labelled by their first cell."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None
