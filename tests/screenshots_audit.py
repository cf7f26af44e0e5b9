"""Screenshot of the 审计日志 screen (issue 16) on the demo database: a clerk
changed an officer's phone and bank card, a viewer was refused, and the
administrator looks at the log with that change selected. Run under a display
with a Chinese font:

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \
        python tests/screenshots_audit.py [OUT.png]

Saves docs/screenshots/audit-log.png (and OUT.png when given). Not part of the test run.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.screenshots import grab, settle  # noqa: E402

PASSWORD = "demo1234"


def _activity(db) -> None:
    """What the log should show beside the demo's own rows."""
    from desktop.domain.registry import LiaisonOfficer, PersonFilter
    from desktop.errors import UserError
    from desktop.services import registry, users

    users.sign_in(db, "viewer", PASSWORD)
    try:
        registry.create(db, LiaisonOfficer(name="未授权新增", id_number=""))
    except UserError:
        pass  # the refusal is what the log shows
    users.sign_in(db, "clerk", PASSWORD)
    officer = registry.list_officers(db, PersonFilter(limit=1)).rows[0][0]
    registry.update(db, dataclasses.replace(officer, phone="13912345678",
                                            bank_account="6222020200112233445"))
    users.sign_in(db, "admin", PASSWORD)


def main() -> int:
    """Build the demo, make a few entries, show the screen and save it."""
    home = Path(tempfile.mkdtemp(prefix="liangxin-audit-shots-"))
    os.environ["LIANGXIN_HOME"] = str(home)
    from PySide6.QtWidgets import QApplication

    from desktop.services import demo
    from desktop.services.workspace import open_workspace
    from desktop.views.audit.screen import AuditLogScreen
    from desktop.views.context import AppContext
    from desktop.views.qt_chinese import install_qt_chinese

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_chinese(app)
    path = home / "demo.sqlite3"
    demo.rebuild_demo(path)
    db = open_workspace(path)
    _activity(db)
    context = AppContext(db, operator="演示管理员")
    screen = AuditLogScreen(context)
    screen.setWindowTitle("两新党建工作台 — 审计日志")
    screen.resize(1280, 760)
    screen.show()
    while screen.chain_task is not None and not screen.chain_task.done:
        settle(app, 0.1)
    update_row = next(r for r in range(screen.model.total)
                      if screen.model.record_at(r).table == "liaison_officer")
    screen.table.selectRow(update_row)
    shot = grab(app, screen, "audit-log")
    if len(sys.argv) > 1:
        Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, sys.argv[1])
        print(f"copied to {sys.argv[1]}")
    screen.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
