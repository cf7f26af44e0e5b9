"""设置 → 交换口令: set, change or clear the office's exchange password."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.errors import UserError
from desktop.services import sealing
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.dialogs import ask
from desktop.views.security.password_dialog import FORGOTTEN, PasswordDialog

SET_TEXT = ("已设置交换口令：备份到其他位置（如移动磁盘）和生成的数据交换包都会加密，"
            "恢复或导入时需输入交换口令。")
UNSET_TEXT = "未设置交换口令：备份到其他位置和数据交换包不加密。"
NOTE = ("县委组织部与各乡镇须约定同一个交换口令。本机只保存交换口令的校验值，不保存口令本身。"
        + FORGOTTEN + "本机数据库和备份文件夹中的自动备份不加密，请用操作系统的磁盘加密保护本机。")


class ExchangePasswordBox(QGroupBox):
    """The 交换口令 section of 设置."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("交换口令", parent)
        self.context = context
        self.dialog: PasswordDialog | None = None
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        row = QHBoxLayout()
        self.set_button = QPushButton()
        self.set_button.clicked.connect(self.change)
        self.clear_button = QPushButton("清除交换口令")
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.set_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Show whether a password is set, and offer what can be done."""
        is_set = sealing.is_set(self.context.db)
        self.status.setText(SET_TEXT if is_set else UNSET_TEXT)
        self.set_button.setText("更改交换口令…" if is_set else "设置交换口令…")
        self.clear_button.setEnabled(is_set)

    def change(self) -> None:
        """Ask for the new password twice; saved when both agree and it is strong."""
        self.dialog = PasswordDialog(
            self.set_button.text().rstrip("…"),
            "请输入新的交换口令（至少 8 位，须同时包含字母和数字），并再输入一次确认。"
            "之前已加密的文件仍用原来的交换口令打开。",
            self, repeat=True, check=self._save)
        self.dialog.accepted.connect(self._saved)
        self.dialog.open()

    def _save(self, password: str, repeated: str) -> None:
        sealing.set_password(self.context.db, password, repeated)

    def _saved(self) -> None:
        self.refresh()
        self.context.announce({"app_setting"})

    def clear(self) -> None:
        """Stop sealing, after asking."""
        if not ask(self, "清除交换口令",
                   "清除后，备份到其他位置和生成的交换包将不再加密。确定清除吗？"):
            return
        try:
            sealing.clear_password(self.context.db)
        except UserError as err:
            errors.show_user_error(self, err, "未清除")
            return
        self._saved()
