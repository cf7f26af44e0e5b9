"""The idle lock (ACCESS.md, 等级保护 2.0 session time-out): after the set
minutes without keyboard or mouse, every open window is covered and the
signed-in user's password is asked for again.

Nothing is closed or hidden: a form being typed in, or a dialog waiting in its
own exec(), stays exactly as it was under its curtain (hiding a dialog would end
its exec() and lose what was typed). The clock is injected so tests move time
instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.db.connection import Database
from desktop.errors import UserError
from desktop.services import users
from desktop.views.dialogs import ask
from desktop.views.users.dialogs import GateDialog, password_field

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})
CHECK_EVERY_MS = 15_000  # the lock comes at most this late; cheap enough to never matter
CURTAIN_TEXT = "窗口已锁定\n\n离开期间已自动锁定，未保存的输入都已保留。请输入密码解锁。"
QUIT_WARNING = "退出程序后，未保存的输入将丢失。确定退出吗？"


class Curtain(QWidget):
    """An opaque cover over one window's contents while it is locked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("idle_curtain")
        # A plain QWidget paints no style-sheet background without this: the
        # window's personal data would show through the "cover".
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#idle_curtain { background: #eef1f5; }")
        layout = QVBoxLayout(self)
        label = QLabel(CURTAIN_TEXT)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-size: 16px; color: #333;")
        layout.addWidget(label)
        self.fit()
        self.show()
        self.raise_()

    def fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())


class LockDialog(GateDialog):
    """The signed-in user's password again; 退出程序 is the only other way out."""

    def __init__(self, db: Database, login: str, parent: QWidget | None = None) -> None:
        super().__init__("已锁定", f"窗口已锁定。请输入用户“{login}”的密码解锁。", parent,
                         accept_text="解锁", cancel_text="退出程序")
        self.db = db
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.password: QLineEdit = password_field()
        self.form.addRow("密码", self.password)
        self.quit_requested: Callable[[], None] = _quit

    def submit(self) -> None:
        try:
            users.resume(self.db, self.password.text())
        except UserError as err:
            self.password.clear()
            self.refuse(str(err))
            return
        self.password.clear()
        self.accept()

    def reject(self) -> None:
        """Esc or 退出程序: quit only when the clerk confirms; the lock stays otherwise."""
        if ask(self, "退出程序", QUIT_WARNING):
            self.quit_requested()


def _quit() -> None:
    QApplication.quit()


class IdleWatch(QObject):
    """Watches the application's input and locks after `minutes` without any
    (by default the database's setting, read at each check so a change in 设置
    applies at once)."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, db: Database, minutes: int | None = None, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.db, self.minutes, self.clock = db, minutes, clock
        self.last_input = clock()
        self.dialog: LockDialog | None = None
        self.curtains: list[Curtain] = []
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QApplication.instance().installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in INPUT_EVENTS and not self.is_locked:
            self.last_input = self.clock()
        elif kind == QEvent.Type.Resize:
            for curtain in self.curtains:
                if curtain.parentWidget() is watched:
                    curtain.fit()
        return False

    def check(self) -> None:
        """Lock when the idle time has run out (the timer calls this)."""
        if self.is_locked:
            return
        minutes = self.minutes if self.minutes is not None else users.idle_lock_minutes(self.db)
        if self.clock() - self.last_input >= minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Cover every open window and ask for the password."""
        user = users.current_user(self.db)
        if user is None or self.is_locked:
            return
        users.lock_session(self.db)
        self.curtains = [Curtain(window) for window in QApplication.topLevelWidgets()
                         if window.isVisible() and window.isWindow()]
        self.dialog = LockDialog(self.db, user.login)
        self.dialog.accepted.connect(self._unlock)
        self.dialog.show()
        self.dialog.password.setFocus()
        self.locked.emit()

    def _unlock(self) -> None:
        for curtain in self.curtains:
            curtain.deleteLater()
        self.curtains = []
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self.last_input = self.clock()
        self.unlocked.emit()

    def stop(self) -> None:
        """Stop watching (the database closes or another opens)."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
