"""Driving a sign-in style dialog as an object: its exec() is replaced, never shown modal."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def drive(monkeypatch, cls, fill, seen: list) -> None:
    """Replace `cls.exec` with: fill the fields, press 确定, return the outcome
    (`fill` None: the clerk cancels)."""
    def fake_exec(dialog):
        seen.append(dialog)
        if fill is None:
            return QDialog.DialogCode.Rejected
        fill(dialog)
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.submit()
        return dialog.result()
    monkeypatch.setattr(cls, "exec", fake_exec)
