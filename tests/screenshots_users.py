"""Screenshots of the start gate (issue 16): the first administrator of a database
without users, the recovery code shown once, and the sign-in dialog refusing a
wrong password; then 用户管理 on the demo database with its new-user dialog and
a temporary password shown once (also copied to /tmp/shots/user_admin.png).
Run under a display with a Chinese font:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_users.py

Not part of the test run.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screenshots import grab, settle  # noqa: E402

LOOK_AT = Path("/tmp/shots")


def main() -> int:
    """Open a new database, fill the dialogs as a clerk would, save the screenshots."""
    home = Path(tempfile.mkdtemp(prefix="liangxin-user-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from desktop.services import users
    from desktop.services.workspace import open_workspace
    from desktop.views.qt_chinese import install_qt_chinese
    from desktop.views.users.dialogs import FirstAdminDialog, RecoveryCodeDialog, SignInDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_chinese(app)
    db = open_workspace(home / "shots.sqlite3", create=True)
    first = FirstAdminDialog(db)
    first.login.setText("admin")
    first.name.setText("王建国")
    first.password.setText("secret2026")
    first.again.setText("secret2025")
    first.show()
    first.submit()  # the two passwords differ: the refusal shows in the dialog
    grab(app, first, "users-first-admin")
    first.again.setText("secret2026")
    first.submit()
    code = RecoveryCodeDialog(first.recovery_code)
    code.show()
    grab(app, code, "users-recovery-code")
    code.close()
    users.sign_out(db)
    sign_in = SignInDialog(db, login="admin")
    sign_in.show()
    sign_in.password.setText("wrong2026")
    sign_in.submit()
    grab(app, sign_in, "users-sign-in")
    db.close()
    shoot_user_admin(app, home)
    return 0


def _demo_states(db) -> None:
    """The demo's users in the states the 状态 column shows: signed in, locked,
    disabled, and a new user who must change the temporary password."""
    from desktop.errors import UserError
    from desktop.services import accounts, users

    for login in ("clerk", "finance"):
        users.sign_in(db, login, accounts.DEMO_PASSWORD)
    for _ in range(5):
        try:
            users.sign_in(db, "reviewer", "wrong2026")
        except UserError:
            pass
    users.sign_in(db, "admin", accounts.DEMO_PASSWORD)
    accounts.add_user(db, "zhangsan", ["clerk", "finance"], display_name="张三")
    accounts.disable_user(db, "viewer")


def shoot_user_admin(app, home: Path) -> None:
    """用户管理 in the main window on the demo, then its two dialogs."""
    from desktop.services import demo, users
    from desktop.views.context import AppContext
    from desktop.views.main_window import MainWindow
    from desktop.views.settings import AppSettings
    from desktop.views.users.admin_dialogs import (
        EditUserDialog, NewUserDialog, TemporaryPasswordDialog,
    )

    db = demo.open_demo()
    _demo_states(db)
    operator = users.signed_in_operator(db)  # as the session names a signed-in user
    window = MainWindow(AppContext(db, operator=operator, settings=AppSettings(home / "u.ini")))
    window.move(0, 0)
    window.resize(1280, 800)
    window.show()
    screen = window.screen("用户管理")
    screen.select("reviewer")
    settle(app, 0.6)
    LOOK_AT.mkdir(parents=True, exist_ok=True)
    shutil.copy(grab(app, window, "users-admin"), LOOK_AT / "user_admin.png")
    edit = EditUserDialog(db, screen.current_user(), window)
    edit.show()
    shutil.copy(grab(app, edit, "users-edit-roles"), LOOK_AT / "user_edit.png")
    edit.close()
    new = NewUserDialog(db, window)
    new.login.setText("lisi")
    new.name.setText("李四")
    new.show()
    shutil.copy(grab(app, new, "users-new-user"), LOOK_AT / "user_new.png")
    new.submit()
    made = new.made
    shown = TemporaryPasswordDialog(
        f"已新增用户 {made.user.login}（{made.user.display_name}，{made.user.roles_text}）。临时密码：",
        made.temporary_password, window)
    shown.show()
    shutil.copy(grab(app, shown, "users-temporary-password"), LOOK_AT / "user_temporary.png")
    shown.close()
    window.close()
    db.close()


if __name__ == "__main__":
    sys.exit(main())
