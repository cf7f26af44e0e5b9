"""The demo county: the source bulletin's figures, valid identifiers, determinism."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from desktop import paths
from desktop.db import policies
from desktop.db.database import open_database
from desktop.domain import identifiers
from desktop.domain.registry import (
    NEW_BUSINESS_INDUSTRIES, Area, Organization, OrganizationFilter, PersonFilter,
)
from desktop.domain.subsidy import default_policy
from desktop.errors import UserError
from desktop.services import demo, maintenance, registry, workspace

TODAY = date(2026, 11, 22)
ALL = 100_000


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One demo database shared by the read-only tests of this module."""
    conn = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    summary = demo.build_demo(conn)
    yield conn, summary
    conn.close()


@pytest.fixture(scope="module")
def rows(built):
    """(organization, township name) of every organization, read once."""
    return _orgs(built[0])


def _orgs(db, **kw):
    return [(o, t) for o, t in registry.list_organizations(db, OrganizationFilter(limit=ALL, **kw)).rows]


def _active(org: Organization, on: date) -> bool:
    return (org.registered_on is None or org.registered_on <= on) and not (
        org.closed_on and org.closed_on < on)


def _covered(org: Organization, on: date) -> bool:
    return org.has_party_org and (org.party_org_established_on is None
                                  or org.party_org_established_on <= on)


@pytest.mark.parametrize("on", [date(2026, 6, 30), TODAY])
def test_zone_has_the_bulletins_figures(built, rows, on):
    _, summary = built
    zone = [o for o, t in rows if t == "经开区" and _active(o, on)]
    covered = [o for o in zone if _covered(o, on)]
    assert (len(zone), len(covered)) == (439, 144)
    assert round(1000 * len(covered) / len(zone)) / 10 == 32.8
    assert all(o.has_mass_org for o in zone if not _covered(o, on))
    assert {o.party_org_form for o in covered} == {"standalone", "joint", "regional"}
    assert (summary.zone_organizations, summary.zone_with_party_org) == (439, 144)


def test_county_looks_real(built, rows):
    db, summary = built
    towns = [a for a in registry.townships(db) if a.kind != "zone"]
    assert len(towns) == 10 and summary.townships == 11
    for town in towns:
        assert 20 <= sum(t == town.name for _, t in rows) <= 80
    orgs = [o for o, _ in rows]
    assert len(orgs) == summary.organizations
    assert {o.industry for o in orgs} >= {"express", "food_delivery", "ride_hailing",
                                          "road_freight", "internet", "property", "manufacturing"}
    assert all(o.is_new_business_form == (o.industry in NEW_BUSINESS_INDUSTRIES) for o in orgs)
    assert any(o.kind == "social_org" for o in orgs) and any(o.closed_on for o in orgs)
    assert any("顺丰速运" in o.name for o in orgs)
    named = [o for o in orgs if o.party_org_form == "standalone"]
    assert all(o.party_org_name == f"中共{o.name}{o.party_org_name[len(o.name) + 2:]}"
               and o.party_org_name.endswith("委员会") for o in named)
    assert workspace.county_name(db) == "宜城县"


def test_party_organizations_were_set_up_in_recent_quarters(rows):
    with_party = [o for o, _ in rows if o.has_party_org]
    established = [o.party_org_established_on for o in with_party]
    assert sum(date(2026, 10, 1) <= d <= TODAY for d in established) >= 3
    assert sum(date(2026, 7, 1) <= d <= date(2026, 9, 30) for d in established) >= 3
    assert min(established).year == 2015 and max(established) <= TODAY
    assert all(o.registered_on <= o.party_org_established_on for o in with_party)


def test_every_identifier_is_valid_and_unique(built, rows):
    db, _ = built
    orgs = [o for o, _ in rows]
    instructors = [p for p, _ in registry.list_instructors(db, PersonFilter(limit=ALL)).rows]
    officers = [p for p, _ in registry.list_officers(db, PersonFilter(limit=ALL)).rows]
    codes = [o.uscc for o in orgs]
    ids = [p.id_number for p in instructors + officers]
    phones = [o.contact_phone for o in orgs] + [p.phone for p in instructors + officers]
    assert all(identifiers.check_uscc(c) is None for c in codes)
    assert all(identifiers.check_id_number(i) is None for i in ids)
    assert all(1965 <= int(i[6:10]) <= 1995 for i in ids)
    assert all(identifiers.check_phone(p) is None and len(p) == 11 for p in phones)
    assert all(identifiers.check_bank_account(p.bank_account) is None
               and 16 <= len(p.bank_account) <= 19 and p.bank_name for p in officers)
    assert len(set(codes)) == len(codes) and len(set(ids)) == len(ids)
    assert len({o.name for o in orgs}) == len(orgs)


def test_instructors_guide_organizations_from_stations(built):
    db, summary = built
    assert len(registry.stations(db)) == summary.stations == 6
    instructors = registry.list_instructors(db, PersonFilter(limit=ALL)).rows
    assert len(instructors) == summary.instructors == 30
    assert all(p.guidance_station_id for p, _ in instructors)
    links = [a for p, _ in instructors for a, _ in registry.assignments_of(db, p.id)]
    assert len(links) == summary.assignments and all(3 <= len(registry.assignments_of(db, p.id))
                                                      for p, _ in instructors[:5])


def test_officers_postings_and_assessments(built):
    db, summary = built
    officers = [p for p, _ in registry.list_officers(db, PersonFilter(limit=ALL)).rows]
    assert len(officers) == summary.officers == 60
    spans = {p.id: [s for s, _ in registry.postings_of(db, p.id)] for p in officers}
    flat = [s for ss in spans.values() for s in ss]
    assert len(flat) == summary.postings
    assert all(date(2024, 11, 1) <= s.start_on <= TODAY for s in flat)
    assert any(s.end_on is None for s in flat) and any(s.end_on for s in flat)
    assert any(_overlap(ss) for ss in spans.values())
    grades = {p.id: registry.assessments_of(db, p.id) for p in officers}
    assert all(a.year == 2025 for items in grades.values() for a in items)
    assert {a.grade for items in grades.values() for a in items} >= {"excellent", "good",
                                                                     "competent"}
    worked_2025 = [p for p in officers if any(s.start_on.year <= 2025 for s in spans[p.id])]
    assert 0 < sum(not grades[p.id] for p in worked_2025) <= 5
    assert sum(len(items) for items in grades.values()) == summary.assessments


def _overlap(spans) -> bool:
    ordered = sorted(spans, key=lambda s: s.start_on)
    return any(a.end_on is None or a.end_on >= b.start_on for a, b in zip(ordered, ordered[1:]))


def test_default_policies_and_a_clean_check(built):
    db, summary = built
    assert summary.policy_years == (2025, 2026)
    assert policies.list_policies(db) == [default_policy(2025), default_policy(2026)]
    assert maintenance.check(db) == []


def _snapshot(db, rows=None) -> list:
    """Every record without ids and timestamps, references replaced by names."""
    area = {a.id: a.name for a in registry.townships(db)}
    strip = {"id": None}
    orgs = [dataclasses.replace(o, area_id=area[o.area_id], **strip)
            for o, _ in rows or _orgs(db)]
    people = []
    for p, _ in registry.list_officers(db, PersonFilter(limit=ALL)).rows:
        posts = [(n, s.start_on, s.end_on) for s, n in registry.postings_of(db, p.id)]
        people.append((dataclasses.replace(p, **strip), posts,
                       [(a.year, a.grade) for a in registry.assessments_of(db, p.id)]))
    for p, _ in registry.list_instructors(db, PersonFilter(limit=ALL)).rows:
        links = [(n, a.start_on, a.end_on) for a, n in registry.assignments_of(db, p.id)]
        people.append((p.name, p.id_number, p.position, links))
    return [orgs, people, sorted(s.name for s in registry.stations(db)), policies.list_policies(db)]


def test_same_seed_same_county(built, rows, tmp_path):
    db, _ = built
    again = open_database(tmp_path / "again.sqlite3")
    demo.build_demo(again)
    assert _snapshot(again) == _snapshot(db, rows)
    again.close()


def test_refuses_a_database_with_organizations(built):
    db, _ = built
    with pytest.raises(UserError, match="演示数据只能写入空数据库"):
        demo.build_demo(db)


def test_existing_areas_are_reused(db, township_id, monkeypatch):
    for step in ("_organizations", "_instructors", "_officers"):  # areas only: fast
        monkeypatch.setattr(demo, step, lambda ctx: (0, 0, 0))
    monkeypatch.setattr(demo, "_activity", lambda *args: None)  # no officers to pay
    summary = demo.build_demo(db)
    assert summary.county == "示范县" and workspace.county_name(db) == "示范县"
    towns = {a.name: a.id for a in registry.townships(db)}
    assert towns["城关镇"] == township_id and len(towns) == 11


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    conn = open_database(tmp_path / "fail.sqlite3")

    real_create, calls = registry.create, []

    def failing_create(db, record):  # fails once areas and 50 organizations are written
        calls.append(record)
        if len(calls) > 60:
            raise UserError("中途失败")
        return real_create(db, record)

    monkeypatch.setattr(registry, "create", failing_create)
    with pytest.raises(UserError, match="中途失败"):
        demo.build_demo(conn)
    assert sum(isinstance(r, Organization) for r in calls) >= 49
    assert registry.list_organizations(conn).total == 0 and registry.townships(conn) == []
    assert workspace.get_setting(conn, "county_name") == "" and policies.list_policies(conn) == []


def test_open_demo_builds_once_and_refresh_rebuilds(monkeypatch):
    builds = []

    def tiny_build(db):  # the real build is tested above; this is about the file
        county = registry.create(db, Area(name="宜城县", kind="county"))
        town = registry.create(db, Area(name="城关镇", parent_id=county))
        registry.create(db, Organization(name=f"第{len(builds)}家", area_id=town))
        builds.append(db)

    monkeypatch.setattr(demo, "build_demo", tiny_build)
    db = demo.open_demo()
    assert workspace.database_path(db) == paths.demo_db_path()
    assert [o.name for o, _ in _orgs(db)] == ["第0家"]
    db.close()
    db = demo.open_demo()  # an existing demo database is opened as it is
    assert len(builds) == 1
    db.close()
    db = demo.open_demo(refresh=True)  # deleted and built anew
    assert [o.name for o, _ in _orgs(db)] == ["第1家"]
    db.close()


def test_demo_holds_the_source_bulletin_as_a_sample(built):
    from desktop.services import bulletins

    db, summary = built
    listed = bulletins.list_bulletins(db)
    assert summary.bulletins == len(listed) == 2
    sample = bulletins.get_bulletin(db, next(b.id for b in listed if b.year == 2022))
    assert (sample.year, sample.number, sample.status) == (2022, 20, "draft")
    assert [s.title for s in sample.sections] == ["市内信息", "市外参考"]
    assert len(sample.articles) == 4


def test_demo_has_payment_runs_in_every_state(built):
    from desktop.services import payruns

    db, summary = built
    runs = {(run.kind, run.period): run for run in payruns.list_runs(db)}
    assert set(runs) == {("bonus", "2025"), ("stipend", "2026-Q3"), ("stipend", "2026-10")}
    assert {k: r.status for k, r in runs.items()} == {
        ("bonus", "2025"): "locked", ("stipend", "2026-Q3"): "locked",
        ("stipend", "2026-10"): "draft"}
    assert (summary.runs.bonus, summary.runs.quarter, summary.runs.month) == (
        runs["bonus", "2025"].id, runs["stipend", "2026-Q3"].id, runs["stipend", "2026-10"].id)
    for run in runs.values():
        detail = payruns.get_run(db, run.id)
        assert len(detail.lines) >= 40 and sum(line.amount_fen for line in detail.lines) > 0
    from desktop.services import sheet_codes

    for key in (("stipend", "2026-Q3"), ("bonus", "2025")):  # locked: its sheet's code holds
        found, problems = sheet_codes.check_code(db, payruns.get_run(db, runs[key].id).code)
        assert problems == [] and "与数据库一致" in found
    assert maintenance.check(db) == []


@pytest.mark.parametrize(("today", "quarter", "month"), [
    (date(2026, 11, 22), "2026-Q3", "2026-10"), (date(2026, 10, 5), "2026-Q3", "2026-10"),
    (date(2027, 1, 15), "2026-Q4", "2027-01"), (date(2027, 3, 31), "2026-Q4", "2027-02")])
def test_run_periods_follow_today(today, quarter, month):
    from desktop.services import demo_activity

    assert demo_activity.last_quarter(today).label == quarter
    last = demo_activity.last_month(today)
    expected = last if last.end > demo_activity.last_quarter(today).end else None
    assert (expected.label if expected else f"{today.year}-{today.month:02d}") == month


def test_demo_county_has_its_own_issued_bulletin(built):
    from desktop.services import bulletins

    db, _ = built
    own = bulletins.list_bulletins(db)[0]  # the newest: the county's own issue
    issue = bulletins.get_bulletin(db, own.id)
    assert (issue.year, issue.number, issue.status) == (2026, 11, "issued")
    assert issue.masthead_title == "宜城县组工信息" and "宜城县" in issue.compiling_unit
    assert issue.report_to and issue.send_to and issue.issue_to
    texts = [a.title + "".join(a.paragraphs) for s in issue.sections for a in s.articles]
    assert len(texts) == 3 and all("宜城县" in t or "经开区" in t for t in texts)
    assert any("439家非公企业中，成立党组织144家，党组织覆盖率32.8%" in t for t in texts)
    assert "安庆" not in "".join(texts)
    assert bulletins.bulletin_pdf(db, own.id).startswith(b"%PDF")


def test_demo_database_records_the_demo_operator(built, tmp_path):
    db, _ = built
    path = workspace.database_path(db)
    again = workspace.open_workspace(path)  # no operator configured, as a newcomer's GUI
    try:
        assert workspace.default_operator(again) == demo.DEMO_OPERATOR
        assert again.execute("SELECT app_operator()").fetchone()[0] == demo.DEMO_OPERATOR
    finally:
        again.close()
    named = workspace.open_workspace(path, operator="李四")
    try:
        assert named.execute("SELECT app_operator()").fetchone()[0] == "李四"
    finally:
        named.close()


def test_demo_has_problems_in_every_state_some_overdue(built):
    from desktop.domain import problems as rules
    from desktop.services import problems

    db, _ = built
    everything = problems.list_problems(db, as_of=TODAY, count=True)
    assert everything.total == 230
    listed = problems.list_problems(db, dataclasses.replace(
        problems.ProblemFilter(), limit=ALL), as_of=TODAY).rows
    assert {r.problem.status for r in listed} == set(rules.STATUS_LABELS)
    assert {r.problem.evaluation for r in listed} >= {rules.SATISFIED, rules.BASICALLY_SATISFIED}
    assert {r.problem.category for r in listed} == set(rules.CATEGORY_LABELS)
    total = problems.problem_stats(db, TODAY).total
    assert 5 <= total.overdue <= 25 and total.overdue < total.open
    assert total.resolved > 0.75 * total.found and total.solve_rate not in ("—", "100.0%")
    reopened = [r for r in listed if any(s.evaluation == rules.DISSATISFIED
                                         for s in problems.timeline(db, r.problem.id))]
    assert reopened
    assert sum(r.problem.visit_id is not None for r in listed) > 150
    assert len(problems.visits_of(db, listed[0].problem.organization_id)) >= 1
