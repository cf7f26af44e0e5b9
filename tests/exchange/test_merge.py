"""Merging packages between a county and its townships (EXCHANGE.md)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from desktop.domain.registry import LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import exchange, maintenance, registry
from tests.exchange.offices import add_org, area_id, county_office, send, township_office
from tests.factories import id_number, uscc


@pytest.fixture
def offices(tmp_path, lookup_mode):
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    yield county, town
    county.close()
    town.close()


def _orgs(db) -> dict[str, Organization]:
    return {o.name: o for o, _township in registry.list_all(db, Organization)}


def test_a_township_package_brings_its_organizations_to_the_county(offices, tmp_path):
    county, town = offices
    add_org(town, "白沙镇", "白沙快递", uscc=uscc(1), industry="express")
    result = send(town, county, tmp_path)
    assert result.plan.counts()["new"] == 1
    org = _orgs(county)["白沙快递"]
    assert org.area_id == area_id(county, "白沙镇")  # placed under the county's own area row
    assert maintenance.check(county) == [] and maintenance.check(town) == []


def test_the_merge_is_audited_under_the_sender_and_its_number(offices, tmp_path):
    county, town = offices
    add_org(town, "白沙镇", "白沙快递")
    send(town, county, tmp_path)
    operators = {r[0] for r in county.execute(
        "SELECT operator FROM audit_log WHERE table_name = 'organization'")}
    assert operators == {"数据交换：白沙镇 第1号"}


def test_same_enterprise_entered_twice_becomes_one_with_a_conflict(offices, tmp_path):
    county, town = offices
    add_org(county, "白沙镇", "白沙食品厂", address="老地址")  # from an old Excel list
    their_id = add_org(town, "白沙镇", "白沙食品厂", uscc=uscc(2), address="新地址")
    path = exchange.export_package(town, tmp_path)
    preview = exchange.preview_import(county, path)
    (conflict,) = preview.plan.conflicts
    assert conflict.differences() == {"address": ["老地址", "新地址"], "uscc": [None, uscc(2)]}
    with pytest.raises(UserError, match="1 处冲突"):
        exchange.merge_package(county, path)
    assert _orgs(county)["白沙食品厂"].address == "老地址"  # nothing written
    exchange.merge_package(county, path, resolve_all="theirs")
    orgs = [o for o, _ in registry.list_all(county, Organization) if o.name == "白沙食品厂"]
    assert len(orgs) == 1 and orgs[0].address == "新地址" and orgs[0].id != their_id
    # Later packages reach the same row through the alias.
    registry.update(town, dataclasses.replace(registry.get(town, Organization, their_id),
                                              employee_count=40))
    result = send(town, county, tmp_path)
    assert result.plan.counts()["updated"] == 1
    assert _orgs(county)["白沙食品厂"].employee_count == 40


def test_a_county_correction_stands_until_the_township_changes_the_row(offices, tmp_path):
    county, town = offices
    org_id = add_org(town, "白沙镇", "白沙快递", employee_count=10)
    send(town, county, tmp_path)
    fixed = dataclasses.replace(registry.get(county, Organization, org_id), employee_count=12)
    registry.update(county, fixed)
    add_org(town, "白沙镇", "另一家")
    assert send(town, county, tmp_path).plan.counts()["kept"] == 1
    assert registry.get(county, Organization, org_id).employee_count == 12
    registry.update(town, dataclasses.replace(registry.get(town, Organization, org_id),
                                              employee_count=15))
    preview = exchange.preview_import(county, exchange.export_package(town, tmp_path))
    (conflict,) = preview.plan.conflicts
    assert conflict.differences() == {"employee_count": [12, 15]}


def test_a_township_delete_reaches_the_county_unless_a_posting_still_points_at_it(
        offices, tmp_path):
    county, town = offices
    kept = add_org(town, "白沙镇", "有派驻的企业")
    gone = add_org(town, "白沙镇", "注销的企业")
    send(town, county, tmp_path)
    officer = registry.create(county, LiaisonOfficer(name="张三", id_number=id_number(3)))
    registry.create(county, Posting(officer_id=officer, organization_id=kept,
                                    start_on=date(2026, 1, 1)))
    registry.delete(town, Organization, kept)
    registry.delete(town, Organization, gone)
    preview = exchange.preview_import(county, exchange.export_package(town, tmp_path))
    assert preview.plan.counts()["deleted"] == 1
    (conflict,) = preview.plan.conflicts
    assert conflict.local_id == kept and "仍引用" in conflict.reason


def test_the_county_package_gives_a_township_only_what_concerns_it(offices, tmp_path):
    county, town = offices
    ours = add_org(town, "白沙镇", "白沙快递")
    send(town, county, tmp_path)
    elsewhere = add_org(county, "青山乡", "青山厂")
    posted = registry.create(county, LiaisonOfficer(name="张三", id_number=id_number(3)))
    other = registry.create(county, LiaisonOfficer(name="李四", id_number=id_number(4)))
    registry.create(county, Posting(officer_id=posted, organization_id=ours,
                                    start_on=date(2026, 1, 1)))
    registry.create(county, Posting(officer_id=other, organization_id=elsewhere,
                                    start_on=date(2026, 1, 1)))
    result = send(county, town, tmp_path)
    officers = [o.name for o, _ in registry.list_officers(town).rows]
    assert officers == ["张三"]
    assert result.plan.ignored == 2  # 李四 and his posting
    assert "青山厂" not in _orgs(town)
    assert maintenance.check(town) == []


def test_a_package_merged_before_or_an_older_one_changes_nothing(offices, tmp_path):
    county, town = offices
    add_org(town, "白沙镇", "甲")
    first = exchange.export_package(town, tmp_path / "1.lxpkg")
    add_org(town, "白沙镇", "乙")
    second = exchange.export_package(town, tmp_path / "2.lxpkg")
    exchange.merge_package(county, second)
    before = county.total_changes
    for path in (second, first):
        result = exchange.merge_package(county, path)
        assert result.already_merged and "已经导入过" in result.message
    assert county.total_changes == before
    assert set(_orgs(county)) == {"甲", "乙"}


def test_a_package_can_not_come_back_to_its_maker_or_from_another_county(offices, tmp_path):
    county, town = offices
    path = exchange.export_package(town, tmp_path)
    with pytest.raises(UserError, match="本机生成"):
        exchange.preview_import(town, path)
    (tmp_path / "x").mkdir()
    other = township_office(tmp_path / "x", "白沙镇")
    other.execute("UPDATE app_setting SET value = '宿松县' WHERE key = 'county_name'")
    foreign = exchange.export_package(other, tmp_path / "foreign.lxpkg")
    with pytest.raises(UserError, match="来自其他县（宿松县）"):
        exchange.preview_import(county, foreign)
    other.close()


def test_townships_do_not_exchange_with_each_other(offices, tmp_path):
    _county, town = offices
    (tmp_path / "q").mkdir()
    qingshan = township_office(tmp_path / "q", "青山乡")
    with pytest.raises(UserError, match="乡镇之间不交换数据"):
        exchange.preview_import(town, exchange.export_package(qingshan, tmp_path))
    qingshan.close()


def test_a_township_only_sends_its_own_area(offices, tmp_path):
    county, town = offices
    (tmp_path / "q").mkdir()
    add_org(town, "白沙镇", "白沙快递")
    path = exchange.export_package(town, tmp_path)
    from desktop.db.exchange_package import read_package

    package = read_package(path)
    assert [r["name"] for r in package.tables["organization"]] == ["白沙快递"]
    assert {r["name"] for r in package.tables["area"]} == {"宜城县", "白沙镇"}
