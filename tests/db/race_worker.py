"""Two worker processes that run one service call each at the same moment.

Used by tests/db/test_races.py. A `RacePair` starts two processes once (spawned:
no Qt or open connection is inherited); each round hands each process a task,
both open the database, meet at a barrier and only then make their call, so the
calls overlap as two clerks pressing the button together would. Processes are
reused across rounds, which keeps 20 rounds within a few seconds.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

BARRIER_TIMEOUT = 30


def _lock(db: Any, run_id: str) -> str:
    from desktop.services import payruns

    payruns.lock_run(db, run_id)
    return "locked"


def _import(db: Any, workbook: str) -> str:
    from desktop.services import importing

    return importing.import_workbook(db, workbook).describe()


def _policy(db: Any, changes: dict) -> str:
    from desktop.services import policy

    policy.set_policy(db, 2025, **changes)
    return "saved"


def _bulletin(db: Any, text_path: str) -> str:
    from pathlib import Path

    from desktop.services import bulletins

    return bulletins.import_issue(db, Path(text_path).read_text(encoding="utf-8")).id


def _disable(db: Any, login: str) -> str:
    from desktop.services import accounts

    accounts.disable_user(db, login)
    return "disabled"


OPS = {"lock": _lock, "import": _import, "policy": _policy, "bulletin": _bulletin,
       "disable": _disable}


def serve(tasks: Any, results: Any, barrier: Any) -> None:
    """Run tasks (op, db_path, arg[, (login, password)]) until None arrives; put
    ("ok"|"refused", text). A task naming a user signs in before the barrier."""
    from desktop.db.database import open_database
    from desktop.errors import UserError
    from desktop.services import users

    while (task := tasks.get()) is not None:
        op, db_path, arg, *who = task
        db = open_database(db_path, operator="并发测试")
        try:
            if who:
                users.sign_in(db, *who[0])
            barrier.wait(BARRIER_TIMEOUT)
            try:
                results.put(("ok", OPS[op](db, arg)))
            except UserError as err:
                results.put(("refused", str(err)))
            except Exception as err:  # reported, so the parent fails instead of hanging
                results.put(("error", repr(err)))
        finally:
            db.close()


class RacePair:
    """Two spawned workers; `race(task_a, task_b)` runs one round."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.barrier = ctx.Barrier(2)
        self.results = ctx.Queue()
        self.queues = [ctx.Queue(), ctx.Queue()]
        self.processes = [ctx.Process(target=serve, args=(q, self.results, self.barrier),
                                      daemon=True) for q in self.queues]
        for process in self.processes:
            process.start()

    def race(self, task_a: tuple, task_b: tuple) -> list[tuple[str, str]]:
        """Both tasks at once; their outcomes in the order they finished."""
        for queue, task in zip(self.queues, (task_a, task_b)):
            queue.put(task)
        return [self.results.get(timeout=BARRIER_TIMEOUT * 2) for _ in range(2)]

    def close(self) -> None:
        for queue in self.queues:
            queue.put(None)
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.kill()
