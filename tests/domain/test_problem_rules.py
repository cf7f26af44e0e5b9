"""The closed loop's rules (PROBLEMS.md): every allowed and refused step, overdue
on the deadline day and the day after, the rates with a zero denominator."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain import problems as p
from desktop.errors import UserError

TARGETS = (*p.STATUS_LABELS, *p.EVALUATION_LABELS)
# (status, current rating) -> {target: (action, status after)} for every allowed step.
ALLOWED = {
    (p.ACCEPTED, None): {p.SUPERVISING: ("supervise", p.SUPERVISING),
                         p.RESOLVED: ("resolve", p.RESOLVED),
                         p.UNRESOLVED: ("unresolve", p.UNRESOLVED)},
    (p.SUPERVISING, None): {p.RESOLVED: ("resolve", p.RESOLVED),
                            p.UNRESOLVED: ("unresolve", p.UNRESOLVED)},
    **{(closed, None): {p.SATISFIED: ("evaluate", closed),
                        p.BASICALLY_SATISFIED: ("evaluate", closed),
                        p.DISSATISFIED: ("evaluate", p.SUPERVISING)}
       for closed in p.CLOSED_STATUSES},
    **{(closed, rating): {} for closed in p.CLOSED_STATUSES
       for rating in (p.SATISFIED, p.BASICALLY_SATISFIED)},
}
CASES = [(status, rating, target, ALLOWED[(status, rating)].get(target))
         for status, rating in ALLOWED for target in TARGETS]


@pytest.mark.parametrize("status, rating, target, expected", CASES)
def test_every_step(status, rating, target, expected):
    if expected is None:
        with pytest.raises(UserError):
            p.next_step(status, rating, target)
        return
    step = p.next_step(status, rating, target)
    assert (step.action, step.status_after) == expected
    assert step.evaluation == (target if target in p.EVALUATION_LABELS else None)


def test_the_refusals_say_why():
    with pytest.raises(UserError, match="步骤只能向前"):
        p.next_step(p.SUPERVISING, None, p.ACCEPTED)
    with pytest.raises(UserError, match="不满意才能重新督办"):
        p.next_step(p.RESOLVED, None, p.SUPERVISING)
    with pytest.raises(UserError, match="尚未办结，不能评价"):
        p.next_step(p.ACCEPTED, None, p.SATISFIED)
    with pytest.raises(UserError, match="已评价（满意）"):
        p.next_step(p.RESOLVED, p.SATISFIED, p.DISSATISFIED)
    with pytest.raises(UserError, match="已是督办中"):
        p.next_step(p.SUPERVISING, None, p.SUPERVISING)
    with pytest.raises(UserError, match="未知的目标状态"):
        p.next_step(p.ACCEPTED, None, "closed")


def test_dissatisfied_reopens():
    assert p.next_step(p.UNRESOLVED, None, p.DISSATISFIED).reopens
    assert not p.next_step(p.RESOLVED, None, p.SATISFIED).reopens


def test_labels_and_codes():
    assert p.code_of("督办中", p.STATUS_LABELS) == p.SUPERVISING
    assert p.code_of("resolved", p.STATUS_LABELS) == p.RESOLVED
    assert p.code_of("基本满意", p.EVALUATION_LABELS) == p.BASICALLY_SATISFIED
    assert p.code_of("关闭", p.STATUS_LABELS) is None


DEADLINE = date(2026, 6, 30)


@pytest.mark.parametrize("status", p.OPEN_STATUSES)
def test_overdue_from_the_day_after_the_deadline(status):
    assert not p.is_overdue(status, DEADLINE, date(2026, 6, 29))
    assert not p.is_overdue(status, DEADLINE, DEADLINE)
    assert p.is_overdue(status, DEADLINE, date(2026, 7, 1))
    assert p.days_overdue(status, DEADLINE, date(2026, 7, 1)) == 1
    assert p.days_overdue(status, DEADLINE, DEADLINE) == 0


@pytest.mark.parametrize("status", p.CLOSED_STATUSES)
def test_a_closed_problem_is_never_overdue(status):
    assert not p.is_overdue(status, DEADLINE, date(2027, 1, 1))
    assert p.days_overdue(status, DEADLINE, date(2027, 1, 1)) == 0


def test_step_dates():
    p.check_step_date(date(2026, 5, 1), date(2026, 5, 1), date(2026, 5, 1))
    with pytest.raises(UserError, match="早于上一步骤"):
        p.check_step_date(date(2026, 4, 30), date(2026, 5, 1), date(2026, 6, 1))
    with pytest.raises(UserError, match="晚于今天"):
        p.check_step_date(date(2026, 6, 2), date(2026, 5, 1), date(2026, 6, 1))


def test_solve_rate_and_satisfaction():
    assert p.solve_rate(0, 0) == "—"
    assert p.solve_rate(202, 0) == "100.0%"
    assert p.solve_rate(202, 9) == "95.7%"  # 95.73
    assert p.solve_rate(1, 7) == "12.5%"  # half-up at the boundary
    assert p.satisfaction_rate(0, 0, 0) == "—"
    assert p.satisfaction_rate(1, 1, 3) == "66.7%"


def test_count_as_of():
    states = [p.ProblemState(p.ACCEPTED, True, weight=2), p.ProblemState(p.SUPERVISING, False),
              p.ProblemState(p.RESOLVED, True, p.SATISFIED),
              p.ProblemState(p.UNRESOLVED, True, p.BASICALLY_SATISFIED),
              p.ProblemState(p.SUPERVISING, True, p.DISSATISFIED)]
    c = p.count("城关镇", states)
    assert (c.found, c.open, c.overdue, c.resolved, c.unresolved, c.evaluated) == (6, 4, 3, 1, 1, 3)
    assert c.solve_rate == "50.0%" and c.satisfaction_rate == "66.7%"
    assert c.to_json() == {"township": "城关镇", "found": 6, "open": 4, "overdue": 3,
                           "resolved": 1, "unresolved": 1, "solve_rate": "50.0%",
                           "evaluated": 3, "satisfaction_rate": "66.7%"}
    empty = p.count("合计", [])
    assert empty.solve_rate == empty.satisfaction_rate == "—"


def test_problem_fields():
    assert p.check_problem_fields(date(2026, 5, 1), date(2026, 5, 1), "financing", "贷款难", "县金融办") == []
    found = p.check_problem_fields(date(2026, 5, 2), date(2026, 5, 1), "贷款", " ", "")
    assert found == ["办结时限不能早于发现日期", "问题类别应为：招聘用工、政策兑现、融资、用地与审批、权益保障、党建工作、其他",
                     "请填写问题描述", "请填写责任单位"]
