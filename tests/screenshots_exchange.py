"""Screenshots of the data exchange (issue 15): the preview of a township package
with conflicts at the county, and the county's 数据报送 screen. Run like
tests/screenshots.py, under a display with a Chinese font:

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_exchange.py

Builds a county and 白沙镇 as two real databases in a temporary folder (see
tests/views/exchange/exchange_scenario.py). Not part of the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screenshots import grab, settle, wait_for  # noqa: E402


def main() -> int:
    """Build the two offices, open the county's window, save the screenshots."""
    home = Path(tempfile.mkdtemp(prefix="liangxin-exchange-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from desktop.services import exchange
    from desktop.views.context import AppContext
    from desktop.views.exchange.actions import MERGED_TABLES
    from desktop.views.main_window import MainWindow
    from desktop.views.settings import AppSettings
    from tests.views.exchange.exchange_scenario import conflicted

    app = QApplication(sys.argv[:1])
    scenario = conflicted(home / "offices")
    context = AppContext(scenario.county, operator="县里", settings=AppSettings(home / "s.ini"))
    window = MainWindow(context)
    window.move(0, 0)
    window.resize(1280, 800)
    window.show()
    settle(app, 1.0)
    window.exchange.preview(scenario.package)
    wait_for(app, lambda: window.exchange.dialog is not None)
    dialog = window.exchange.dialog
    dialog.move(60, 40)
    dialog.choose(1, "ours")
    dialog.list.setCurrentRow(0)
    settle(app, 0.5)
    grab(app, dialog, "exchange-preview")
    dialog.reject()
    exchange.merge_package(scenario.county, scenario.package, resolve_all="theirs")
    context.announce(MERGED_TABLES)
    window.screen("数据报送")
    settle(app, 0.5)
    grab(app, window, "exchange-submissions")
    window.screen("设置")
    settle(app, 0.5)
    grab(app, window, "exchange-settings")
    from desktop.views.setup.first_run import FirstRunDialog

    first = FirstRunDialog()
    first.installation.township.setChecked(True)
    first.show()
    grab(app, first, "exchange-first-run")
    first.close()
    window.close()
    scenario.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
