"""用户管理 (ACCESS.md, administrators): the accounts with their roles and state,
and adding, roles, password resets, disabling and ending a lock-out. Every rule
is the services'; a refusal is shown as they word it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.domain import access
from desktop.errors import UserError
from desktop.services import accounts, users, workspace
from desktop.services.users import User
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.dialogs import ask, inform
from desktop.views.exchange.labels import local_time
from desktop.views.users.admin_dialogs import EditUserDialog, NewUserDialog, TemporaryPasswordDialog
from desktop.views.widgets import ROW_HEIGHT, is_enter_key

COLUMNS = ("登录名", "姓名", "角色", "状态", "上次登录")
WIDTHS = (150, 150, 300, 170, 170)  # 角色 fits all five roles
GREY, RED = QColor("#888888"), QColor("#b00020")
HINT = "回车键或双击：修改所选用户的角色；Ctrl+N：新增用户。停用的账户不能登录，其记录保留。"


class UserAdminScreen(QWidget):
    """The 用户管理 screen."""

    tables = frozenset({"app_user"})

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.users: list[User] = []
        layout = QVBoxLayout(self)
        title = QLabel("用户管理")
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(self._build_buttons())
        layout.addWidget(self._build_table(), 1)
        context.events.data_changed.connect(
            lambda tables: self.refresh() if tables & self.tables else None)
        self.refresh()

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = self._button(row, "新增用户…", self.new_record)
        self.roles_button = self._button(row, "修改角色…", self.open_current)
        self.reset_button = self._button(row, "重置密码…", self.reset_password)
        self.disable_button = self._button(row, "停用", self.toggle_disabled)
        self.unlock_button = self._button(row, "解除锁定", self.unlock)
        row.addStretch(1)
        return row

    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda *_: slot())
        row.addWidget(button)
        return button

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # Not stretched: a wide 上次登录 would put its heading far from its dates.
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda *_: self.open_current())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        return self.table

    # -- showing ------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the accounts again, keeping the selected one selected."""
        chosen = self.current_user()
        self.users = accounts.list_users(self.context.db)
        now = self.now()
        self.table.setRowCount(len(self.users))
        for i, user in enumerate(self.users):
            texts = (user.login, user.display_name, user.roles_text, user.status_text(now),
                     local_time(user.last_sign_in or "") or "从未登录")
            for j, text in enumerate(texts):
                self.table.setItem(i, j, self._item(text, user, j == 3))
        self._show_summary()
        self.select(chosen.login if chosen else "")
        self._update_buttons()

    @staticmethod
    def _item(text: str, user: User, status: bool) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        if user.disabled:
            item.setForeground(GREY)
        elif status and text != "正常":
            item.setForeground(RED)
        return item

    def _show_summary(self) -> None:
        me = users.current_user(self.context.db)
        disabled = sum(user.disabled for user in self.users)
        admins = sum(access.ADMIN in user.roles and not user.disabled for user in self.users)
        self.summary.setText(
            f"共 {len(self.users)} 个账户" + (f"（已停用 {disabled} 个）" if disabled else "")
            + f"，在用的系统管理员 {admins} 名。"
            + (f"当前登录：{me.display_name}（{me.login}）。" if me else "") + f"\n{HINT}")

    def select(self, login: str) -> None:
        """Select the row of `login` (the first row when it is not there)."""
        logins = [user.login for user in self.users]
        row = logins.index(login) if login in logins else 0
        if self.users:
            self.table.selectRow(row)

    def current_user(self) -> User | None:
        """The account of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        row = rows[0].row() if rows else -1
        return self.users[row] if 0 <= row < len(self.users) else None

    def row_texts(self) -> list[list[str]]:
        """The table as shown (tests)."""
        return [[self.table.item(i, j).text() for j in range(self.table.columnCount())]
                for i in range(self.table.rowCount())]

    def _update_buttons(self) -> None:
        user = self.current_user()
        writable = not workspace.is_read_only(self.context.db)
        self.new_button.setEnabled(writable)
        for button in (self.roles_button, self.reset_button, self.disable_button):
            button.setEnabled(writable and user is not None)
        self.disable_button.setText("启用" if user and user.disabled else "停用")
        self.unlock_button.setEnabled(
            writable and user is not None and user.locked_at(self.now()) is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter or Return on the table opens 修改角色 for the selected row."""
        if watched is self.table and is_enter_key(event):
            self.open_current()
            return True
        return super().eventFilter(watched, event)

    # -- actions ------------------------------------------------------------------
    def _changed(self, login: str) -> None:
        self.context.announce(self.tables)  # refreshes this screen too
        self.select(login)

    def _attempt(self, call: Callable[[], object]) -> bool:
        try:
            call()
        except UserError as err:
            errors.show_user_error(self, err)
            self.refresh()
            return False
        return True

    def new_record(self) -> None:
        """新增用户 (Ctrl+N): the dialog, then the temporary password once."""
        dialog = NewUserDialog(self.context.db, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.made is None:
            return
        made = dialog.made
        self._changed(made.user.login)
        heading = f"已新增用户 {made.user.login}（{made.user.display_name}，{made.user.roles_text}）。"
        if made.temporary_password:
            self._show_password(f"{heading}临时密码：", made.temporary_password)
        else:
            inform(self, "新增用户", f"{heading}该用户首次登录时须修改密码。")

    def open_current(self) -> None:
        """修改角色 (Enter on a row): the roles and name of the selected account."""
        user = self.current_user()
        if user is None:
            return
        dialog = EditUserDialog(self.context.db, user, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed(user.login)

    def reset_password(self) -> None:
        """重置密码: after a yes, a temporary password shown once."""
        user = self.current_user()
        if user is None or not ask(self, "重置密码", (
                f"确定重置 {user.login}（{user.display_name}）的密码吗？\n原密码将立即失效，"
                "系统生成一次性的临时密码，该用户下次登录时须修改密码；锁定也一并解除。")):
            return
        made: list[accounts.NewAccount] = []
        if self._attempt(lambda: made.append(accounts.reset_password(self.context.db, user.login))):
            self._changed(user.login)
            self._show_password(f"已重置 {user.login}（{user.display_name}）的密码。临时密码：",
                                made[0].temporary_password)

    def _show_password(self, heading: str, password: str) -> None:
        dialog = TemporaryPasswordDialog(heading, password, self)
        try:
            dialog.exec()
        finally:
            dialog.password.clear()
            dialog.deleteLater()

    def toggle_disabled(self) -> None:
        """停用 (after a yes) or 启用 the selected account."""
        user = self.current_user()
        if user is None:
            return
        db = self.context.db
        if user.disabled:
            done = self._attempt(lambda: accounts.enable_user(db, user.login))
        else:
            me = users.current_user(db)
            own = "这是您自己的账户，停用后您将无法再登录。\n" if me and me.id == user.id else ""
            if not ask(self, "停用用户", f"{own}确定停用 {user.login}（{user.display_name}）吗？"
                                         "\n停用后该用户不能登录，其操作记录保留；以后可以再启用。"):
                return
            done = self._attempt(lambda: accounts.disable_user(db, user.login))
        if done:
            self._changed(user.login)

    def unlock(self) -> None:
        """解除锁定: end the selected account's lock-out now."""
        user = self.current_user()
        if user is None:
            return
        if self._attempt(lambda: accounts.unlock(self.context.db, user.login, now=self.now())):
            self._changed(user.login)
            inform(self, "解除锁定", f"已解除 {user.login}（{user.display_name}）的锁定，现在可以登录。")
