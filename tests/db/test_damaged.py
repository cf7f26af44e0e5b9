"""A damaged database (issue 13 point 5): one leaf page of `organization`
overwritten. `check` reports it, writes are refused, and the recovery at start
restores the newest whole backup."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.cli import main
from desktop.db import backup, recovery
from desktop.db.database import open_database
from desktop.db.file_identity import DamagedDatabase
from desktop.services import demo, maintenance, workspace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from damage import overwrite_leaf  # noqa: E402


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    demo.rebuild_demo(path)
    return path


@pytest.fixture
def damaged(demo_file, tmp_path) -> Path:
    path = tmp_path / "county.sqlite3"
    shutil.copyfile(demo_file, path)
    overwrite_leaf(path)
    return path


def _cli(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


def test_check_reports_the_damage_in_chinese_without_a_traceback(damaged, capsys, monkeypatch):
    monkeypatch.setenv("LIANGXIN_PASSWORD", "demo1234")  # the demo's ready users
    code, err = _cli(capsys, "--db", damaged, "--user", "viewer", "check")
    assert code == 1 and "数据库文件已损坏" in err and "Traceback" not in err


def test_writes_are_refused_on_a_damaged_file(damaged, capsys):
    before = damaged.read_bytes()
    code, err = _cli(capsys, "--db", damaged, "policy", "set", "--year", "2030", "--monthly", "100")
    assert code == 1 and "数据库文件已损坏" in err and "从备份恢复" in err
    assert damaged.read_bytes() == before


def test_an_intact_file_passes_the_check_on_open(demo_file):
    conn = open_database(demo_file)
    workspace.require_intact(conn)
    conn.close()


def test_recovery_offers_the_newest_whole_backup_and_puts_it_in_place(demo_file, tmp_path):
    path = tmp_path / "county.sqlite3"
    shutil.copyfile(demo_file, path)
    conn = open_database(path)
    good = backup.backup_database(conn, path, reason="daily")
    conn.close()
    newer_bad = paths.backups_dir(path) / f"{path.stem}-29991231-000000-000000-manual.sqlite3"
    shutil.copyfile(good, newer_bad)
    overwrite_leaf(newer_bad)
    overwrite_leaf(path)
    found = recovery.newest_good_backup(paths.backups_dir(path))
    assert found is not None and found.path == good  # the damaged newer copy is skipped
    assert found.counts["组织"] == 967 and found.counts["联络员"] == 60
    aside = recovery.replace_with_backup(path, found.path)
    assert aside.is_file() and "damaged" in aside.name and aside.parent == path.parent
    conn = open_database(path)
    assert maintenance.check(conn) == []
    conn.close()


def test_a_damaged_file_is_refused_before_its_daily_backup(damaged):
    from desktop.app import _open

    with pytest.raises(DamagedDatabase):
        _open(damaged)
    assert not paths.backups_dir(damaged).exists()
