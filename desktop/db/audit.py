"""Audit triggers: every insert, update and delete lands in audit_log in the
same transaction, chained by SHA-256 so later edits to the log are detectable.

The operator comes from the connection's app_operator() function, and the hash
from app_sha256(); both are registered by the connection factory. A tool that
opens the file without them cannot write to audited tables, which is intended.
"""

from __future__ import annotations

import sqlite3

# A payment run's lines and months are not audited row by row: the run's audited
# row carries their SHA-256 (payment_run.lines_sha256, schema_v3.sql).
AUDITED_TABLES = (
    "app_setting", "area", "organization", "guidance_station", "instructor",
    "instructor_assignment", "liaison_officer", "posting", "assessment", "subsidy_policy",
    "payment_run", "bulletin", "app_user", "access_event",
)
PROBLEM_TABLES = ("visit", "problem", "problem_step")  # schema_v7_problems.sql
AUDITED_TABLES += PROBLEM_TABLES
# Columns no audit row may hold (ACCESS.md: never a password or its hash).
SECRET_COLUMNS = {"app_user": frozenset({"password_hash"})}

_TEMPLATE = """
CREATE TRIGGER audit_{table}_{action} AFTER {event} ON {table}
BEGIN
  INSERT INTO audit_log (at, operator, table_name, row_id, action, before_json, after_json,
                         prev_hash, hash)
  SELECT t.at, t.op, '{table}', {row_id}, '{action}', t.before, t.after, t.prev,
         app_sha256(t.prev || '|' || t.at || '|' || t.op || '|{table}|' || {row_id}
                    || '|{action}|' || coalesce(t.before, '') || '|' || coalesce(t.after, ''))
  FROM (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS at, app_operator() AS op,
               {before} AS before, {after} AS after,
               coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '') AS prev) AS t;
END
"""


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str | None]]:
    """(name, default as SQL text) of the columns the audit JSON holds (no BLOBs)."""
    secret = SECRET_COLUMNS.get(table, frozenset())
    return [(row[1], row[4]) for row in conn.execute(f"PRAGMA table_info({table})")
            if str(row[2]).upper() != "BLOB" and row[1] not in secret]


def _json_object(conn: sqlite3.Connection, table: str, alias: str) -> str:
    pairs = [f"'{name}', {alias}.{name}" for name, _ in _columns(conn, table)]
    return "json_object(" + ", ".join(pairs) + ")"


def row_key(table: str) -> str:
    """The column an audited table's rows are logged by (audit_log.row_id)."""
    return "key" if table == "app_setting" else "id"


def install_triggers(conn: sqlite3.Connection, tables: tuple[str, ...] | None = None) -> None:
    """(Re)create the audit triggers from the tables' current columns: of `tables`,
    by default of every audited table the schema has so far (a migration runs
    this before later migrations have made their tables)."""
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in (t for t in tables or AUDITED_TABLES if t in existing):
        key = row_key(table)
        new, old = _json_object(conn, table, "NEW"), _json_object(conn, table, "OLD")
        specs = (
            ("insert", "INSERT", f"NEW.{key}", "NULL", new),
            ("update", "UPDATE", f"NEW.{key}", old, new),
            ("delete", "DELETE", f"OLD.{key}", old, "NULL"),
        )
        for action, event, row_id, before, after in specs:
            conn.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{action}")
            conn.execute(_TEMPLATE.format(table=table, action=action, event=event,
                                          row_id=row_id, before=before, after=after))


def verify_chain(conn: sqlite3.Connection) -> int | None:
    """The id of the first audit row whose hash does not match, or None."""
    prev = ""
    rows = conn.execute(
        "SELECT id, at, operator, table_name, row_id, action, before_json, after_json,"
        " prev_hash, hash FROM audit_log ORDER BY id"
    )
    for row in rows:
        text = "|".join([prev, row[1], row[2], row[3], row[4], row[5], row[6] or "", row[7] or ""])
        expected = conn.execute("SELECT app_sha256(?)", (text,)).fetchone()[0]
        if row[8] != prev or row[9] != expected:
            return row[0]
        prev = row[9]
    return None


def latest_hash(conn: sqlite3.Connection) -> str:
    """The newest audit hash, printed on locked payment sheets."""
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else ""


# ---------------------------------------------------------------- edits outside the log
# Every write to an audited table logs the row as it is afterwards, so each live row
# equals the after_json of its latest audit row. A write made with the triggers
# dropped or disabled (`.dbconfig enable_trigger off`) breaks that, whatever the
# writer did to the chain afterwards, unless they also forged audit rows.

# The schema upgrade to version 4 reseals locked runs (their lines moved to a new
# layout, same amounts); it signs those audit rows with this name, so check can
# tell the upgrade's reseal from a hand-made change after the lock.
UPGRADE_OPERATOR = "软件升级（数据结构）"

UNAUDITED = "unaudited"  # a row no audit row mentions (or whose latest says deleted)
ALTERED = "altered"  # the row differs from its latest audit row
VANISHED = "vanished"  # the log says the row exists; the table has no such row


def _same_as_logged(conn: sqlite3.Connection, table: str) -> str:
    """SQL true when row `r` holds what audit row `a` logged. The text of both JSON
    objects is the same for an untouched row; a column added by a later migration
    (absent from older audit rows) must still hold its default."""
    exact = f"a.after_json = {_json_object(conn, table, 'r')}"
    per_column = " AND ".join(
        f"(json_extract(a.after_json, '$.{name}') IS r.{name}"
        f" OR (json_type(a.after_json, '$.{name}') IS NULL AND r.{name} IS {default or 'NULL'}))"
        for name, default in _columns(conn, table))
    return f"({exact} OR ({per_column}))"


def unlogged_changes(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(row id, UNAUDITED | ALTERED | VANISHED) of every row of an audited table
    whose content the audit log does not account for. One pass over the table,
    each row's latest audit row found by the audit_log_row index, and one over
    the table's audit rows (two queries: as one UNION it took twice as long)."""
    key = row_key(table)
    rows = conn.execute(f"""
        SELECT r.{key}, CASE WHEN a.id IS NULL OR a.action = 'delete' THEN '{UNAUDITED}'
                             ELSE '{ALTERED}' END
        FROM {table} r LEFT JOIN audit_log a ON a.id = (
            SELECT max(id) FROM audit_log WHERE table_name = '{table}' AND row_id = r.{key})
        WHERE a.id IS NULL OR a.action = 'delete' OR NOT {_same_as_logged(conn, table)}
        """).fetchall()
    rows += conn.execute(f"""
        WITH latest AS MATERIALIZED (SELECT row_id, max(id) AS id FROM audit_log
                                     WHERE table_name = '{table}' GROUP BY row_id)
        SELECT l.row_id, '{VANISHED}' FROM latest l JOIN audit_log a ON a.id = l.id
        WHERE a.action != 'delete' AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.{key} = l.row_id)
        """).fetchall()
    return [(row[0], row[1]) for row in rows]


def missing_rows(conn: sqlite3.Connection) -> tuple[int, int]:
    """(rows missing inside the log, rows missing at its end). Audit ids count up
    from 1 without gaps (AUTOINCREMENT; a rollback takes its ids back), and
    sqlite_sequence remembers the highest id ever written."""
    count, highest = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM audit_log").fetchone()
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").fetchone()
    sequence = row[0] if row else 0
    return highest - count, max(sequence - highest, 0)


def changes_after_lock(conn: sqlite3.Connection) -> int:
    """Audit rows that change a payment run already locked: the locked-run triggers
    refuse such a write, so the row was written by hand."""
    return conn.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'payment_run' AND action != 'insert'"
        " AND json_extract(before_json, '$.status') = 'locked'"
        " AND NOT (operator = ? AND action = 'update'"
        "  AND json_remove(before_json, '$.lines_sha256', '$.updated_at')"
        "   = json_remove(after_json, '$.lines_sha256', '$.updated_at'))",
        (UPGRADE_OPERATOR,)).fetchone()[0]


# ---------------------------------------------------------------- the sheet's code

def lock_entry(conn: sqlite3.Connection, run_id: str) -> sqlite3.Row | None:
    """The audit row that locked a payment run (its status draft -> locked), or None."""
    return conn.execute(
        "SELECT id, hash, row_id, after_json FROM audit_log"
        " WHERE table_name = 'payment_run' AND row_id = ? AND action = 'update'"
        " AND json_extract(before_json, '$.status') = 'draft'"
        " AND json_extract(after_json, '$.status') = 'locked' ORDER BY id DESC LIMIT 1",
        (run_id,)).fetchone()


def entries_by_prefix(conn: sqlite3.Connection, prefix: str) -> list[sqlite3.Row]:
    """Audit rows whose hash starts with `prefix` (lower-case hex), at most two."""
    return conn.execute(
        "SELECT id, hash, prev_hash, table_name, row_id, action, before_json, after_json"
        " FROM audit_log WHERE substr(hash, 1, ?) = ? ORDER BY id LIMIT 2",
        (len(prefix), prefix)).fetchall()


def entry(conn: sqlite3.Connection, entry_id: int) -> sqlite3.Row | None:
    """One audit row by id, with what its hash is computed from."""
    return conn.execute(
        "SELECT id, at, operator, table_name, row_id, action, before_json, after_json,"
        " prev_hash, hash FROM audit_log WHERE id = ?", (entry_id,)).fetchone()


def entry_hash_ok(conn: sqlite3.Connection, entry_id: int) -> bool:
    """Whether one audit row's hash is right and links to the row before it."""
    row = entry(conn, entry_id)
    before = entry(conn, entry_id - 1) if entry_id > 1 else None
    if row is None or row["prev_hash"] != (before["hash"] if before else ""):
        return False
    text = "|".join([row[8], row[1], row[2], row[3], row[4], row[5], row[6] or "", row[7] or ""])
    return conn.execute("SELECT app_sha256(?)", (text,)).fetchone()[0] == row["hash"]
