"""Screenshots of the start gate (issue 16): the first administrator of a database
without users, the recovery code shown once, and the sign-in dialog refusing a
wrong password. Run under a display with a Chinese font:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_users.py

Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screenshots import grab  # noqa: E402


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
