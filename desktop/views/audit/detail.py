"""One audit entry in full: who, when, which record, and every field before and
after (the changed ones first and bold), personal numbers masked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.services.audit_log import AuditEntry

EMPTY_TEXT = "选择上方的一条记录，这里显示它修改前后的全部内容。"
HEADERS = ("字段", "修改前", "修改后")


class EntryDetail(QWidget):
    """The detail pane under the audit list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(EMPTY_TEXT)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = QTableWidget(0, len(HEADERS))
        self.fields.setHorizontalHeaderLabels(HEADERS)
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fields.verticalHeader().setVisible(False)
        self.fields.setWordWrap(True)
        header = self.fields.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.title)
        layout.addWidget(self.fields, 1)

    def show_entry(self, entry: AuditEntry | None) -> None:
        """Show `entry` (None: the hint)."""
        self.fields.setRowCount(0)
        if entry is None:
            self.title.setText(EMPTY_TEXT)
            return
        self.title.setText(f"第 {entry.id} 条　{entry.local_at}　{entry.operator}　"
                           f"{entry.action_label}（{entry.table_label}）　记录ID：{entry.row_id}\n"
                           f"{entry.summary(fields=None)}")
        lines = entry.detail()
        self.fields.setRowCount(len(lines))
        bold = QFont(self.fields.font())
        bold.setBold(True)
        for row, line in enumerate(lines):
            for column, text in enumerate((line.label, line.before, line.after)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if line.changed:
                    item.setFont(bold)
                self.fields.setItem(row, column, item)
        self.fields.resizeRowsToContents()

    def text(self) -> str:
        """What the pane shows, as plain text (tests, copying)."""
        rows = [" | ".join(self.fields.item(r, c).text() for c in range(len(HEADERS)))
                for r in range(self.fields.rowCount())]
        return "\n".join([self.title.text(), *rows])
