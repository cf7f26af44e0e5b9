"""The main window: navigation on the left, the chosen screen on the right,
menus, and a status bar with the database file, record counts and operator.

Screens come from desktop.views.screens (one line each) and are built the
first time they are shown, so start-up only pays for the first screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel, QListWidget, QMainWindow, QMenu, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from desktop.domain.registry import OrganizationFilter, PersonFilter
from desktop.services import registry, users, workspace
from desktop.views import screens as screen_registry
from desktop.views.context import AppContext
from desktop.views.dialogs import inform
from desktop.views.exchange import add_exchange_menu
from desktop.views.registry.export_action import ExportAction
from desktop.views.help import show_about, show_manual
from desktop.views.registry.import_action import ImportAction
from desktop.views.maintenance_actions import MaintenanceActions
from desktop.views.screens import ScreenFactory
from desktop.views.users import add_account_menu
from desktop.views.worker import Progress

if TYPE_CHECKING:
    from desktop.db.connection import Database

APP_TITLE = "两新党建工作台"
NAV_WIDTH = 140
NAV_STYLE = ("QListWidget { font-size: 15px; border: none; background: #f3f5f8; }"
             " QListWidget::item { padding: 9px 14px; }"
             " QListWidget::item:selected { background: #c8102e; color: white; }")
COUNTED = frozenset({"organization", "instructor", "liaison_officer"})
READ_ONLY_TEXT = "只读：数据库文件或其所在文件夹没有写入权限，现在只能查看、导出和打印，不能修改。"
BANNER_STYLE = "QLabel { background: #fff4ce; color: #5c4400; padding: 6px 12px; }"


def _count_records(db: Database, progress: Progress) -> tuple[int, int, int]:
    """(organizations, instructors, officers) alive in the database."""
    return (registry.list_organizations(db, OrganizationFilter(limit=1)).total,
            registry.list_instructors(db, PersonFilter(limit=1)).total,
            registry.list_officers(db, PersonFilter(limit=1)).total)


class MainWindow(QMainWindow):
    """The application window for one open database."""

    database_requested = Signal(object)  # Path of a database to switch to
    new_database_requested = Signal()

    def __init__(self, context: AppContext,
                 screens: list[tuple[str, ScreenFactory]] | None = None) -> None:
        super().__init__()
        self.context = context
        self.by_role = screens is None  # the list follows the signed-in user's roles
        self.entries = screens if screens is not None else self._allowed_screens()
        self.pages: dict[str, QWidget] = {}  # by label: a page survives a change of the list
        self.maintenance = MaintenanceActions(self, context)
        self.setWindowTitle(APP_TITLE)
        self._build_body()
        self._build_menus()
        self._build_status()
        self._add_registry_io_actions()
        self._apply_read_only()
        add_exchange_menu(self)
        add_account_menu(self)
        self._restore_geometry()
        context.events.data_changed.connect(self._data_changed)
        self.nav.setCurrentRow(0)
        self.update_counts()

    # -- layout -------------------------------------------------------------------
    def _build_body(self) -> None:
        self.nav = QListWidget()
        self.nav.addItems([label for label, _ in self.entries])
        self.nav.setMinimumWidth(100)
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([NAV_WIDTH, 1000])
        self.splitter.setChildrenCollapsible(False)
        self.read_only_banner = QLabel(READ_ONLY_TEXT)
        self.read_only_banner.setStyleSheet(BANNER_STYLE)
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.hide()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(body)
        self.nav.currentRowChanged.connect(self.show_screen)

    def _action(self, menu: QMenu, text: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files = bar.addMenu("文件(&F)")
        self._action(files, "新建数据库…", self.new_database_requested.emit)
        self._action(files, "打开数据库…", self._open_database, QKeySequence.StandardKey.Open)
        files.addSeparator()
        self.file_actions_anchor = files.addSeparator()
        self._action(files, "立即备份", self.maintenance.backup_now, "Ctrl+B")
        self.restore_action = self._action(files, "从备份恢复…", self.maintenance.restore)
        self._action(files, "检查数据库", self.maintenance.check)
        files.addSeparator()
        self._action(files, "退出", self.close, QKeySequence.StandardKey.Quit)
        self.file_menu = files
        edit = bar.addMenu("编辑(&E)")
        self.new_record_action = self._action(edit, "新建记录", lambda: self._on_screen("new_record"),
                                              QKeySequence.StandardKey.New)
        self._action(edit, "打开所选记录", lambda: self._on_screen("open_current"))
        self._action(edit, "查找", lambda: self._on_screen("focus_search"), "Ctrl+F")
        self._action(edit, "刷新", self.refresh, QKeySequence.StandardKey.Refresh)
        self.view_menu = bar.addMenu("视图(&V)")
        self._fill_view_menu()
        helps = bar.addMenu("帮助(&H)")
        self._action(helps, "使用手册", lambda: show_manual(self), QKeySequence.StandardKey.HelpContents)
        self._action(helps, "关于", lambda: show_about(self))

    def add_file_action(self, text: str, slot: Callable[[], Any],
                        shortcut: str | None = None) -> QAction:
        """Put an action (导入, 导出 …) in the File menu above the backup group."""
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        self.file_menu.insertAction(self.file_actions_anchor, action)
        return action

    def _add_registry_io_actions(self) -> None:
        self.importer = ImportAction(self, self.context)
        self.import_action = self.add_file_action("导入…", self.importer.choose_and_import, "Ctrl+I")
        self.exporter = ExportAction(self, self.context)
        self.add_file_action("导出当前列表…", self.export_current, "Ctrl+E")
        self.add_file_action("导出当前列表（含完整个人信息）…",
                             lambda: self.export_current(mask=False))
        self.add_file_action("保存导入模板…", self.exporter.save_template)

    def _apply_read_only(self) -> None:
        """A read-only database: say so above the screens and grey out the actions
        that write (the services refuse any other write with the same reason)."""
        self.read_only = workspace.is_read_only(self.context.db)
        self.read_only_banner.setVisible(self.read_only)
        for action in (self.import_action, self.restore_action, self.new_record_action):
            action.setEnabled(not self.read_only)

    def export_current(self, *, mask: bool = True) -> Any:
        """Export what the current screen shows; full personal data only from registry lists."""
        screen = self.current_screen()
        export = getattr(screen, "export_view", None)
        if not callable(export):
            return inform(self, "导出", "当前页面没有可导出的内容。")
        if mask:
            return export()
        if not getattr(screen, "export_kind", ""):
            return inform(self, "导出", "只有组织、指导员和联络员名册可以导出完整个人信息。")
        return export(mask=False)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.db_label = QLabel()
        self.counts_label = QLabel()
        self.operator_label = QLabel()
        status.addWidget(self.db_label, 1)
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.operator_label)
        self.db_label.setText(f"数据库：{self.context.db_path}")
        self.operator_label.setText(f"操作人：{self.context.operator or '未署名'}")

    # -- screens ------------------------------------------------------------------
    def _allowed_screens(self) -> list[tuple[str, ScreenFactory]]:
        return screen_registry.available(
            allows=lambda action: users.allows(self.context.db, action))

    def _fill_view_menu(self) -> None:
        self.view_menu.clear()
        for row, (label, _) in enumerate(self.entries):
            shortcut = f"Ctrl+{row + 1}" if row < 9 else None  # Ctrl+1 … Ctrl+9; the rest by menu
            self._action(self.view_menu, label, lambda r=row: self.nav.setCurrentRow(r), shortcut)

    def follow_roles(self) -> None:
        """After a role change (of this user, by an administrator, maybe themselves)
        list the screens the roles now allow; open screens that stay keep their state."""
        entries = self._allowed_screens()
        if [label for label, _ in entries] == [label for label, _ in self.entries]:
            return
        shown = self.nav.currentItem().text() if self.nav.currentItem() else ""
        self.entries = entries
        for label in set(self.pages) - {label for label, _ in entries}:
            page = self.pages.pop(label)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.addItems([label for label, _ in entries])
        self.nav.blockSignals(False)
        self._fill_view_menu()
        labels = [label for label, _ in entries]
        self.nav.setCurrentRow(labels.index(shown) if shown in labels else 0)
        self.show_screen(self.nav.currentRow())

    def show_screen(self, row: int) -> QWidget | None:
        """Show screen `row`, building it the first time."""
        if not 0 <= row < len(self.entries):
            return None
        label, factory = self.entries[row]
        page = self.pages.get(label)
        if page is None:
            page = factory(self.context)
            self.pages[label] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        return page

    def current_screen(self) -> QWidget | None:
        """The screen on the right."""
        return self.stack.currentWidget()

    def screen(self, label: str) -> QWidget | None:
        """The screen of a navigation label, showing it."""
        labels = [entry[0] for entry in self.entries]
        if label not in labels:
            return None
        self.nav.setCurrentRow(labels.index(label))
        return self.current_screen()

    def _on_screen(self, method: str) -> None:
        action = getattr(self.current_screen(), method, None)
        if callable(action):
            action()

    def refresh(self) -> None:
        """Reload the current screen and the counts (F5)."""
        self._on_screen("refresh")
        self.update_counts()

    # -- status -------------------------------------------------------------------
    def update_counts(self) -> None:
        """Record counts in the status bar, counted off the GUI thread (on a
        large registry a count takes longer than a keystroke may)."""
        self.count_task = self.context.run(self, "", _count_records, self._show_counts,
                                           quiet=True)

    def _show_counts(self, counts: tuple[int, int, int]) -> None:
        orgs, instructors, officers = counts
        self.counts_label.setText(f"组织 {orgs} 家 · 指导员 {instructors} 人 · 联络员 {officers} 人")

    def _data_changed(self, tables: frozenset[str]) -> None:
        if tables & COUNTED:
            self.update_counts()
        if "app_user" in tables and self.by_role:
            self.follow_roles()

    # -- database -----------------------------------------------------------------
    def _open_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        chosen, _ = QFileDialog.getOpenFileName(
            self, "打开数据库", str(self.context.db_path.parent), workspace.DATABASE_FILTER)
        if chosen:
            self.database_requested.emit(Path(chosen))

    # -- geometry -----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = self.context.settings
        geometry = settings.window_state("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        splitter = settings.window_state("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        """Remember window size, splitter and every built screen's columns."""
        settings = self.context.settings
        settings.set_window_state("main/geometry", self.saveGeometry())
        settings.set_window_state("main/splitter", self.splitter.saveState())
        for page in self.pages.values():
            save = getattr(page, "save_state", None)
            if callable(save):
                save()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the layout before closing."""
        self.save_state()
        super().closeEvent(event)
