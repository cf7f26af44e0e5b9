"""Small dialogs every screen uses: a yes/no question, a message that does not
block, where to save a workbook, and a list of problems with an optional "save
as workbook" button."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)

from desktop.views.errors import problem_text

if TYPE_CHECKING:
    from desktop.views.context import AppContext

WORKBOOK_FILTER = "Excel 工作簿 (*.xlsx)"


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; True for 是."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """Tell the clerk something without blocking the event loop."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("inform")
    box.open()
    return box


class ProblemListDialog(QDialog):
    """Every problem found, one a line; `save_action` adds a button (e.g. save
    the error workbook) that calls it."""

    def __init__(self, title: str, summary: str, problems: Sequence[object],
                 parent: QWidget | None = None, *,
                 save_action: tuple[str, Callable[[], None]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.addItems([problem_text(p) for p in problems])
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button: QPushButton | None = None
        if save_action is not None:
            label, action = save_action
            self.save_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.ActionRole)
            self.save_button.clicked.connect(action)
        layout.addWidget(buttons)

    def lines(self) -> list[str]:
        """The problems as shown."""
        return [self.list.item(i).text() for i in range(self.list.count())]


def ask_save_path(parent: QWidget, context: AppContext, title: str, name: str) -> Path | None:
    """Ask where to save a workbook, starting in the last folder used; None if cancelled.
    A name typed without the extension gets .xlsx."""
    suggested = str(Path(context.settings.last_dir) / name)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, WORKBOOK_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    context.settings.remember_file(path)
    return path
