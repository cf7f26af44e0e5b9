"""The GUI entry point `liangxin` (and `python -m desktop`).

Chooses the database, opens it (taking the daily start-up backup) and shows the
main window. Unhandled exceptions are logged to paths.log_path().
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from desktop import __version__, paths
from desktop.db.connection import Database
from desktop.errors import UserError
from desktop.services import demo, maintenance, registry
from desktop.services.workspace import county_name, open_workspace

TITLE = "两新党建工作台"
log = logging.getLogger("liangxin")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The GUI's command-line options."""
    parser = argparse.ArgumentParser(prog="liangxin", description=TITLE)
    parser.add_argument("--db", type=Path, help="打开指定的数据库文件")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库（不存在则生成）")
    return parser.parse_args(argv)


def choose_database(args: argparse.Namespace) -> Path:
    """The database to open: --db if given; the demo database for --demo, and
    also when the clerk's database does not exist yet (a fresh install starts
    with sample data to look at, building it if missing); else the clerk's."""
    if args.db:
        return Path(args.db)
    if args.demo or not paths.default_db_path().exists():
        demo.open_demo().close()
        return paths.demo_db_path()
    return paths.default_db_path()


def install_excepthook() -> None:
    """Log every unhandled exception to the log file before the default hook runs."""
    if not logging.getLogger().handlers:
        logging.basicConfig(filename=str(paths.log_path()), encoding="utf-8", level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("未处理的异常", exc_info=(kind, exc, tb))
        sys.__excepthook__(kind, exc, tb)

    sys.excepthook = hook


def build_window(db: Database, path: Path) -> QMainWindow:
    """The main window: for now a plain page saying which database is open."""
    window = QMainWindow()
    window.setWindowTitle(TITLE)
    total = registry.list_organizations(db).total
    kind = "（演示数据）" if path.resolve() == paths.demo_db_path().resolve() else ""
    label = QLabel(f"{county_name(db)}{kind}\n已登记两新组织 {total} 个\n\n数据库：{path}")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    window.setCentralWidget(label)
    window.statusBar().showMessage(f"已打开数据库：{path.name}")
    window.resize(900, 600)
    return window


def _open(path: Path) -> tuple[Database, str]:
    """Open the database and take the daily backup; a failed backup is a warning."""
    db = open_workspace(maintenance.init_database(path))
    try:
        maintenance.startup_backup(db)
    except UserError as err:
        log.warning("start-up backup failed: %s", err)
        return db, str(err)
    return db, ""


def main(argv: list[str] | None = None) -> int:
    """Start the GUI; returns the exit code."""
    args = parse_args(argv)
    install_excepthook()
    log.info("liangxin %s starting", __version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        path = choose_database(args)
        db, warning = _open(path)
    except UserError as err:
        QMessageBox.critical(None, TITLE, str(err))
        return 1
    window = build_window(db, path)
    if warning:
        window.statusBar().showMessage(warning)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
