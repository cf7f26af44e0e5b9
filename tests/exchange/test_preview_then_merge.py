"""A registry edit committed by another process between the preview and the merge
is never overwritten unseen: the merge plans again inside its transaction and,
when that plan differs from the one the clerk decided on, refuses and says why."""

from __future__ import annotations

import dataclasses
import multiprocessing

import pytest

from desktop.domain.registry import Organization
from desktop.services import exchange, registry
from tests.exchange import racers
from tests.exchange.offices import add_org, county_office, send, township_office
from tests.factories import uscc

CTX = multiprocessing.get_context("spawn")


def _edit(db, org_id: str, **fields) -> None:
    registry.update(db, dataclasses.replace(registry.get(db, Organization, org_id), **fields))


def _edit_elsewhere(db_path, org_id: str, **fields) -> None:
    """The edit as another window or PC makes it: its own process and connection."""
    out = CTX.Queue()
    proc = CTX.Process(target=racers.edit_org, args=("另一位录入员", str(db_path), org_id, fields, out))
    proc.start()
    name, what, detail = out.get(timeout=30)
    proc.join(30)
    assert what == "edited", detail


@pytest.fixture
def offices(tmp_path):
    """白沙镇 sent its registry once, then changed 快递 (the county did not) and
    食品厂 (the county corrected it too): package 2 updates one and conflicts once."""
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    express = add_org(town, "白沙镇", "白沙快递", uscc=uscc(1), employee_count=10)
    food = add_org(town, "白沙镇", "白沙食品厂", uscc=uscc(2), address="老街1号")
    other = add_org(town, "白沙镇", "白沙物业", uscc=uscc(3))
    send(town, county, tmp_path)
    _edit(town, express, employee_count=40)
    _edit(town, food, address="新街8号")
    _edit(county, food, address="老街1号（县里核实）")
    package = exchange.export_package(town, tmp_path)
    town.close()
    yield county, tmp_path / "county.sqlite3", package, express, food, other
    county.close()


def _org(db, org_id: str) -> Organization:
    return registry.get(db, Organization, org_id)


def _imports(db) -> int:
    return sum(1 for e in exchange.exchange_log(db) if e.direction == "import")


def test_a_row_edited_here_after_the_preview_is_not_overwritten(offices):
    county, path, package, express, food, _ = offices
    preview = exchange.preview_import(county, package)
    assert {a.local_id: a.outcome for a in preview.plan.actions if a.table == "organization"
            }[express] == "updated"
    _edit_elsewhere(path, express, employee_count=15)  # after the preview, before 导入
    with pytest.raises(exchange.PlanChanged, match="预览之后，本机数据有了变化（组织：白沙快递"):
        exchange.merge_package(county, package, choices={("organization", food): "ours"},
                               previewed=preview.plan)
    assert _org(county, express).employee_count == 15 and _imports(county) == 1
    # Without the preview to compare (the CLI), the edit makes it a conflict to decide.
    with pytest.raises(exchange.UserError, match="还有 2 处冲突"):
        exchange.merge_package(county, package, choices={})
    assert _org(county, express).employee_count == 15


def test_a_conflict_decided_for_theirs_is_not_applied_over_a_later_edit(offices):
    county, path, package, _, food, _ = offices
    preview = exchange.preview_import(county, package)
    assert [a.local_id for a in preview.plan.conflicts] == [food]
    _edit_elsewhere(path, food, address="老街2号（又改了）")  # the clerk saw 老街1号
    with pytest.raises(exchange.PlanChanged, match="白沙食品厂"):
        exchange.merge_package(county, package, choices={("organization", food): "theirs"},
                               previewed=preview.plan)
    assert _org(county, food).address == "老街2号（又改了）" and _imports(county) == 1


def test_an_edit_the_package_does_not_touch_lets_the_merge_go_ahead(offices):
    county, path, package, express, food, other = offices
    preview = exchange.preview_import(county, package)
    newcomer = add_org(county, "白沙镇", "县里新录的企业")
    merged = exchange.merge_package(county, package, choices={("organization", food): "theirs"},
                                    previewed=preview.plan)
    assert merged.plan.counts() == preview.plan.counts()
    assert _org(county, express).employee_count == 40 and _org(county, food).address == "新街8号"
    assert _org(county, newcomer).name == "县里新录的企业" and _imports(county) == 2
