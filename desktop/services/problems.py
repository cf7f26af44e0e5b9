"""The 问题清单 (PROBLEMS.md): visits, problems found on them or directly, each
step of the closed loop with its note, the list, a problem's timeline, and the
figures as of a date. The GUI and `liangxin-cli problem …` both call these.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from desktop.db import areas, records
from desktop.db import problems as store
from desktop.db.connection import Database, current_operator, transaction
from desktop.domain import access as acl
from desktop.domain import problems as rules
from desktop.domain import text_limits
from desktop.domain.coverage import TOTAL_LABEL, township_names
from desktop.domain.problems import (
    Problem, ProblemCounts, ProblemFilter, ProblemState, ProblemStep, Visit,
)
from desktop.domain.registry import Page
from desktop.errors import UserError
from desktop.services import ownership
from desktop.services.users import require

NO_SUCH_PROBLEM = "没有找到该问题（已删除的不算）"


@dataclass(frozen=True)
class ProblemRow:
    """A row of the 问题清单 as shown: the problem, where it is, overdue or not."""

    problem: Problem
    organization_name: str
    township: str
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def _live_organization(db: Database, organization_id: str):
    org = store.live_organization(db, organization_id)
    if org is None:
        raise UserError("没有找到该组织（已删除的不算）")
    ownership.require_own_area(db, org.area_id)
    return org


def _not_future(day: date, today: date, what: str) -> None:
    if day > today:
        raise UserError(f"{what} {day.isoformat()} 晚于今天")


def _check_lengths(kind: str, record: object) -> None:
    found = text_limits.check_lengths(kind, record)
    if found:
        raise UserError("不能保存：" + "；".join(reason for _, reason in found), problems=found)


def _check_note(note: str) -> None:
    reason = text_limits.too_long("problem_step", "note", note)
    if reason:
        raise UserError(reason)


def record_visit(db: Database, visit: Visit, *, today: date | None = None) -> str:
    """Record a visit (走访记录); returns its id."""
    require(db, acl.EDIT_PROBLEMS)
    if visit.kind not in rules.VISIT_KIND_LABELS:
        raise UserError("走访方式应为：" + "、".join(rules.VISIT_KIND_LABELS.values()))
    _not_future(visit.visited_on, today or date.today(), "走访日期")
    _check_lengths("visit", visit)
    with transaction(db):
        _live_organization(db, visit.organization_id)
        return store.insert_visit(db, visit)


def visits_of(db: Database, organization_id: str) -> list[Visit]:
    """An organization's visits, newest first (its page)."""
    return store.visits_of(db, organization_id)


def add_problem(db: Database, problem: Problem, *, note: str = "",
                today: date | None = None) -> str:
    """Record a problem, accepted (已受理) on the day it was found; from a visit
    (`problem.visit_id`, its organization and date taken from it) or directly."""
    require(db, acl.EDIT_PROBLEMS)
    with transaction(db):
        if problem.visit_id:
            visit = store.get_visit(db, problem.visit_id)
            problem = dataclasses.replace(problem, organization_id=visit.organization_id,
                                          found_on=problem.found_on or visit.visited_on)
        found = rules.check_problem_fields(problem.found_on, problem.deadline, problem.category,
                                           problem.description, problem.responsible_unit)
        if found:
            raise UserError("问题不能保存：" + "；".join(found))
        _check_lengths("problem", problem)
        _check_note(note)
        _not_future(problem.found_on, today or date.today(), "发现日期")
        _live_organization(db, problem.organization_id)
        problem = dataclasses.replace(problem, status=rules.ACCEPTED, closed_on=None,
                                      outcome=None, evaluation=None, id=None)
        problem_id = store.insert_problem(db, problem)
        store.insert_step(db, ProblemStep(
            problem_id=problem_id, organization_id=problem.organization_id, seq=1,
            taken_on=problem.found_on, action="accept", status_after=rules.ACCEPTED,
            taken_by=current_operator(db), note=note.strip() or None))
    return problem_id


def find_organization(db: Database, key: str) -> str:
    """An organization's id from its 统一社会信用代码, its record id or its exact name."""
    from desktop.db import organizations
    from desktop.domain.registry import Organization
    from desktop.services import registry

    try:
        return registry.find(db, Organization, key).id
    except UserError:
        named = organizations.find_by_name(db, key.strip())
        if len(named) == 1:
            return named[0].id
        if named:
            raise UserError(f"有 {len(named)} 个名为“{key.strip()}”的组织，请用统一社会信用代码") from None
        raise


def resolve_id(db: Database, key: str) -> str:
    """A problem's id from its id or the start of it (at least 8 characters)."""
    key = key.strip()
    if store.get_problem(db, key) is not None:
        return key
    found = store.find_by_prefix(db, key) if len(key) >= 8 else []
    if len(found) == 1:
        return found[0]
    raise UserError(NO_SUCH_PROBLEM if not found else f"编号 {key} 对应多个问题，请写完整编号")


def advance(db: Database, problem_id: str, target: str, *, note: str = "",
            on: date | None = None, today: date | None = None) -> Problem:
    """Take the next step of a problem (`target`: a status, or a rating for a closed
    one) with its note; read, decided and written in one write transaction."""
    require(db, acl.EDIT_PROBLEMS)
    _check_note(note.strip())
    today = today or date.today()
    on = on or today
    with transaction(db):
        problem = store.get_problem(db, problem_id)
        if problem is None:
            raise UserError(NO_SUCH_PROBLEM)
        _live_organization(db, problem.organization_id)
        step = rules.next_step(problem.status, problem.evaluation, target)
        steps = store.steps_of(db, problem_id)
        rules.check_step_date(on, steps[-1].taken_on if steps else problem.found_on, today)
        store.insert_step(db, ProblemStep(
            problem_id=problem_id, organization_id=problem.organization_id,
            seq=(steps[-1].seq if steps else 0) + 1, taken_on=on, action=step.action,
            status_after=step.status_after, evaluation=step.evaluation,
            taken_by=current_operator(db), note=note.strip() or None))
        changed = _after(problem, step, on, note.strip())
        store.update_problem(db, changed)
    return changed


def _after(problem: Problem, step: rules.Step, on: date, note: str) -> Problem:
    """The problem as the step leaves it."""
    if step.action in ("resolve", "unresolve"):
        return dataclasses.replace(problem, status=step.status_after, closed_on=on,
                                   outcome=note or problem.outcome)
    if step.reopens:  # the rating and the report stay in the steps; the closure is undone
        return dataclasses.replace(problem, status=step.status_after, closed_on=None,
                                   outcome=None, evaluation=None)
    if step.action == "evaluate":
        return dataclasses.replace(problem, evaluation=step.evaluation)
    return dataclasses.replace(problem, status=step.status_after)


def import_problem(db: Database, problem: Problem, history: Sequence[tuple[date, rules.Step]],
                   *, outcome: str | None = None, note: str | None = None) -> str:
    """Record a problem that arrives already in some state (an import row): its
    steps `history` (rules.imported_history), each noted 导入, and the problem as
    those steps leave it, as `advance` would have. `outcome` (办理情况) is the
    report of its closure; on an open problem `note` goes on its latest step.
    Joins the caller's transaction (the whole workbook is one)."""
    require(db, acl.EDIT_PROBLEMS)
    if not history or history[0][1].action != "accept":
        raise UserError("导入的问题须从受理开始")
    outcome = (outcome or "").strip() or None
    problem = dataclasses.replace(problem, status=rules.ACCEPTED, closed_on=None, outcome=None,
                                  evaluation=None, id=records.new_id())
    for on, step in history[1:]:
        closes = step.action in ("resolve", "unresolve")
        problem = _after(problem, step, on, (outcome or "") if closes else "")
    with transaction(db):
        _live_organization(db, problem.organization_id)
        problem_id = store.insert_problem(db, problem)
        operator = current_operator(db)
        for seq, (on, step) in enumerate(history, start=1):
            closes = step.action in ("resolve", "unresolve")
            text = outcome if closes else (note if seq == len(history) else None)
            store.insert_step(db, ProblemStep(
                problem_id=problem_id, organization_id=problem.organization_id, seq=seq,
                taken_on=on, action=step.action, status_after=step.status_after,
                evaluation=step.evaluation, taken_by=operator,
                note=f"{rules.IMPORT_NOTE}：{text}" if text else rules.IMPORT_NOTE))
    return problem_id


def timeline(db: Database, problem_id: str) -> list[ProblemStep]:
    """A problem's steps, first (受理) to last."""
    if store.get_problem(db, problem_id) is None:
        raise UserError(NO_SUCH_PROBLEM)
    return store.steps_of(db, problem_id)


def responsible_units(db: Database) -> list[str]:
    """The units problems have been given to (the 问题清单's 责任单位 suggestions)."""
    return store.responsible_units(db)


def get_problem(db: Database, problem_id: str) -> Problem:
    problem = store.get_problem(db, problem_id)
    if problem is None:
        raise UserError(NO_SUCH_PROBLEM)
    return problem


def township_filter(db: Database, township: str) -> tuple[str, ...]:
    """The area ids a township filter stands for; UserError for an unknown name."""
    found = areas.township_area_ids(db, township.strip())
    if not found:
        raise UserError(f"没有名为“{township.strip()}”的乡镇（街道、园区）")
    return tuple(sorted(found))


def list_problems(db: Database, f: ProblemFilter = ProblemFilter(), *,
                  as_of: date | None = None, count: bool = True) -> Page:
    """One page of the 问题清单, soonest deadline first, overdue rows marked as of
    `as_of` (today by default); the total over all pages unless `count` is False."""
    as_of = f.as_of or as_of or date.today()
    f = dataclasses.replace(f, as_of=as_of)
    names = township_names(areas.list_areas(db))
    rows = tuple(ProblemRow(r.problem, r.organization_name, names.get(r.area_id, ""),
                            rules.days_overdue(r.problem.status, r.problem.deadline, as_of))
                 for r in store.list_problems(db, f))
    total = store.count_problems(db, f) if count else len(rows)
    return Page(rows=rows, total=total)


# ---------------------------------------------------------------- figures

@dataclass(frozen=True)
class ProblemStats:
    """The figures as of a date, by one grouping, and in total."""

    as_of: date
    rows: tuple[ProblemCounts, ...]
    total: ProblemCounts


GROUPINGS: dict[str, Callable[[dict, object], str]] = {
    "township": lambda names, r: names.get(r["area_id"], ""),
    "category": lambda names, r: rules.CATEGORY_LABELS.get(r["category"], r["category"]),
    "unit": lambda names, r: r["unit"],
}


def problem_stats(db: Database, as_of: date, by: str = "township") -> ProblemStats:
    """Found, open, overdue, resolved, unresolved, solve rate and satisfaction as
    of `as_of`, by township, category or unit (PROBLEMS.md, Statistics)."""
    if by not in GROUPINGS:
        raise UserError("统计分组应为：township、category 或 unit")
    names = township_names(areas.list_areas(db))
    groups: dict[str, list[ProblemState]] = {}
    everything: list[ProblemState] = []
    for r in store.state_groups(db, as_of):
        state = ProblemState(r["status"], bool(r["past"]), r["evaluation"], r["n"])
        groups.setdefault(GROUPINGS[by](names, r), []).append(state)
        everything.append(state)
    order = (_township_order(db) if by == "township" else
             {label: k for k, label in enumerate(rules.CATEGORY_LABELS.values())} if by == "category"
             else {})
    keys = sorted(groups, key=lambda k: (order.get(k, len(order)), k))
    return ProblemStats(as_of, tuple(rules.count(k, groups[k]) for k in keys),
                        rules.count(TOTAL_LABEL, everything))


def _township_order(db: Database) -> dict[str, int]:
    towns = areas.list_areas(db, ("township", "street", "zone"))
    return {a.name: k for k, a in enumerate(towns)}


def stats_as_json(stats: ProblemStats) -> dict:
    """`problem stats --json` (CLI.md)."""
    return {"as_of": stats.as_of.isoformat(),
            "townships": [r.to_json() for r in stats.rows],
            "total": stats.total.to_json()}
