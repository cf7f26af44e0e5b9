"""The database factory, migrations, audit log and database-enforced rules."""

from __future__ import annotations

import json
import sqlite3

import pytest

from desktop.db import audit, migrations
from desktop.db.connection import open_database, transaction
from desktop.db.file_identity import APPLICATION_ID
from desktop.domain.registry import LiaisonOfficer, Organization
from desktop.errors import UserError
from desktop.services import registry
from factories import id_number

_ID = id_number(7)


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
    with pytest.raises(UserError, match="其他程序"):  # unmarked: not ours, newer or not
        open_database(newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a newer release's file
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
    tampered = conn.execute(
        "SELECT min(id) FROM audit_log WHERE after_json LIKE '%张三%'").fetchone()[0]
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET after_json = replace(after_json, '张三', '王五')")
    assert audit.verify_chain(conn) == tampered


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


def test_a_version_3_database_moves_months_into_their_lines_and_keeps_locked_runs(tmp_path):
    """Runs stored with a month table (v3) read the same after v4, locked ones included,
    and their seals are recomputed so check stays clean."""
    from datetime import date

    from desktop.domain.registry import Area, Posting
    from desktop.services import maintenance, payruns, policy

    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    from desktop.db.connection import _configure

    _configure(conn, "测试员")
    for version in (1, 2, 3):
        conn.execute("BEGIN")
        migrations.MIGRATIONS[version - 1](conn)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    county = registry.create(conn, Area(name="示范县", kind="county"))
    town = registry.create(conn, Area(name="城关镇", parent_id=county))
    org = registry.create(conn, Organization(name="甲公司", area_id=town))
    officer = registry.create(conn, LiaisonOfficer(name="张三", id_number=_ID))
    registry.create(conn, Posting(officer_id=officer, organization_id=org,
                                  start_on=date(2026, 3, 10), end_on=date(2026, 5, 20)))
    policy.set_policy(conn, 2026)
    policy_json = json.dumps(policy.policy_as_json(policy.show_policy(conn, 2026)))
    # A v3 run, stored by hand in the old layout: one line, its months in their own table.
    stamp = "2026-07-01T00:00:00.000Z"
    conn.execute("INSERT INTO payment_run (id, kind, period, period_start, period_end,"
                 " policy_json, status, total_fen, lines_sha256, created_at, updated_at)"
                 " VALUES ('r1', 'stipend', '2026-Q2', '2026-04-01', '2026-06-30', ?,"
                 " 'draft', 329032, 'old-seal', ?, ?)", (policy_json, stamp, stamp))
    conn.execute("INSERT INTO payment_line (id, run_id, officer_id, seq, officer_name, id_number,"
                 " posted_days, amount_fen, created_at, updated_at) VALUES"
                 " ('l1', 'r1', ?, 1, '张三', ?, 50, 329032, ?, ?)", (officer, _ID, stamp, stamp))
    for k, (month, days, dim, fen) in enumerate((("2026-05", 20, 31, 129032),
                                                 ("2026-04", 30, 30, 200000))):
        conn.execute("INSERT INTO payment_line_month (id, line_id, month, posted_days,"
                     " days_in_month, amount_fen, rule, created_at, updated_at)"
                     " VALUES (?, 'l1', ?, ?, ?, ?, '按日折算', ?, ?)",
                     (f"m{k}", month, days, dim, fen, stamp, stamp))
    conn.execute("UPDATE payment_run SET status = 'locked' WHERE id = 'r1'")
    conn.close()
    upgraded = open_database(path, operator="测试员")
    (line,) = payruns.get_run(upgraded, "r1").lines
    assert [(m.month, m.posted_days, m.amount_fen) for m in line.months] == [
        ("2026-04", 30, 200000), ("2026-05", 20, 129032)]
    assert maintenance.check(upgraded) == []
    tables = {r[0] for r in upgraded.execute("SELECT name FROM sqlite_master")}
    assert "payment_line_month" not in tables
    with pytest.raises(UserError, match="已锁定"):
        payruns.delete_run(upgraded, "r1")
    # The paid months count against a new run: nothing is paid twice, so no run.
    with pytest.raises(UserError, match="已由已锁定的批次 r1全部发放"):
        payruns.create_stipend_run(upgraded, "2026-Q2", today=date(2026, 12, 31))
    # v5: the old locked run is an ordinary stipend run an adjustment can correct.
    assert payruns.get_run(upgraded, "r1").run.adjusts == 0
    with pytest.raises(UserError, match="没有需要调整的差额"):
        payruns.create_adjustment_run(upgraded, "2026-Q2", today=date(2026, 12, 31))
    assert migrations.current_version(upgraded) == migrations.SCHEMA_VERSION
