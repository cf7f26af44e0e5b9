"""The 用户管理 screen (ACCESS.md): accounts, roles, temporary passwords shown
once, disabling and lock-outs, each refusal in the services' Chinese words;
and 文件 → 修改密码… for whoever is signed in. Custom dialogs are driven by
patching their exec(), never shown modal."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.errors import UserError
from desktop.services import accounts, users
from desktop.views.context import AppContext
from desktop.views.main_window import MainWindow
from desktop.views.settings import AppSettings
from desktop.views.users.admin_dialogs import (
    SHOWN_ONCE, EditUserDialog, NewUserDialog, TemporaryPasswordDialog,
)
from desktop.views.users.dialogs import ChangePasswordDialog
from desktop.views.users.manage_screen import UserAdminScreen
from tests.views.users.dialog_driver import drive

PASSWORD = "secret2026"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def shown_passwords(monkeypatch) -> list[tuple[str, str]]:
    """(password, warning) of every temporary-password dialog, as it was shown."""
    shown: list[tuple[str, str]] = []

    def fake_exec(dialog):
        shown.append((dialog.password.text(), dialog.warning.text()))
        dialog.accept()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(TemporaryPasswordDialog, "exec", fake_exec)
    return shown


@pytest.fixture
def office(db):
    """The administrator 王管理 (signed in) and the clerk 李录入."""
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    accounts.add_user(db, "clerk", ["clerk"], display_name="李录入", password=PASSWORD,
                      must_change=False)
    return db


@pytest.fixture
def screen(office, context, qtbot):
    widget = UserAdminScreen(context, now=lambda: NOW)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def row_of(screen, login: str) -> list[str]:
    return next(row for row in screen.row_texts() if row[0] == login)


def test_the_table_shows_each_account(screen):
    assert [row[:4] for row in screen.row_texts()] == [
        ["admin", "王管理", "系统管理员", "正常"], ["clerk", "李录入", "录入员", "正常"]]
    assert row_of(screen, "clerk")[4] == "从未登录"
    assert row_of(screen, "admin")[4][:4].isdigit()  # signed in just now, local time
    assert "当前登录：王管理（admin）" in screen.summary.text()


def test_a_new_user_sees_the_temporary_password_once_and_must_change_it(
        screen, office, monkeypatch, shown_passwords):
    seen: list = []

    def fill(dialog):
        dialog.login.setText("clerk")  # taken: refused inside the dialog
        dialog.submit()
        assert dialog.error.text() == "登录名已被使用：clerk"
        dialog.login.setText("zs")
        dialog.name.setText("张三")
        dialog.roles.boxes["finance"].setChecked(True)
    drive(monkeypatch, NewUserDialog, fill, seen)
    screen.new_record()
    assert len(shown_passwords) == 1
    temporary, warning = shown_passwords[0]
    assert warning == SHOWN_ONCE and "只显示这一次" in warning
    assert row_of(screen, "zs")[1:4] == ["张三", "录入员、财务", "须改密码"]
    assert screen.current_user().login == "zs"
    user = users.sign_in(office, "zs", temporary)
    assert user.must_change and user.roles == ("clerk", "finance")


def test_a_chosen_password_is_not_shown_again(screen, office, monkeypatch, shown_passwords):
    def fill(dialog):
        dialog.login.setText("ls")
        dialog.password.setText("chosen2026")
        dialog.again.setText("chosen2026")
    drive(monkeypatch, NewUserDialog, fill, [])
    screen.new_record()
    assert shown_passwords == []
    assert users.sign_in(office, "ls", "chosen2026").must_change


def test_enter_on_a_row_changes_its_roles(screen, office, monkeypatch, qtbot):
    seen: list = []

    def fill(dialog):
        dialog.roles.boxes["finance"].setChecked(True)
        dialog.name.setText("李财务")
    drive(monkeypatch, EditUserDialog, fill, seen)
    screen.select("clerk")
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert len(seen) == 1 and seen[0].user.login == "clerk"
    assert row_of(screen, "clerk")[1:3] == ["李财务", "录入员、财务"]
    detail = office.execute("SELECT detail FROM access_event WHERE kind = 'role_change'"
                            ).fetchone()[0]
    assert detail == "录入员 → 录入员、财务"


def test_the_last_administrator_keeps_the_role_and_cannot_be_disabled(
        screen, monkeypatch, answer, shown_errors):
    def fill(dialog):
        dialog.roles.boxes["admin"].setChecked(False)
        dialog.roles.boxes["viewer"].setChecked(True)
        dialog.submit()
        assert dialog.error.text() == "不能取消最后一名系统管理员的管理员角色"
    seen: list = []
    drive(monkeypatch, EditUserDialog, fill, seen)
    screen.select("admin")
    screen.open_current()
    assert seen[0].result() != QDialog.DialogCode.Accepted
    assert screen.disable_button.text() == "停用"
    screen.disable_button.click()
    assert "这是您自己的账户" in answer.asked[0]
    assert shown_errors == ["不能停用最后一名系统管理员"]
    assert row_of(screen, "admin")[2:4] == ["系统管理员", "正常"]


def test_disable_then_enable(screen, office, answer):
    screen.select("clerk")
    screen.disable_button.click()
    assert row_of(screen, "clerk")[3] == "已停用"
    assert screen.disable_button.text() == "启用"
    with pytest.raises(UserError, match="已停用"):
        users.sign_in(office, "clerk", PASSWORD)
    users.sign_in(office, "admin", PASSWORD)
    screen.disable_button.click()  # enabling asks nothing
    assert len(answer.asked) == 1 and row_of(screen, "clerk")[3] == "正常"


def test_a_no_keeps_the_account(screen, answer):
    answer.yes = False
    screen.select("clerk")
    screen.disable_button.click()
    assert row_of(screen, "clerk")[3] == "正常"


def test_reset_password_asks_then_shows_the_temporary_password_once(
        screen, office, answer, shown_passwords):
    screen.select("clerk")
    screen.reset_button.click()
    assert "确定重置 clerk（李录入）的密码吗" in answer.asked[0]
    (temporary, _), = shown_passwords
    assert row_of(screen, "clerk")[3] == "须改密码"
    assert users.sign_in(office, "clerk", temporary).must_change


def test_a_locked_account_is_shown_until_when_and_unlocked(screen, office, qtbot):
    for _ in range(5):
        with pytest.raises(UserError):
            users.sign_in(office, "clerk", "wrongpass1", now=NOW)
    users.sign_in(office, "admin", PASSWORD)
    screen.refresh()
    until = (NOW + timedelta(minutes=10)).astimezone().strftime("%H:%M")
    assert row_of(screen, "clerk")[3] == f"锁定至 {until}"
    screen.select("admin")
    assert not screen.unlock_button.isEnabled()
    screen.select("clerk")
    screen.unlock_button.click()
    assert row_of(screen, "clerk")[3] == "正常"
    assert not screen.unlock_button.isEnabled()


def test_status_text_puts_lock_and_must_change_together(office):
    clerk = next(u for u in accounts.list_users(office) if u.login == "clerk")
    locked = clerk.__class__(**{**clerk.__dict__, "must_change": True,
                                "locked_until": "2026-12-07T09:10:00.000000Z"})
    shown = (NOW + timedelta(minutes=10)).astimezone().strftime("%H:%M")
    assert locked.status_text(NOW) == f"锁定至 {shown}、须改密码"
    assert locked.status_text(NOW + timedelta(minutes=11)) == "须改密码"


def test_ctrl_n_in_the_main_window_opens_new_user(office, context, qtbot, monkeypatch):
    seen: list = []
    drive(monkeypatch, NewUserDialog, None, seen)
    window = MainWindow(context, [("用户管理", UserAdminScreen)])
    qtbot.addWidget(window)
    assert window.new_record_action.shortcut().toString() == "Ctrl+N"
    window.new_record_action.trigger()
    assert len(seen) == 1


def _labels(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_only_an_administrator_gets_the_screen_listed(office, _home, qtbot):
    users.sign_in(office, "clerk", PASSWORD)
    clerk_window = MainWindow(AppContext(office, operator="", settings=AppSettings(_home / "c.ini")))
    qtbot.addWidget(clerk_window)
    assert "用户管理" not in _labels(clerk_window) and "组织" in _labels(clerk_window)
    users.sign_in(office, "admin", PASSWORD)
    admin_window = MainWindow(AppContext(office, operator="", settings=AppSettings(_home / "a.ini")))
    qtbot.addWidget(admin_window)
    labels = _labels(admin_window)
    assert labels.index("用户管理") == labels.index("设置") - 1


def test_any_user_changes_their_own_password_from_the_file_menu(office, _home, qtbot,
                                                                 monkeypatch):
    users.sign_in(office, "clerk", PASSWORD)
    seen: list = []

    def fill(dialog):
        dialog.old.setText(PASSWORD)
        dialog.new.setText("mine20261")
        dialog.again.setText("mine20261")
    drive(monkeypatch, ChangePasswordDialog, fill, seen)
    window = MainWindow(AppContext(office, operator="", settings=AppSettings(_home / "c.ini")),
                        screens=[])
    qtbot.addWidget(window)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts[-3:] == ["修改密码…", "", "退出"]
    window.change_password_action.trigger()
    intro = seen[0].intro.text()
    assert intro != users.MUST_CHANGE and "新密码" in intro
    assert users.sign_in(office, "clerk", "mine20261").login == "clerk"


def test_no_password_menu_on_a_database_without_users(context, qtbot):
    window = MainWindow(context, screens=[])
    qtbot.addWidget(window)
    assert "修改密码…" not in [a.text() for a in window.file_menu.actions()]


def test_the_navigation_follows_a_role_change_and_open_screens_keep_their_state(office, _home,
                                                                              qtbot):
    accounts.add_user(office, "admin2", ["admin"], password=PASSWORD, must_change=False)
    context = AppContext(office, operator="", settings=AppSettings(_home / "nav.ini"))
    window = MainWindow(context)
    qtbot.addWidget(window)
    labels = lambda: [window.nav.item(row).text() for row in range(window.nav.count())]  # noqa: E731
    assert "用户管理" in labels() and "审计日志" in labels()
    first = window.show_screen(0)
    window.nav.setCurrentRow(labels().index("设置"))
    accounts.set_roles(office, "admin", ["clerk"])
    context.announce({"app_user"})
    assert "用户管理" not in labels() and "审计日志" not in labels()
    assert window.nav.currentItem().text() == "设置"  # the screen shown stays shown
    assert window.show_screen(0) is first  # not rebuilt: nothing typed in it is lost
    view = [a.text() for a in window.view_menu.actions()]
    assert view == labels()
