"""Problems found at organizations, tracked to closure (PROBLEMS.md): the closed
loop 发现受理 → 督导督办 → 跟踪问效 → 反馈评价, which step may follow which,
overdue, and the figures (solve rate, satisfaction). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from desktop.domain.coverage import format_rate
from desktop.errors import UserError

ACCEPTED, SUPERVISING, RESOLVED, UNRESOLVED = "accepted", "supervising", "resolved", "unresolved"
STATUS_LABELS = {ACCEPTED: "已受理", SUPERVISING: "督办中", RESOLVED: "已办结", UNRESOLVED: "未能解决"}
OPEN_STATUSES = (ACCEPTED, SUPERVISING)
CLOSED_STATUSES = (RESOLVED, UNRESOLVED)

SATISFIED, BASICALLY_SATISFIED, DISSATISFIED = "satisfied", "basically_satisfied", "dissatisfied"
EVALUATION_LABELS = {SATISFIED: "满意", BASICALLY_SATISFIED: "基本满意", DISSATISFIED: "不满意"}
EVALUATED_LABEL = "已评价"

CATEGORY_LABELS = {
    "recruitment": "招聘用工", "policy_payment": "政策兑现", "financing": "融资",
    "land_approval": "用地与审批", "rights": "权益保障", "party_building": "党建工作",
    "other": "其他",
}
VISIT_KIND_LABELS = {"visit": "走访", "meeting": "座谈", "phone": "电话", "walk_in": "企业来访"}

# The loop's four stages (the bulletin's words) and the statuses in each.
STAGE_LABELS = {ACCEPTED: "发现受理", SUPERVISING: "督导督办", RESOLVED: "跟踪问效",
                UNRESOLVED: "跟踪问效"}
EVALUATION_STAGE = "反馈评价"

ACTION_BY_TARGET = {SUPERVISING: "supervise", RESOLVED: "resolve", UNRESOLVED: "unresolve"}
ACTION_LABELS = {"accept": "受理", "supervise": "督办", "resolve": "办结", "unresolve": "未能解决",
                 "evaluate": "评价"}
# Which status may follow which: steps only move forward.
FORWARD = {ACCEPTED: (SUPERVISING, RESOLVED, UNRESOLVED), SUPERVISING: (RESOLVED, UNRESOLVED),
           RESOLVED: (), UNRESOLVED: ()}


@dataclass(frozen=True)
class Step:
    """What a step does: its action, the status after it, the rating it gives."""

    action: str
    status_after: str
    evaluation: str | None = None

    @property
    def reopens(self) -> bool:
        return self.evaluation == DISSATISFIED


def code_of(text: str, labels: dict[str, str]) -> str | None:
    """The code for a code or its Chinese label (CLI and sheets accept both)."""
    text = (text or "").strip()
    if text in labels:
        return text
    return next((code for code, label in labels.items() if label == text), None)


def next_step(status: str, evaluation: str | None, target: str) -> Step:
    """The step that takes a problem in `status` (with its current rating
    `evaluation`) to `target`: a status, or a rating for a closed problem.
    Refuses (UserError) every step PROBLEMS.md does not allow."""
    if status not in STATUS_LABELS:
        raise UserError(f"未知的问题状态：{status}")
    now = STATUS_LABELS[status]
    if target in EVALUATION_LABELS:
        if status not in CLOSED_STATUSES:
            raise UserError(f"问题{now}，尚未办结，不能评价（办结或未能解决后才能反馈评价）")
        if evaluation is not None:
            raise UserError(f"问题已评价（{EVALUATION_LABELS.get(evaluation, evaluation)}），不能再次评价")
        after = SUPERVISING if target == DISSATISFIED else status
        return Step("evaluate", after, target)
    if target not in STATUS_LABELS:
        raise UserError(f"未知的目标状态：{target}")
    if target == status:
        raise UserError(f"问题已是{now}")
    if target not in FORWARD[status]:
        why = "（评价为不满意才能重新督办）" if status in CLOSED_STATUSES else ""
        raise UserError(f"问题{now}，不能退回或改为{STATUS_LABELS[target]}：步骤只能向前{why}")
    return Step(ACTION_BY_TARGET[target], target)


def allowed_targets(status: str, evaluation: str | None) -> tuple[str, ...]:
    """Every target `next_step` accepts from here, in the loop's order (what the
    advance dialog offers); empty for a closed, rated problem."""
    found = []
    for target in (*STATUS_LABELS, *EVALUATION_LABELS):
        try:
            next_step(status, evaluation, target)
        except UserError:
            continue
        found.append(target)
    return tuple(found)


def target_label(target: str) -> str:
    """How a step to `target` is offered: 督导督办：督办中, 反馈评价：不满意（重新督办）."""
    if target in EVALUATION_LABELS:
        again = "（重新督办）" if target == DISSATISFIED else ""
        return f"{EVALUATION_STAGE}：{EVALUATION_LABELS[target]}{again}"
    return f"{STAGE_LABELS[target]}：{STATUS_LABELS[target]}"


def check_step_date(taken_on: date, last_step_on: date, today: date) -> None:
    """A step happens on or after the one before it, and not in the future."""
    if taken_on < last_step_on:
        raise UserError(f"办理日期 {taken_on.isoformat()} 早于上一步骤的日期 {last_step_on.isoformat()}")
    if taken_on > today:
        raise UserError(f"办理日期 {taken_on.isoformat()} 晚于今天")


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def is_overdue(status: str, deadline: date, as_of: date) -> bool:
    """Open past its deadline: not on the deadline day, from the day after."""
    return is_open(status) and as_of > deadline


def days_overdue(status: str, deadline: date, as_of: date) -> int:
    """How many days past the deadline an open problem is (0 when not overdue)."""
    return (as_of - deadline).days if is_overdue(status, deadline, as_of) else 0


def solve_rate(resolved: int, unresolved: int) -> str:
    """办结率 = resolved ÷ (resolved + unresolved), '—' when none is closed."""
    return format_rate(resolved, resolved + unresolved)


def satisfaction_rate(satisfied: int, basically_satisfied: int, evaluated: int) -> str:
    """(满意 + 基本满意) ÷ evaluated, '—' when none is evaluated."""
    return format_rate(satisfied + basically_satisfied, evaluated)


def check_problem_fields(found_on: date | None, deadline: date | None, category: str,
                         description: str, responsible_unit: str) -> list[str]:
    """Chinese reasons a new problem cannot be recorded (empty when it can)."""
    problems = []
    if found_on is None:
        problems.append("请填写发现日期")
    if deadline is None:
        problems.append("请填写办结时限")
    elif found_on is not None and deadline < found_on:
        problems.append("办结时限不能早于发现日期")
    if category not in CATEGORY_LABELS:
        problems.append("问题类别应为：" + "、".join(CATEGORY_LABELS.values()))
    if not (description or "").strip():
        problems.append("请填写问题描述")
    if not (responsible_unit or "").strip():
        problems.append("请填写责任单位")
    return problems


# ---------------------------------------------------------------- imported

IMPORT_NOTE = "导入"
NOT_CLOSED_NO_RATING = "只有已办结或未能解决的问题才能评价"


def check_imported_state(status: str, evaluation: str | None, found_on: date | None,
                         closed_on: date | None, today: date) -> list[tuple[str, str]]:
    """(field, Chinese reason) for a problem arriving in `status` (an import row)
    that the loop cannot have produced. 不满意 reopens a problem (back to 督办中), so
    a row rated 不满意 must say 督办中 and keep the 办结日期 of the closure it rejects."""
    problems = []
    reopened = status == SUPERVISING and evaluation == DISSATISFIED
    closed = status in CLOSED_STATUSES
    if found_on is not None and found_on > today:
        problems.append(("found_on", f"发现日期 {found_on.isoformat()} 晚于今天"))
    if (closed or reopened) and closed_on is None:
        problems.append(("closed_on", f"{STATUS_LABELS[status]}的问题须填写办结日期"
                         if closed else "评价为不满意、重新督办的问题须填写被评价那次的办结日期"))
    elif not (closed or reopened) and closed_on is not None:
        problems.append(("closed_on", f"问题尚未办结（{STATUS_LABELS[status]}），不应填写办结日期"))
    elif closed_on is not None and closed_on > today:
        problems.append(("closed_on", f"办结日期 {closed_on.isoformat()} 晚于今天"))
    if evaluation is not None and not (closed or reopened):
        problems.append(("evaluation", NOT_CLOSED_NO_RATING))
    elif closed and evaluation == DISSATISFIED:
        problems.append(("evaluation", "评价为不满意的问题要重新督办：状态请填“督办中”，"
                                       "办结日期保留被评价那次的日期"))
    return problems


def imported_history(status: str, evaluation: str | None, found_on: date,
                     closed_on: date | None) -> list[tuple[date, Step]]:
    """The steps, each with its date, that take a problem found on `found_on` to
    `status` and `evaluation` as the loop allows (next_step decides each one):
    受理 on the day found; 督办 that day for 督办中; the report back (and its
    rating) on `closed_on`; for 督办中 rated 不满意, the rejected report and the
    rating on `closed_on`. Raises UserError for a state check_imported_state refuses."""
    history = [(found_on, Step("accept", ACCEPTED))]

    def take(on: date, target: str) -> None:
        now = history[-1][1]
        rating = now.evaluation if now.action == "evaluate" and not now.reopens else None
        history.append((on, next_step(now.status_after, rating, target)))

    reopened = status == SUPERVISING and evaluation == DISSATISFIED
    if (status in CLOSED_STATUSES or reopened) and closed_on is None:
        raise UserError("办结的问题须有办结日期")
    if reopened:
        take(closed_on, RESOLVED)
        take(closed_on, DISSATISFIED)
    elif status == SUPERVISING:
        take(found_on, SUPERVISING)
    elif status in CLOSED_STATUSES:
        take(closed_on, status)
        if evaluation is not None:
            take(closed_on, evaluation)
    elif evaluation is not None:
        raise UserError(NOT_CLOSED_NO_RATING)
    return history


# ---------------------------------------------------------------- figures

JSON_KEYS = ("township", "found", "open", "overdue", "resolved", "unresolved", "solve_rate",
             "evaluated", "satisfaction_rate")


@dataclass(frozen=True)
class ProblemCounts:
    """The figures of one group of problems as of a date (PROBLEMS.md, Statistics)."""

    name: str
    found: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    unresolved: int = 0
    evaluated: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0

    @property
    def solve_rate(self) -> str:
        return solve_rate(self.resolved, self.unresolved)

    @property
    def satisfaction_rate(self) -> str:
        return satisfaction_rate(self.satisfied, self.basically_satisfied, self.evaluated)

    def to_json(self, name_key: str = "township") -> dict:
        """The CLI.md shape of `problem stats --json` (rates as printed)."""
        return {name_key: self.name, **{k: getattr(self, k) for k in JSON_KEYS[1:]}}


@dataclass(frozen=True)
class ProblemState:
    """A group of `weight` problems alike as of a date: their status and latest
    rating then, and whether that date is past their deadline."""

    status: str
    past_deadline: bool
    evaluation: str | None = None
    weight: int = 1


def count(name: str, states: Iterable[ProblemState]) -> ProblemCounts:
    """The figures of `states` (problems found on or before the date, in their state then)."""
    totals = dict.fromkeys(("found", "open", "overdue", "resolved", "unresolved", "evaluated",
                            "satisfied", "basically_satisfied"), 0)
    for s in states:
        n = s.weight
        totals["found"] += n
        totals["open"] += n * is_open(s.status)
        totals["overdue"] += n * (is_open(s.status) and s.past_deadline)
        totals["resolved"] += n * (s.status == RESOLVED)
        totals["unresolved"] += n * (s.status == UNRESOLVED)
        if s.evaluation is not None:
            totals["evaluated"] += n
            totals["satisfied"] += n * (s.evaluation == SATISFIED)
            totals["basically_satisfied"] += n * (s.evaluation == BASICALLY_SATISFIED)
    return ProblemCounts(name, **totals)


# ---------------------------------------------------------------- records

@dataclass(frozen=True)
class Visit:
    """走访记录: a visit, talk or call at an organization."""

    organization_id: str
    visited_on: date
    kind: str = "visit"
    instructor_id: str | None = None
    officer_id: str | None = None
    findings: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Problem:
    """问题: found at an organization, with who must solve it and by when."""

    organization_id: str
    found_on: date
    category: str
    description: str
    responsible_unit: str
    deadline: date
    responsible_person: str | None = None
    visit_id: str | None = None
    status: str = ACCEPTED
    closed_on: date | None = None
    outcome: str | None = None
    evaluation: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ProblemStep:
    """One step of a problem's timeline."""

    problem_id: str
    organization_id: str
    seq: int
    taken_on: date
    action: str
    status_after: str
    taken_by: str
    evaluation: str | None = None
    note: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class ProblemFilter:
    """What the 问题清单 is filtered by; None means any. `overdue` needs `as_of`."""

    area_ids: tuple[str, ...] | None = None
    organization_id: str | None = None
    category: str | None = None
    responsible_unit: str | None = None
    status: str | None = None
    open_only: bool = False  # 已受理 or 督办中: what still needs doing
    overdue: bool = False
    as_of: date | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    search: str = ""  # anywhere in the description, organization, unit or person
    offset: int = 0
    limit: int = 200
