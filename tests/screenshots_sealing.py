"""Screenshots of the exchange password (issue 16, point 7): 设置 with its
交换口令 section, the dialog that sets it (a mismatch shown) and the one that
asks for it when a sealed backup is restored. Run like tests/screenshots.py:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_sealing.py

Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screenshots import grab, settle  # noqa: E402


def main() -> int:
    """Open a demo county's window on 设置 and save the three screenshots."""
    home = Path(tempfile.mkdtemp(prefix="liangxin-sealing-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from desktop.services import sealing
    from desktop.views.context import AppContext
    from desktop.views.main_window import MainWindow
    from desktop.views.security.password_dialog import PasswordDialog
    from desktop.views.settings import AppSettings
    from tests.exchange.offices import county_office

    app = QApplication(sys.argv[:1])
    db = county_office(home)
    sealing.set_password(db, "jiaohuan2026", "jiaohuan2026")
    context = AppContext(db, operator="县里", settings=AppSettings(home / "s.ini"))
    window = MainWindow(context)
    window.move(0, 0)
    window.resize(1280, 800)
    window.show()
    window.screen("设置")
    settle(app, 1.0)
    grab(app, window, "sealing-settings")
    box = window.screen("设置").exchange_password
    box.change()
    dialog = box.dialog
    dialog.move(400, 250)
    dialog.password.setText("jiaohuan2027")
    dialog.repeated.setText("jiaohuan2072")
    dialog.try_accept()
    grab(app, dialog, "sealing-set-password")
    dialog.reject()
    asking = PasswordDialog("恢复加密备份", "“宜城县-20261207-manual.sqlite3”已用交换口令加密，"
                            "请输入交换口令：", window)
    asking.password.setText("secret")
    asking.move(400, 250)
    asking.show()
    grab(app, asking, "sealing-password")
    asking.close()
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
