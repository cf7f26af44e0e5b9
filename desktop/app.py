"""The GUI entry point `liangxin` (and `python -m desktop`).

On a fresh install asks for the county and operator (or offers the demo);
chooses the database, opens it (taking the daily start-up backup) and shows the
main window. Unhandled exceptions are logged to paths.log_path().
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop import __version__, paths
from desktop.cli import argparse_zh
from desktop.db.connection import Database
from desktop.errors import UserError
from desktop.selftest import run_self_test
from desktop.services import demo, maintenance
from desktop.services.workspace import (
    is_read_only, open_workspace, require_intact, storage_warning,
)
from desktop.views.gui_gc import collect_on_gui_thread
from desktop.views.errors import show_uncaught
from desktop.views.setup.first_run import FirstRunDialog, create_county_database, needs_first_run
from desktop.views.instance import already_open_message, claim_database
from desktop.views.qt_chinese import install_qt_chinese
from desktop.views.recovery import open_or_recover
from desktop.views.session import Session
from desktop.views.settings import AppSettings
from desktop.views.users.gate import admit

TITLE = "两新党建工作台"
log = logging.getLogger("liangxin")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The GUI's command-line options; --help and usage errors in Chinese, as the CLI's."""
    argparse_zh.install()
    parser = argparse.ArgumentParser(prog="liangxin", description=TITLE)
    parser.add_argument("--db", type=Path, help="打开指定的数据库文件")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库（不存在则生成）")
    parser.add_argument("--self-test", action="store_true",
                        help="在临时目录中自检（建库、演示数据、发放、报表、主窗口）后退出")
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
        if QApplication.instance() is None:
            sys.__excepthook__(kind, exc, tb)
        else:  # a clerk sees a dialog with copyable details, never a console
            show_uncaught(kind, exc, tb)

    sys.excepthook = hook


def first_run(args: argparse.Namespace, settings: AppSettings) -> bool:
    """On a fresh install ask for the county and operator (creating the clerk's
    database) or switch to the demo; False when the clerk closed the dialog."""
    if not needs_first_run(args.db, args.demo):
        return True
    dialog = FirstRunDialog()
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
        return False
    choice = dialog.choice
    if choice.operator:
        settings.operator = choice.operator
    if choice.demo:
        args.demo = True
    else:
        create_county_database(choice)
    return True


def _open(path: Path, operator: str = "") -> tuple[Database, str]:
    """Open an existing database and take the daily backup; a failed backup, a
    database on a network share or a read-only one is a warning. A damaged file is
    refused before it is copied into the backups (DamagedDatabase)."""
    db = open_workspace(path, operator=operator)
    try:
        require_intact(db)
    except BaseException:
        db.close()
        raise
    warnings = [storage_warning(db)]
    if not is_read_only(db):
        try:
            maintenance.startup_backup(db)
        except UserError as err:
            log.warning("start-up backup failed: %s", err)
            warnings.append(str(err))
    return db, "  ".join(w for w in warnings if w)


def main(argv: list[str] | None = None) -> int:
    """Start the GUI; returns the exit code."""
    args = parse_args(argv)
    if args.self_test:  # before anything touches the user's data directory
        return run_self_test()
    install_excepthook()
    log.info("liangxin %s starting", __version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)
    install_qt_chinese(app)
    settings = AppSettings()
    try:
        if not first_run(args, settings):
            return 0
        path = choose_database(args)
        claim = claim_database(path)  # one window per database: the first comes forward
        if claim is None:
            QMessageBox.information(None, TITLE, already_open_message(path))
            return 0
        opened = open_or_recover(path, settings.operator, _open)
    except UserError as err:
        QMessageBox.critical(None, TITLE, str(err))
        return 1
    if opened is None:  # a damaged database, and the clerk chose to quit
        return 1
    db, warning = opened
    if not admit(db):  # sign-in (or the first administrator) before anything opens
        db.close()
        claim.release()
        return 0
    session = Session(_open, settings, claim, gate=admit)
    session.show(db, warning)
    try:
        return app.exec()
    finally:
        session.close()
        if session.claim is not None:
            session.claim.release()
