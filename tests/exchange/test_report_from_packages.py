"""The county's quarterly report, built from the townships' merged packages,
equals the sum of the townships' own reports (issue 15, Done when).

Three townships enter varied registries (kinds, industries, new-business-form
platforms, every Party organization form, establishment dates before, inside
and after the quarter, mass organizations, guided organizations, registration
and closing dates around the quarter's ends, deletions and edits), partly in a
community the county added; each exports, the county merges them all, posts
liaison officers and sends its package back. Then every figure of the county's
report tables is the sum of the same figure in the townships' reports.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal

import pytest

from desktop.domain import coverage as cov
from desktop.domain.coverage import CoverageStats, PaymentSums, PeopleCounts, StatsRow
from desktop.domain.problem_report import problems_sentence, quarter_total
from desktop.domain.registry import (INDUSTRIES, NEW_BUSINESS_INDUSTRIES, PARTY_ORG_FORMS, Area,
                                     GuidanceStation, Instructor, InstructorAssignment,
                                     LiaisonOfficer, Organization, Posting)
from desktop.domain import problems as p
from desktop.domain.problems import Problem
from desktop.services import problems, registry, stats
from desktop.services.stats import parse_quarter
from tests.exchange.offices import area_id, county_office, send, township_office
from tests.factories import id_number, uscc

TOWNSHIPS = ("白沙镇", "青山乡", "经开区")
QUARTER = parse_quarter("2026-Q2")
COMPILED = date(2026, 7, 10)
ORGS_PER_TOWNSHIP = 45
# Dates on both sides of the previous quarter's end (3-31) and this one's (6-30).
ESTABLISHED = (None, date(2024, 5, 1), date(2026, 2, 10), date(2026, 4, 1), date(2026, 6, 30),
               date(2026, 7, 1))
REGISTERED = (None, None, date(2019, 3, 1), date(2026, 3, 31), date(2026, 5, 20),
              date(2026, 7, 2))
CLOSED = (None, None, None, None, date(2026, 3, 10), date(2026, 5, 15), date(2026, 6, 30))
ASSIGNMENT_SPANS = ((date(2025, 1, 1), None), (date(2026, 1, 5), date(2026, 5, 31)),
                    (date(2026, 4, 10), None), (date(2026, 7, 1), None),
                    (date(2026, 2, 1), date(2026, 6, 30)))


def _organization(rnd: random.Random, t: int, n: int, areas: tuple[str, str]) -> Organization:
    industry = rnd.choice((*INDUSTRIES, None))
    form = rnd.choice(PARTY_ORG_FORMS)
    registered, closed = rnd.choice(REGISTERED), rnd.choice(CLOSED)
    if registered and closed and closed < registered:
        closed = None
    return Organization(
        name=f"{TOWNSHIPS[t]}{'企业' if n % 4 else '协会'}{n}",
        area_id=rnd.choice(areas), kind="enterprise" if n % 4 else "social_org",
        uscc=uscc(t * 1000 + n) if rnd.random() < 0.6 else None, industry=industry,
        is_new_business_form=industry in NEW_BUSINESS_INDUSTRIES and rnd.random() < 0.7,
        employee_count=rnd.choice((None, rnd.randint(0, 900))),
        party_member_count=rnd.choice((None, rnd.randint(0, 40))),
        party_org_form=form,
        party_org_established_on=None if form == "none" else rnd.choice(ESTABLISHED),
        has_union=rnd.random() < 0.35, has_youth_league=rnd.random() < 0.2,
        has_women_federation=rnd.random() < 0.15, registered_on=registered, closed_on=closed)


def _enter_registry(db, t: int, rnd: random.Random) -> None:
    """A township's registry: organizations, a station, instructors and their
    assignments, with a few edits and deletions as a clerk makes them."""
    township = TOWNSHIPS[t]
    areas = (area_id(db, township), area_id(db, f"{township}城南社区"))
    orgs = [registry.create(db, _organization(rnd, t, n, areas)) for n in range(ORGS_PER_TOWNSHIP)]
    for org_id in rnd.sample(orgs, 4):
        org = registry.get(db, Organization, org_id)
        registry.update(db, dataclasses.replace(
            org, employee_count=(org.employee_count or 0) + 7, has_union=not org.has_union))
    for org_id in rnd.sample(orgs, 3):
        registry.delete(db, Organization, org_id)
        orgs.remove(org_id)
    station = registry.create(db, GuidanceStation(name=f"{township}指导站", area_id=areas[0]))
    for k in range(4):
        person = registry.create(db, Instructor(
            name=f"{township}指导员{k}", id_number=id_number(t * 10 + k),
            guidance_station_id=station, area_id=areas[0]))
        for org_id in rnd.sample(orgs, 5):
            start, end = rnd.choice(ASSIGNMENT_SPANS)
            link = registry.create(db, InstructorAssignment(person, org_id, start, end))
            if rnd.random() < 0.1:
                registry.delete(db, InstructorAssignment, link)


# (found, deadline, steps) around the quarter: closed before, in and after it,
# reopened by 不满意, found on its last day and after it (表7).
PROBLEM_PATHS = (
    (date(2026, 3, 1), date(2026, 4, 30), ((p.RESOLVED, date(2026, 5, 2)),
                                           (p.SATISFIED, date(2026, 5, 3)))),
    (date(2026, 1, 9), date(2026, 2, 28), ((p.UNRESOLVED, date(2026, 3, 20)),)),
    (date(2026, 4, 20), date(2026, 6, 1), ((p.RESOLVED, date(2026, 7, 3)),)),
    (date(2026, 5, 5), date(2026, 6, 30), ((p.RESOLVED, date(2026, 6, 10)),
                                           (p.DISSATISFIED, date(2026, 6, 12)))),
    (date(2026, 6, 30), date(2026, 7, 30), ()),
    (date(2026, 7, 2), date(2026, 8, 1), ()),
)


def _enter_problems(db, t: int, rnd: random.Random) -> None:
    """Some of a township's problems, each taken along one of PROBLEM_PATHS."""
    orgs = [org.id for org, _ in registry.list_all(db, Organization)]
    for k in range(3 + t):
        found, deadline, steps = PROBLEM_PATHS[(k + t) % len(PROBLEM_PATHS)]
        pid = problems.add_problem(db, Problem(
            organization_id=rnd.choice(orgs), found_on=found, category="financing",
            description="流动资金贷款难", responsible_unit="县金融办", deadline=deadline),
            today=COMPILED)
        for target, on in steps:
            problems.advance(db, pid, target, on=on, today=COMPILED)


def _post_officers(county, rnd: random.Random) -> None:
    """The county posts two officers to enterprises of each township (never one
    officer across two townships: the count of officers is of distinct people)."""
    orgs = registry.list_all(county, Organization)
    for t, township in enumerate(TOWNSHIPS):
        mine = [org.id for org, name in orgs if name == township]
        for k in range(2):
            officer = registry.create(county, LiaisonOfficer(
                name=f"{township}联络员{k}", id_number=id_number(500 + t * 10 + k)))
            for org_id in rnd.sample(mine, 3):
                start, end = rnd.choice(ASSIGNMENT_SPANS)
                registry.create(county, Posting(officer, org_id, start, end))


def _second_round(db, t: int, rnd: random.Random) -> set[str]:
    """After the county has the first package: the township closes, deletes
    (some organizations have officers posted), re-forms and adds organizations,
    ends an assignment and deletes an instructor. Returns the deleted ids."""
    township = TOWNSHIPS[t]
    orgs = [org for org, _ in registry.list_all(db, Organization)]
    deleted = {org.id for org in rnd.sample(orgs, 4)}
    for org_id in deleted:
        registry.delete(db, Organization, org_id)
    for org in rnd.sample([o for o in orgs if o.id not in deleted], 6):
        form, closed = rnd.choice(PARTY_ORG_FORMS), rnd.choice(CLOSED)
        if closed and org.registered_on and closed < org.registered_on:
            closed = None
        registry.update(db, dataclasses.replace(
            org, party_org_form=form, closed_on=closed,
            party_org_established_on=None if form == "none" else rnd.choice(ESTABLISHED),
            has_youth_league=not org.has_youth_league, party_member_count=rnd.randint(0, 60)))
    areas = (area_id(db, township), area_id(db, f"{township}城南社区"))
    for n in range(ORGS_PER_TOWNSHIP, ORGS_PER_TOWNSHIP + 5):
        registry.create(db, _organization(rnd, t, n, areas))
    people = registry.list_all(db, Instructor)
    links = [link for link, _ in registry.assignments_of(db, people[0][0].id) if link.end_on is None and link.start_on < date(2026, 5, 1)]
    if links:
        registry.update(db, dataclasses.replace(links[0], end_on=date(2026, 5, 1)))
    registry.delete(db, Instructor, people[-1][0].id)
    return deleted


@pytest.fixture(scope="module")
def offices(tmp_path_factory):
    folder = tmp_path_factory.mktemp("offices")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LIANGXIN_HOME", str(tmp_path_factory.mktemp("home")))
        yield from _build_offices(folder)


def _build_offices(folder):
    county = county_office(folder, TOWNSHIPS)
    for township in TOWNSHIPS:
        registry.create(county, Area(name=f"{township}城南社区", kind="community",
                                     parent_id=area_id(county, township)))
    towns = []
    for township in TOWNSHIPS:
        (folder / township).mkdir()
        towns.append(township_office(folder / township, township))
        send(county, towns[-1], folder)  # the area tree, communities included
    rnd = random.Random(15)
    for t, town in enumerate(towns):
        _enter_registry(town, t, rnd)
        _enter_problems(town, t, rnd)
    for town in towns:
        preview = send(town, county, folder)
        assert not preview.plan.conflicts
    _post_officers(county, rnd)
    for town in towns:
        send(county, town, folder)  # no conflict to resolve: nothing was edited on both sides
    for t, town in enumerate(towns):
        deleted = _second_round(town, t, rnd)
        preview = send(town, county, folder, resolve_all="theirs")
        # Only a deletion of an organization the county posted an officer to asks first.
        assert {(a.table, a.reason) for a in preview.plan.conflicts} <= {
            ("organization", "本机的记录仍引用它")}
        assert {a.local_id for a in preview.plan.conflicts} <= deleted
        assert preview.plan.counts()["deleted"] + len(preview.plan.conflicts) >= len(deleted)
    yield (stats.quarterly_report(county, QUARTER, COMPILED),
           [stats.quarterly_report(town, QUARTER, COMPILED) for town in towns],
           county, towns)
    for db in (county, *towns):
        db.close()


# ---------------------------------------------------------------- sums of figures

def _labelled(table) -> dict[str, tuple]:
    return {str(row[0]): row for row in table.rows}


def _summed(rows: list[tuple], width: int) -> list:
    """Column-wise sums of the number cells; None where a cell is text (a rate)."""
    out: list = []
    for c in range(1, width):
        cells = [row[c] for row in rows]
        out.append(sum(cells) if all(isinstance(v, (int, Decimal)) for v in cells) else None)
    return out


def _numbers(row: tuple) -> list:
    return [v if isinstance(v, (int, Decimal)) else None for v in row[1:]]


def test_every_figure_of_the_county_tables_is_the_sum_of_the_townships(offices):
    county_report, town_reports, _, _ = offices
    county_tables = county_report.tables[:7]  # 表8 数据报送 is the county's own
    assert [t.title for t in county_tables] == [t.title for t in town_reports[0].tables]
    for k, table in enumerate(county_tables):
        towns = [r.tables[k] for r in town_reports]
        labels = set().union(*(_labelled(t) for t in towns))
        assert set(_labelled(table)) >= labels, table.title
        for label, row in _labelled(table).items():
            parts = [_labelled(t)[label] for t in towns if label in _labelled(t)]
            assert parts, f"{table.title}: {label} is in no township's report"
            assert _numbers(row) == _summed(parts, len(row)), f"{table.title}: {label}"
        if table.total is not None:
            assert _numbers(table.total) == _summed([t.total for t in towns], len(table.total)), \
                table.title


def test_each_township_row_of_the_county_is_that_townships_own_row(offices):
    county_report, town_reports, _, _ = offices
    for k in (0, 1, 2, 4, 6):  # by township: coverage, change, forms, new business, problems
        county_rows = _labelled(county_report.tables[k])
        for township, report in zip(TOWNSHIPS, town_reports):
            own = _labelled(report.tables[k])
            # A township's report lists itself only: it holds the county's area
            # tree, not the other townships' organizations, so it must not print
            # them as having none.
            assert set(own) <= {township}, (report.tables[k].title, township)
            if township in own:
                assert county_rows[township] == own[township], (report.tables[k].title, township)


def _sum_rows(name: str, groups: list[tuple[StatsRow, ...]]) -> StatsRow:
    return cov.add_rows(name, (r for rows in groups for r in rows if r.name == name))


def _sum_stats(parts: list[CoverageStats], like: CoverageStats) -> CoverageStats:
    """The townships' statistics added up, in the county's row order."""
    def rows(attr: str) -> tuple[StatsRow, ...]:
        return tuple(_sum_rows(r.name, [getattr(p, attr) for p in parts])
                     for r in getattr(like, attr))

    def fieldwise(cls, values):
        return cls(**{f.name: sum(getattr(v, f.name) for v in values)
                      for f in dataclasses.fields(cls)})

    return CoverageStats(
        as_of=like.as_of, quarter_label=like.quarter_label, townships=rows("townships"),
        total=cov.add_rows(cov.TOTAL_LABEL, (p.total for p in parts)),
        industries=rows("industries"), new_business_form=rows("new_business_form"),
        new_business_form_total=cov.add_rows(cov.TOTAL_LABEL,
                                             (p.new_business_form_total for p in parts)),
        kinds={k: _sum_rows(k, [tuple(p.kinds.values()) for p in parts]).renamed(k)
               for k in like.kinds},
        people=fieldwise(PeopleCounts, [p.people for p in parts]),
        payments=fieldwise(PaymentSums, [p.payments for p in parts]))


def test_the_county_report_is_the_report_of_the_summed_statistics(offices):
    """Rates, changes and the summary too: computed from the summed counts they
    print exactly what the county printed."""
    county_report, _, county, towns = offices
    ends = (QUARTER.end, QUARTER.previous().end)
    now, before = ([stats.coverage_stats(db, end) for db in towns] for end in ends)
    county_now, county_before = (stats.coverage_stats(county, end) for end in ends)
    expected_now, expected_before = _sum_stats(now, county_now), _sum_stats(before, county_before)
    assert county_now == expected_now and county_before == expected_before
    assert county_report.tables[:6] == stats.report_tables(expected_now, expected_before)
    problems = stats.quarter_problems(county, QUARTER)
    assert county_report.summary == cov.summary_text("全县", expected_now, expected_before) \
        + problems_sentence(quarter_total(problems))
    assert county_report.coverage_bars == cov.coverage_bars(expected_now.townships)
    assert county_report.forms == stats.form_counts(expected_now.total)


def test_the_registries_exercise_every_column(offices):
    """Guard on the data: every count of the report is non-zero somewhere, and
    the quarter moved against the previous one."""
    county_report, _, county, _ = offices
    now = stats.coverage_stats(county, QUARTER.end)
    before = stats.coverage_stats(county, QUARTER.previous().end)
    zero = [f for f in cov.COUNT_FIELDS if not getattr(now.total, f)]
    assert not zero, zero
    assert now.new_business_form_total.organizations and len(now.industries) > 5
    assert all(dataclasses.astuple(now.people)), now.people
    assert now.kinds["social_org"].organizations and now.kinds["enterprise"].organizations
    assert now.total.organizations != before.total.organizations
    assert now.total.with_party_org != before.total.with_party_org
    problems_total = county_report.tables[6].total
    assert problems_total[0] == "合计" and all(problems_total[1:7]), problems_total
