"""Child process of tests/db/test_crash_payruns.py: works payment runs until killed.

Usage: python crash_payrun_writer.py DB LOG SEED

It opens DB, prints "ready" and then, forever, creates stipend runs for random
months and quarters, recomputes, locks and deletes them through
desktop.services.payruns. After each call returns (the change is committed) it
appends "op run_id total_fen" to LOG and fsyncs it; the parent checks those lines
against the database after SIGKILL. A refused call (UserError: a locked run in
the way, nothing to pay) writes nothing and is not logged.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date

from desktop.db.database import open_database
from desktop.errors import UserError
from desktop.services import payruns

TODAY = date(2026, 11, 30)
PERIODS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)
           if (y, m) <= (2026, 10)] + [f"{y}-Q{q}" for y in (2025, 2026) for q in (1, 2, 3)]


def main(argv: list[str]) -> int:
    """Work runs until killed (or, as a safety net, for 20,000 steps)."""
    db_path, log_path, seed = argv[1], argv[2], int(argv[3])
    rng = random.Random(seed)
    db = open_database(db_path, operator="崩溃测试")
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)

    def log(op: str, run_id: str) -> None:
        run = payruns.get_run(db, run_id).run if op != "delete" else None
        os.write(fd, f"{op} {run_id} {run.total_fen if run else 0}\n".encode())
        os.fsync(fd)

    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for _ in range(20_000):
        drafts = [r.id for r in payruns.list_runs(db) if r.status == "draft"]
        roll = rng.random()
        try:
            if roll < 0.4 or not drafts:
                log("create", payruns.create_stipend_run(db, rng.choice(PERIODS), today=TODAY))
            elif roll < 0.6:
                run_id = rng.choice(drafts)
                payruns.recompute_run(db, run_id, today=TODAY)
                log("recompute", run_id)
            elif roll < 0.85:
                run_id = rng.choice(drafts)
                payruns.lock_run(db, run_id)
                log("lock", run_id)
            else:
                run_id = rng.choice(drafts)
                payruns.delete_run(db, run_id)
                log("delete", run_id)
        except UserError:
            continue
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
