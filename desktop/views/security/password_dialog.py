"""Asking for the exchange password (once to open or make a sealed file, twice
to set it). The password lives only in the dialog and the call it is passed to."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from desktop.errors import UserError
from desktop.views.widgets import ErrorLabel, dialog_buttons

FORGOTTEN = "忘记交换口令后，用它加密的文件无法打开，也无法找回。"


class PasswordDialog(QDialog):
    """One password field (two with `repeat`); `check`, when given, is called
    with what was typed on 确定 and may raise UserError: the reason is shown
    and the dialog stays open."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None, *,
                 repeat: bool = False,
                 check: Callable[[str, str], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.check = check
        layout = QVBoxLayout(self)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.password = self._field()
        form.addRow("交换口令", self.password)
        self.repeated = self._field() if repeat else None
        if self.repeated is not None:
            form.addRow("再输入一次", self.repeated)
        layout.addLayout(form)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = dialog_buttons(self, self.try_accept)
        layout.addWidget(buttons)

    @staticmethod
    def _field() -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def value(self) -> str:
        return self.password.text()

    def try_accept(self) -> None:
        """确定: refuse an empty field or what `check` refuses, else close."""
        typed = self.password.text()
        repeated = self.repeated.text() if self.repeated is not None else typed
        if not typed:
            self.error.show_reason("请输入交换口令")
            return
        if self.check is not None:
            try:
                self.check(typed, repeated)
            except UserError as err:
                self.error.show_reason(str(err))
                return
        self.accept()


def ask_password(parent: QWidget | None, title: str, text: str) -> str | None:
    """The exchange password typed by the clerk, None when cancelled."""
    dialog = PasswordDialog(title, text, parent)
    try:
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.password.clear()
        dialog.deleteLater()


def ask_sealed_file_password(parent: QWidget | None, title: str, file_name: str) -> str | None:
    """The password to open the sealed file `file_name`."""
    return ask_password(parent, title, f"“{file_name}”已用交换口令加密，请输入交换口令：")


def ask_sealing_password(parent: QWidget | None, title: str) -> str | None:
    """The office's exchange password, to seal a file about to leave the PC."""
    return ask_password(parent, title, "本单位已设置交换口令，文件将加密保存。请输入交换口令：")
