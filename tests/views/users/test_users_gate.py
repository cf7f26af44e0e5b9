"""The start gate (ACCESS.md): a database without users asks for its first
administrator and opens nothing until then; one with users asks for a sign-in.
The dialogs are driven as objects: their exec() is patched, never shown modal."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from desktop.services import accounts, users
from desktop.views.users import gate
from desktop.views.users.dialogs import (
    ChangePasswordDialog, FirstAdminDialog, RecoveryCodeDialog, SignInDialog,
)
from tests.views.users.dialog_driver import drive

PASSWORD = "secret2026"


def test_no_users_asks_for_the_first_admin_then_shows_the_recovery_code(db, qtbot, monkeypatch):
    seen: list = []

    def fill(dialog):
        dialog.login.setText("admin")
        dialog.name.setText("王管理")
        dialog.password.setText(PASSWORD)
        dialog.again.setText("different1")
        dialog.submit()  # refused inside the dialog, which stays open
        assert dialog.error.text() == "两次输入的密码不一致" and not users.has_users(db)
        dialog.again.setText(PASSWORD)
    drive(monkeypatch, FirstAdminDialog, fill, seen)
    drive(monkeypatch, RecoveryCodeDialog, lambda d: d.accept(), seen)
    assert gate.admit(db)
    first, shown = seen
    code = shown.findChild(QLabel, "recovery_code").text()
    assert code == first.recovery_code and len(code) == 23
    assert "最后一名系统管理员忘记密码将无法找回" in " ".join(
        label.text() for label in shown.findChildren(QLabel))
    assert users.current_user(db).login == "admin"  # signed in: the window opens as admin


def test_quitting_the_first_admin_dialog_opens_nothing(db, monkeypatch):
    drive(monkeypatch, FirstAdminDialog, None, [])
    assert not gate.admit(db) and not users.has_users(db)


@pytest.fixture
def with_users(db):
    accounts.create_first_admin(db, "admin", "王管理", PASSWORD)
    users.sign_in(db, "admin", PASSWORD)
    temporary = accounts.add_user(db, "clerk", ["clerk"], display_name="李录入").temporary_password
    users.sign_out(db)
    return db, temporary


def test_sign_in_dialog_shows_wrong_password_and_lock_out_in_chinese(with_users, qtbot):
    db, _ = with_users
    dialog = SignInDialog(db)
    qtbot.addWidget(dialog)
    dialog.login.setText("admin")
    for _ in range(4):
        dialog.password.setText("wrongpass1")
        dialog.submit()
    assert dialog.error.text().startswith("用户名或密码不正确（再错 1 次")
    assert dialog.password.text() == ""  # never left in the field
    dialog.password.setText("wrongpass1")
    dialog.submit()
    assert "账户已锁定 10 分钟" in dialog.error.text() and dialog.result() != QDialog.DialogCode.Accepted


def test_must_change_forces_a_new_password(with_users, monkeypatch):
    db, temporary = with_users
    seen: list = []

    def sign_in(dialog):
        dialog.login.setText("clerk")
        dialog.password.setText(temporary)

    def change(dialog):
        dialog.old.setText(temporary)
        dialog.new.setText("mine20261")
        dialog.again.setText("mine20261")
    drive(monkeypatch, SignInDialog, sign_in, seen)
    drive(monkeypatch, ChangePasswordDialog, change, seen)
    assert gate.admit(db)
    assert [type(d) for d in seen] == [SignInDialog, ChangePasswordDialog]
    assert not users.current_user(db).must_change


def test_refusing_the_password_change_signs_out(with_users, monkeypatch):
    db, temporary = with_users
    drive(monkeypatch, SignInDialog,
          lambda d: (d.login.setText("clerk"), d.password.setText(temporary)), [])
    drive(monkeypatch, ChangePasswordDialog, None, [])
    assert not gate.admit(db) and users.current_user(db) is None
