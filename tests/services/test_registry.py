"""Registry services: create, update, soft delete, list with filters, refusals."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from desktop.domain.registry import (
    Assessment, Instructor, InstructorAssignment, LiaisonOfficer, Organization,
    OrganizationFilter, PersonFilter, Posting,
)
from desktop.errors import UserError
from desktop.services import registry
from factories import id_number, uscc


def org(township_id, n=1, **kw):
    fields = dict(name=f"测试企业{n}", area_id=township_id, uscc=uscc(n))
    fields.update(kw)
    return Organization(**fields)


def test_create_get_update_delete_organization(db, township_id):
    oid = registry.create(db, org(township_id, industry="express", is_new_business_form=True))
    got = registry.get(db, Organization, oid)
    assert got.name == "测试企业1" and got.is_new_business_form is True
    registry.update(db, dataclasses.replace(got, employee_count=12, party_org_form="standalone"))
    assert registry.get(db, Organization, oid).employee_count == 12
    registry.delete(db, Organization, oid)
    with pytest.raises(UserError, match="不存在"):
        registry.get(db, Organization, oid)


def test_uscc_is_normalized_and_unique_among_live_rows(db, township_id):
    code = uscc(7)
    registry.create(db, org(township_id, 1, uscc=" " + code.lower() + " "))
    with pytest.raises(UserError, match="重复的统一社会信用代码"):
        registry.create(db, org(township_id, 2, uscc=code))
    first = registry.list_organizations(db).rows[0][0]
    registry.delete(db, Organization, first.id)
    registry.create(db, org(township_id, 2, uscc=code))  # the tombstone frees the code


@pytest.mark.parametrize("field, value, message", [
    ("uscc", "91340800MA2NXXXXX1", "统一社会信用代码"),
    ("name", "  ", "名称不能为空"),
    ("employee_count", -3, "从业人员数"),
    ("contact_phone", "12345", "."),
    ("kind", "state_owned", "类型"),
])
def test_organization_refusals_name_the_field(db, township_id, field, value, message):
    with pytest.raises(UserError, match=message) as info:
        registry.create(db, org(township_id, **{field: value}))
    assert info.value.problems[0][0] == field


def test_unknown_township_refused(db):
    with pytest.raises(UserError, match="所属乡镇不存在"):
        registry.create(db, Organization(name="甲", area_id="no-such-area"))


def test_end_before_start_refused(db, township_id):
    oid = registry.create(db, org(township_id))
    officer = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
    with pytest.raises(UserError, match="结束日期早于开始日期"):
        registry.create(db, Posting(officer, oid, date(2026, 3, 1), date(2026, 2, 1)))


def test_overlapping_double_posting_refused(db, township_id):
    oid = registry.create(db, org(township_id))
    officer = registry.create(db, LiaisonOfficer(name="张三", id_number=id_number(1)))
    registry.create(db, Posting(officer, oid, date(2026, 1, 1), date(2026, 6, 30)))
    with pytest.raises(UserError, match="日期重叠"):
        registry.create(db, Posting(officer, oid, date(2026, 6, 1)))
    registry.create(db, Posting(officer, oid, date(2026, 7, 1)))
    assert len(registry.postings_of(db, officer)) == 2


def test_people_refusals(db):
    with pytest.raises(UserError, match="校验"):
        registry.create(db, Instructor(name="李四", id_number=id_number(1)[:-1] + "0"
                                       if not id_number(1).endswith("0") else id_number(1)[:-1] + "1"))
    registry.create(db, LiaisonOfficer(name="王五", id_number=id_number(2)))
    with pytest.raises(UserError, match="重复的公民身份号码"):
        registry.create(db, LiaisonOfficer(name="王六", id_number=id_number(2)))
    with pytest.raises(UserError) as info:
        registry.create(db, LiaisonOfficer(name="赵七", id_number=id_number(3), bank_account="12ab"))
    assert info.value.problems[0][0] == "bank_account"


def test_assessment_one_per_year(db):
    officer = registry.create(db, LiaisonOfficer(name="王五", id_number=id_number(2)))
    registry.create(db, Assessment(officer, 2025, "excellent"))
    with pytest.raises(UserError, match="本年度已有考核等次"):
        registry.create(db, Assessment(officer, 2025, "good"))
    with pytest.raises(UserError, match="考核等次"):
        registry.create(db, Assessment(officer, 2026, "great"))


def test_list_filters_search_sort_and_paging(db, township_id):
    zone = next(a.id for a in registry.townships(db) if a.name == "经开区")
    for n in range(1, 8):
        registry.create(db, org(township_id if n % 2 else zone, n,
                                name=f"企业{n:02d}", industry="express" if n < 4 else "other",
                                party_org_form="joint" if n < 3 else "none",
                                has_union=n == 5, contact_name="陈经理" if n == 6 else None))
    page = registry.list_organizations(db, OrganizationFilter(area_id=township_id))
    assert [o.name for o, _ in page.rows] == ["企业01", "企业03", "企业05", "企业07"]
    assert page.total == 4 and page.extra["with_party_org"] == 1
    assert registry.list_organizations(db, OrganizationFilter(industry="express")).total == 3
    assert registry.list_organizations(db, OrganizationFilter(has_mass_org=True)).total == 1
    assert registry.list_organizations(db, OrganizationFilter(has_party_org=True)).total == 2
    found = registry.list_organizations(db, OrganizationFilter(search="陈经理"))
    assert [o.name for o, _ in found.rows] == ["企业06"]
    assert registry.list_organizations(db, OrganizationFilter(search="%")).total == 0
    desc = registry.list_organizations(db, OrganizationFilter(sort="name", descending=True, limit=2,
                                                              offset=2))
    assert [o.name for o, _ in desc.rows] == ["企业05", "企业04"] and desc.total == 7
    beyond = registry.list_organizations(db, OrganizationFilter(offset=50))
    assert beyond.rows == () and beyond.total == 7


def test_people_lists_show_current_links(db, township_id):
    oid = registry.create(db, org(township_id))
    officer = registry.create(db, LiaisonOfficer(name="王五", id_number=id_number(2)))
    registry.create(db, Posting(officer, oid, date(2020, 1, 1)))
    teacher = registry.create(db, Instructor(name="李老师", id_number=id_number(3)))
    registry.create(db, InstructorAssignment(teacher, oid, date(2020, 1, 1)))
    assert registry.list_officers(db, PersonFilter(search="王")).rows[0][1] == "测试企业1"
    assert registry.list_instructors(db).rows[0][1] == 1


def test_search_finds_a_word_anywhere_as_typed(db, township_id):
    names = ["ABC科技有限公司", "城关50%股份公司", "a_b贸易", "aXb贸易", "快递服务中心"]
    for n, name in enumerate(names):
        registry.create(db, org(township_id, n, name=name, contact_name="陈经理",
                                contact_phone=f"1380013800{n}"))

    def found(word):
        page = registry.list_organizations(db, OrganizationFilter(search=word))
        return sorted(o.name for o, _ in page.rows), page.total

    assert found("abc") == (["ABC科技有限公司"], 1)  # Latin letters: any case
    assert found("科技") == (["ABC科技有限公司"], 1)
    assert found("50%") == (["城关50%股份公司"], 1)  # wildcards are plain characters
    assert found("a_b") == (["a_b贸易"], 1)
    assert found(uscc(4)[2:8].lower()) == (sorted(names), 5)  # a USCC fragment, lower case
    assert found("13800138004") == (["快递服务中心"], 1)
    assert found("陈经理")[1] == 5 and found("王经理")[1] == 0
    assert registry.count_organizations(db, OrganizationFilter(search="贸易")) == (
        2, {"with_party_org": 0})
