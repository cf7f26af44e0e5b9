"""The idle lock (ACCESS.md): after the set minutes without input every window is
covered and the password asked again; what was typed stays. Time is a fake
clock moved by the test, never waited for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from desktop.db import users as user_store
from desktop.errors import UserError
from desktop.services import accounts, users
from desktop.views.users import idle_lock
from desktop.views.users.idle_lock import Curtain, IdleWatch

PASSWORD = "secret2026"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def signed_in(db):
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    return db


@pytest.fixture
def form(qtbot):
    """A dialog half filled in, as a clerk leaves it when called away."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    field = QLineEdit()
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    field.setText("城关镇新兴物流")
    qtbot.keyClicks(field, "Co")  # typed keys: QTest presses ASCII only
    return dialog, field


@pytest.fixture
def watch(signed_in, qtbot):
    clock = Clock()
    watch = IdleWatch(signed_in, clock=clock)
    yield watch, clock
    watch.stop()
    if watch.dialog is not None:
        watch.dialog.deleteLater()


def test_fifteen_idle_minutes_lock_every_window_and_keep_what_was_typed(watch, form, signed_in):
    watch, clock = watch
    dialog, field = form
    clock.advance(14.9)
    watch.check()
    assert not watch.is_locked
    clock.advance(0.2)
    watch.check()
    assert watch.is_locked and watch.dialog.isVisible()
    assert watch.dialog.windowModality() == Qt.WindowModality.ApplicationModal
    curtain = dialog.findChild(Curtain)
    assert curtain is not None and curtain.isVisible() and curtain.geometry() == dialog.rect()
    assert dialog.isVisible() and field.text() == "城关镇新兴物流Co"

    watch.dialog.password.setText("wrongpass1")
    watch.dialog.submit()
    assert watch.is_locked and "再错 4 次" in watch.dialog.error.text()
    watch.dialog.password.setText(PASSWORD)
    watch.dialog.submit()
    assert not watch.is_locked and field.text() == "城关镇新兴物流Co"
    assert users.current_user(signed_in).login == "admin"
    kinds = [(e["kind"], e["detail"]) for e in user_store.events(signed_in)][-3:]
    assert kinds == [("session_locked", users.IDLE_LOCKED), ("sign_in_failed", "密码错误"),
                     ("session_resumed", users.RESUMED)]


def test_typing_or_moving_the_mouse_starts_the_idle_time_again(watch, form, qtbot):
    watch, clock = watch
    _, field = form
    clock.advance(10)
    qtbot.keyClick(field, Qt.Key.Key_A)
    clock.advance(10)
    watch.check()
    assert not watch.is_locked  # 10 minutes since the key, not 20 since the start
    clock.advance(5)
    watch.check()
    assert watch.is_locked
    qtbot.keyClick(field, Qt.Key.Key_B)  # blocked input behind the lock does not count
    assert watch.last_input < clock()


def test_five_wrong_passwords_at_the_lock_lock_the_account(watch, signed_in):
    watch, clock = watch
    clock.advance(16)
    watch.check()
    for _ in range(5):
        watch.dialog.password.setText("wrongpass1")
        watch.dialog.submit()
    assert "账户已锁定 10 分钟" in watch.dialog.error.text() and watch.is_locked
    with pytest.raises(UserError, match="账户已锁定"):
        users.resume(signed_in, PASSWORD)


def test_quitting_from_the_lock_asks_first(watch, answer, monkeypatch):
    watch, clock = watch
    clock.advance(16)
    watch.check()
    quits: list[bool] = []
    watch.dialog.quit_requested = lambda: quits.append(True)
    answer.yes = False
    watch.dialog.reject()
    assert quits == [] and watch.is_locked and watch.dialog.isVisible()
    answer.yes = True
    watch.dialog.reject()
    assert quits == [True]
    assert answer.asked and "未保存的输入将丢失" in answer.asked[-1]


def test_a_database_without_users_never_locks(db):
    clock = Clock()
    watch = IdleWatch(db, 15, clock=clock)
    clock.advance(60)
    watch.check()
    assert not watch.is_locked
    watch.stop()


def test_a_changed_setting_applies_to_the_running_watch(watch, signed_in):
    watch, clock = watch
    users.set_idle_lock_minutes(signed_in, 5)
    clock.advance(5)
    watch.check()
    assert watch.is_locked


def test_the_idle_minutes_are_a_setting_only_an_administrator_changes(signed_in):
    assert users.idle_lock_minutes(signed_in) == 15
    users.set_idle_lock_minutes(signed_in, 5)
    assert users.idle_lock_minutes(signed_in) == 5
    with pytest.raises(UserError, match="1 到 60 分钟"):
        users.set_idle_lock_minutes(signed_in, 0)
    accounts.add_user(signed_in, "viewer", ["viewer"], password=PASSWORD, must_change=False)
    users.sign_in(signed_in, "viewer", PASSWORD)
    with pytest.raises(UserError, match="无权修改设置"):
        users.set_idle_lock_minutes(signed_in, 30)


def test_the_session_watches_a_signed_in_window_only(signed_in, qtbot, context):
    from desktop.views.session import Session

    session = Session(lambda path, op: (signed_in, ""), context.settings)
    session.show(signed_in)
    try:
        assert isinstance(session.idle, IdleWatch) and session.idle.minutes is None
    finally:
        session.idle.stop()
        session.window.close()
    assert idle_lock.CHECK_EVERY_MS <= 60_000


def test_the_settings_box_saves_idle_minutes_and_maker_checker_for_an_admin(signed_in, context,
                                                                          qtbot):
    from desktop.views.setup.screen import SettingsScreen

    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    box = screen.access
    assert box is not None and box.save_button.isEnabled()
    assert screen.operator.isReadOnly() and "王管理" in screen.operator.text()
    box.idle_minutes.setValue(30)
    box.maker_checker.setChecked(True)
    box.save()
    assert users.idle_lock_minutes(signed_in) == 30 and users.maker_checker_on(signed_in)
    logged = signed_in.execute("SELECT count(*) FROM audit_log WHERE table_name = 'app_setting'"
                               " AND row_id IN (?, ?)", (users.IDLE_LOCK, users.MAKER_CHECKER))
    assert logged.fetchone()[0] == 2
    box.save()  # nothing changed: nothing more is logged
    assert signed_in.execute("SELECT count(*) FROM audit_log WHERE table_name = 'app_setting'"
                             " AND row_id IN (?, ?)", (users.IDLE_LOCK, users.MAKER_CHECKER)
                             ).fetchone()[0] == 2


def test_a_finance_user_sees_the_access_settings_but_cannot_save_them(signed_in, context, qtbot):
    from desktop.views.setup.screen import SettingsScreen

    accounts.add_user(signed_in, "finance", ["finance"], password=PASSWORD, must_change=False)
    users.sign_in(signed_in, "finance", PASSWORD)
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    assert not screen.access.save_button.isEnabled()
    screen.access.maker_checker.setChecked(True)
    screen.access.save()  # the service refuses even if the button were pressed
    assert "无权修改设置" in screen.access.error.text() and not users.maker_checker_on(signed_in)
