"""文件 → 数据交换: 生成交换包… and 导入交换包….

Export, preview and merge all run in the worker (their own connection, off the
GUI thread); the preview dialog only collects the clerk's choices.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.domain.exchange import RULE_BY_TABLE
from desktop.services import exchange, exchange_view, sealing
from desktop.views.context import AppContext
from desktop.views.dialogs import inform
from desktop.views.errors import show_error
from desktop.views.exchange.labels import COUNT_LABELS
from desktop.views.exchange.preview_dialog import PreviewDialog
from desktop.views.security import password_dialog
from desktop.views.worker import TaskHandle

PACKAGE_FILTER = "数据交换包 (*.lxpkg)"
SUFFIX = ".lxpkg"
# A merge may touch every exchanged table; the log and settings feed 数据报送 and 设置.
MERGED_TABLES = frozenset(RULE_BY_TABLE) | {"exchange_log", "app_setting"}


class _ProgressRelay(QObject):
    """Carries the merge's progress from the worker thread to the dialog."""

    moved = Signal(int, int)


class ExchangeActions:
    """The exchange flows for one window (or the 数据报送 screen)."""

    def __init__(self, parent: QWidget, context: AppContext) -> None:
        self.parent, self.context = parent, context
        self.dialog: PreviewDialog | None = None
        self.task: TaskHandle | None = None
        self.source: Path | None = None
        self.password: str | None = None  # of the sealed package previewed, for its merge
        self.cancel = threading.Event()  # set by the dialog's 取消导入, read by the worker

    # -- export -------------------------------------------------------------------
    def choose_and_export(self) -> None:
        """Ask where to save (the standard name proposed) and write the package."""
        proposed = Path(self.context.settings.last_dir) / exchange_view.proposed_package_name(
            self.context.db)
        chosen, _ = QFileDialog.getSaveFileName(self.parent, "生成交换包", str(proposed),
                                                PACKAGE_FILTER)
        if chosen:
            self.context.settings.remember_file(chosen)
            self.export(Path(chosen))

    def export(self, out: Path) -> TaskHandle | None:
        """Write the package to `out` (a file; .lxpkg added when missing), sealed
        when the office has set an exchange password (asked for here; None when
        the clerk cancels)."""
        if out.suffix.lower() != SUFFIX:
            out = out.with_name(out.name + SUFFIX)
        password = None
        if sealing.is_set(self.context.db):
            password = password_dialog.ask_sealing_password(self.parent, "生成交换包")
            if password is None:
                return None
        self.task = self.context.run(
            self.parent, "正在生成交换包…",
            lambda db, progress: exchange.export_package(db, out, password=password),
            self._exported, cancellable=False)
        return self.task

    def _exported(self, path: Path) -> None:
        self.context.announce({"exchange_log", "app_setting"})
        inform(self.parent, "生成交换包",
               f"交换包已生成：\n{path}\n\n请把这个文件拷贝或发送给对方，由对方在"
               "“文件 → 数据交换 → 导入交换包…”中导入。")

    # -- import -------------------------------------------------------------------
    def choose_and_import(self) -> None:
        """Ask for a package and show its preview."""
        chosen, _ = QFileDialog.getOpenFileName(self.parent, "导入交换包",
                                                self.context.settings.last_dir, PACKAGE_FILTER)
        if chosen:
            self.context.settings.remember_file(chosen)
            self.preview(Path(chosen))

    def preview(self, path: Path) -> TaskHandle | None:
        """Read, check and plan `path` off the GUI thread, then show the dialog.
        A sealed package asks for the password first (None when cancelled)."""
        if path != self.source or not sealing.is_sealed(path):
            self.password = None  # a preview again after PlanChanged keeps it
        if sealing.is_sealed(path) and self.password is None:
            self.password = password_dialog.ask_sealed_file_password(self.parent, "导入交换包",
                                                                     path.name)
            if self.password is None:
                return None
        self.source, password = path, self.password

        def work(db: Any, progress: Any) -> tuple[exchange.Preview, dict, str]:
            preview = exchange.preview_import(db, path, password=password)
            return (preview, exchange_view.reference_names(db, preview.plan),
                    exchange.installation_name(exchange.identity(db)))

        self.task = self.context.run(self.parent, "正在检查交换包…", work, self._show_preview,
                                     cancellable=False, on_error=self._preview_failed)
        return self.task

    def _preview_failed(self, exc: BaseException) -> None:
        self.password = None  # a wrong one is asked for again next time
        show_error(self.parent, exc)

    def _show_preview(self, value: tuple[exchange.Preview, dict, str]) -> None:
        preview, names, ours = value
        self.dialog = PreviewDialog(preview, names, self.parent, ours_name=ours)
        self.dialog.import_requested.connect(self.merge)
        self.dialog.open()

    def merge(self, choices: dict[tuple[str, str], str]) -> TaskHandle | None:
        """Merge the previewed package with the clerk's choices, the dialog's
        progress bar fed by the merge."""
        dialog, path = self.dialog, self.source
        if dialog is None or path is None:
            return None
        relay = _ProgressRelay(dialog)  # connected before the work starts: no step is lost
        relay.moved.connect(dialog.show_progress)
        cancel = self.cancel = threading.Event()
        dialog.cancel_requested.connect(cancel.set)
        previewed, password = dialog.preview.plan, self.password

        def report(done: int, total: int) -> None:
            # Raised inside the merge's transaction, so the whole merge rolls back.
            if cancel.is_set():
                raise exchange.MergeCancelled()
            relay.moved.emit(done, total)

        def work(db: Any, progress: Any) -> exchange.Preview:
            return exchange.merge_package(db, path, choices=choices, progress=report,
                                          previewed=previewed, password=password)

        self.task = self.context.run(dialog, "", work, self._merged, quiet=True,
                                     on_error=self._merge_failed)
        return self.task

    def _merged(self, preview: exchange.Preview) -> None:
        dialog = self.dialog
        if dialog is not None:
            dialog.progress.hide()
            dialog.accept()
        self.password = None
        self.context.announce(MERGED_TABLES)
        late = "取消时导入已经完成。\n" if self.cancel.is_set() else ""
        inform(self.parent, "导入交换包", late + merged_text(preview))

    def _merge_failed(self, exc: BaseException) -> None:
        dialog = self.dialog
        if dialog is not None:
            dialog.set_busy(False)
        if isinstance(exc, exchange.MergeCancelled):
            inform(dialog or self.parent, "导入交换包", str(exc))
            return
        show_error(dialog or self.parent, exc)
        if isinstance(exc, exchange.PlanChanged) and dialog is not None and self.source:
            dialog.reject()  # its plan is stale: show the package as it would merge now
            self.preview(self.source)


def merged_text(preview: exchange.Preview) -> str:
    """What a finished merge did, in one message."""
    sender = f"{preview.sender.name} 第{preview.sender.sequence}号"
    if preview.plan is None:
        return preview.message or f"{sender}：没有任何改动"
    counts = preview.plan.counts()
    parts = "，".join(f"{label} {counts[key]}" for key, label in COUNT_LABELS
                     if key != "conflicts" and counts[key])
    taken = sum(1 for a in preview.plan.conflicts if a.choice == "theirs")
    conflicts = (f"\n冲突 {counts['conflicts']} 处：采用对方 {taken}，保留本机 "
                 f"{counts['conflicts'] - taken}") if counts["conflicts"] else ""
    return f"已导入{sender}交换包。\n{parts or '没有任何改动'}{conflicts}"
