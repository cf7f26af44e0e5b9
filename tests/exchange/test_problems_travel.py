"""Visits and problems are township data (PROBLEMS.md): they travel in the
township's package to the county, with every step, and the county counts them
as the township does."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain import problems as p
from desktop.domain.problems import Problem, ProblemFilter, Visit
from desktop.errors import UserError
from desktop.services import exchange, maintenance, problems
from tests.exchange.offices import add_org, county_office, send, township_office

TODAY = date(2026, 7, 15)


@pytest.fixture
def offices(tmp_path, lookup_mode):
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    send(county, town, tmp_path)  # the area tree
    yield county, town
    county.close()
    town.close()


def _problem(db, org: str, visit: str | None = None, deadline=date(2026, 6, 30)) -> str:
    return problems.add_problem(db, Problem(
        organization_id=org, found_on=date(2026, 5, 1), category="land_approval",
        description="厂房扩建审批慢", responsible_unit="县自然资源局", deadline=deadline,
        visit_id=visit), today=TODAY)


def _stats(db) -> dict:
    return problems.stats_as_json(problems.problem_stats(db, TODAY))


def test_a_townships_problems_reach_the_county(offices, tmp_path):
    county, town = offices
    org = add_org(town, "白沙镇", "白沙电商公司")
    visit = problems.record_visit(town, Visit(organization_id=org, visited_on=date(2026, 5, 1),
                                              findings="扩建审批慢"), today=TODAY)
    pid = _problem(town, org, visit)
    problems.advance(town, pid, p.SUPERVISING, note="发督办单", on=date(2026, 5, 5), today=TODAY)
    _problem(town, org, deadline=date(2026, 7, 31))
    result = send(town, county, tmp_path)
    counts = result.plan.counts()
    assert counts["new"] == 1 + 1 + 2 + 3  # organization, visit, problems, steps
    assert _stats(county) == _stats(town)
    assert _stats(county)["total"]["overdue"] == 1
    assert [s.note for s in problems.timeline(county, pid)] == [None, "发督办单"]
    assert problems.visits_of(county, org)[0].findings == "扩建审批慢"
    listed = problems.list_problems(county, ProblemFilter(
        overdue=True, area_ids=problems.township_filter(county, "白沙镇")), as_of=TODAY)
    assert [r.problem.id for r in listed.rows] == [pid]

    # A later step travels in the next package.
    problems.advance(town, pid, p.RESOLVED, note="已批复", on=date(2026, 7, 1), today=TODAY)
    again = send(town, county, tmp_path).plan.counts()
    assert (again["new"], again["updated"]) == (1, 1)
    assert problems.get_problem(county, pid).status == p.RESOLVED
    assert _stats(county) == _stats(town)
    assert maintenance.check(county) == [] and maintenance.check(town) == []


def test_the_county_package_carries_no_township_problems(offices, tmp_path):
    county, town = offices
    org = add_org(county, "青山乡", "青山茶厂")
    _problem(county, org)
    send(county, town, tmp_path)
    assert problems.list_problems(town, as_of=TODAY).total == 0


def test_the_same_step_taken_at_both_offices_is_one_conflict(offices, tmp_path):
    county, town = offices
    org = add_org(town, "白沙镇", "白沙电商公司")
    pid = _problem(town, org)
    send(town, county, tmp_path)
    problems.advance(town, pid, p.RESOLVED, note="镇里：已解决", on=date(2026, 6, 1), today=TODAY)
    problems.advance(county, pid, p.UNRESOLVED, note="县里：未能解决", on=date(2026, 6, 2),
                     today=TODAY)
    path = exchange.export_package(town, tmp_path)
    with pytest.raises(UserError, match="冲突"):
        exchange.merge_package(county, path)
    exchange.merge_package(county, path, resolve_all="theirs")
    steps = problems.timeline(county, pid)
    assert [(s.seq, s.note) for s in steps] == [(1, None), (2, "镇里：已解决")]
    assert problems.get_problem(county, pid).status == p.RESOLVED
    assert maintenance.check(county) == []
