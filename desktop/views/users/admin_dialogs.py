"""The dialogs of the 用户管理 screen: a new account, an account's roles and
name, and a temporary password shown this once. Like the start gate's dialogs
they call the services themselves and show a refusal inside the dialog."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from desktop.db.connection import Database
from desktop.domain import access
from desktop.errors import UserError
from desktop.services import accounts
from desktop.services.accounts import NewAccount
from desktop.services.users import User
from desktop.views.users.dialogs import TITLE, GateDialog, password_field

VIEWER_MAY = "查看和打印（个人信息隐去部分号码）"
SHOWN_ONCE = ("临时密码只显示这一次，关闭本窗口后无法再查看。请现在抄下或复制，"
              "当面或电话告诉该用户；该用户首次登录时须改成自己的密码。")


def role_summary(role: str) -> str:
    """What a role may do, in the order of ACCESS.md's actions."""
    allowed = access.ROLE_ACTIONS.get(role, frozenset())
    return "、".join(label for action, label in access.ACTION_LABELS.items()
                    if action in allowed) or VIEWER_MAY


class RoleBoxes(QWidget):
    """One tick box per role, each with what the role may do beside it."""

    def __init__(self, chosen: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.boxes: dict[str, QCheckBox] = {}
        for row, role in enumerate(access.ROLES):
            box = QCheckBox(access.ROLE_LABELS[role])
            box.setObjectName(f"role_{role}")
            box.setChecked(role in chosen)
            hint = QLabel(role_summary(role))  # one line each: the dialog widens to fit
            hint.setStyleSheet("color: #666;")
            grid.addWidget(box, row, 0)
            grid.addWidget(hint, row, 1)
            self.boxes[role] = box

    def roles(self) -> list[str]:
        """The ticked roles, in ACCESS.md's order."""
        return [role for role, box in self.boxes.items() if box.isChecked()]

    def set_roles(self, roles: list[str] | tuple[str, ...]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


class NewUserDialog(GateDialog):
    """登录名, 姓名, roles and an optional password; without one a temporary
    password is made. Either way the user sets their own at first sign-in."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("新增用户", "新用户首次登录时须修改密码。密码可以留空，"
                         "由系统生成一次性的临时密码。", parent, cancel_text="取消")
        self.setMinimumWidth(560)
        self.db = db
        self.login, self.name = QLineEdit(), QLineEdit()
        self.login.setMaxLength(accounts.LOGIN_MAX)
        self.name.setMaxLength(accounts.NAME_MAX)
        self.login.setPlaceholderText("例如：zhangsan（不含空格）")
        self.name.setPlaceholderText("例如：张三（留空则同登录名）")
        self.roles = RoleBoxes((access.CLERK,))
        self.password, self.again = password_field(), password_field()
        self.password.setPlaceholderText("留空：自动生成临时密码")
        self.form.addRow("登录名*", self.login)
        self.form.addRow("姓名", self.name)
        self.form.addRow("角色*", self.roles)
        self.form.addRow("初始密码", self.password)
        self.form.addRow("再次输入密码", self.again)
        self.made: NewAccount | None = None

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.refuse("两次输入的密码不一致")
            return
        try:
            self.made = accounts.add_user(self.db, self.login.text(), self.roles.roles(),
                                          display_name=self.name.text(),
                                          password=self.password.text())
        except UserError as err:
            self.refuse(str(err))
            return
        self.password.clear()
        self.again.clear()
        self.accept()


class EditUserDialog(GateDialog):
    """An account's roles (and its name). The last active administrator keeps
    the admin role: the service refuses, the dialog says why."""

    def __init__(self, db: Database, user: User, parent: QWidget | None = None) -> None:
        super().__init__("修改角色", f"登录名：{user.login}。可以同时给一个用户多个角色。",
                         parent, cancel_text="取消")
        self.setMinimumWidth(560)
        self.db, self.user = db, user
        self.name = QLineEdit(user.display_name)
        self.name.setMaxLength(accounts.NAME_MAX)
        self.roles = RoleBoxes(user.roles)
        self.form.addRow("姓名*", self.name)
        self.form.addRow("角色*", self.roles)

    def submit(self) -> None:
        roles = self.roles.roles()
        try:
            # Roles first: that is what may be refused (the last administrator).
            if tuple(roles) != tuple(r for r in access.ROLES if r in self.user.roles):
                accounts.set_roles(self.db, self.user.login, roles)
            accounts.set_display_name(self.db, self.user.login, self.name.text())
        except UserError as err:
            self.refuse(str(err))
            return
        self.accept()


class TemporaryPasswordDialog(QDialog):
    """A temporary password, selectable and with 复制, and that it is shown only
    this once. The text is dropped when the dialog closes."""

    def __init__(self, heading: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"临时密码 — {TITLE}")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        head = QLabel(heading)
        head.setWordWrap(True)
        layout.addWidget(head)
        row = QHBoxLayout()
        self.password = QLineEdit(password)
        self.password.setObjectName("temporary_password")
        self.password.setReadOnly(True)
        font = QFont("monospace")
        font.setPointSize(16)
        self.password.setFont(font)
        copy = QPushButton("复制")
        copy.clicked.connect(self.copy)
        row.addWidget(self.password, 1)
        row.addWidget(copy)
        layout.addLayout(row)
        self.warning = QLabel(SHOWN_ONCE)
        self.warning.setObjectName("shown_once")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020; font-weight: bold;")
        layout.addWidget(self.warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("我已记下")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.finished.connect(lambda *_: self.password.clear())

    def copy(self) -> None:
        """Put the password on the clipboard."""
        QGuiApplication.clipboard().setText(self.password.text())
