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
    "payment_run", "bulletin",
)

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


def _json_object(conn: sqlite3.Connection, table: str, alias: str) -> str:
    columns = [
        (row[1], row[2]) for row in conn.execute(f"PRAGMA table_info({table})")
    ]
    pairs = [f"'{name}', {alias}.{name}" for name, kind in columns if kind.upper() != "BLOB"]
    return "json_object(" + ", ".join(pairs) + ")"


def install_triggers(conn: sqlite3.Connection) -> None:
    """(Re)create the audit triggers from the tables' current columns."""
    for table in AUDITED_TABLES:
        key = "key" if table == "app_setting" else "id"
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
