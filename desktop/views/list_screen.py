"""The frame every registry list shares: a search box that filters as you type,
a row of filter drop-downs, the paged table, a count line, and record forms
opened by double-click or Enter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from desktop.views.context import AppContext
from desktop.views.paged_model import PagedTableModel
from desktop.views.widgets import is_enter_key, make_table

COUNT_DELAY_MS = 250  # typing pause before a long list is counted


class ListScreen(QWidget):
    """Search, filters, table and count for one registry list. Subclasses set
    `model`, add filters with `add_filter`, and implement `current_filter`,
    `count_text` and `make_form`."""

    state_name = "list"
    tables: frozenset[str] = frozenset()
    search_hint = "输入关键字搜索"
    new_label = "新建"

    def __init__(self, context: AppContext, model: PagedTableModel,
                 widths: tuple[int, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.model = context, model
        # The screen owns its model on the Qt side too, so the model lives exactly as
        # long as the table showing it (rowCount() before or after its attributes
        # exist is answered in PagedTableModel itself).
        model.setParent(self)
        self.form: QWidget | None = None
        self._build(widths)
        self.model.loaded.connect(self._update_count)
        self.model.count_runner = self._run_count
        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._start_count)
        self._count_deferred = False
        context.events.data_changed.connect(self._on_data_changed)

    # -- layout ----------------------------------------------------------
    def _build(self, widths: tuple[int, ...]) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.new_button = QPushButton(self.new_label)
        self.new_button.clicked.connect(self.new_record)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        self.filters = QHBoxLayout()
        layout.addLayout(self.filters)
        self.table = self._make_table(widths)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        # Ctrl+F is the main window's 编辑 → 查找 (focus_search): a second shortcut
        # here made the key ambiguous, and Qt then runs neither.

    def _make_table(self, widths: tuple[int, ...]) -> QTableView:
        table = make_table(self.model, widths, row_numbers=True)
        header = table.horizontalHeader()
        saved = self.context.settings.window_state(f"header/{self.state_name}")
        if saved is not None:
            header.restoreState(saved)
            self._adopt_sort(header)
        else:  # Qt's own default indicator is descending: a first start lists A→Z
            header.setSortIndicator(self.model.sort_column, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        # Double-click and Enter open a record; `activated` differs between platforms.
        table.doubleClicked.connect(self._activated)
        table.installEventFilter(self)
        return table

    def _adopt_sort(self, header: QHeaderView) -> None:
        # The saved header state carries the sort order the clerk chose last time.
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        columns = self.model.columns
        if 0 <= section < len(columns) and columns[section].sort_key is not None:
            self.model.sort_column = section
            self.model.descending = order == Qt.SortOrder.DescendingOrder
        else:
            header.setSortIndicator(self.model.sort_column, Qt.SortOrder.AscendingOrder)

    def add_filter(self, label: str, widget: QWidget) -> None:
        """Put a drop-down in the filter row; its empty item names it ("全部乡镇"),
        `label` is its tooltip. Changing it refilters."""
        widget.setToolTip(label)
        widget.setAccessibleName(label)
        self.filters.addWidget(widget)
        signal = getattr(widget, "currentIndexChanged", None)
        if signal is not None:
            signal.connect(self.apply_filter)

    def finish_filters(self) -> None:
        """Close the filter row and load the first page."""
        self.filters.addStretch(1)
        self.apply_filter()

    # -- behaviour --------------------------------------------------------
    def current_filter(self) -> Any:
        """The service filter for the search box and drop-downs."""
        raise NotImplementedError

    def count_text(self) -> str:
        """The count line under the table."""
        raise NotImplementedError

    def make_form(self, record: Any) -> QWidget:
        """A form for `record` (None: a new record)."""
        raise NotImplementedError

    def apply_filter(self, *_: Any) -> None:
        """Reload the table for the current search text and drop-downs."""
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        """Reload after data changed elsewhere."""
        self.model.reload()

    def _on_data_changed(self, tables: frozenset[str]) -> None:
        if tables & self.tables:
            self.refresh()

    def _run_count(self, count: Any, done: Any) -> None:
        # The total of a search reads the whole table: off the GUI thread, so
        # typing never waits for it, and only once the typing pauses, so a
        # count for a word half typed does not compete with the next page.
        self._pending_count = (count, done)
        self._count_timer.start()

    def _start_count(self) -> None:
        if not self.isVisible():
            # A hidden list (another screen, a closed window whose database may be
            # closing) counts when it is shown again.
            self._count_deferred = True
            return
        self._count_deferred = False
        count, done = self._pending_count
        self._count_task = self.context.run(self, "", lambda db, _progress: count(db), done,
                                            quiet=True)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Start a count that waited while the list was hidden."""
        super().showEvent(event)
        if self._count_deferred:
            self._count_timer.start()

    def _update_count(self) -> None:
        self.count_label.setText(f"已显示前 {self.model.total} 条，正在统计总数……"
                                 if self.model.counting else self.count_text())

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if self.model.columns[column].sort_key is None:
            # Not sortable by the service: put the indicator back where the data is.
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column, Qt.SortOrder.DescendingOrder
                                    if self.model.descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            return
        self.model.sort(column, order)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Return on the table opens the current row."""
        if watched is self.table and is_enter_key(event):
            self.open_current()
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        record = self.model.record_at(index.row())
        if record is not None:
            self.open_record(record)

    def current_record(self) -> Any:
        """The record of the selected row, or None."""
        index = self.table.currentIndex()
        return self.model.record_at(index.row()) if index.isValid() else None

    def open_record(self, record: Any) -> QWidget:
        """Open the form of `record` (None: a new one), without blocking."""
        self.form = self.make_form(record)
        self.form.open()
        return self.form

    def new_record(self) -> QWidget:
        """Open an empty form."""
        return self.open_record(None)

    def open_current(self) -> None:
        """Open the selected row's form (Edit menu)."""
        record = self.current_record()
        if record is not None:
            self.open_record(record)

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.search.setFocus()
        self.search.selectAll()

    def save_state(self) -> None:
        """Remember column widths and sort order."""
        self.context.settings.set_window_state(f"header/{self.state_name}",
                                               self.table.horizontalHeader().saveState())
