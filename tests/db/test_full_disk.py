"""A full disk: every write says so in Chinese, leaves nothing partial and
removes its temporary files; the GUI still starts.

Two variants. The first always runs: the disk is made "full" by SQLite's own
limit (`PRAGMA max_page_count`) or by the free space the app is told about.
The second uses a real small file system (a tmpfs mounted for the test); it
runs only where mounting is allowed (root on Linux) and is skipped elsewhere.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from types import SimpleNamespace

import pytest

from desktop.cli import main as cli_main
from desktop.db import backup
from desktop.db.connection import DISK_FULL, transaction, translate
from desktop.db.database import open_database
from desktop.domain.registry import LiaisonOfficer
from desktop.errors import UserError
from desktop.paths import backups_dir
from desktop.services import importing, maintenance, registry
import factories
from factories import build_workbook, id_number, uscc

FULL = "磁盘空间已满"
ORG_HEAD = ["名称*", "统一社会信用代码", "类型*", "行业", "所属乡镇*"]


def _officers(conn, count, first=0):
    with transaction(conn):
        for n in range(first, first + count):
            registry.create(conn, LiaisonOfficer(
                name=f"联络员{n}", id_number=id_number(n, birth=date(1980 + n // 1000, 1, 1))))


def _database(path, officers=300):
    conn = open_database(path, operator="测试员")
    _officers(conn, officers)
    return conn


def _count(conn):
    return conn.execute("SELECT count(*) FROM liaison_officer").fetchone()[0]


def _leftovers(folder):
    return [p.name for p in folder.rglob("*") if ".part" in p.name]


@pytest.fixture
def no_space(monkeypatch):
    """Every disk reports 200 KiB free (what the app checks before writing)."""
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: SimpleNamespace(
        total=real(path).total, used=real(path).total, free=200 * 1024))


# ------------------------------------------------------------------ always

def test_a_full_database_during_a_large_write_says_so_not_no_such_savepoint(tmp_path):
    conn = _database(tmp_path / "live.sqlite3", officers=10)
    # A single-row write without triggers has no statement journal: when it
    # fails for want of space SQLite undoes the whole transaction, savepoints too.
    conn.execute("CREATE TABLE scratch (x BLOB)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(UserError) as err:
        with transaction(conn):
            _officers(conn, 5, first=10)
            for _ in range(100):
                with transaction(conn):
                    conn.execute("INSERT INTO scratch VALUES (zeroblob(10000))")
    assert str(err.value) == DISK_FULL
    assert _count(conn) == 10 and not conn.in_transaction  # nothing partial
    conn.execute("PRAGMA max_page_count = 1073741823")
    _officers(conn, 5, first=10)  # and the database goes on working
    assert _count(conn) == 15


def test_an_io_error_on_a_disk_without_space_is_the_full_disk(tmp_path, monkeypatch):
    conn = _database(tmp_path / "live.sqlite3", officers=1)
    error = sqlite3.OperationalError("disk I/O error")
    assert "磁盘 I/O 错误" in str(translate(error, conn))  # plenty of space: a real I/O error
    monkeypatch.setattr(shutil, "disk_usage", lambda path: SimpleNamespace(total=1, used=1, free=0))
    assert str(translate(error, conn)) == DISK_FULL


def test_a_backup_that_cannot_fit_is_refused_before_writing(tmp_path, no_space):
    path = tmp_path / "live.sqlite3"
    conn = _database(path)
    with pytest.raises(UserError, match=FULL):
        maintenance.backup_now(conn)
    with pytest.raises(UserError, match=FULL):
        maintenance.backup_now(conn, tmp_path)
    assert backup.list_backups(backups_dir(path)) == [] and _leftovers(tmp_path) == []


def test_a_backup_that_fills_the_disk_midway_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "live.sqlite3"
    conn = _database(path)
    earlier = maintenance.backup_now(conn)

    def copy_until_full(conn, tmp):
        tmp.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4096)
        tmp.with_name(tmp.name + "-journal").write_bytes(b"x")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy", copy_until_full)
    with pytest.raises(UserError, match=FULL):
        maintenance.backup_now(conn)
    assert [b.path for b in backup.list_backups(backups_dir(path))] == [earlier]
    assert _leftovers(tmp_path) == []


def test_a_large_import_on_a_full_disk_imports_nothing(db, tmp_path, no_space):
    rows = [ORG_HEAD] + [[f"企业{n}", uscc(n), "非公企业", None, "城关镇"] for n in range(120)]
    book = build_workbook(tmp_path / "big.xlsx", {"组织": rows})
    with pytest.raises(UserError, match=f"导入前备份失败，未导入任何数据：{FULL}"):
        importing.import_workbook(db, book)
    assert registry.list_organizations(db).total == 0


def test_a_restore_on_a_full_disk_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "live.sqlite3"
    conn = _database(path)
    saved = maintenance.backup_now(conn)
    _officers(conn, 5, first=300)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: SimpleNamespace(total=1, used=1, free=0))
    with pytest.raises(UserError, match=FULL):
        maintenance.restore(conn, saved)
    assert _count(conn) == 305 and _leftovers(tmp_path) == []


def test_the_gui_starts_with_a_notice_when_the_daily_backup_does_not_fit(tmp_path, no_space):
    from desktop.app import _open

    path = tmp_path / "live.sqlite3"
    _database(path).close()
    db, warning = _open(path, "测试员")
    try:
        assert "今日自动备份已跳过" in warning and FULL in warning
        assert _count(db) == 300  # open and usable
    finally:
        db.close()
    assert _leftovers(tmp_path) == []


def test_the_cli_backup_on_a_full_disk_says_so_without_a_traceback(tmp_path, no_space, capsys):
    path = tmp_path / "live.sqlite3"
    _database(path).close()
    assert cli_main(["--db", str(path), "backup"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"错误：{FULL}") and "Traceback" not in err


# ------------------------------------------------------------------ a real small disk

@pytest.fixture
def small_disk(tmp_path):
    """An 8 MiB tmpfs, mounted for the test; skipped where mounting is not allowed."""
    with factories.small_disk(tmp_path / "disk", "8m") as folder:
        yield folder


def _fill(folder, leave=0):
    """Fill the disk, then give back `leave` bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for chunk in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, filler.stat().st_size - leave)
    return filler


def test_real_disk_a_backup_that_runs_out_of_space_leaves_nothing(small_disk, monkeypatch):
    path = small_disk / "live.sqlite3"
    conn = _database(path, officers=1500)
    monkeypatch.setattr(backup, "_require_space", lambda conn, folder: None)  # write until full
    _fill(small_disk, leave=600 * 1024)
    free = shutil.disk_usage(small_disk).free
    with pytest.raises(UserError, match=FULL):
        maintenance.backup_now(conn)
    assert _leftovers(small_disk) == [] and backup.list_backups(backups_dir(path)) == []
    assert shutil.disk_usage(small_disk).free >= free  # the space is given back


def test_real_disk_cli_backup_and_restore_say_the_disk_is_full(small_disk, capsys):
    path = small_disk / "live.sqlite3"
    conn = _database(path, officers=1500)
    saved = maintenance.backup_now(conn)
    conn.close()
    _fill(small_disk, leave=600 * 1024)
    for argv in (["backup"], ["restore", str(saved)]):
        assert cli_main(["--db", str(path), *argv]) == 1
        err = capsys.readouterr().err
        assert FULL in err and "Traceback" not in err
    assert _leftovers(small_disk) == []


def test_real_disk_a_large_write_on_a_full_disk_keeps_all_or_nothing(small_disk):
    conn = _database(small_disk / "live.sqlite3", officers=10)
    conn.execute("PRAGMA cache_size = 10")
    filler = _fill(small_disk)
    with pytest.raises(UserError) as err:
        _officers(conn, 900, first=10)
    assert str(err.value) == DISK_FULL
    filler.unlink()
    assert _count(conn) == 10
    _officers(conn, 5, first=10)
    assert _count(conn) == 15


def test_real_disk_100_percent_full_open_says_the_disk_is_full(small_disk):
    path = small_disk / "live.sqlite3"
    _database(path, officers=10).close()  # closed: its WAL index must be made again
    _fill(small_disk)
    with pytest.raises(UserError, match=FULL):
        open_database(path)


def test_real_disk_gui_start_skips_the_daily_backup_with_a_notice(small_disk):
    from desktop.app import _open

    path = small_disk / "live.sqlite3"
    _database(path, officers=1500).close()
    _fill(small_disk, leave=1024 * 1024)
    db, warning = _open(path, "测试员")
    try:
        assert "今日自动备份已跳过" in warning and FULL in warning
        assert _count(db) == 1500
    finally:
        db.close()
    assert _leftovers(small_disk) == []
