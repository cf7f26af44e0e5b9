"""Coverage arithmetic (POLICY.md §6): rates, totals, changes, roll-ups, summary text."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import coverage as cov
from desktop.domain.coverage import (CoverageGroup, CoverageStats, PaymentSums, PeopleCounts,
                                     StatsRow, format_change, format_rate, format_rate_change)
from desktop.domain.registry import Area


@pytest.mark.parametrize("num, den, text", [
    (144, 439, "32.8%"), (295, 295, "100.0%"), (0, 5, "0.0%"), (0, 0, "—"), (5, 0, "—"),
    (1, 3, "33.3%"), (2, 3, "66.7%"),
    (1, 8, "12.5%"),            # exactly 12.5: already one decimal
    (1, 16, "6.3%"),            # 6.25 -> half-up 6.3 (banker's rounding would give 6.2)
    (3, 16, "18.8%"),           # 18.75 -> 18.8
    (1, 2000, "0.1%"),          # 0.05 -> half-up 0.1
    (1, 2001, "0.0%"),          # just under 0.05
])
def test_format_rate(num, den, text):
    assert format_rate(num, den) == text


@settings(max_examples=200)
@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_format_rate_matches_exact_half_up(num, den):
    exact = Fraction(num * 1000, den)
    tenths = int(exact + Fraction(1, 2))  # floor(x + 1/2) is half-up for x >= 0
    assert format_rate(num, den) == f"{tenths // 10}.{tenths % 10}%"


def test_format_change():
    assert format_change(10, 7) == "+3"
    assert format_change(5, 7) == "−2"
    assert format_change(4, 4) == "0"


def test_format_rate_change_uses_printed_rates():
    assert format_rate_change((144, 439), (140, 439)) == "+0.9"   # 32.8 - 31.9
    assert format_rate_change((1, 4), (1, 2)) == "−25.0"
    assert format_rate_change((1, 3), (1, 3)) == "0.0"
    assert format_rate_change((1, 3), (0, 0)) == "—"


def test_row_rates_and_json_shape():
    row = StatsRow("经开区", organizations=439, with_party_org=144, with_mass_org=361,
                   with_mass_org_among_without=295, work_covered_among_without=295)
    assert row.without_party_org == 295
    assert row.to_json() == {
        "township": "经开区", "organizations": 439, "with_party_org": 144,
        "org_coverage_rate": "32.8%", "without_party_org": 295,
        "with_mass_org_among_without": 295, "mass_org_coverage_rate": "100.0%",
        "work_coverage_rate": "100.0%", "party_members": 0, "new_party_orgs_in_quarter": 0}
    assert list(row.to_json()) == list(cov.JSON_KEYS)


def test_empty_row_prints_dashes():
    row = StatsRow("新区")
    assert (row.org_coverage_rate, row.mass_org_coverage_rate, row.work_coverage_rate) == ("—",) * 3


def test_everyone_covered_leaves_no_denominator():
    row = StatsRow("甲", organizations=3, with_party_org=3)
    assert row.org_coverage_rate == "100.0%"
    assert row.mass_org_coverage_rate == "—"


def test_totals_add_every_count():
    a = StatsRow("甲", organizations=2, with_party_org=1, party_members=5, employees=30, joint=1)
    b = StatsRow("乙", organizations=3, with_party_org=2, party_members=7, employees=10, regional=2)
    total = cov.totals([a, b])
    assert total.name == "合计"
    assert (total.organizations, total.with_party_org, total.party_members, total.employees,
            total.joint, total.regional) == (5, 3, 12, 40, 1, 2)


def _group(area, *, kind=0, industry=None, nbf=False, n=1, party=False, mass=False,
           guided=False, new=False, form="standalone", members=0, staff=0):
    code = (kind * cov.KIND_BIT + nbf * cov.NEW_FORM_BIT + mass * cov.MASS_BIT
            + cov.INDUSTRY_CODES.get(industry, 0) * cov.INDUSTRY_UNIT)
    if party:
        code += cov.PARTY_BIT + new * cov.NEW_BIT + cov.FORM_CODES[form] * cov.FORM_UNIT
    elif guided:
        code += cov.GUIDED_BIT
    return CoverageGroup(area, code, n, members, staff)


def test_rollup_keeps_order_zero_rows_and_extra_labels():
    groups = [_group("b", n=2), _group("a", n=1, party=True), _group("b", n=3), _group("x", n=4)]
    names = {"a": "甲镇", "b": "乙镇", "x": "县直"}
    rows = cov.rollup(groups, lambda g: names[g.area_id], ["甲镇", "乙镇", "丙镇"])
    assert [(r.name, r.organizations) for r in rows] == [
        ("甲镇", 1), ("乙镇", 5), ("丙镇", 0), ("县直", 4)]


def test_rollup_unpacks_every_flag():
    groups = [_group("a", n=3, party=True, new=True, form="joint", mass=True, members=7, staff=50),
              _group("a", n=2, party=True, form="regional"),
              _group("a", n=4, mass=True), _group("a", n=5, guided=True), _group("a", n=6)]
    (row,) = cov.rollup(groups, lambda g: "甲", [])
    assert (row.organizations, row.with_party_org, row.with_mass_org) == (20, 5, 7)
    assert (row.with_mass_org_among_without, row.work_covered_among_without) == (4, 9)
    assert (row.party_members, row.employees, row.new_party_orgs_in_quarter) == (7, 50, 3)
    assert (row.standalone, row.joint, row.regional, row.new_joint, row.new_regional) == (0, 3, 2, 3, 0)


def test_group_classification_is_decoded():
    group = _group("a", kind=1, industry="internet", nbf=True, party=True)
    assert (group.kind, group.industry, group.is_new_business_form) == ("social_org", "internet", True)
    assert (_group("a").kind, _group("a").industry) == ("enterprise", None)


def test_township_names_follow_communities_to_their_township():
    areas = [Area("示范县", "county", id="c"), Area("城关镇", "township", "c", id="t"),
             Area("东风社区", "community", "t", id="s"), Area("经开区", "zone", "c", id="z")]
    assert cov.township_names(areas) == {"c": "示范县", "t": "城关镇", "s": "城关镇", "z": "经开区"}


def _stats(kinds, total, people=PeopleCounts(), payments=PaymentSums()):
    return CoverageStats(as_of=date(2026, 6, 30), quarter_label="2026-Q2", townships=(total,),
                         total=total, industries=(), new_business_form=(),
                         new_business_form_total=StatsRow("合计"), kinds=kinds, people=people,
                         payments=payments)


def test_summary_reads_like_the_source_bulletin():
    ent = StatsRow("enterprise", organizations=439, with_party_org=144, with_mass_org=361,
                   with_mass_org_among_without=295, work_covered_among_without=295)
    total = ent.renamed("合计")
    text = cov.summary_text("全县", _stats({"enterprise": ent}, total))
    assert text.startswith("目前，全县439家非公企业中，成立党组织144家，群团组织361家，"
                           "党组织覆盖率32.8%，未成立党组织的非公企业群团组织覆盖率100.0%")
    assert "本季度未新建党组织。" in text
    assert "社会组织" not in text


def test_summary_mentions_change_forms_and_money():
    now = StatsRow("合计", organizations=10, with_party_org=5, new_party_orgs_in_quarter=2,
                   new_standalone=1, new_regional=1)
    before = StatsRow("合计", organizations=9, with_party_org=3)
    social = now.renamed("social_org")
    current = _stats({"social_org": social}, now, PeopleCounts(3, 2, 4, 5, 6), PaymentSums(329032, 1))
    text = cov.summary_text("全县", current, _stats({}, before))
    assert text.startswith("目前，全县10家社会组织中")
    assert "与上季度相比，组织数增加1家，已建党组织增加2家，党组织覆盖率提高16.7个百分点。" in text
    assert "本季度新建党组织2个，其中单独组建1个、区域联建1个。" in text
    assert "全县共有党建工作指导员3名，挂钩指导组织4家；派驻联络员5名，联系企业6家。" in text
    assert text.endswith("本季度已发放联络员工作补贴3,290.32元、绩效补贴0.00元。")


def test_summary_of_an_empty_county():
    empty = StatsRow("合计")
    text = cov.summary_text("全县", _stats({}, empty), _stats({}, empty))
    assert text.startswith("目前，全县尚无登记在册的两新组织。")
    assert "与上季度相比，组织数持平，已建党组织持平。" in text  # no rate to compare
