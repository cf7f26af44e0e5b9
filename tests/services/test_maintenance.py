"""Backups, restore, the database check and the policy store behind them."""

from __future__ import annotations

import dataclasses

import pytest

from desktop.db import policies, records
from desktop.db.database import open_database
from desktop.db.migrations import SCHEMA_VERSION
from desktop.domain.registry import LiaisonOfficer, Organization
from desktop.domain.subsidy import default_policy
from desktop.errors import UserError
from desktop.services import maintenance, registry
from desktop.services.workspace import database_path
from factories import id_number, uscc


def _names(db):
    return [o.name for o, _ in registry.list_officers(db).rows]


def test_init_creates_once_and_refuses_a_missing_folder(tmp_path):
    path = tmp_path / "new.sqlite3"
    assert maintenance.init_database(path) == path and path.is_file()
    assert maintenance.init_database(path) == path  # idempotent
    with pytest.raises(UserError, match="文件夹不存在"):
        maintenance.init_database(tmp_path / "no" / "such.sqlite3")


def test_init_defaults_to_the_clerks_database(_home):
    assert maintenance.init_database() == _home / "liangxin.sqlite3"


def test_open_existing_refuses_a_missing_file(tmp_path):
    with pytest.raises(UserError, match="数据库文件不存在"):
        maintenance.open_existing(tmp_path / "typo.sqlite3")
    assert not (tmp_path / "typo.sqlite3").exists()


def test_backup_now_goes_to_the_rotating_folder(db):
    first = maintenance.backup_now(db)
    assert first.is_file() and first.name.endswith("-manual.sqlite3")
    assert [b.path for b in maintenance.list_backups(db)] == [first]


def test_backup_now_to_a_folder_or_file_never_overwrites(db, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    in_folder = maintenance.backup_now(db, folder)
    assert in_folder.parent == folder and in_folder.is_file()
    target = folder / "copy.sqlite3"
    assert maintenance.backup_now(db, target) == target
    with pytest.raises(UserError, match="已存在"):
        maintenance.backup_now(db, target)
    with pytest.raises(UserError, match="文件夹不存在"):
        maintenance.backup_now(db, str(tmp_path / "missing") + "/")
    with pytest.raises(UserError, match="文件夹不存在"):
        maintenance.backup_now(db, tmp_path / "missing" / "x.sqlite3")


def test_restore_keeps_the_connection_usable_and_saves_the_current_data(db):
    registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
    saved = maintenance.backup_now(db)
    registry.create(db, LiaisonOfficer(name="李四", id_number=id_number(2)))
    safety = maintenance.restore(db, saved)
    assert _names(db) == ["张三"]
    # the same connection writes on, audited, after the restore
    registry.create(db, LiaisonOfficer(name="王五", id_number=id_number(3)))
    assert sorted(_names(db)) == ["张三", "王五"] and maintenance.check(db) == []
    before = open_database(safety)
    assert sorted(_names(before)) == ["张三", "李四"]
    before.close()


def test_restore_refuses_garbage_and_leaves_the_data_alone(db, tmp_path):
    registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
    text = tmp_path / "notes.sqlite3"
    text.write_text("不是数据库", encoding="utf-8")
    foreign = tmp_path / "other.sqlite3"
    other = open_database(foreign, migrate=False)
    other.execute("create table t (x)")
    other.close()
    for bad, reason in ((text, "不是工作台数据库"), (foreign, "不是本软件的数据库"),
                        (tmp_path / "gone.sqlite3", "找不到备份文件")):
        with pytest.raises(UserError, match=reason):
            maintenance.restore(db, bad)
    with pytest.raises(UserError, match="正在使用的数据库"):
        maintenance.restore(db, database_path(db))
    assert _names(db) == ["张三"] and maintenance.check(db) == []


def test_restore_refuses_a_backup_from_a_newer_version(db, tmp_path):
    registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
    newer = maintenance.backup_now(db, tmp_path / "newer.sqlite3")
    conn = open_database(newer, migrate=False)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    registry.create(db, LiaisonOfficer(name="李四", id_number=id_number(2)))
    with pytest.raises(UserError, match="更新版本"):
        maintenance.restore(db, newer)
    assert sorted(_names(db)) == ["张三", "李四"]
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_startup_backup_at_most_once_a_day(db):
    assert maintenance.startup_backup(db) is not None
    assert maintenance.startup_backup(db) is None
    assert len(maintenance.list_backups(db)) == 1


def test_check_lists_records_that_break_the_rules(db, township_id):
    assert maintenance.check(db) == []
    good = Organization(name="宜城好企业有限公司", area_id=township_id, uscc=uscc(1))
    registry.create(db, good)
    # written past the service checks, as an old import or a hand edit could
    bad_code = uscc(2)[:-1] + ("0" if uscc(2)[-1] != "0" else "1")
    records.insert(db, "organization", dataclasses.replace(good, name="坏代码公司", uscc=bad_code))
    policies.upsert_policy(db, dataclasses.replace(default_policy(2026), bonus_min_posted_days=400))
    problems = maintenance.check(db)
    assert len(problems) == 2
    assert "坏代码公司" in problems[0] and "校验位" in problems[0]
    assert problems[1].startswith("2026年度补贴标准有误")


def test_check_caps_a_flood_of_problems(db, township_id):
    for n in range(maintenance._MAX_PER_KIND + 5):
        records.insert(db, "liaison_officer", LiaisonOfficer(name=f"员{n}", id_number=f"{n:018d}"))
    problems = maintenance.check(db)
    assert len(problems) == maintenance._MAX_PER_KIND + 1
    assert problems[-1] == "联络员另有 5 个问题未列出"


def test_policy_store_round_trip(db):
    assert policies.get_policy(db, 2026) is None
    policies.upsert_policy(db, default_policy(2026))
    changed = dataclasses.replace(default_policy(2026), monthly_stipend_fen=250000,
                                  bonus_fen={"excellent": 1, "good": 2, "competent": 3,
                                             "incompetent": 4},
                                  proration="half_month", prorate_bonus=True)
    first_id = policies.upsert_policy(db, default_policy(2025))
    policies.upsert_policy(db, changed)
    assert policies.get_policy(db, 2026) == changed
    assert [p.year for p in policies.list_policies(db)] == [2025, 2026]
    assert policies.upsert_policy(db, default_policy(2025)) == first_id  # updated in place
