"""The database factory, migrations, audit log and database-enforced rules."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.db import audit, migrations
from desktop.db.connection import open_database, transaction
from desktop.domain.registry import LiaisonOfficer, Organization
from desktop.errors import UserError
from desktop.services import registry
from factories import id_number


def _schema(conn):
    return sorted(tuple(r) for r in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_fresh_database_is_configured(db):
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_empty_file_migrates_to_the_same_schema_as_a_fresh_one(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()  # a version-0 file of zero bytes
    migrated = open_database(empty)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    assert _schema(migrated) == _schema(fresh)
    again = open_database(empty)  # idempotent
    assert again.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION


def test_a_version_1_database_is_backed_up_then_gets_the_search_index(tmp_path):
    from desktop.db import backup
    from desktop.paths import backups_dir

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    migrations._v1(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    upgraded = open_database(path)
    names = {r[0] for r in upgraded.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "organization_search" in names and "organization_name" not in names
    plan = " ".join(r[3] for r in upgraded.execute(
        "EXPLAIN QUERY PLAN SELECT o.* FROM organization o WHERE o.deleted_at IS NULL"
        " AND o.name LIKE '%x%' ORDER BY o.name, o.id LIMIT 200"))
    assert "organization_search" in plan
    taken = backup.list_backups(backups_dir(path))
    assert [b.reason for b in taken] == ["before-migration-v1"]


def test_newer_schema_and_foreign_files_refused(tmp_path):
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UserError, match="更新版本"):
        open_database(newer)
    text = tmp_path / "notes.sqlite3"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(UserError, match="不是工作台数据库"):
        open_database(text)


def test_every_change_is_audited_with_operator_and_chain(db, township_id):
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    oid = registry.create(db, Organization(name="甲公司", area_id=township_id))
    registry.delete(db, Organization, oid)
    rows = db.execute("SELECT operator, table_name, row_id, action, before_json, after_json"
                      " FROM audit_log ORDER BY id").fetchall()[before:]
    assert [(r["operator"], r["table_name"], r["row_id"], r["action"]) for r in rows] == [
        ("测试员", "organization", oid, "insert"), ("测试员", "organization", oid, "update")]
    assert '"deleted_at":null' in rows[1]["before_json"].replace(" ", "")
    assert audit.verify_chain(db) is None


def test_audit_log_cannot_be_edited(db):
    with pytest.raises(sqlite3.IntegrityError, match="审计日志不能修改"):
        db.execute("UPDATE audit_log SET operator = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="审计日志不能删除"):
        db.execute("DELETE FROM audit_log")


def test_tampering_is_detected_by_the_chain(tmp_path):
    path = tmp_path / "t.sqlite3"
    conn = open_database(path)
    registry.create(conn, LiaisonOfficer(name="张三", id_number=id_number(1)))
    registry.create(conn, LiaisonOfficer(name="李四", id_number=id_number(2)))
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET after_json = replace(after_json, '张三', '王五')")
    assert audit.verify_chain(conn) == 1


def test_transaction_is_all_or_nothing(db):
    with pytest.raises(RuntimeError):
        with transaction(db):
            registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
            raise RuntimeError("boom")
    assert registry.list_officers(db).total == 0


def _locked_run(db):
    with transaction(db):
        db.execute("INSERT INTO payment_run (id, kind, period, period_start, period_end, policy_json,"
                   " status, total_fen, created_at, updated_at) VALUES ('r1', 'stipend', '2026-03',"
                   " '2026-03-01', '2026-03-31', '{}', 'draft', 100, 'now', 'now')")
        officer = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
        db.execute("INSERT INTO payment_line (id, run_id, officer_id, seq, officer_name, id_number,"
                   " amount_fen, created_at, updated_at) VALUES ('l1', 'r1', ?, 1, '张三', 'x', 100,"
                   " 'now', 'now')", (officer,))
        db.execute("UPDATE payment_run SET status = 'locked' WHERE id = 'r1'")
    return officer


@pytest.mark.parametrize("sql", [
    "UPDATE payment_run SET total_fen = 1 WHERE id = 'r1'",
    "UPDATE payment_run SET status = 'draft' WHERE id = 'r1'",
    "DELETE FROM payment_run WHERE id = 'r1'",
    "UPDATE payment_line SET amount_fen = 1 WHERE id = 'l1'",
    "DELETE FROM payment_line WHERE id = 'l1'",
])
def test_database_refuses_to_change_a_locked_run(db, sql):
    _locked_run(db)
    with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
        db.execute(sql)


def test_database_refuses_new_lines_in_a_locked_run(db):
    officer = _locked_run(db)
    with pytest.raises(sqlite3.IntegrityError, match="已锁定"):
        db.execute("INSERT INTO payment_line (id, run_id, officer_id, seq, officer_name, id_number,"
                    " amount_fen, created_at, updated_at) VALUES ('l2', 'r1', ?, 2, '张三', 'x', 5,"
                    " 'now', 'now')", (officer,))


def test_strict_tables_refuse_text_in_integer_columns(db, township_id):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO organization (id, name, kind, area_id, employee_count, created_at,"
                   " updated_at) VALUES ('o', 'x', 'enterprise', ?, '12.5元', 'n', 'n')", (township_id,))
