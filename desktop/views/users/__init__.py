"""Signing in at start (ACCESS.md): the first administrator of a database
without users, the sign-in dialog, the forced password change; the 用户管理
screen and 文件 → 修改密码… for whoever is signed in."""

from __future__ import annotations

from typing import Any, Protocol


class AccountHost(Protocol):
    """What the menu needs of the main window (named, not imported: the main
    window imports this package)."""

    context: Any
    file_menu: Any


def add_account_menu(window: AccountHost) -> None:
    """Put 修改密码… into the window's File menu just above 退出, when the
    database has users; greyed out on a read-only database."""
    from desktop.services import users

    if not users.has_users(window.context.db):
        return
    from PySide6.QtGui import QAction

    from desktop.views.users.dialogs import ChangePasswordDialog

    def change() -> None:
        dialog = ChangePasswordDialog(window.context.db, window, voluntary=True)
        try:
            if dialog.exec() == dialog.DialogCode.Accepted:
                from desktop.views.dialogs import inform

                inform(window, "修改密码", "密码已修改，下次登录请使用新密码。")
        finally:
            dialog.deleteLater()

    action = QAction("修改密码…", window)
    action.triggered.connect(lambda *_: change())
    action.setEnabled(not getattr(window, "read_only", False))
    quit_action = window.file_menu.actions()[-1]  # 退出 closes the menu
    window.file_menu.insertAction(quit_action, action)
    window.file_menu.insertSeparator(quit_action)
    window.change_password_action = action
