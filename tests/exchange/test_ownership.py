"""At a township office the county's data is read-only and only the township's own
records may be entered (EXCHANGE.md, "Who owns what"); the county may change all."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.exchange import READ_ONLY_AT_TOWNSHIP
from desktop.domain.registry import Area, Instructor, LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import exchange, importing, payruns, policy, registry
from tests.exchange.offices import add_org, area_id, county_office, send, township_office
from tests.factories import build_workbook, id_number


@pytest.fixture
def offices(tmp_path):
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    send(county, town, tmp_path)  # the township learns the county's area tree
    yield county, town
    county.close()
    town.close()


def test_county_data_is_read_only_at_a_township(offices):
    county, town = offices
    with pytest.raises(UserError, match=READ_ONLY_AT_TOWNSHIP):
        registry.create(town, LiaisonOfficer(name="张三", id_number=id_number(1)))
    with pytest.raises(UserError, match=READ_ONLY_AT_TOWNSHIP):
        registry.create(town, Area(name="新村", kind="community",
                                   parent_id=area_id(town, "白沙镇")))
    with pytest.raises(UserError, match=READ_ONLY_AT_TOWNSHIP):
        policy.set_policy(town, 2026, monthly="2000")
    with pytest.raises(UserError, match=READ_ONLY_AT_TOWNSHIP):
        payruns.create_stipend_run(town, "2026-03", today=date(2026, 12, 1))
    # The county's copy of the same is its own to change.
    registry.create(county, LiaisonOfficer(name="张三", id_number=id_number(1)))
    policy.set_policy(county, 2026, monthly="2000")


def test_county_rows_that_arrived_cannot_be_edited_or_deleted_at_the_township(offices, tmp_path):
    county, town = offices
    org = add_org(town, "白沙镇", "白沙快递")
    send(town, county, tmp_path)
    officer = registry.create(county, LiaisonOfficer(name="张三", id_number=id_number(1)))
    registry.create(county, Posting(officer_id=officer, organization_id=org,
                                    start_on=date(2026, 1, 1)))
    send(county, town, tmp_path)
    officer_id = town.execute("SELECT id FROM liaison_officer").fetchone()[0]
    with pytest.raises(UserError, match=READ_ONLY_AT_TOWNSHIP):
        registry.delete(town, LiaisonOfficer, officer_id)


def test_a_township_enters_only_its_own_area(offices):
    _county, town = offices
    add_org(town, "白沙镇", "白沙快递")
    with pytest.raises(UserError, match="只能录入本乡镇"):
        add_org(town, "青山乡", "青山厂")
    with pytest.raises(UserError, match="只能录入本乡镇"):
        registry.create(town, Instructor(name="李四", id_number=id_number(2),
                                         area_id=area_id(town, "青山乡")))


def test_a_township_import_refuses_county_sheets_and_other_townships_rows(offices, tmp_path):
    _county, town = offices
    sheets = {"组织": [["名称*", "类型*", "所属乡镇*"], ["白沙快递", "非公企业", "白沙镇"],
                       ["青山厂", "非公企业", "青山乡"], ["新镇厂", "非公企业", "新河镇"]],
              "联络员": [["姓名*", "公民身份号码*"], ["张三", id_number(1)]]}
    with pytest.raises(UserError) as refused:
        importing.import_workbook(town, build_workbook(tmp_path / "in.xlsx", sheets))
    reasons = [p.describe() for p in refused.value.problems]
    assert any("组织 第3行 所属乡镇「青山乡」" in r and "不是本乡镇" in r for r in reasons)
    assert any("组织 第4行 所属乡镇「新河镇」" in r for r in reasons)
    assert any(r.startswith("联络员 第2行") and READ_ONLY_AT_TOWNSHIP in r for r in reasons)
    assert registry.list_all(town, Organization) == []


def test_a_township_import_of_its_own_rows_goes_in(offices, tmp_path):
    _county, town = offices
    sheets = {"组织": [["名称*", "类型*", "所属乡镇*"], ["白沙快递", "非公企业", "白沙镇"]]}
    importing.import_workbook(town, build_workbook(tmp_path / "in.xlsx", sheets))
    assert [o.name for o, _ in registry.list_all(town, Organization)] == ["白沙快递"]


def test_the_county_may_change_a_townships_row(offices, tmp_path):
    county, town = offices
    add_org(county, "白沙镇", "白沙快递")
    assert exchange.identity(county).level == "county"
