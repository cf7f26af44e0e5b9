"""What every screen is given: the open database, who is working, the settings,
the app-wide `data_changed` announcement and a way to run long work.

Screens never reach into each other (STYLE.md rule 3): after a write a screen
calls `context.announce({"organization"})`, and every screen that shows those
tables refreshes itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop.services import users, workspace
from desktop.views import errors, worker
from desktop.views.settings import AppSettings

if TYPE_CHECKING:
    from desktop.db.connection import Database


class AppEvents(QObject):
    """App-level signals; `data_changed` carries the set of table names written."""

    data_changed = Signal(object)


class AppContext:
    """The open workspace as the views see it."""

    def __init__(self, db: Database, *, operator: str, settings: AppSettings | None = None) -> None:
        self.db = db
        self.operator = operator
        signed_in = users.current_user(db)
        self.user_id = signed_in.id if signed_in else ""  # carried to the workers' connections
        self.settings = settings or AppSettings()
        self.events = AppEvents()

    @property
    def db_path(self) -> Path:
        """The database file (workers open their own connection to it)."""
        return workspace.database_path(self.db)

    def announce(self, tables: Iterable[str]) -> None:
        """Tell every screen which tables were just written."""
        self.events.data_changed.emit(frozenset(tables))

    def run(self, parent: QWidget | None, label: str, fn: Callable[[Database, worker.Progress], Any],
            on_result: Callable[[Any], None], *, cancellable: bool = True,
            on_cancel: Callable[[], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            quiet: bool = False) -> worker.TaskHandle:
        """Run `fn(db, progress)` off the GUI thread with a progress dialog; a
        failure is shown as a message (UserError) or the crash dialog."""
        return worker.run_task(
            parent, label, fn, db_path=self.db_path, operator=self.operator, user_id=self.user_id,
            on_result=on_result, on_cancel=on_cancel, cancellable=cancellable, quiet=quiet,
            on_error=on_error or (lambda exc: errors.show_error(parent, exc)))
