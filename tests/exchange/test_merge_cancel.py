"""取消 during a merge: the progress callback raises MergeCancelled inside the
merge's transaction, and whichever report it stops at, nothing of the package is
written: no row, no alias, no base, no audit entry, no exchange log entry."""

from __future__ import annotations

import pytest

from desktop.db import records
from desktop.domain.registry import Organization
from desktop.services import exchange, maintenance
from tests.exchange.offices import area_id, county_office, township_office

ORGS = 1300  # the merge reports at 500, 1000 and all rows (these and the areas)
TABLES = ("organization", "area", "record_alias", "exchange_base", "exchange_log", "audit_log",
          "app_setting")


@pytest.fixture
def offices(tmp_path):
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    area = area_id(town, "白沙镇")
    with records.transaction(town):
        for k in range(ORGS):
            records.insert(town, "organization", Organization(name=f"企业{k:04d}", area_id=area))
    package = exchange.export_package(town, tmp_path / "big.lxpkg")
    town.close()
    yield county, package
    county.close()


def _state(db) -> dict[str, list]:
    return {t: sorted(tuple(r) for r in db.execute(f"SELECT * FROM {t}")) for t in TABLES}


def _cancel_at(step: int):
    reports = []

    def progress(done: int, total: int) -> None:
        reports.append((done, total))
        if len(reports) == step:
            raise exchange.MergeCancelled()
    return progress, reports


@pytest.mark.parametrize("step", [1, 2, 3])
def test_cancelling_at_any_report_writes_nothing(offices, step):
    county, package = offices
    before = _state(county)
    progress, reports = _cancel_at(step)
    with pytest.raises(exchange.MergeCancelled, match="已取消导入") as cancelled:
        exchange.merge_package(county, package, progress=progress)
    assert "没有变化" in str(cancelled.value)
    assert len(reports) == step
    if step == 3:  # the last report: every row written, the commit next
        assert reports[-1][0] == reports[-1][1] > ORGS
    assert _state(county) == before and not county.in_transaction
    assert exchange.exchange_log(county) == [] and maintenance.check(county) == []
    assert exchange.merge_package(county, package).plan.counts()["new"] == ORGS  # and later whole
