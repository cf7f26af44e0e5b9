"""The 问题清单's search word and its 未办结 view (what the screen lists first)."""

from __future__ import annotations

from datetime import date

from desktop.domain.problems import Problem, ProblemFilter
from desktop.domain.registry import Organization
from desktop.services import problems, registry

TODAY = date(2026, 6, 1)


def _add(db, org, description, unit, person=None):
    return problems.add_problem(db, Problem(
        organization_id=org, found_on=date(2026, 5, 1), category="other", description=description,
        responsible_unit=unit, responsible_person=person, deadline=date(2026, 5, 20)), today=TODAY)


def _descriptions(db, f):
    return [r.problem.description for r in problems.list_problems(db, f, as_of=TODAY).rows]


def test_search_matches_description_organization_unit_and_person(db, township_id):
    org = registry.create(db, Organization(name="城关100%快递", area_id=township_id))
    other = registry.create(db, Organization(name="经开物流", area_id=township_id))
    _add(db, org, "道路破损", "县交通运输局")
    _add(db, other, "融资难", "县金融办", person="王科长")
    assert _descriptions(db, ProblemFilter(search="融资")) == ["融资难"]
    assert _descriptions(db, ProblemFilter(search="快递")) == ["道路破损"]
    assert _descriptions(db, ProblemFilter(search="交通")) == ["道路破损"]
    assert _descriptions(db, ProblemFilter(search="王科长")) == ["融资难"]
    assert _descriptions(db, ProblemFilter(search="100%")) == ["道路破损"]  # % is a character
    assert _descriptions(db, ProblemFilter(search="1%0")) == []


def test_open_only_leaves_out_closed_problems(db, township_id):
    org = registry.create(db, Organization(name="城关快递", area_id=township_id))
    done = _add(db, org, "已解决的", "县人社局")
    _add(db, org, "仍在办的", "县人社局")
    problems.advance(db, done, "resolved", on=TODAY, today=TODAY)
    assert _descriptions(db, ProblemFilter(open_only=True)) == ["仍在办的"]
    assert sorted(_descriptions(db, ProblemFilter())) == ["仍在办的", "已解决的"]
    assert problems.list_problems(db, ProblemFilter(open_only=True, limit=0)).total == 1
