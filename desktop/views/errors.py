"""The two kinds of error a clerk can meet (STYLE.md rule 10).

A `UserError` is a plain Chinese message box; anything else is a bug: it is
logged, and a crash dialog shows copyable details and where the log is.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.errors import UserError, problem_text

log = logging.getLogger("liangxin")
MAX_LISTED_PROBLEMS = 200


def show_user_error(parent: QWidget | None, err: UserError, title: str = "无法完成") -> None:
    """Show a refusal in plain Chinese; its problems go into the details."""
    lines = [problem_text(p) for p in err.problems[:MAX_LISTED_PROBLEMS]]
    text = str(err)
    if len(lines) == 1 and lines[0] not in text:  # one problem: say it, not in a fold
        text += f"\n{lines[0]}"
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if len(err.problems) > 1:
        box.setDetailedText("\n".join(lines))
    box.open()


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A UserError as a message, anything else as a crash dialog."""
    if isinstance(exc, UserError):
        show_user_error(parent, exc)
    else:
        report_crash(type(exc), exc, exc.__traceback__, parent)


def report_crash(kind: type[BaseException], exc: BaseException, tb: TracebackType | None,
                 parent: QWidget | None = None) -> None:
    """Log an unexpected error and show the crash dialog."""
    details = "".join(traceback.format_exception(kind, exc, tb))
    log.error("unexpected error\n%s", details)
    CrashDialog(details, parent).open()


class CrashDialog(QDialog):
    """Says something went wrong, with the details to copy and the log's path."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序出错")
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("程序遇到了意外错误。已保存的数据不受影响，未保存的修改可能丢失。\n"
                                "请把下面的详细信息复制给技术支持人员。"))
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        layout.addWidget(QLabel(f"日志文件：{paths.log_path()}"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("复制详细信息")
        copy.clicked.connect(self.copy_details)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        """Put the details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def show_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """What sys.excepthook shows (after the entry point logged it): a UserError
    that escaped as a message, anything else as the crash dialog."""
    if isinstance(exc, UserError):
        show_user_error(None, exc)
    else:
        CrashDialog("".join(traceback.format_exception(kind, exc, tb))).open()
