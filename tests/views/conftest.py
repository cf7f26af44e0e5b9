"""Fixtures for driving the real widgets: a context on the test database, and
guards that fail a test which lets a real modal dialog open."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.views.context import AppContext
from desktop.views.settings import AppSettings


@pytest.fixture(scope="session", autouse=True)
def _collect_on_the_gui_thread(qapp):
    """As the app does: a collection in a worker thread must not destroy Qt objects."""
    from desktop.views.gui_gc import collect_on_gui_thread

    collector = collect_on_gui_thread(qapp)
    yield
    collector.stop()


@pytest.fixture
def context(db, _home):
    """The views' context on the test database, settings in the test folder."""
    return AppContext(db, operator="测试员", settings=AppSettings(_home / "settings.ini"))


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """A static dialog that nobody patched would block the test: fail instead."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a real modal dialog was opened: {args[1:3]}")
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))
    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.fixture
def shown_errors(monkeypatch):
    """UserErrors the screen showed, instead of message boxes."""
    from desktop.views import errors

    shown: list[str] = []
    monkeypatch.setattr(errors, "show_user_error",
                        lambda parent, err, title="": shown.append(str(err)))
    return shown


@pytest.fixture
def answer(monkeypatch):
    """Answer QMessageBox.question with 是 (or what the test sets) and record it."""
    asked: list[str] = []

    class Answer:
        yes = True

        @staticmethod
        def question(parent, title, text, *args, **kwargs):
            asked.append(text)
            return QMessageBox.StandardButton.Yes if Answer.yes else QMessageBox.StandardButton.No

    Answer.asked = asked
    monkeypatch.setattr(QMessageBox, "question", staticmethod(Answer.question))
    return Answer


@pytest.fixture
def type_text(qtbot):
    """Type like a clerk: ASCII as key presses, Chinese as an input method
    commits it (QTest cannot press keys for characters outside ASCII)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    def type_into(widget, text):
        for ch in text:
            if ch.isascii():
                qtbot.keyClicks(widget, ch)
            else:
                event = QInputMethodEvent()
                event.setCommitString(ch)
                QCoreApplication.sendEvent(widget, event)
    return type_into


@pytest.fixture
def show_form(qtbot):
    """Show a form; at teardown close it without the discard question."""
    import shiboken6

    def show(form):
        qtbot.addWidget(form, before_close_func=lambda w: shiboken6.isValid(w) and w.discard())
        form.show()
        return form
    return show
