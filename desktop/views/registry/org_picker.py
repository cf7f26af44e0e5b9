"""Choosing an organization by typing part of its name, code or contact."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.domain.registry import OrganizationFilter
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.widgets import ErrorLabel, mark_invalid

MATCHES_SHOWN = 30
ID_ROLE = Qt.ItemDataRole.UserRole


class OrganizationPicker(QWidget):
    """A search box over the organization list and the matches under it;
    `value()` is the chosen organization's id."""

    changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._id: str | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入组织名称、信用代码或联系人查找")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self.find)
        self.matches = QListWidget()
        self.matches.setMaximumHeight(160)
        self.matches.currentItemChanged.connect(self._picked)
        self.chosen = QLabel("未选择组织")
        self.error_label = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search, self.matches, self.chosen):
            layout.addWidget(widget)
        self.setFocusProxy(self.search)
        self.find("")

    def find(self, text: str) -> None:
        """List the organizations matching `text` (the first 30)."""
        # One row more than shown tells whether there are more, without counting
        # every match of 100,000 organizations on each keystroke.
        page = registry.list_organizations(
            self.context.db, OrganizationFilter(search=text, limit=MATCHES_SHOWN + 1), count=False)
        self.matches.blockSignals(True)
        self.matches.clear()
        for org, township in page.rows[:MATCHES_SHOWN]:
            item = QListWidgetItem(f"{org.name}（{township}）")
            item.setData(ID_ROLE, org.id)
            item.setData(ID_ROLE + 1, org.name)
            self.matches.addItem(item)
        self.matches.blockSignals(False)
        if len(page.rows) > MATCHES_SHOWN:
            self.matches.addItem(f"……只列出前 {MATCHES_SHOWN} 家，请输入更多文字缩小范围")

    def _picked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None or item.data(ID_ROLE) is None:
            return
        self.set_value(item.data(ID_ROLE), item.data(ID_ROLE + 1))
        self.changed.emit()

    def value(self) -> str | None:
        """The chosen organization's id, or None."""
        return self._id

    def set_value(self, org_id: str | None, name: str = "") -> None:
        """Show a chosen organization."""
        self._id = org_id
        self.chosen.setText(f"已选择：{name}" if org_id else "未选择组织")

    def show_problem(self, reason: str | None) -> None:
        """Mark the picker when no organization is chosen."""
        mark_invalid(self.search, reason)
        self.error_label.show_reason(reason)
