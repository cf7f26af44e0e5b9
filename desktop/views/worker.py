"""Long work off the GUI thread (STYLE.md rule 9).

`run_task` runs `fn(db, progress)` on the global QThreadPool. The worker opens
its own database connection (a connection belongs to its thread) and closes it
afterwards. `progress(done, total, text)` updates the progress dialog and
raises `Cancelled` once the user pressed 取消, so a service that reports
progress stops inside its transaction and nothing is written. The dialog only
appears when the work lasts longer than half a second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.services import users
from desktop.services.workspace import open_workspace

if TYPE_CHECKING:
    from desktop.db.connection import Database

SHOW_AFTER_MS = 500


class Cancelled(Exception):
    """Raised inside the worker when the user cancelled."""


class Progress:
    """The callback handed to the work function; thread-safe."""

    def __init__(self, signals: TaskSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def __call__(self, done: int = 0, total: int = 0, text: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self._signals.progress.emit(int(done), int(total), str(text))

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class TaskSignals(QObject):
    """Signals from the worker; they arrive in the GUI thread. Only plain
    values cross threads: the outcome stays on the task until `finished`."""

    progress = Signal(int, int, str)
    finished = Signal()


class Task(QRunnable):
    """One piece of work with its own database connection. After `finished`,
    `outcome` is "result", "error" or "cancelled" and `value` what goes with it."""

    def __init__(self, fn: Callable[[Database, Progress], Any], db_path: Path,
                 operator: str, user_id: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # the handle keeps it; signals outlive run()
        self.signals = TaskSignals()
        self.progress = Progress(self.signals)
        self._fn, self._db_path, self._operator = fn, db_path, operator
        self._user_id = user_id  # the signed-in user, signed in on this connection too
        self.outcome, self.value = "", None

    def run(self) -> None:
        """Open a connection, run the work, note how it ended."""
        try:
            db = open_workspace(self._db_path, operator=self._operator)
            try:
                if self._user_id:
                    users.carry_over(db, self._user_id)
                self.value = self._fn(db, self.progress)
            finally:
                db.close()
            self.outcome = "result"
        except Cancelled:
            self.outcome = "cancelled"
        except BaseException as exc:  # every failure must reach the GUI
            self.outcome, self.value = "error", exc
        if self.progress.cancelled:
            self.outcome, self.value = "cancelled", None
        try:
            self.signals.finished.emit()
        except RuntimeError:
            pass  # the app is shutting down: nobody is left to tell


class TaskHandle(QObject):
    """What the caller keeps: the task, its progress dialog and the callbacks;
    exactly one callback runs, in the GUI thread, when the task finishes."""

    finished = Signal()

    def __init__(self, task: Task, dialog: QProgressDialog | None,
                 callbacks: dict[str, Callable[..., None] | None],
                 parent: QObject | None = None) -> None:
        # Parented to the widget that asked: if it is gone when the task ends,
        # Qt drops the connection and no callback touches a deleted widget.
        super().__init__(parent)
        self.task, self.dialog, self.callbacks = task, dialog, callbacks
        self.signals = task.signals
        self.done = False
        self.signals.finished.connect(self._finish)
        if dialog is not None:
            self.signals.progress.connect(self._progress)
            dialog.canceled.connect(task.progress.cancel)

    def _progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if text:
            self.dialog.setLabelText(text)

    def _finish(self) -> None:
        self.done = True
        self._close_dialog()
        _running.discard(self)
        callback = self.callbacks.get(self.task.outcome)
        try:
            if callback is not None:
                if self.task.outcome == "cancelled":
                    callback()
                else:
                    callback(self.task.value)
        finally:
            # A handle lives as long as the widget that asked (its parent): let go
            # of the result and of the callbacks (which hold screens and models).
            # Not deleteLater(): the handle keeps the task alive, and the pool
            # thread may still be returning from its run().
            self.callbacks = {}
            self.task.value = None
            self.finished.emit()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.task.progress.cancel)
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def cancel(self) -> None:
        """Cancel as if the user pressed 取消."""
        self.task.progress.cancel()


_running: set[TaskHandle] = set()  # keeps parentless handles alive until their task ends


def run_task(parent: QWidget | None, label: str, fn: Callable[[Database, Progress], Any], *,
             db_path: Path, operator: str, on_result: Callable[[Any], None],
             on_error: Callable[[BaseException], None],
             on_cancel: Callable[[], None] | None = None,
             cancellable: bool = True, quiet: bool = False, user_id: str = "") -> TaskHandle:
    """Run `fn(db, progress)` in the thread pool with a progress dialog (none
    when `quiet`: background refreshes); exactly one of on_result / on_error /
    on_cancel is called, in the GUI thread."""
    task = Task(fn, Path(db_path), operator, user_id)
    dialog = None if quiet else _progress_dialog(parent, label, cancellable)
    handle = TaskHandle(task, dialog, {"result": on_result, "error": on_error,
                                       "cancelled": on_cancel}, parent)
    if parent is None:
        _running.add(handle)
    QThreadPool.globalInstance().start(task)
    return handle


def _progress_dialog(parent: QWidget | None, label: str, cancellable: bool) -> QProgressDialog:
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setValue(0)
    return dialog
