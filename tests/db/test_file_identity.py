"""Foreign, empty, incomplete and read-only files (issue 13 points 6 and 10):
refused or read exactly as they are, never changed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from desktop.db import file_identity, migrations
from desktop.db.connection import register_functions, transaction
from desktop.db.database import open_database
from desktop.db.file_identity import APPLICATION_ID, TABLES_BY_VERSION
from desktop.errors import UserError
from desktop.services import maintenance, workspace


def _snapshot(path: Path) -> tuple[bytes, list[str]]:
    """The file's bytes and every file beside it (a -wal would show a WAL switch)."""
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def _foreign(path: Path, *, version: int = 0, app_id: int = 0) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('别人的数据')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()
    return path


def _ours_at_v3_without(path: Path, table: str) -> Path:
    """A database of ours at schema version 3 that lost a table (and was never marked)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in migrations.MIGRATIONS[:3]:
        conn.execute("BEGIN")
        step(conn)
        conn.execute("COMMIT")
    conn.execute("PRAGMA user_version = 3")
    conn.execute(f"DROP TABLE {table}")
    conn.close()
    return path


def test_the_table_list_of_every_version_matches_the_migrations():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register_functions(conn, "")
    found = [frozenset()]
    for step in migrations.MIGRATIONS:
        conn.execute("BEGIN")
        step(conn)
        conn.execute("COMMIT")
        found.append(file_identity._tables(conn))
    assert tuple(found) == TABLES_BY_VERSION


def test_a_new_database_is_marked_as_ours(tmp_path):
    conn = open_database(tmp_path / "new.sqlite3")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x4C58444B
    conn.close()


def test_a_database_from_before_the_mark_is_recognised_and_marked(db, _home):
    path = workspace.database_path(db)
    db.execute("PRAGMA application_id = 0")
    db.close()
    conn = open_database(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert maintenance.check(conn) == []
    conn.close()


@pytest.mark.parametrize("version", [0, 3, 99])
def test_another_programs_file_is_refused_unchanged(tmp_path, version):
    path = _foreign(tmp_path / "other.sqlite3", version=version)
    before = _snapshot(path)
    with pytest.raises(UserError, match="不是工作台数据库.*未作任何改动"):
        open_database(path)
    assert _snapshot(path) == before


def test_a_file_marked_by_another_application_is_refused_unchanged(tmp_path):
    path = _foreign(tmp_path / "other.sqlite3", version=5, app_id=0x12345678)
    before = _snapshot(path)
    with pytest.raises(UserError, match="其他程序的数据库"):
        open_database(path)
    assert _snapshot(path) == before


def test_version_3_with_a_missing_table_is_refused_in_chinese_before_any_change(tmp_path):
    path = _ours_at_v3_without(tmp_path / "v3.sqlite3", "payment_line")
    before = _snapshot(path)
    with pytest.raises(UserError, match="结构版本 3，缺少数据表：payment_line") as caught:
        open_database(path)
    assert "no such table" not in str(caught.value)
    assert _snapshot(path) == before  # no backup folder, no WAL, no migration


def test_a_zero_byte_file_stays_empty_unless_init_is_asked(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(UserError, match="空文件"):
        open_database(path, create=False)
    with pytest.raises(UserError, match="空文件"):
        maintenance.open_existing(path)
    assert path.stat().st_size == 0
    maintenance.init_database(path)  # init may
    conn = open_database(path, create=False)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    conn.close()


def test_a_table_less_sqlite_file_counts_as_empty(tmp_path):
    path = tmp_path / "blank.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")  # what an interrupted first start leaves
    conn.close()
    before = _snapshot(path)
    with pytest.raises(UserError, match="空数据库"):
        open_database(path, create=False)
    assert _snapshot(path) == before


# -- read-only --------------------------------------------------------------------
# Tests run as root, and chmod does not stop root from writing: os.access() says
# yes and SQLite would open the file for writing. So the read-only case is
# simulated where the app asks (file_identity.writable / os.access); SQLite's own
# mode=ro and immutable=1 then really refuse every write, root or not. The chmod
# test below runs only for an ordinary user.

@pytest.fixture
def read_only(monkeypatch):
    monkeypatch.setattr(file_identity, "writable", lambda path: False)


def _delete_mode_db(path: Path) -> Path:
    conn = open_database(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # as a copied backup is: WAL off in the header
    conn.close()
    return path


def test_a_read_only_file_is_read_and_writes_are_refused(tmp_path, read_only):
    path = _delete_mode_db(tmp_path / "ro.sqlite3")
    before = _snapshot(path)
    conn = open_database(path)
    assert workspace.is_read_only(conn)
    assert maintenance.check(conn) == []
    with pytest.raises(UserError, match="只读的，无法保存"):
        workspace.set_setting(conn, "county_name", "某县")
    assert "只读" in workspace.storage_warning(conn)
    conn.close()
    assert _snapshot(path) == before  # no WAL switch, no -wal / -shm


def test_a_read_only_folder_opens_the_file_immutable(tmp_path, read_only, monkeypatch):
    path = _delete_mode_db(tmp_path / "ro.sqlite3")
    real_access = os.access
    monkeypatch.setattr(file_identity.os, "access",
                        lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    plan = file_identity.plan_open(path, create=False)
    assert plan.read_only and "immutable=1" in plan.target
    before = _snapshot(path)
    conn = open_database(path)
    assert conn.execute("SELECT count(*) FROM area").fetchone()[0] == 0
    with pytest.raises(UserError, match="只读的，无法保存"):
        with transaction(conn):
            conn.execute("DELETE FROM app_setting")
    conn.close()
    assert _snapshot(path) == before


def test_a_read_only_database_of_an_older_version_is_refused_not_migrated(tmp_path, read_only):
    path = _delete_mode_db(tmp_path / "old.sqlite3")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    with pytest.raises(UserError, match="只读.*旧版本"):
        open_database(path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="chmod does not stop root; simulated in the tests above")
def test_chmod_read_only_folder_really_reads(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _delete_mode_db(folder / "ro.sqlite3")
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        conn = open_database(path)
        assert workspace.is_read_only(conn) and maintenance.check(conn) == []
        conn.close()
    finally:
        folder.chmod(0o755)
