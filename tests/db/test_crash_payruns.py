"""Crash safety of payment runs: a writer creating, recomputing, locking and deleting
runs, killed with SIGKILL at random moments, leaves no half-stored run, loses no
committed lock, and never lets two locked runs pay the same month.

The writer (crash_payrun_writer.py) logs each change only after the service call
returned, with fsync. The kill delay is the point of the test, so it is a real
wall-clock wait on the child.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from crash_kill import run_and_kill, whole_lines
from factories import id_number, uscc

from desktop.db.backup import check_database
from desktop.db.database import open_database
from desktop.domain.registry import Area, LiaisonOfficer, Organization, Posting
from desktop.services import policy, registry

WRITER = Path(__file__).with_name("crash_payrun_writer.py")
KILLS = 25
MAX_DELAY = 0.6  # seconds after the writer says it is ready
OFFICERS = 120

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only")


def _set_up(db_path: Path) -> None:
    conn = open_database(db_path, operator="崩溃测试")
    county = registry.create(conn, Area(name="崩溃县", kind="county"))
    township = registry.create(conn, Area(name="崩溃镇", kind="township", parent_id=county))
    org = registry.create(conn, Organization(name="崩溃测试企业", area_id=township,
                                             uscc=uscc(1)))
    rng = random.Random(7)
    for n in range(OFFICERS):
        officer = registry.create(conn, LiaisonOfficer(name=f"联络员{n}", id_number=id_number(n),
                                                       bank_account="6222020200112233445"))
        start = date(2024, 12, 1) + timedelta(days=rng.randrange(400))
        end = None if n % 3 else start + timedelta(days=rng.randrange(30, 400))
        registry.create(conn, Posting(officer_id=officer, organization_id=org,
                                      start_on=start, end_on=end))
    for year in (2025, 2026):
        policy.set_policy(conn, year)
    conn.close()


def _read_log(log_path: Path) -> list[tuple[str, str, int]]:
    return [(op, run_id, int(total)) for op, run_id, total in
            (line.split() for line in whole_lines(log_path))]


def _assert_log_holds(conn, log: list[tuple[str, str, int]]) -> None:
    """Every logged run is stored; a logged delete stuck; a logged lock stuck with the
    total it was locked at."""
    for op, run_id, total in log:
        row = conn.execute("select status, total_fen, deleted_at from payment_run where id = ?",
                           (run_id,)).fetchone()
        assert row is not None, f"committed run {run_id} is missing"
        if op == "delete":
            assert row["deleted_at"] is not None, f"committed delete of {run_id} is lost"
        if op == "lock":
            assert row["status"] == "locked" and row["total_fen"] == total, (
                f"committed lock of {run_id} is lost or changed")


def _assert_no_half_runs(conn) -> None:
    """Every live run has its lines (one transaction wrote both)."""
    empty = conn.execute(
        "select count(*) from payment_run r where r.deleted_at is null and not exists"
        " (select 1 from payment_line l where l.run_id = r.id)").fetchone()[0]
    assert empty == 0, f"{empty} live runs without lines"


def _assert_no_month_paid_twice(conn) -> None:
    twice = conn.execute(
        "select l.officer_id, json_extract(m.value, '$[0]') as month, count(*) from payment_run r"
        " join payment_line l on l.run_id = r.id join json_each(l.months_json) m"
        " where r.status = 'locked' and r.deleted_at is null"
        " and json_extract(m.value, '$[3]') > 0"
        " group by l.officer_id, month having count(*) > 1").fetchall()
    assert twice == [], f"months paid twice: {[tuple(r) for r in twice[:5]]}"


@pytest.mark.slow
def test_sigkill_while_working_payment_runs(tmp_path):
    db_path, log_path = tmp_path / "crash.sqlite3", tmp_path / "runs.log"
    _set_up(db_path)
    log_path.write_bytes(b"")
    rng = random.Random(20261202)
    log: list[tuple[str, str, int]] = []
    for run in range(1, KILLS + 1):
        run_and_kill(WRITER, [str(db_path), str(log_path), str(run)], rng.uniform(0.05, MAX_DELAY))
        log = _read_log(log_path)
        conn = open_database(db_path)
        try:
            assert check_database(conn) == [], f"after kill {run}"
            _assert_log_holds(conn, log)
            _assert_no_half_runs(conn)
            _assert_no_month_paid_twice(conn)
        finally:
            conn.close()
    # The kills must have landed among real work, locks included. (Once a period is
    # paid, a new run for it is refused and not logged: fewer steps count than before.)
    assert len(log) > KILLS and any(op == "lock" for op, _, _ in log)
