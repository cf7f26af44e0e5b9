"""The start-up recovery dialog for a damaged database, and the read-only window."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from desktop import paths
from desktop.db import backup, file_identity
from desktop.db.database import open_database
from desktop.services import demo, workspace
from desktop.views import recovery as recovery_views
from desktop.views.context import AppContext
from desktop.views.main_window import MainWindow
from desktop.views.settings import AppSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "db"))
from damage import overwrite_leaf  # noqa: E402


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    demo.rebuild_demo(path)
    return path


def _damaged_with_backup(demo_file: Path, folder: Path) -> Path:
    path = folder / "county.sqlite3"
    shutil.copyfile(demo_file, path)
    conn = open_database(path)
    backup.backup_database(conn, path, reason="daily")
    conn.close()
    overwrite_leaf(path)
    return path


def _opener(path: Path, operator: str):
    from desktop.app import _open

    return _open(path, operator)


def test_a_damaged_database_gets_the_dialog_and_is_restored(demo_file, tmp_path, monkeypatch):
    path = _damaged_with_backup(demo_file, tmp_path)
    shown: list[str] = []

    def choose_restore(dialog):
        shown.append(dialog._offer())
        assert dialog.restore_button.isEnabled()
        dialog.choose_restore()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(recovery_views.RecoveryDialog, "exec", choose_restore)
    opened = recovery_views.open_or_recover(path, "张三", _opener)
    assert opened is not None
    db, warning = opened
    try:
        assert "组织 967 家" in shown[0] and "年" in shown[0]
        assert "已用" in warning and "损坏的文件已另存为" in warning
        workspace.require_intact(db)
    finally:
        db.close()
    assert list(path.parent.glob("county-damaged-*.sqlite3"))


def test_quitting_the_dialog_opens_nothing(demo_file, tmp_path, monkeypatch):
    path = _damaged_with_backup(demo_file, tmp_path)
    monkeypatch.setattr(recovery_views.RecoveryDialog, "exec",
                        lambda dialog: QDialog.DialogCode.Rejected)
    assert recovery_views.open_or_recover(path, "", _opener) is None


def test_without_a_good_backup_another_file_can_be_opened(demo_file, tmp_path, monkeypatch):
    path = tmp_path / "county.sqlite3"
    shutil.copyfile(demo_file, path)
    overwrite_leaf(path)
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(demo_file, other)

    def choose_other(dialog):
        assert not dialog.restore_button.isEnabled() and "没有完好的备份" in dialog._offer()
        monkeypatch.setattr(recovery_views.dialog.QFileDialog, "getOpenFileName",
                            staticmethod(lambda *a, **k: (str(other), "")))
        dialog.choose_other()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(recovery_views.RecoveryDialog, "exec", choose_other)
    db, _ = recovery_views.open_or_recover(path, "", _opener)
    assert workspace.database_path(db) == other
    db.close()


def test_a_read_only_database_shows_a_banner_and_greys_out_writing(qtbot, demo_file, tmp_path,
                                                                   monkeypatch, _home):
    path = tmp_path / "ro.sqlite3"
    shutil.copyfile(demo_file, path)
    monkeypatch.setattr(file_identity, "writable", lambda p: False)
    from desktop.app import _open

    db, warning = _open(path)
    try:
        assert "只读" in warning
        assert not paths.backups_dir(path).exists()  # no daily backup attempted
        window = MainWindow(AppContext(db, operator="", settings=AppSettings(_home / "s.ini")))
        qtbot.addWidget(window)
        assert not window.read_only_banner.isHidden()
        assert not window.import_action.isEnabled() and not window.restore_action.isEnabled()
        assert not window.new_record_action.isEnabled()
    finally:
        db.close()
