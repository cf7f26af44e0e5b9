"""SIGKILL during a merge, at random moments: the county's database holds either
none of the package or all of it, and passes check (issue 15, Done when)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.db import records
from desktop.domain.registry import Organization
from desktop.services import exchange, maintenance
from desktop.services.workspace import open_workspace
from tests.exchange.offices import area_id, county_office, township_office

CHILD = Path(__file__).with_name("crash_merger.py")
ROOT = Path(__file__).resolve().parents[2]
ORGS = 1500
KILLS = 6


def _package(tmp_path: Path) -> Path:
    town = township_office(tmp_path, "白沙镇")
    area = area_id(town, "白沙镇")
    with records.transaction(town):  # one transaction: building the fixture, not the subject
        for k in range(ORGS):
            records.insert(town, "organization", Organization(name=f"企业{k:04d}", area_id=area))
    path = exchange.export_package(town, tmp_path / "big.lxpkg")
    town.close()
    return path


def _count(db) -> int:
    return db.execute("SELECT count(*) FROM organization").fetchone()[0]


def _merge_in_child(db_path: Path, package: Path, kill_after: float | None) -> bool:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(CHILD), str(db_path), str(package)],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "ready"
    if kill_after is None:
        out, _ = child.communicate(timeout=120)
        return "merged" in out
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    return "merged" in out


@pytest.mark.timeout(300)
def test_a_killed_merge_leaves_all_or_nothing(tmp_path):
    package = _package(tmp_path)
    pristine = tmp_path / "county.sqlite3"
    county_office(tmp_path).close()
    timed = tmp_path / "timed.sqlite3"
    shutil.copy(pristine, timed)
    began = time.monotonic()
    assert _merge_in_child(timed, package, None)
    duration = time.monotonic() - began  # start-up and merge: kills land all over it
    rng = random.Random(15)
    outcomes = set()
    for k in range(KILLS):
        target = tmp_path / f"kill{k}.sqlite3"
        shutil.copy(pristine, target)
        _merge_in_child(target, package, rng.uniform(0.05, duration))
        db = open_workspace(target)
        try:
            count = _count(db)
            assert count in (0, ORGS), f"kill {k}: {count} of {ORGS} organizations"
            assert maintenance.check(db) == []
            outcomes.add(count)
            if count == 0:  # nothing of it: the package merges whole afterwards
                assert exchange.merge_package(db, package).plan.counts()["new"] == ORGS
        finally:
            db.close()
    assert 0 in outcomes  # at least one kill landed inside the merge
