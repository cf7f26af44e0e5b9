"""Backups that leave the data folder are sealed once an exchange password is
set; a sealed backup that is wrong in any way is refused and the database is
left exactly as it was (ACCESS.md, "Files that leave the PC")."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from desktop import paths
from desktop.db import sealed
from desktop.domain import sealing as fmt
from desktop.domain.registry import Organization
from desktop.db import settings_store
from desktop.errors import UserError
from desktop.services import maintenance, registry, sealing
from desktop.services.workspace import database_path
from tests.security.conftest import PASSWORD
from tests.security.damage import CASES, IDS, damaged_copy


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


@pytest.fixture
def office(db, township_id):
    for k in range(40):
        registry.create(db, Organization(name=f"企业{k:02d}", area_id=township_id,
                                         address="城关路" * 10))
    sealing.set_password(db, PASSWORD, PASSWORD)
    return db


def _leftovers(db) -> list[str]:
    return [p.name for p in database_path(db).parent.iterdir() if p.name.startswith(".lxseal")]


def test_a_backup_to_a_chosen_folder_is_sealed(office, usb):
    path = maintenance.backup_now(office, usb, password=PASSWORD)

    assert sealed.is_sealed(path) and path.parent == usb
    assert "城关路".encode() not in path.read_bytes()
    assert sorted(p.name for p in usb.iterdir()) == [path.name]  # no .part, no plain copy
    assert not _leftovers(office)


def test_the_rotating_backups_stay_plain(office):
    path = maintenance.backup_now(office)
    assert path.parent == paths.backups_dir(database_path(office))
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_without_an_exchange_password_backups_are_plain_as_before(db, usb):
    path = maintenance.backup_now(db, usb)
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.mark.parametrize("password,refusal", [(None, "需要交换口令"), ("wrongpass123", "交换口令不正确")])
def test_a_sealed_backup_needs_the_offices_password(office, usb, password, refusal):
    with pytest.raises(UserError, match=refusal):
        maintenance.backup_now(office, usb, password=password)
    assert list(usb.iterdir()) == []


def test_a_sealed_backup_restores(office, usb):
    path = maintenance.backup_now(office, usb, password=PASSWORD)
    registry.create(office, Organization(name="备份之后新建", area_id=_an_area(office)))

    maintenance.restore(office, path, password=PASSWORD)

    names = {o.name for o, _ in registry.list_organizations(office).rows}
    assert "备份之后新建" not in names and "企业00" in names
    assert not _leftovers(office)


def _an_area(db) -> str:
    return registry.townships(db)[0].id


def _state(db) -> tuple:
    """The database as bytes (after a checkpoint) and the backups folder."""
    live = database_path(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = paths.backups_dir(live)
    backups = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return hashlib.sha256(live.read_bytes()).hexdigest(), backups, db.total_changes


@pytest.mark.parametrize("name,password,mangle,refusal", CASES, ids=IDS)
def test_a_damaged_sealed_backup_changes_nothing(office, usb, tmp_path, small_chunks,
                                                name, password, mangle, refusal):
    good = maintenance.backup_now(office, usb, password=PASSWORD)
    bad = damaged_copy(good, tmp_path / "bad", mangle)
    registry.create(office, Organization(name="恢复前的数据", area_id=_an_area(office)))
    before = _state(office)

    with pytest.raises(UserError) as caught:
        maintenance.restore(office, bad, password=password)

    assert str(caught.value) == f"{refusal}，未恢复，当前数据未改变"
    assert _state(office) == before  # no safety copy either: refused before any step
    assert not _leftovers(office)


def test_a_backup_sealed_with_another_password_is_refused(office, usb):
    good = maintenance.backup_now(office, usb, password=PASSWORD)
    sealing.set_password(office, "another2026", "another2026")
    with pytest.raises(UserError, match=fmt.WRONG_PASSWORD):
        maintenance.restore(office, good, password="another2026")
    maintenance.restore(office, good, password=PASSWORD)  # each file keeps its own


def test_a_plain_backup_still_restores_with_a_password_set(office):
    plain = maintenance.backup_now(office)
    maintenance.restore(office, plain)


def test_the_exchange_password_is_stored_only_as_a_verifier(office):
    dumped = "\n".join(office.iterdump())
    assert PASSWORD not in dumped
    assert sealing.is_set(office)
    sealing.clear_password(office)
    assert not sealing.is_set(office)


def test_the_audit_log_records_the_password_change_but_holds_no_verifier(office):
    sealing.set_password(office, "another2026", "another2026")
    verifier = office.execute("SELECT value FROM app_secret WHERE name = ?",
                              (sealing.SECRET,)).fetchone()[0]
    logged = office.execute("SELECT group_concat(coalesce(before_json, '') || after_json, ' ')"
                            " FROM audit_log WHERE table_name = 'app_setting'"
                            " AND row_id = ?", (sealing.SETTING,)).fetchone()[0]
    assert verifier and verifier not in logged and "scrypt" not in logged
    assert logged.count('"value":"1"') >= 2  # set by the fixture, changed here: both logged


def test_a_database_with_the_verifier_still_in_the_setting_keeps_working(office):
    verifier = office.execute("SELECT value FROM app_secret WHERE name = ?",
                              (sealing.SECRET,)).fetchone()[0]
    settings_store.put(office, sealing.SETTING, verifier)  # how the previous build kept it
    assert sealing.sealing_password(office, PASSWORD) == PASSWORD
    with pytest.raises(UserError, match="交换口令不正确"):
        sealing.sealing_password(office, "wrong-2026")


@pytest.mark.parametrize("password,repeated,problem", [
    ("abc12345", "abc12346", "两次输入的交换口令不一致"),
    ("abc1234", "abc1234", "至少 8 位"),
    ("abcdefgh", "abcdefgh", "字母和数字"),
])
def test_a_weak_or_mistyped_password_is_not_saved(db, password, repeated, problem):
    with pytest.raises(UserError, match=problem):
        sealing.set_password(db, password, repeated)
    assert not sealing.is_set(db)


def test_a_sealed_file_is_no_sqlite_database(office, usb):
    path = maintenance.backup_now(office, usb, password=PASSWORD)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()


def test_a_copy_beside_the_database_stays_plain_but_a_subfolder_is_elsewhere(office):
    home = database_path(office).parent
    beside = maintenance.backup_now(office, home / "copy.sqlite3")
    (home / "u盘").mkdir()
    below = maintenance.backup_now(office, home / "u盘", password=PASSWORD)
    assert not sealed.is_sealed(beside) and sealed.is_sealed(below)
