"""A problem arriving in some state (an import row): which states the loop can have
produced, and the steps that lead there, each one a step next_step allows."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain import problems as rules
from desktop.errors import UserError

FOUND, CLOSED, TODAY = date(2025, 3, 1), date(2025, 3, 20), date(2025, 12, 1)


def steps(status, evaluation=None, closed=None):
    return [(on.isoformat(), s.action, s.status_after, s.evaluation)
            for on, s in rules.imported_history(status, evaluation, FOUND, closed)]


def test_each_state_has_the_steps_the_loop_takes():
    accept = ("2025-03-01", "accept", "accepted", None)
    assert steps(rules.ACCEPTED) == [accept]
    assert steps(rules.SUPERVISING) == [accept, ("2025-03-01", "supervise", "supervising", None)]
    assert steps(rules.RESOLVED, closed=CLOSED) == [accept, ("2025-03-20", "resolve", "resolved", None)]
    assert steps(rules.UNRESOLVED, rules.SATISFIED, CLOSED) == [
        accept, ("2025-03-20", "unresolve", "unresolved", None),
        ("2025-03-20", "evaluate", "unresolved", "satisfied")]
    # 不满意 reopens: the report it rejects, then the rating, back to 督办中.
    assert steps(rules.SUPERVISING, rules.DISSATISFIED, CLOSED) == [
        accept, ("2025-03-20", "resolve", "resolved", None),
        ("2025-03-20", "evaluate", "supervising", "dissatisfied")]


@pytest.mark.parametrize("status, evaluation, closed", [
    (rules.RESOLVED, None, None), (rules.ACCEPTED, rules.SATISFIED, None),
    (rules.SUPERVISING, rules.DISSATISFIED, None)])
def test_states_the_loop_cannot_reach_are_refused(status, evaluation, closed):
    with pytest.raises(UserError):
        rules.imported_history(status, evaluation, FOUND, closed)


def check(status, evaluation=None, closed=None, found=FOUND):
    return rules.check_imported_state(status, evaluation, found, closed, TODAY)


def test_what_an_import_row_may_say():
    assert check(rules.ACCEPTED) == [] and check(rules.SUPERVISING) == []
    assert check(rules.RESOLVED, rules.BASICALLY_SATISFIED, CLOSED) == []
    assert check(rules.SUPERVISING, rules.DISSATISFIED, CLOSED) == []
    assert check(rules.RESOLVED) == [("closed_on", "已办结的问题须填写办结日期")]
    assert check(rules.UNRESOLVED) == [("closed_on", "未能解决的问题须填写办结日期")]
    assert check(rules.ACCEPTED, closed=CLOSED) == [
        ("closed_on", "问题尚未办结（已受理），不应填写办结日期")]
    assert check(rules.RESOLVED, closed=date(2025, 12, 2)) == [
        ("closed_on", "办结日期 2025-12-02 晚于今天")]
    assert check(rules.RESOLVED, closed=TODAY) == []  # today is not the future
    assert check(rules.ACCEPTED, found=date(2025, 12, 2)) == [
        ("found_on", "发现日期 2025-12-02 晚于今天")]
    assert check(rules.SUPERVISING, rules.SATISFIED) == [("evaluation", rules.NOT_CLOSED_NO_RATING)]
    assert check(rules.SUPERVISING, rules.DISSATISFIED) == [
        ("closed_on", "评价为不满意、重新督办的问题须填写被评价那次的办结日期")]
    reason, = check(rules.RESOLVED, rules.DISSATISFIED, CLOSED)
    assert reason[0] == "evaluation" and "督办中" in reason[1]
