"""The open database and its main window, and switching to another database
(文件 → 新建数据库 / 打开数据库).

With a claim (desktop.views.instance) the session holds its database for this
process: a database another window has open is not opened a second time, and
the claim moves with the session to the database it switches to.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from desktop.errors import UserError
from desktop.services import maintenance, users, workspace
from desktop.views.context import AppContext
from desktop.views.dialogs import inform
from desktop.views.errors import show_user_error
from desktop.views.instance import (
    DatabaseClaim, already_open_message, bring_forward, claim_database,
)
from desktop.views.main_window import MainWindow
from desktop.views.settings import AppSettings
from desktop.views.users.idle_lock import IdleWatch

if TYPE_CHECKING:
    from desktop.db.connection import Database

Opener = Callable[[Path, str], tuple["Database", str]]  # (path, operator) -> (db, warning)


class _NotAdmitted(Exception):
    """Nobody signed in to the database switched to: the current one stays."""


class Session(QObject):
    """Keeps one database and one main window open at a time."""

    def __init__(self, opener: Opener, settings: AppSettings | None = None,
                 claim: DatabaseClaim | None = None,
                 gate: Callable[["Database"], bool] | None = None) -> None:
        super().__init__()
        self.gate = gate  # sign-in before a database switched to opens (views/users)
        self.opener = opener
        self.settings = settings or AppSettings()
        self.window: MainWindow | None = None
        self.db: Database | None = None
        self.warning_box = None  # the start-up warning shown, if any
        self.idle: IdleWatch | None = None
        self.claim: DatabaseClaim | None = None
        self._hold(claim)

    def show(self, db: Database, warning: str = "") -> MainWindow:
        """Show the main window for an opened database."""
        # Nobody configured (the demo opened straight away): the demo's operator, not 未署名.
        operator = (users.signed_in_operator(db) if users.current_user(db)
                    else self.settings.operator or workspace.default_operator(db))
        context = AppContext(db, operator=operator, settings=self.settings)
        window = MainWindow(context)
        window.database_requested.connect(self.switch)
        window.new_database_requested.connect(self.new_database)
        self.settings.last_database = str(context.db_path)
        self.window, self.db = window, db
        window.show()
        self._watch_idle(db, window)
        self.warning_box = None
        if warning:  # a failed backup, a database on a network share: not to be missed
            window.statusBar().showMessage(warning, 60000)
            self.warning_box = inform(window, "注意", warning)
        return window

    def switch(self, path: Path) -> MainWindow | None:
        """Open another database; the current one stays open if that fails, or if
        another window has the new one open (that window is asked to come forward)."""
        path = Path(path)
        try:
            claim = self._claim(path)
            try:
                db, warning = self.opener(path, self.settings.operator)
                if self.gate is not None and not self.gate(db):
                    db.close()
                    raise _NotAdmitted
            except BaseException:
                if claim is not None and claim is not self.claim:
                    claim.release()
                raise
        except _NotAdmitted:
            return None
        except UserError as err:
            show_user_error(self.window, err, "无法打开数据库")
            return None
        self.close()
        self._hold(claim)
        return self.show(db, warning)

    def _claim(self, path: Path) -> DatabaseClaim | None:
        """The claim to hold `path` with (None: this session guards nothing)."""
        if self.claim is None:
            return None
        if self.claim.holds(path):  # reopening this window's own database
            return self.claim
        claim = claim_database(path)
        if claim is None:
            raise UserError(already_open_message(path))
        return claim

    def _hold(self, claim: DatabaseClaim | None) -> None:
        if claim is self.claim:
            return
        if self.claim is not None:
            self.claim.knocked.disconnect(self._come_forward)
            self.claim.release()
        self.claim = claim
        if claim is not None:
            claim.knocked.connect(self._come_forward)

    def _come_forward(self) -> None:
        bring_forward(self.window)

    def new_database(self) -> MainWindow | None:
        """Ask where to create an empty database, create it and switch to it."""
        start = self.settings.last_dir
        chosen, _ = QFileDialog.getSaveFileName(self.window, "新建数据库", start,
                                                workspace.NEW_DATABASE_FILTER)
        if not chosen:
            return None
        path = workspace.database_file(Path(chosen))
        try:
            maintenance.init_database(path)
        except UserError as err:
            show_user_error(self.window, err, "无法新建数据库")
            return None
        self.settings.remember_file(path)
        return self.switch(path)

    def _watch_idle(self, db: Database, window: MainWindow) -> None:
        """A signed-in user's window locks after the database's idle minutes."""
        if self.idle is not None:
            self.idle.stop()
        self.idle = (IdleWatch(db, parent=window)
                     if users.current_user(db) else None)

    def close(self) -> None:
        """Close the window (saving its layout) and the database."""
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.db is not None:
            self.db.close()
            self.db = None
