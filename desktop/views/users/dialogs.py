"""The dialogs of the start gate. Each checks through the services and shows
their Chinese refusal inside the dialog (wrong password, locked, disabled)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from desktop.db.connection import Database
from desktop.errors import UserError
from desktop.services import accounts, users
from desktop.services.users import User
from desktop.views.widgets import dialog_buttons

TITLE = "两新党建工作台"


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class GateDialog(QDialog):
    """A form, a red line for the refusal, 确定/取消."""

    def __init__(self, title: str, intro: str, parent: QWidget | None, *,
                 accept_text: str = "确定", cancel_text: str = "退出") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {TITLE}")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel("")
        self.error.setObjectName("gate_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, self.submit, accept_text, cancel_text)
        layout.addWidget(buttons)

    def refuse(self, message: str) -> None:
        self.error.setText(message)

    def submit(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError


class FirstAdminDialog(GateDialog):
    """A database without users: its first administrator, before anything opens."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("创建首位系统管理员",
                         "本数据库还没有用户。请先创建首位系统管理员：之后每次启动都须登录，"
                         "录入、财务、审核等用户由系统管理员添加。", parent)
        self.db = db
        self.login, self.name = QLineEdit(), QLineEdit()
        self.login.setMaxLength(accounts.LOGIN_MAX)
        self.name.setMaxLength(accounts.NAME_MAX)
        self.login.setPlaceholderText("例如：admin")
        self.name.setPlaceholderText("例如：张三")
        self.password, self.again = password_field(), password_field()
        self.password.setPlaceholderText("至少 8 位，含字母和数字")
        self.form.addRow("登录名*", self.login)
        self.form.addRow("姓名*", self.name)
        self.form.addRow("密码*", self.password)
        self.form.addRow("再次输入密码*", self.again)
        self.recovery_code = ""
        self.user: User | None = None

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.refuse("两次输入的密码不一致")
            return
        try:
            made = accounts.create_first_admin(self.db, self.login.text(), self.name.text(),
                                               self.password.text())
            self.user = users.sign_in(self.db, made.user.login, self.password.text())
        except UserError as err:
            self.refuse(str(err))
            return
        self.recovery_code = made.recovery_code
        self.password.clear()
        self.again.clear()
        self.accept()


class RecoveryCodeDialog(QDialog):
    """The recovery code, shown this once, and what losing it means."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"恢复码 — {TITLE}")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("系统管理员已创建。这是本数据库的恢复码："))
        shown = QLabel(code)
        shown.setObjectName("recovery_code")
        font = QFont("monospace")
        font.setPointSize(16)
        shown.setFont(font)
        shown.setTextInteractionFlags(shown.textInteractionFlags()
                                      | shown.textInteractionFlags().TextSelectableByMouse)
        layout.addWidget(shown)
        warning = QLabel(accounts.RECOVERY_WARNING)
        warning.setWordWrap(True)
        layout.addWidget(warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("我已妥善保管")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


class SignInDialog(GateDialog):
    """Login name and password; the services' refusal is shown in the dialog."""

    def __init__(self, db: Database, parent: QWidget | None = None, *, login: str = "") -> None:
        super().__init__("登录", "请输入用户名和密码。", parent)
        self.db = db
        self.login = QLineEdit(login)
        self.password = password_field()
        self.form.addRow("用户名", self.login)
        self.form.addRow("密码", self.password)
        (self.password if login else self.login).setFocus()
        self.user: User | None = None

    def submit(self) -> None:
        try:
            self.user = users.sign_in(self.db, self.login.text(), self.password.text())
        except UserError as err:
            self.password.clear()
            self.refuse(str(err))
            return
        self.accept()


VOLUNTARY_CHANGE = "请输入原密码和新密码。新密码至少 8 位，须同时包含字母和数字。"


class ChangePasswordDialog(GateDialog):
    """A new password: asked for at a must-change sign-in (the default intro), or
    chosen by the user from 文件 → 修改密码… (`voluntary`: the intro and 取消 fit)."""

    def __init__(self, db: Database, parent: QWidget | None = None, *,
                 voluntary: bool = False) -> None:
        super().__init__("修改密码", VOLUNTARY_CHANGE if voluntary else users.MUST_CHANGE, parent,
                         cancel_text="取消" if voluntary else "退出")
        self.db = db
        self.old, self.new, self.again = password_field(), password_field(), password_field()
        self.form.addRow("原密码" if voluntary else "原密码（临时密码）", self.old)
        self.form.addRow("新密码", self.new)
        self.form.addRow("再次输入新密码", self.again)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.refuse("两次输入的新密码不一致")
            return
        try:
            accounts.change_password(self.db, self.old.text(), self.new.text())
        except UserError as err:
            self.refuse(str(err))
            return
        for field in (self.old, self.new, self.again):
            field.clear()
        self.accept()
