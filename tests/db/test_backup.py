"""Online backups, rotation, restore and the integrity check."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from desktop.db import backup
from desktop.db.database import open_database
from desktop.domain.registry import LiaisonOfficer
from desktop.errors import UserError
from desktop.paths import backups_dir
from desktop.services import registry
from factories import id_number


def test_backup_and_restore_round_trip(tmp_path):
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    registry.create(conn, LiaisonOfficer(name="张三", id_number=id_number(1)))
    saved = backup.backup_database(conn, path, reason="manual")
    registry.create(conn, LiaisonOfficer(name="李四", id_number=id_number(2)))
    safety = backup.restore_backup(conn, path, saved)
    assert [o.name for o, _ in registry.list_officers(conn).rows] == ["张三"]
    assert safety.exists() and backup.check_database(conn) == []
    # the safety copy holds what was there before the restore
    before = open_database(safety)
    assert registry.list_officers(before).total == 2


def test_restore_refuses_non_backups(tmp_path):
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    with pytest.raises(UserError, match="不是工作台数据库备份"):
        backup.restore_backup(conn, path, junk)
    with pytest.raises(UserError, match="找不到备份文件"):
        backup.restore_backup(conn, path, tmp_path / "missing.sqlite3")


def _fake(folder, when):
    folder.mkdir(parents=True, exist_ok=True)
    name = f"live-{when:%Y%m%d-%H%M%S-%f}.sqlite3"
    (folder / name).write_bytes(b"x")
    return folder / name


def test_rotation_keeps_30_daily_and_every_month(tmp_path):
    folder = tmp_path / "b"
    start = datetime(2026, 1, 1, 9)
    for day in range(120):
        for hour in (0, 5):
            _fake(folder, start + timedelta(days=day, hours=hour))
    backup.rotate(folder)
    kept = backup.list_backups(folder)
    days = {b.taken_at.date() for b in kept}
    assert len([d for d in days if d >= (start + timedelta(days=90)).date()]) == 30
    assert {b.taken_at.strftime("%Y-%m") for b in kept} == {"2026-01", "2026-02", "2026-03",
                                                             "2026-04"}
    assert len(kept) == 30 + 4  # newest per day for 30 days, plus the oldest of each month


def test_daily_backup_at_most_once_a_day(tmp_path):
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    assert backup.backup_if_due(conn, path) is not None
    assert backup.backup_if_due(conn, path) is None
    assert len(backup.list_backups(backups_dir(path))) == 1


def test_check_reports_foreign_key_problems(tmp_path):
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    assert backup.check_database(conn) == []
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO posting (id, officer_id, organization_id, start_on, created_at,"
                 " updated_at) VALUES ('p', 'nobody', 'nothing', '2026-01-01', 'n', 'n')")
    assert any("不存在" in p for p in backup.check_database(conn))


# ------------------------------------------------------------ named copies are kept

def _named(folder, when, reason):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"live-{when:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    path.write_bytes(b"x")
    return path


def test_the_before_restore_copy_survives_40_same_day_backups(tmp_path):
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    registry.create(conn, LiaisonOfficer(name="张三", id_number=id_number(1)))
    saved = backup.backup_database(conn, path, dest=tmp_path / "saved.sqlite3")
    registry.create(conn, LiaisonOfficer(name="李四", id_number=id_number(2)))
    # Not the month's first backup (monthly thinning would keep that one anyway).
    now = datetime.now(timezone.utc)
    _fake(backups_dir(path), now.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    safety = backup.restore_backup(conn, path, saved)
    for n in range(40):
        backup.backup_database(conn, path, reason="daily" if n % 2 else "")
    assert safety.exists()
    assert registry.list_officers(open_database(safety)).total == 2


def test_named_copies_stay_30_days_and_the_newest_10_whatever_their_age(tmp_path):
    folder = tmp_path / "b"
    now = datetime(2026, 6, 30, 12, tzinfo=timezone.utc)
    old = [_named(folder, datetime(2025, 1, 1, n), "import") for n in range(15)]
    young = [_named(folder, datetime(2026, 6, 1, 8) + timedelta(minutes=n), "manual")
             for n in range(5)]
    for minute in range(30):  # a busy day of automatic copies
        _fake(folder, datetime(2026, 6, 30, 9, minute))
    backup.rotate(folder, now=now)
    kept = {b.path for b in backup.list_backups(folder)}
    assert set(young) <= kept  # younger than 30 days
    assert set(old[-5:]) <= kept  # with the 5 young ones: the newest 10 named copies
    # Older named copies go, except what daily/monthly thinning keeps anyway
    # (the newest of 2025-01-01 is old[-1], the oldest of January old[0]).
    assert kept & set(old) == {old[0], *old[-5:]}


def test_rotation_never_deletes_the_last_good_copy(tmp_path):
    folder = tmp_path / "b"
    now = datetime(2026, 6, 30, tzinfo=timezone.utc)
    good = _fake(folder, datetime(2026, 1, 5))
    for n in range(40):  # newer, but every one a damaged copy kept aside
        _named(folder, datetime(2026, 2, 1) + timedelta(days=n), "before-restore-damaged")
    backup.rotate(folder, now=now, keep_daily=0)
    assert good.exists()


def test_the_copy_just_written_is_kept_whatever_its_stamp(tmp_path):
    folder = tmp_path / "b"
    for day in range(40):  # a clock that once ran two years ahead
        _fake(folder, datetime(2028, 1, 1) + timedelta(days=day))
    written = _fake(folder, datetime(2026, 1, 1))
    backup.rotate(folder, keep=written)
    assert written.exists()


# ------------------------------------------------------------ a damaged database

def _damaged_database(tmp_path):
    """A database with 300 officers and one leaf page of the table overwritten,
    opened with the plain driver (the app's factory may refuse such a file)."""
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    for n in range(300):
        registry.create(conn, LiaisonOfficer(name=f"联络员{n}", id_number=id_number(n)))
    good = backup.backup_database(conn, path, reason="manual")
    conn.close()
    raw = sqlite3.connect(path)
    page, size = raw.execute("SELECT pageno, pgsize FROM dbstat WHERE name = 'liaison_officer'"
                             " AND pagetype = 'leaf' LIMIT 1").fetchone()
    raw.close()
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xff" * size)
    return path, sqlite3.connect(path), good


def _folder_state(path):
    return sorted(p.name for p in backups_dir(path).iterdir())


def test_a_damaged_database_is_not_backed_up_over_good_copies(tmp_path):
    path, conn, good = _damaged_database(tmp_path)
    before = _folder_state(path)
    for attempt in (lambda: backup.backup_database(conn, path, reason="manual"),
                    lambda: backup.backup_database(conn, path, reason="import")):
        with pytest.raises(UserError, match="数据库文件已损坏，未备份"):
            attempt()
    assert _folder_state(path) == before  # no new copy, no .part left, the good one kept
    good.unlink()  # so that the daily backup is due
    with pytest.raises(UserError, match="数据库文件已损坏，未备份"):
        backup.backup_if_due(conn, path)
    assert _folder_state(path) == []


def test_before_a_restore_a_damaged_database_is_kept_aside_never_as_good(tmp_path):
    path, conn, good = _damaged_database(tmp_path)
    safety = backup.restore_backup(conn, path, good)
    assert safety.name.endswith("-before-restore-damaged.sqlite3")
    assert backup.is_damaged_copy(safety)
    assert [r[0] for r in conn.execute("PRAGMA quick_check")] == ["ok"]  # restored
    [info] = [b for b in backup.list_backups(backups_dir(path)) if b.path == safety]
    assert info.damaged and info.named
    # Today's only other copy is the good one; a damaged copy never counts as today's.
    good.unlink()
    assert backup.backup_if_due(conn, path) is not None
    assert safety.exists()


def test_part_files_a_crash_left_behind_are_removed_by_the_next_backup(tmp_path):
    path = tmp_path / "live.sqlite3"
    conn = open_database(path)
    folder = backups_dir(path)
    folder.mkdir(parents=True)
    stale = folder / "live-20260101-000000-000000-daily.sqlite3.part"
    running = folder / "live-20260101-000001-000000-daily.sqlite3.part"
    for part in (stale, running):
        part.write_bytes(b"x" * 1000)
    os.utime(stale, (0, datetime.now().timestamp() - 7200))
    backup.backup_database(conn, path, reason="manual")
    assert not stale.exists() and running.exists()  # one that may still be written is left
