"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it
reported as committed, and leaves a database that passes `check`.

The writer (crash_writer.py) logs each change only after the service call
returned, with fsync; after every kill this test reopens the same file (which
runs WAL recovery), checks it and compares it with the log. The kill delay is
the point of the test, so it is a real wall-clock wait on the child.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from crash_kill import run_and_kill, whole_lines

from desktop.db.backup import check_database
from desktop.db.database import open_database
from desktop.domain.registry import Area
from desktop.services import registry

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 50
MAX_DELAY = 0.150  # seconds after the writer says it is ready
VERSIONS_PER_RUN = 1_000_000

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")


@dataclass
class Logged:
    """What the log says about one record."""

    table: str
    version: int = 0  # the newest logged create/update
    deleted: bool = False


def _set_up(db_path: Path, log_path: Path) -> None:
    conn = open_database(db_path, operator="崩溃测试")
    county = registry.create(conn, Area(name="崩溃县", kind="county"))
    township = registry.create(conn, Area(name="崩溃镇", kind="township", parent_id=county))
    conn.close()
    log_path.write_text(f"township area {township} 0\n", encoding="utf-8")


def _run_and_kill(db_path: Path, log_path: Path, run: int, delay: float) -> None:
    """Start a writer, let it write for `delay` seconds after it is ready, SIGKILL it."""
    run_and_kill(WRITER, [str(db_path), str(log_path), str(run), str(run * VERSIONS_PER_RUN)],
                 delay)


def _read_log(log_path: Path) -> dict[str, Logged]:
    """The log's lines, trimming a last line the kill cut short (the next
    writer appends after it)."""
    logged: dict[str, Logged] = {}
    for line in whole_lines(log_path):
        op, table, record_id, version = line.split()
        if op == "township":
            continue
        entry = logged.setdefault(record_id, Logged(table))
        if op == "delete":
            entry.deleted = True
        else:
            entry.version = max(entry.version, int(version))
    return logged


def _stored_version(row, table: str) -> int:
    return row["employee_count"] if table == "organization" else int(row["position"] or 0)


def _assert_logged_present(conn, logged: dict[str, Logged]) -> None:
    """Every logged change is in the database, with its audit row beside it."""
    for record_id, entry in logged.items():
        row = conn.execute(f"select * from {entry.table} where id = ?", (record_id,)).fetchone()
        assert row is not None, f"committed {entry.table} {record_id} is missing"
        if entry.deleted:
            assert row["deleted_at"] is not None, f"committed delete of {record_id} is lost"
        if entry.table != "posting":
            assert _stored_version(row, entry.table) >= entry.version, (
                f"committed update {entry.version} of {record_id} is lost")
        _assert_audited(conn, entry.table, row)


def _assert_audited(conn, table: str, row) -> None:
    """The newest audit row of a record shows its current state: the change and
    its audit entry were committed together."""
    audit = conn.execute(
        "select after_json from audit_log where table_name = ? and row_id = ?"
        " order by id desc limit 1", (table, row["id"])).fetchone()
    assert audit is not None, f"{table} {row['id']} has no audit entry"
    after = json.loads(audit["after_json"])
    assert after["updated_at"] == row["updated_at"], f"audit of {row['id']} lags its row"


def test_sigkill_at_random_moments_loses_no_committed_change(tmp_path):
    db_path, log_path = tmp_path / "crash.sqlite3", tmp_path / "changes.log"
    _set_up(db_path, log_path)
    rng = random.Random(20240917)
    logged: dict[str, Logged] = {}
    for run in range(1, KILLS + 1):
        _run_and_kill(db_path, log_path, run, rng.uniform(0, MAX_DELAY))
        logged = _read_log(log_path)
        conn = open_database(db_path)
        try:
            assert check_database(conn) == [], f"after kill {run}"
            _assert_logged_present(conn, logged)
        finally:
            conn.close()
    # The kills must have landed among real writes, not only on idle writers.
    assert len(logged) > 2 * KILLS
