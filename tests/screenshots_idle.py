"""Screenshots of the idle lock, 设置 → 登录与复核 and a masked form (issue 16), on the demo
database signed in as its administrator. Run under a display with a Chinese font:

    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_idle.py

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
    """The main window on the settings screen, then the same window idle-locked."""
    home = Path(tempfile.mkdtemp(prefix="liangxin-idle-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication, QScrollArea

    from desktop.services import accounts, demo, users
    from desktop.views.context import AppContext
    from desktop.views.main_window import MainWindow
    from desktop.views.qt_chinese import install_qt_chinese
    from desktop.views.settings import AppSettings
    from desktop.views.users.idle_lock import IdleWatch

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_chinese(app)
    db = demo.open_demo()
    users.sign_in(db, "admin", accounts.DEMO_PASSWORD)
    window = MainWindow(AppContext(db, operator=users.signed_in_operator(db),
                                   settings=AppSettings(home / "shots.ini")))
    window.resize(1200, 720)
    window.show()
    window.nav.setCurrentRow(window.nav.count() - 1)  # 设置
    page = window.current_screen()
    page.access.maker_checker.setChecked(True)
    scroll = page.findChild(QScrollArea)
    scroll.ensureWidgetVisible(page.access)
    settle(app)
    grab(app, window, "users-settings-access")
    watch = IdleWatch(db, minutes=15, clock=lambda: 10_000.0)
    watch.last_input = 0.0
    watch.check()
    watch.dialog.password.setText("wrong2026")
    watch.dialog.submit()
    settle(app)
    grab(app, window, "users-idle-locked")
    grab(app, watch.dialog, "users-idle-lock-dialog")
    watch.stop()
    watch.dialog.hide()  # close() would ask whether to quit
    shoot_masked_form(app, db, window)
    db.close()
    return 0


def shoot_masked_form(app, db, window) -> None:
    """An officer's form as the clerk opens it: numbers masked, 显示完整号码 offered."""
    from desktop.domain.registry import LiaisonOfficer, PersonFilter
    from desktop.services import accounts, registry, users
    from desktop.views.registry.officer_form import OfficerForm

    users.sign_in(db, "clerk", accounts.DEMO_PASSWORD)
    officer, _ = registry.list_officers(db, PersonFilter(limit=1)).rows[0]
    form = OfficerForm(window.context, registry.get(db, LiaisonOfficer, officer.id))
    form.show()
    settle(app)
    grab(app, form, "users-masked-form")
    form.discard()


if __name__ == "__main__":
    sys.exit(main())
