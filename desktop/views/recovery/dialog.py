"""The recovery dialog shown when the database to open is damaged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QVBoxLayout, QWidget,
)

from desktop.db.file_identity import DamagedDatabase
from desktop.errors import UserError
from desktop.services import recovery, workspace
from desktop.services.recovery import GoodBackup

if TYPE_CHECKING:
    from desktop.db.connection import Database

TITLE = "数据库文件已损坏"
Opened = tuple["Database", str]
Opener = Callable[[Path, str], Opened]


class RecoveryDialog(QDialog):
    """Says what is damaged and offers the ways out; `choice` is ("restore", path)
    or ("open", path) once accepted, None when the clerk quits."""

    def __init__(self, db_path: Path, reason: str, backup: GoodBackup | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(520)
        self.db_path, self.backup = Path(db_path), backup
        self.choice: tuple[str, Path] | None = None
        layout = QVBoxLayout(self)
        text = QLabel(f"{reason}\n\n{self._offer()}")
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("用这份备份恢复",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(backup is not None)
        self.restore_button.clicked.connect(self.choose_restore)
        self.open_button = buttons.addButton("打开其他数据库…", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.choose_other)
        self.quit_button = buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _offer(self) -> str:
        if self.backup is None:
            return "备份文件夹中没有完好的备份。可以打开其他数据库文件，或退出。"
        return (f"最近一份完好的备份：{recovery.describe(self.backup)}。\n"
                "恢复后，该备份之后的修改需要重新录入；损坏的文件会改名保留在原文件夹中。")

    def choose_restore(self) -> None:
        """Restore the offered backup."""
        if self.backup is not None:
            self.choice = ("restore", self.backup.path)
            self.accept()

    def choose_other(self) -> None:
        """Pick another database file to open instead."""
        chosen, _ = QFileDialog.getOpenFileName(self, "打开数据库", str(self.db_path.parent),
                                                workspace.DATABASE_FILTER)
        if chosen:
            self.choice = ("open", Path(chosen))
            self.accept()


def open_or_recover(path: Path, operator: str, opener: Opener) -> Opened | None:
    """`opener(path, operator)`; when the file is damaged, the recovery dialog
    until something opens or the clerk quits (None)."""
    try:
        return opener(path, operator)
    except DamagedDatabase as err:
        error: UserError = err
    while True:
        backup = recovery.newest_good_backup(path)
        dialog = RecoveryDialog(path, str(error), backup)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return None
        kind, chosen = dialog.choice
        try:
            if kind == "open":
                return opener(chosen, operator)
            aside = recovery.restore_damaged(path, backup)
            db, warning = opener(path, operator)
        except UserError as err:
            QMessageBox.warning(None, TITLE, str(err))
            continue
        note = f"已用{recovery.describe(backup)}恢复数据库。损坏的文件已另存为：{aside}"
        return db, "  ".join(w for w in (note, warning) if w)
