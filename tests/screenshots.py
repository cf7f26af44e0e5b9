"""Screenshots of every desktop screen, from real windows, into docs/screenshots/.

Run under a display with a Chinese font installed, for example:

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb python tests/screenshots.py

It builds the demo database in a temporary data folder, opens the main window
and grabs the screen area of each window (not a widget render), so what is
saved is what the X server shows. Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def settle(app, seconds: float = 0.4) -> None:
    """Let the window system map and paint (a script may spin the loop)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def grab(app, widget, name: str) -> Path:
    """Save the screen area of a top-level window as docs/screenshots/<name>.png."""
    widget.raise_()
    widget.activateWindow()
    settle(app)
    frame = widget.frameGeometry()
    shot = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    path = OUT / f"{name}.png"
    if not shot.save(str(path)):
        raise SystemExit(f"could not save {path}")
    print(f"saved {path.relative_to(ROOT)} ({shot.width()}x{shot.height()})")
    return path


def type_chinese(widget, text: str) -> None:
    """Type as an input method commits Chinese text."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    for ch in text:
        event = QInputMethodEvent()
        event.setCommitString(ch)
        QCoreApplication.sendEvent(widget, event)


def shoot_lists(app, window) -> None:
    """The three registry lists, one of them filtered."""
    grab(app, window, "organizations")
    screen = window.screen("组织")
    type_chinese(screen.search, "快递")
    screen.party_form.set_value("none")
    grab(app, window, "organizations-filtered")
    screen.search.clear()
    screen.party_form.set_value(None)
    window.screen("指导员")
    grab(app, window, "instructors")
    window.screen("联络员")
    grab(app, window, "officers")
    window.screen("设置")
    grab(app, window, "settings")


def shoot_forms(app, window) -> None:
    """An organization form refusing a wrong USCC, and an officer's form."""
    screen = window.screen("组织")
    form = screen.open_record(screen.model.record_at(3))
    uscc = form.fields["uscc"]
    good = uscc.text() or "91340826MA2N0X1234"
    uscc.setFocus()
    uscc.setText(good[:-1] + ("0" if good[-1] != "0" else "1"))
    uscc.editingFinished.emit()
    grab(app, form, "organization-form-invalid")
    form.discard()
    officers = window.screen("联络员")
    row = next(r for r in range(officers.model.rowCount())
               if officers.model.row_at(r)[1])  # one posted somewhere today
    form = officers.open_record(officers.model.record_at(row))
    grab(app, form, "officer-form")
    form.discard()


def shoot_first_run(app) -> None:
    """The welcome dialog of a fresh install."""
    from desktop.views.first_run import FirstRunDialog

    dialog = FirstRunDialog()
    dialog.show()
    grab(app, dialog, "first-run")
    dialog.close()


def main() -> int:
    """Build the demo, open the window, save every screenshot."""
    home = Path(tempfile.mkdtemp(prefix="liangxin-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    OUT.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication

    from desktop.services import demo
    from desktop.views.context import AppContext
    from desktop.views.main_window import MainWindow
    from desktop.views.settings import AppSettings

    app = QApplication(sys.argv[:1])
    print(f"platform {app.platformName()}, font {app.font().family()}")
    db = demo.open_demo()
    context = AppContext(db, operator="张三", settings=AppSettings(home / "shots.ini"))
    window = MainWindow(context)
    window.move(0, 0)
    window.resize(1280, 800)
    window.show()
    settle(app, 1.0)
    shoot_lists(app, window)
    shoot_forms(app, window)
    shoot_first_run(app)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
