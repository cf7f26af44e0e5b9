"""The start gate: nothing opens until a user is signed in (or the database has
none and its first administrator has just been made)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from desktop.db.connection import Database
from desktop.services import users, workspace
from desktop.views.users.dialogs import (
    ChangePasswordDialog, FirstAdminDialog, RecoveryCodeDialog, SignInDialog,
)


def admit(db: Database, parent: QWidget | None = None) -> bool:
    """Sign someone in on `db`; False when the clerk quit instead. A read-only
    database without users opens as before (nobody could be added to it)."""
    if not users.has_users(db):
        if workspace.is_read_only(db):
            return True
        return _first_admin(db, parent)
    dialog = SignInDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
        return False
    if dialog.user.must_change:
        if ChangePasswordDialog(db, parent).exec() != QDialog.DialogCode.Accepted:
            users.sign_out(db)
            return False
    return True


def _first_admin(db: Database, parent: QWidget | None) -> bool:
    dialog = FirstAdminDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.recovery_code:
        return False
    RecoveryCodeDialog(dialog.recovery_code, parent).exec()
    return True
