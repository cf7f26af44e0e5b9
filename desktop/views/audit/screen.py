"""The 审计日志 screen (administrators and reviewers): the chain check on top,
filters by 操作人, date, table and record, the log newest first a page at a
time, the chosen entry's before and after below, and 导出 to a workbook.
Ctrl+F goes to the filters, Enter applies them; the table drop-down applies
at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QItemSelection, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout,
    QWidget,
)

from desktop.domain import audit_view
from desktop.domain.audit_view import AuditFilter
from desktop.errors import UserError
from desktop.services import audit_log
from desktop.views.audit.detail import EntryDetail
from desktop.views.audit.model import WIDTHS, AuditModel
from desktop.views.context import AppContext
from desktop.views.dialogs import inform
from desktop.views.widgets import is_enter_key, make_table

NO_DATE = QDate(2000, 1, 1)  # the QDateEdit minimum, shown as 不限
CHECKING = "正在核对审计日志的校验链……"
OK_STYLE = "color: #1a7f37; font-weight: bold;"
BAD_STYLE = "color: #ffffff; background: #d9363e; font-weight: bold; padding: 4px;"
PROBLEM_STYLE = "color: #d9363e;"


def _date_edit(tip: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("不限")
    edit.setDate(NO_DATE)
    edit.setToolTip(tip)
    edit.setAccessibleName(tip)
    return edit


def _day(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    return None if chosen == NO_DATE else date(chosen.year(), chosen.month(), chosen.day())


class AuditLogScreen(QWidget):
    """The audit log, filtered; `chain_task` / `export_task` are the running workers."""

    state_name = "audit"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = AuditModel(context.db, self)
        self.model.count_runner = self._run_count
        self.chain_task: Any = None
        self.export_task: Any = None
        self.last_dialog: Any = None
        self._stale = False
        self._build()
        self.model.loaded.connect(self._update_count)
        context.events.data_changed.connect(self._on_data_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self.apply_filter()
        self.check_chain()

    # -- layout ----------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.chain_label = QLabel(CHECKING)
        self.chain_label.setWordWrap(True)
        layout.addWidget(self.chain_label)
        layout.addLayout(self._filter_row())
        self.problem_label = QLabel()
        self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)
        self.table = make_table(self.model, WIDTHS, row_numbers=False)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.detail = EntryDetail()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        saved = self.context.settings.window_state("audit/splitter")
        if saved is not None:
            splitter.restoreState(saved)
        layout.addWidget(splitter, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.operator = QLineEdit()
        self.operator.setPlaceholderText("操作人（姓名或用户ID）")
        self.operator.setClearButtonEnabled(True)
        self.operator.setAccessibleName("操作人")
        self.date_from = _date_edit("起始日期（含）")
        self.date_to = _date_edit("截止日期（含）")
        self.table_combo = QComboBox()
        self.table_combo.setAccessibleName("表")
        self.table_combo.addItem("全部表", "")
        for code, label in audit_view.TABLE_LABELS.items():
            self.table_combo.addItem(label, code)
        self.table_combo.currentIndexChanged.connect(self.apply_filter)
        self.row_id = QLineEdit()
        self.row_id.setPlaceholderText("记录ID")
        self.row_id.setClearButtonEnabled(True)
        self.row_id.setAccessibleName("记录ID")
        self.apply_button = QPushButton("查询")
        self.apply_button.clicked.connect(self.apply_filter)
        self.export_button = QPushButton("导出 xlsx…")
        self.export_button.clicked.connect(self.export_view)
        self._filter_widgets = (self.operator, self.date_from, self.date_to, self.table_combo,
                                self.row_id)
        for widget in self._filter_widgets:
            widget.installEventFilter(self)
        row.addWidget(self.operator, 2)
        row.addWidget(QLabel("日期"))
        row.addWidget(self.date_from)
        row.addWidget(QLabel("至"))
        row.addWidget(self.date_to)
        row.addWidget(self.table_combo)
        row.addWidget(self.row_id, 2)
        row.addWidget(self.apply_button)
        row.addWidget(self.export_button)
        return row

    # -- filtering --------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        """The filter the fields describe now."""
        return AuditFilter(operator=self.operator.text(), date_from=_day(self.date_from),
                           date_to=_day(self.date_to),
                           table=self.table_combo.currentData() or "", row_id=self.row_id.text())

    def apply_filter(self, *_: Any) -> None:
        """Show the first page of what the filters select; a filter the service
        refuses (dates the wrong way round, a viewer) is said under the filters."""
        try:
            self.model.set_filter(self.current_filter())
        except UserError as err:
            self._show_problem(str(err))
            return
        self._show_problem("")
        self.detail.show_entry(None)

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Enter in any filter field applies the filters."""
        if watched in self._filter_widgets and is_enter_key(event):
            self.apply_filter()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        """Put the cursor in the first filter (Ctrl+F)."""
        self.operator.setFocus()
        self.operator.selectAll()

    # -- counting and the chain ---------------------------------------------
    def _run_count(self, count: Any, done: Any) -> None:
        self.count_task = self.context.run(self, "", lambda db, _p: count(db), done, quiet=True,
                                           on_error=self._count_failed)

    def _count_failed(self, exc: BaseException) -> None:
        self._show_problem(str(exc) if isinstance(exc, UserError) else "统计总数失败")

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(f"已显示前 {total} 条，正在统计总数……" if self.model.counting
                                 else f"共 {total} 条（最新的在前）")

    def check_chain(self) -> None:
        """Verify the hash chain off the GUI thread (a second or two for 100,000 rows)."""
        self.chain_label.setText(CHECKING)
        self.chain_label.setStyleSheet("")
        self.chain_task = self.context.run(self, "", lambda db, _p: audit_log.chain_status(db),
                                           self._show_chain, quiet=True,
                                           on_error=self._chain_failed)

    def _show_chain(self, status: audit_log.ChainStatus) -> None:
        self.chain_status = status
        self.chain_label.setText(status.text)
        self.chain_label.setStyleSheet(OK_STYLE if status.ok else BAD_STYLE)

    def _chain_failed(self, exc: BaseException) -> None:
        self.chain_label.setText(str(exc) if isinstance(exc, UserError) else "无法核对审计日志")
        self.chain_label.setStyleSheet(BAD_STYLE)

    # -- the detail -------------------------------------------------------
    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        entry = self.model.record_at(indexes[0].row()) if indexes else None
        self.detail.show_entry(entry)

    def current_entry(self) -> audit_log.AuditEntry | None:
        """The entry of the selected row, or None."""
        index = self.table.currentIndex()
        return self.model.record_at(index.row()) if index.isValid() else None

    # -- refresh and export ----------------------------------------------
    def refresh(self) -> None:
        """Reload the list and check the chain again (F5)."""
        self._stale = False
        self.apply_filter()
        self.check_chain()

    def _on_data_changed(self, _tables: frozenset[str]) -> None:
        # Every write adds to the log: reload now when shown, else when next shown.
        if self.isVisible():
            self.apply_filter()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Catch up with writes made while another screen was shown."""
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.apply_filter()

    def export_view(self) -> Any:
        """Ask for a file and export every entry the filters select (not only the page)."""
        from desktop.views.dialogs import ask_save_path

        try:
            f = self.current_filter()
            audit_log.check_filter(self.context.db, f)  # refused before the file dialog
        except UserError as err:
            self._show_problem(str(err))
            return None
        path = ask_save_path(self, self.context, "导出审计日志",
                             f"审计日志-{date.today():%Y%m%d}.xlsx")
        if path is None:
            return None

        def work(db: Any, progress: Any) -> Any:
            return audit_log.export_entries(db, f, path, progress=progress)
        self.export_task = self.context.run(self, "正在导出审计日志……", work, self._exported)
        return self.export_task

    def _exported(self, result: audit_log.AuditExport) -> None:
        self.last_dialog = inform(self, "导出完成", result.describe())

    def save_state(self) -> None:
        """Remember how the list and the detail share the screen."""
        self.context.settings.set_window_state("audit/splitter", self.splitter.saveState())
