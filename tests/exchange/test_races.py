"""Two processes at once (issue 15, hardening): the same package merged twice at
the same moment, two townships' packages at once, an export beside a merge, and
two exports at once. Real processes (tests/exchange/racers.py); one of them is
held inside its write transaction until the other has surely started, so the
two overlap every time, not only when the scheduler happens to let them."""

from __future__ import annotations

import multiprocessing
import queue
import time
from pathlib import Path

import pytest

from desktop.db import exchange_package, records
from desktop.domain.registry import Area, Organization
from desktop.services import exchange, maintenance, registry
from desktop.services.workspace import open_workspace
from tests.exchange import racers
from tests.exchange.offices import area_id, county_office, send, township_office

CTX = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections
ORGS = 600
OVERLAP = 0.4  # how long the held process keeps its transaction open after the other began


class Race:
    """Child processes and the one queue they report on."""

    def __init__(self) -> None:
        self.out = CTX.Queue()
        self.procs: list = []
        self.seen: list[tuple[str, str, object]] = []

    def start(self, fn, *args, **kwargs) -> None:
        proc = CTX.Process(target=fn, args=(*args, self.out), kwargs=kwargs, daemon=True)
        proc.start()
        self.procs.append(proc)

    def wait_for(self, name: str, what: str = "", timeout: float = 30) -> tuple[str, object]:
        """Block until `name` reports `what` (or, with no `what`, how it ended)."""
        deadline = time.monotonic() + timeout
        while True:
            for seen_name, seen_what, detail in self.seen:
                if seen_name == name and (seen_what == what or not what and seen_what != "began"):
                    return seen_what, detail
            try:
                self.seen.append(self.out.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"{name} never reported {what}; saw {self.seen}") from None

    def outcomes(self, timeout: float = 30) -> dict[str, tuple[str, object]]:
        """Each child's last report, once all have ended."""
        for proc in self.procs:
            proc.join(timeout)
            assert proc.exitcode == 0, f"a child ended with {proc.exitcode}"
        while True:
            try:
                self.seen.append(self.out.get(timeout=0.2))
            except queue.Empty:
                break
        return {name: (what, detail) for name, what, detail in self.seen if what != "began"}

    def stop(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.kill()
            proc.join(5)


@pytest.fixture
def race():
    running = Race()
    yield running
    running.stop()


def _township_package(folder: Path, township: str, prefix: str) -> Path:
    town = township_office(folder, township)
    area = area_id(town, township)
    with records.transaction(town):  # building the fixture, not the subject
        for k in range(ORGS):
            records.insert(town, "organization", Organization(name=f"{prefix}{k:04d}", area_id=area))
    path = exchange.export_package(town, folder / f"{township}.lxpkg")
    town.close()
    return path


@pytest.fixture
def offices(tmp_path):
    """The county's database (closed: the children open it) and two townships' packages."""
    county_office(tmp_path).close()
    return (tmp_path / "county.sqlite3", _township_package(tmp_path, "白沙镇", "白沙企业"),
            _township_package(tmp_path, "青山乡", "青山企业"))


def _held_and_second(race: Race, first, second, *, first_args, second_args) -> None:
    """Start `first` held inside its transaction, then `second`; release `first`
    only once `second` is running into the lock."""
    inside, release = CTX.Event(), CTX.Event()
    race.start(first, "first", *first_args, inside=inside, release=release)
    assert inside.wait(30), f"the first never got inside its transaction: {race.seen}"
    race.start(second, "second", *second_args)
    race.wait_for("second", "began")
    time.sleep(OVERLAP)  # the second is now waiting for the write lock, not before it
    release.set()


def _county_state(db_path: Path) -> tuple[list[str], list[exchange.installation.LogEntry]]:
    db = open_workspace(db_path)
    try:
        assert maintenance.check(db) == []
        names = [r[0] for r in db.execute("SELECT name FROM organization")]
        return names, [e for e in exchange.exchange_log(db) if e.direction == "import"]
    finally:
        db.close()


@pytest.mark.timeout(60)
def test_the_same_package_merged_by_two_processes_at_once_lands_once(offices, race):
    county, baisha, _ = offices
    _held_and_second(race, racers.merge, racers.merge,
                     first_args=(str(county), str(baisha)), second_args=(str(county), str(baisha)))
    outcomes = race.outcomes()
    assert outcomes["first"][0] == "merged" and outcomes["first"][1]["new"] == ORGS
    assert outcomes["second"][0] == "already" and "已经导入过" in outcomes["second"][1]
    names, imports = _county_state(county)
    assert len(names) == len(set(names)) == ORGS
    assert [(e.installation_name, e.sequence) for e in imports] == [("白沙镇", 1)]


@pytest.mark.timeout(60)
def test_the_same_package_started_together_by_three_processes_lands_once(offices, race):
    county, baisha, _ = offices
    go = CTX.Event()
    for k in range(3):
        race.start(racers.merge, f"clerk{k}", str(county), str(baisha), go=go)
    time.sleep(1.0)  # every child open and waiting at the gate
    go.set()
    outcomes = race.outcomes()
    assert sorted(what for what, _ in outcomes.values()) == ["already", "already", "merged"]
    names, imports = _county_state(county)
    assert len(names) == len(set(names)) == ORGS and len(imports) == 1


@pytest.mark.timeout(60)
def test_two_townships_packages_merged_at_once_both_land(offices, race):
    county, baisha, qingshan = offices
    _held_and_second(race, racers.merge, racers.merge,
                     first_args=(str(county), str(baisha)), second_args=(str(county), str(qingshan)))
    outcomes = race.outcomes()
    assert [outcomes[n][0] for n in ("first", "second")] == ["merged", "merged"]
    names, imports = _county_state(county)
    assert len(names) == len(set(names)) == 2 * ORGS
    assert sorted(e.installation_name for e in imports) == ["白沙镇", "青山乡"]


@pytest.mark.timeout(60)
def test_a_merge_that_waits_too_long_says_so_in_chinese_and_writes_nothing(offices, race):
    county, baisha, qingshan = offices
    inside, release = CTX.Event(), CTX.Event()
    race.start(racers.merge, "first", str(county), str(baisha), inside=inside, release=release)
    assert inside.wait(30)
    race.start(racers.merge, "second", str(county), str(qingshan), busy_ms=300)
    race.wait_for("second")  # given up while the first still holds the lock
    release.set()
    outcomes = race.outcomes()
    assert outcomes["first"][0] == "merged"
    assert outcomes["second"] == ("error", "UserError: 数据库正被其他程序占用，请稍后再试")
    names, imports = _county_state(county)
    assert len(names) == ORGS and [e.installation_name for e in imports] == ["白沙镇"]


# ---------------------------------------------------------------- export beside a merge

@pytest.fixture
def township_with_county_package(tmp_path):
    """白沙镇's database (closed) and a county package that adds 40 communities to it."""
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    send(town, county, tmp_path)
    baisha = area_id(county, "白沙镇")
    with records.transaction(county):
        for k in range(40):
            registry.create(county, Area(name=f"白沙{k:02d}社区", kind="community", parent_id=baisha))
    package = exchange.export_package(county, tmp_path / "county.lxpkg")
    before = len(exchange_package.read_package(exchange.export_package(town, tmp_path / "x.lxpkg"))
                 .tables["area"])
    county.close()
    town.close()
    return tmp_path / "白沙镇.sqlite3", package, before


def _exported_areas(path: str) -> tuple[int, int]:
    package = exchange_package.read_package(Path(path))  # every table's SHA-256 checked
    return package.sequence, len(package.tables["area"])


@pytest.mark.timeout(60)
def test_an_export_during_a_merge_waits_and_carries_the_merged_rows(
        township_with_county_package, race, tmp_path):
    town, package, before = township_with_county_package
    out = tmp_path / "out"
    out.mkdir()
    _held_and_second(race, racers.merge, racers.export,
                     first_args=(str(town), str(package)), second_args=(str(town), str(out)))
    outcomes = race.outcomes()
    assert outcomes["first"][0] == "merged" and outcomes["second"][0] == "exported"
    assert _exported_areas(outcomes["second"][1]) == (3, before + 40)  # after the merge


@pytest.mark.timeout(60)
def test_a_merge_during_an_export_waits_and_the_package_is_the_state_before(
        township_with_county_package, race, tmp_path):
    town, package, before = township_with_county_package
    out = tmp_path / "out"
    out.mkdir()
    _held_and_second(race, racers.export, racers.merge,
                     first_args=(str(town), str(out)), second_args=(str(town), str(package)))
    outcomes = race.outcomes()
    assert outcomes["first"][0] == "exported" and outcomes["second"][0] == "merged"
    assert _exported_areas(outcomes["first"][1]) == (3, before)


@pytest.mark.timeout(60)
def test_exports_started_together_never_share_a_sequence_number(
        township_with_county_package, race, tmp_path):
    town, _, _ = township_with_county_package
    out = tmp_path / "out"
    out.mkdir()
    go = CTX.Event()
    for k in range(3):
        race.start(racers.export, f"export{k}", str(town), str(out), go=go)
    time.sleep(1.0)
    go.set()
    outcomes = race.outcomes()
    files = sorted({detail for what, detail in outcomes.values() if what == "exported"})
    assert len(files) == 3
    assert sorted(_exported_areas(f)[0] for f in files) == [3, 4, 5]
    db = open_workspace(town)
    try:
        exports = [e.sequence for e in exchange.exchange_log(db) if e.direction == "export"]
        assert sorted(exports) == [1, 2, 3, 4, 5] and maintenance.check(db) == []
    finally:
        db.close()
