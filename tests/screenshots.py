"""Screenshots of every desktop screen, from real windows, into docs/screenshots/.

Run under a display with a Chinese font installed, for example (Debian: xvfb,
fonts-wqy-zenhei, and Qt's xcb platform libraries libxcb-cursor0 libxcb-icccm4
libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0):

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


def wait_for(app, condition, seconds: float = 20.0) -> None:
    """Spin the loop until `condition()` holds (work off the GUI thread finishing)."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the screen")
        app.processEvents()
        time.sleep(0.02)


def shoot_publications(app, window) -> None:
    """The quarterly report and the bulletin composer with its preview."""
    report = window.screen("季度报表")
    wait_for(app, lambda: report.report is not None)
    grab(app, window, "quarterly")
    composer = window.screen("组工信息")
    if composer.list.count():
        composer.list.setCurrentRow(0)
    settle(app, 1.0)
    grab(app, window, "bulletin-editor")
    composer.tabs.setCurrentIndex(1)
    settle(app, 2.0)
    grab(app, window, "bulletin-preview")
    composer.tabs.setCurrentIndex(0)


def shoot_payments(app, window, db) -> None:
    """补贴发放: the runs, a locked run with a line that moved mid-quarter, the
    yearly policy refusing an amount with three decimals, and the print preview."""
    # The demo brings its runs: 2026-10 (draft), 2026-Q3 and 2025's bonus (locked).
    screen = window.screen("补贴发放")
    screen.refresh()
    settle(app, 0.5)
    grab(app, window, "payments")
    screen.runs_view.selectRow(1)
    settle(app)
    model = screen.lines_model
    for row in range(model.rowCount()):
        if any(0 < m.posted_days < m.days_in_month for m in model.row_at(row).months):
            screen.lines_view.selectRow(row)
            break
    grab(app, window, "payments-detail")
    screen.edit_policy(2027)
    settle(app)
    screen.policy_dialog.amounts["monthly"].setText("12.345")
    grab(app, screen.policy_dialog, "payments-policy")
    screen.policy_dialog.reject()
    screen.print_preview()
    wait_for(app, lambda: screen.preview_dialog is not None)
    settle(app, 1.0)
    grab(app, screen.preview_dialog, "payments-preview")
    screen.preview_dialog.close()


def shoot_import_problems(app, window, folder: Path) -> None:
    """An import refused: the problem list with the error-workbook button."""
    sys.path.insert(0, str(ROOT / "tests"))
    from factories import build_workbook, uscc

    wrong = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    book = build_workbook(folder / "乡镇组织名单.xlsx", {"组织": [
        ["名称*", "统一社会信用代码", "类型*", "所属乡镇*", "联系电话", "从业人员数"],
        ["城关镇某某快递有限公司", uscc(1), "非公企业", "城关镇", "13800138000", 35],
        ["城关镇某某物流有限公司", wrong, "国企", "城关镇", "12345", -2],
        [None, None, "非公企业", "城关镇", None, None]]})
    window.importer.last_dialog = None
    window.importer.start(book)
    wait_for(app, lambda: window.importer.last_dialog is not None)
    dialog = window.importer.last_dialog
    grab(app, dialog, "import-problems")
    dialog.close()


def shoot_first_run(app) -> None:
    """The welcome dialog of a fresh install."""
    from desktop.views.setup.first_run import FirstRunDialog

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
    shoot_publications(app, window)
    shoot_payments(app, window, db)
    shoot_import_problems(app, window, home)
    shoot_first_run(app)
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
