"""The yearly subsidy policy (补贴标准, POLICY.md §2) in table subsidy_policy.

The domain keeps the year-end bonus amounts as one dict by grade; the table has
one column per grade, so the mapping lives here and nowhere else.
"""

from __future__ import annotations

import sqlite3

from desktop.db.connection import transaction
from desktop.db.records import new_id, now_utc
from desktop.domain.subsidy import GRADES, SubsidyPolicy


def _columns(policy: SubsidyPolicy) -> dict[str, object]:
    """The policy as column values (without id and timestamps)."""
    values: dict[str, object] = {
        "year": policy.year,
        "monthly_stipend_fen": policy.monthly_stipend_fen,
        "proration": policy.proration,
        "bonus_min_posted_days": policy.bonus_min_posted_days,
        "prorate_bonus": int(policy.prorate_bonus),
    }
    for grade in GRADES:
        values[f"bonus_{grade}_fen"] = policy.bonus_fen[grade]
    return values


def _from_row(row: sqlite3.Row) -> SubsidyPolicy:
    return SubsidyPolicy(
        year=row["year"],
        monthly_stipend_fen=row["monthly_stipend_fen"],
        bonus_fen={grade: row[f"bonus_{grade}_fen"] for grade in GRADES},
        proration=row["proration"],
        bonus_min_posted_days=row["bonus_min_posted_days"],
        prorate_bonus=bool(row["prorate_bonus"]),
    )


def upsert_policy(conn: sqlite3.Connection, policy: SubsidyPolicy) -> str:
    """Save the policy of `policy.year`, replacing the live one of that year if
    any; returns the row id. Callers check the policy first (check_policy)."""
    values = _columns(policy)
    stamp = now_utc()
    with transaction(conn):
        row = conn.execute("SELECT id FROM subsidy_policy WHERE year = ? AND deleted_at IS NULL",
                           (policy.year,)).fetchone()
        if row is not None:
            assignments = ", ".join(f"{name} = ?" for name in values)
            conn.execute(f"UPDATE subsidy_policy SET {assignments}, updated_at = ? WHERE id = ?",
                         [*values.values(), stamp, row["id"]])
            return row["id"]
        record_id = new_id()
        columns = ["id", *values, "created_at", "updated_at"]
        conn.execute(
            f"INSERT INTO subsidy_policy ({', '.join(columns)})"
            f" VALUES ({', '.join('?' for _ in columns)})",
            [record_id, *values.values(), stamp, stamp])
        return record_id


def get_policy(conn: sqlite3.Connection, year: int) -> SubsidyPolicy | None:
    """The live policy of `year`, or None when none was recorded."""
    row = conn.execute("SELECT * FROM subsidy_policy WHERE year = ? AND deleted_at IS NULL",
                       (year,)).fetchone()
    return _from_row(row) if row else None


def list_policies(conn: sqlite3.Connection) -> list[SubsidyPolicy]:
    """Every live policy, oldest year first."""
    rows = conn.execute("SELECT * FROM subsidy_policy WHERE deleted_at IS NULL ORDER BY year")
    return [_from_row(r) for r in rows]
