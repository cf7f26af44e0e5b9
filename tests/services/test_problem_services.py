"""The 问题清单 services (PROBLEMS.md): add from a visit or directly, every step
with its note in the timeline and the audit log, the list's filters, the
figures as of a date."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop.domain import problems as p
from desktop.domain.problems import Problem, ProblemFilter, Visit
from desktop.domain.registry import Area, Organization
from desktop.errors import UserError
from desktop.services import problems, registry

TODAY = date(2026, 7, 15)


@pytest.fixture
def orgs(db):
    """Two organizations in 城关镇 (one in a community below it), one in 经开区."""
    towns = {a.name: a.id for a in registry.townships(db)}
    community = registry.create(db, Area(name="东街社区", kind="community", parent_id=towns["城关镇"]))
    return {"a": registry.create(db, Organization(name="城关物流有限公司", area_id=towns["城关镇"])),
            "b": registry.create(db, Organization(name="东街物业公司", area_id=community)),
            "c": registry.create(db, Organization(name="经开精密制造公司", area_id=towns["经开区"]))}


def add(db, org, *, found=date(2026, 5, 1), deadline=date(2026, 6, 30), category="financing",
        unit="县金融办", note="", **kw):
    return problems.add_problem(db, Problem(organization_id=org, found_on=found, category=category,
                                            description="流动资金贷款难", responsible_unit=unit,
                                            deadline=deadline, **kw), note=note, today=TODAY)


def test_add_from_a_visit_and_directly(db, orgs):
    visit = problems.record_visit(db, Visit(organization_id=orgs["a"], visited_on=date(2026, 4, 20),
                                            kind="meeting", findings="企业反映招工难"), today=TODAY)
    from_visit = problems.add_problem(db, Problem(
        organization_id="", found_on=None, category="recruitment", description="缺技术工人",
        responsible_unit="县人社局", deadline=date(2026, 5, 31), visit_id=visit), today=TODAY)
    got = problems.get_problem(db, from_visit)
    assert (got.organization_id, got.found_on, got.status) == (orgs["a"], date(2026, 4, 20), p.ACCEPTED)
    assert [v.id for v in problems.visits_of(db, orgs["a"])] == [visit]
    direct = add(db, orgs["c"], note="电话反映")
    (step,) = problems.timeline(db, direct)
    assert (step.seq, step.action, step.taken_on, step.taken_by, step.note) == (
        1, "accept", date(2026, 5, 1), "测试员", "电话反映")


def test_add_refuses_bad_fields(db, orgs):
    with pytest.raises(UserError, match="办结时限不能早于发现日期；请填写责任单位"):
        add(db, orgs["a"], deadline=date(2026, 4, 1), unit=" ")
    with pytest.raises(UserError, match="发现日期 2026-07-16 晚于今天"):
        add(db, orgs["a"], found=date(2026, 7, 16), deadline=date(2026, 8, 1))
    with pytest.raises(UserError, match="没有找到该组织"):
        add(db, "no-such-org")
    assert problems.list_problems(db, as_of=TODAY).total == 0


def test_the_whole_loop_with_notes(db, orgs):
    pid = add(db, orgs["a"])
    problems.advance(db, pid, p.SUPERVISING, note="发督办单", on=date(2026, 5, 10), today=TODAY)
    problems.advance(db, pid, p.RESOLVED, note="已对接银行放贷", on=date(2026, 6, 20), today=TODAY)
    reopened = problems.advance(db, pid, p.DISSATISFIED, note="额度不够", on=date(2026, 6, 25),
                                today=TODAY)
    assert (reopened.status, reopened.closed_on, reopened.outcome, reopened.evaluation) == (
        p.SUPERVISING, None, None, None)
    problems.advance(db, pid, p.RESOLVED, note="追加额度", on=date(2026, 7, 1), today=TODAY)
    done = problems.advance(db, pid, p.SATISFIED, on=date(2026, 7, 2), today=TODAY)
    assert (done.status, done.closed_on, done.outcome, done.evaluation) == (
        p.RESOLVED, date(2026, 7, 1), "追加额度", p.SATISFIED)
    steps = problems.timeline(db, pid)
    assert [(s.seq, s.action, s.status_after, s.evaluation, s.note) for s in steps] == [
        (1, "accept", p.ACCEPTED, None, None), (2, "supervise", p.SUPERVISING, None, "发督办单"),
        (3, "resolve", p.RESOLVED, None, "已对接银行放贷"),
        (4, "evaluate", p.SUPERVISING, p.DISSATISFIED, "额度不够"),
        (5, "resolve", p.RESOLVED, None, "追加额度"), (6, "evaluate", p.RESOLVED, p.SATISFIED, None)]
    logged = db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'problem_step'"
                        " AND action = 'insert'").fetchone()[0]
    updates = db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'problem'"
                         " AND action = 'update' AND row_id = ?", (pid,)).fetchone()[0]
    assert (logged, updates) == (6, 5)


def test_a_refused_step_writes_nothing(db, orgs):
    pid = add(db, orgs["a"])
    problems.advance(db, pid, p.RESOLVED, on=date(2026, 6, 1), today=TODAY)
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for target, message in ((p.SUPERVISING, "不满意才能重新督办"), (p.ACCEPTED, "只能向前")):
        with pytest.raises(UserError, match=message):
            problems.advance(db, pid, target, today=TODAY)
    with pytest.raises(UserError, match="早于上一步骤"):
        problems.advance(db, pid, p.SATISFIED, on=date(2026, 5, 31), today=TODAY)
    with pytest.raises(UserError, match="没有找到该问题"):
        problems.advance(db, "nothing", p.RESOLVED, today=TODAY)
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert len(problems.timeline(db, pid)) == 2


def test_short_ids(db, orgs):
    pid = add(db, orgs["a"])
    assert problems.resolve_id(db, pid[:8]) == pid
    with pytest.raises(UserError, match="没有找到该问题"):
        problems.resolve_id(db, pid[:4])


def test_list_filters(db, orgs):
    towns = {a.name: a.id for a in registry.townships(db)}
    a = add(db, orgs["a"], deadline=date(2026, 6, 30))
    b = add(db, orgs["b"], deadline=date(2026, 7, 1), category="rights", unit="县总工会")
    c = add(db, orgs["c"], deadline=date(2026, 6, 1))
    done = add(db, orgs["a"], deadline=date(2026, 5, 20))
    problems.advance(db, done, p.RESOLVED, on=date(2026, 5, 19), today=TODAY)
    supervised = add(db, orgs["a"], deadline=date(2026, 6, 15), category="other")
    problems.advance(db, supervised, p.SUPERVISING, on=date(2026, 5, 19), today=TODAY)

    def ids(as_of=TODAY, **kw):
        return [r.problem.id for r in problems.list_problems(db, ProblemFilter(**kw), as_of=as_of).rows]

    assert ids() == [done, c, supervised, a, b]  # soonest deadline first
    city = problems.township_filter(db, "城关镇")
    assert ids(area_ids=city) == [done, supervised, a, b]  # the community's too
    assert ids(overdue=True, as_of=date(2026, 6, 30)) == [c, supervised]  # a: its deadline day
    assert ids(overdue=True, as_of=date(2026, 7, 1)) == [c, supervised, a]
    assert ids(overdue=True, as_of=date(2026, 7, 1), area_ids=city) == [supervised, a]
    assert ids(category="rights") == [b] and ids(responsible_unit="县总工会") == [b]
    assert ids(status=p.SUPERVISING) == [supervised]
    assert ids(deadline_from=date(2026, 6, 15), deadline_to=date(2026, 6, 30)) == [supervised, a]
    page = problems.list_problems(db, ProblemFilter(overdue=True), as_of=date(2026, 7, 1))
    assert page.total == 3 and [r.days_overdue for r in page.rows] == [30, 16, 1]
    assert [r.township for r in page.rows] == ["经开区", "城关镇", "城关镇"]
    assert page.rows[0].organization_name == "经开精密制造公司" and towns
    with pytest.raises(UserError, match="没有名为“白沙镇”的乡镇"):
        problems.township_filter(db, "白沙镇")


def test_stats_as_of_a_date(db, orgs):
    x = add(db, orgs["a"], found=date(2026, 5, 1), deadline=date(2026, 5, 31))
    problems.advance(db, x, p.RESOLVED, on=date(2026, 6, 10), today=TODAY)
    problems.advance(db, x, p.BASICALLY_SATISFIED, on=date(2026, 6, 12), today=TODAY)
    y = add(db, orgs["b"], found=date(2026, 5, 2), deadline=date(2026, 6, 30), category="rights")
    problems.advance(db, y, p.UNRESOLVED, on=date(2026, 6, 5), today=TODAY)
    problems.advance(db, y, p.DISSATISFIED, on=date(2026, 6, 6), today=TODAY)
    add(db, orgs["c"], found=date(2026, 6, 1), deadline=date(2026, 6, 20))
    add(db, orgs["c"], found=date(2026, 7, 1), deadline=date(2026, 7, 20))  # after both dates

    early = problems.problem_stats(db, date(2026, 5, 31))  # x's deadline day: not yet overdue
    assert early.total.to_json() == {"township": "合计", "found": 2, "open": 2, "overdue": 0,
                                     "resolved": 0, "unresolved": 0, "solve_rate": "—",
                                     "evaluated": 0, "satisfaction_rate": "—"}
    mid = problems.problem_stats(db, date(2026, 6, 21))
    json = problems.stats_as_json(mid)
    assert json["as_of"] == "2026-06-21"
    assert json["townships"] == [
        {"township": "城关镇", "found": 2, "open": 1, "overdue": 0, "resolved": 1, "unresolved": 0,
         "solve_rate": "100.0%", "evaluated": 2, "satisfaction_rate": "50.0%"},
        {"township": "经开区", "found": 1, "open": 1, "overdue": 1, "resolved": 0, "unresolved": 0,
         "solve_rate": "—", "evaluated": 0, "satisfaction_rate": "—"}]
    assert (mid.total.found, mid.total.open, mid.total.overdue) == (3, 2, 1)
    by_category = problems.problem_stats(db, date(2026, 6, 21), by="category")
    assert [(r.name, r.found) for r in by_category.rows] == [("融资", 2), ("权益保障", 1)]  # glossary order
    by_unit = problems.problem_stats(db, date(2026, 6, 21), by="unit")
    assert [(r.name, r.found) for r in by_unit.rows] == [("县金融办", 3)]
    assert problems.problem_stats(db, date(2026, 6, 9)).total.resolved == 0  # before x's closure


def test_a_township_office_enters_only_its_own(tmp_path):
    from desktop.db import records
    from tests.exchange.offices import add_org, area_id, county_office, send, township_office

    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    send(county, town, tmp_path)  # the area tree
    add(town, add_org(town, "白沙镇", "白沙电商公司"))
    # A record of another township (as an old import could have left it).
    other = records.insert(town, "organization", Organization(name="青山茶厂",
                                                              area_id=area_id(town, "青山乡")))
    with pytest.raises(UserError, match="只能录入本乡镇"):
        add(town, other)
    add(county, add_org(county, "青山乡", "青山茶厂"))  # the county enters anywhere


RACER = """
import sys
from datetime import date
from desktop.services.workspace import open_workspace
from desktop.services import problems
from desktop.errors import UserError
db = open_workspace(sys.argv[1], operator=sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
try:
    problems.advance(db, sys.argv[3], "resolved", note=sys.argv[2], today=date(2026, 7, 15))
    print("ok")
except UserError as err:
    print("refused", err)
"""


def test_two_processes_take_the_same_step_once(tmp_path, orgs, db):
    pid = add(db, orgs["a"])
    path = db.execute("PRAGMA database_list").fetchone()[2]
    racers = [subprocess.Popen([sys.executable, "-c", RACER, path, name, pid], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               cwd=Path(__file__).resolve().parents[2])
              for name in ("甲", "乙")]
    for r in racers:
        assert r.stdout.readline().strip() == "ready"
    for r in racers:
        r.stdin.write("go\n")
        r.stdin.flush()
    outcomes = sorted(r.communicate(timeout=30)[0].split()[0] for r in racers)
    assert outcomes == ["ok", "refused"]
    assert [s.action for s in problems.timeline(db, pid)] == ["accept", "resolve"]


def test_a_deleted_organizations_problems_leave_the_list_and_the_figures(db, orgs):
    add(db, orgs["a"])
    add(db, orgs["c"])
    registry.delete(db, Organization, orgs["c"])
    assert problems.list_problems(db, as_of=TODAY).total == 1
    assert problems.problem_stats(db, TODAY).total.found == 1


def test_overlong_texts_are_refused_with_the_limit_named_and_nothing_written(db, township_id):
    from desktop.domain import text_limits

    org = registry.create(db, Organization(name="长文本企业", area_id=township_id))
    before = db.execute("SELECT count(*) FROM problem").fetchone()[0]
    long_unit = "局" * (text_limits.limit("problem", "responsible_unit") + 1)
    problem = Problem(organization_id=org, found_on=date(2026, 5, 1), category="policy_payment",
                      description="问题", responsible_unit=long_unit, deadline=date(2026, 6, 1))
    with pytest.raises(UserError, match="责任单位过长（101 字），最多 100 字"):
        problems.add_problem(db, problem, today=date(2026, 5, 2))
    with pytest.raises(UserError, match="办理说明过长"):
        problems.add_problem(db, dataclasses.replace(problem, responsible_unit="县人社局"),
                             note="说" * 501, today=date(2026, 5, 2))
    with pytest.raises(UserError, match="发现情况过长"):
        problems.record_visit(db, Visit(organization_id=org, visited_on=date(2026, 5, 1),
                                        findings="况" * 501), today=date(2026, 5, 2))
    assert db.execute("SELECT count(*) FROM problem").fetchone()[0] == before
    problem_id = problems.add_problem(db, dataclasses.replace(problem, responsible_unit="县人社局"),
                                      today=date(2026, 5, 2))
    with pytest.raises(UserError, match="办理说明过长"):
        problems.advance(db, problem_id, "supervising", note="说" * 501, today=date(2026, 5, 3))
