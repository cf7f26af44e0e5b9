"""Online backups, rotation, restore and the integrity check."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.db import backup
from desktop.db.connection import open_database
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
