"""The steps a problem may take next, as the advance dialog offers them: exactly
those next_step accepts, never a second copy of the rules."""

from __future__ import annotations

import pytest

from desktop.domain import problems as rules


@pytest.mark.parametrize("status", list(rules.STATUS_LABELS))
@pytest.mark.parametrize("evaluation", [None, rules.SATISFIED])
def test_allowed_targets_are_exactly_the_steps_next_step_accepts(status, evaluation):
    offered = rules.allowed_targets(status, evaluation)
    for target in (*rules.STATUS_LABELS, *rules.EVALUATION_LABELS):
        if target in offered:
            rules.next_step(status, evaluation, target)
        else:
            with pytest.raises(Exception):
                rules.next_step(status, evaluation, target)


def test_what_each_state_offers_in_the_loops_words():
    labels = lambda s, e=None: [rules.target_label(t) for t in rules.allowed_targets(s, e)]  # noqa: E731
    assert labels(rules.ACCEPTED) == ["督导督办：督办中", "跟踪问效：已办结", "跟踪问效：未能解决"]
    assert labels(rules.SUPERVISING) == ["跟踪问效：已办结", "跟踪问效：未能解决"]
    assert labels(rules.UNRESOLVED) == ["反馈评价：满意", "反馈评价：基本满意",
                                        "反馈评价：不满意（重新督办）"]
    assert labels(rules.RESOLVED, rules.BASICALLY_SATISFIED) == []
