"""Policy checks, grades and posted days (POLICY.md §2, §3.1)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.subsidy import (
    GRADE_LABELS,
    GRADES,
    PostingSpan,
    SubsidyPolicy,
    check_months,
    check_policy,
    days_in_month,
    days_in_year,
    default_policy,
    merge_spans,
    month_key,
    posted_days_by_month,
    posted_days_in_year,
)

Q2 = [(2026, 4), (2026, 5), (2026, 6)]


def span(a: str, b: str | None = None) -> PostingSpan:
    return PostingSpan(date.fromisoformat(a), date.fromisoformat(b) if b else None)


def test_default_policy_matches_policy_table():
    p = default_policy(2026)
    assert p.year == 2026
    assert p.monthly_stipend_fen == 200000
    assert dict(p.bonus_fen) == {
        "excellent": 1000000, "good": 500000, "competent": 300000, "incompetent": 0,
    }
    assert (p.proration, p.bonus_min_posted_days, p.prorate_bonus) == ("daily", 0, False)
    assert check_policy(p) is None


def test_grades_and_labels_follow_glossary():
    assert GRADES == ("excellent", "good", "competent", "incompetent")
    assert [GRADE_LABELS[g] for g in GRADES] == ["优秀", "良好", "称职", "不称职"]


def test_policy_copies_bonus_dict():
    amounts = {"excellent": 1, "good": 2, "competent": 3, "incompetent": 0}
    p = SubsidyPolicy(year=2026, bonus_fen=amounts)
    amounts["excellent"] = 999
    assert p.bonus_fen["excellent"] == 1


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"monthly_stipend_fen": -1}, "负数"),
        ({"monthly_stipend_fen": True}, "负数"),
        ({"bonus_fen": {"excellent": -5, "good": 0, "competent": 0, "incompetent": 0}}, "优秀"),
        ({"bonus_fen": {"excellent": 1, "good": 0}}, "四个等次"),
        ({"proration": "weekly"}, "折算方式"),
        ({"bonus_min_posted_days": -1}, "最低驻企天数"),
        ({"bonus_min_posted_days": 400}, "最低驻企天数"),
        ({"prorate_bonus": "yes"}, "折算"),
        ({"year": 1900}, "年度"),
    ],
)
def test_check_policy_refuses_bad_values_in_chinese(changes, fragment):
    reason = check_policy(replace(default_policy(2026), **changes))
    assert reason is not None and fragment in reason


def test_check_policy_accepts_half_month_and_zero_amounts():
    p = replace(default_policy(2026), proration="half_month", monthly_stipend_fen=0)
    assert check_policy(p) is None


def test_posting_must_not_end_before_it_starts():
    with pytest.raises(ValueError):
        span("2026-05-02", "2026-05-01")


def test_month_helpers():
    assert month_key((2026, 4)) == "2026-04"
    assert days_in_month((2028, 2)) == 29
    assert days_in_month((2026, 2)) == 28
    assert days_in_month((2026, 12)) == 31
    assert (days_in_year(2026), days_in_year(2028), days_in_year(2100)) == (365, 366, 365)


def test_posted_days_worked_example():
    days = posted_days_by_month([span("2026-03-10", "2026-05-20")], [(2026, 3)] + Q2)
    assert days == {(2026, 3): 22, (2026, 4): 30, (2026, 5): 20, (2026, 6): 0}


def test_overlapping_postings_count_each_day_once():
    spans = [span("2026-04-01", "2026-04-20"), span("2026-04-10", "2026-04-30")]
    assert posted_days_by_month(spans, Q2)[(2026, 4)] == 30


def test_adjacent_postings_join_without_double_counting():
    spans = [span("2026-04-01", "2026-04-15"), span("2026-04-16", "2026-05-10")]
    days = posted_days_by_month(spans, Q2)
    assert (days[(2026, 4)], days[(2026, 5)]) == (30, 10)
    assert merge_spans(spans) == [(date(2026, 4, 1), date(2026, 5, 10))]


def test_contained_posting_and_open_posting():
    spans = [span("2026-01-01"), span("2026-04-03", "2026-04-05")]
    assert posted_days_by_month(spans, Q2) == {(2026, 4): 30, (2026, 5): 31, (2026, 6): 30}


def test_gap_between_postings_is_not_posted():
    spans = [span("2026-04-01", "2026-04-10"), span("2026-04-21", "2026-04-30")]
    assert posted_days_by_month(spans, [(2026, 4)]) == {(2026, 4): 20}


def test_single_day_posting():
    assert posted_days_by_month([span("2026-05-31", "2026-05-31")], Q2)[(2026, 5)] == 1


def test_posting_crossing_year_end():
    spans = [span("2025-12-20", "2026-01-05")]
    assert posted_days_by_month(spans, [(2025, 12), (2026, 1)]) == {(2025, 12): 12, (2026, 1): 5}
    assert posted_days_in_year(spans, 2025) == 12
    assert posted_days_in_year(spans, 2026) == 5


def test_posted_days_in_year_leap_and_open():
    assert posted_days_in_year([span("2020-06-01")], 2028) == 366
    assert posted_days_in_year([span("2028-02-28", "2028-03-01")], 2028) == 3
    assert posted_days_in_year([], 2028) == 0


def test_check_months_sorts_and_refuses_other_years():
    assert check_months([(2026, 6), (2026, 4)], 2026) == [(2026, 4), (2026, 6)]
    for bad in ([], [(2026, 4), (2026, 4)], [(2025, 12)], [(2026, 13)]):
        with pytest.raises(ValueError):
            check_months(bad, 2026)


DAY0 = date(2025, 11, 1)
spans_strategy = st.lists(
    st.tuples(st.integers(0, 500), st.one_of(st.none(), st.integers(0, 120))).map(
        lambda t: PostingSpan(DAY0 + timedelta(t[0]),
                              None if t[1] is None else DAY0 + timedelta(t[0] + t[1]))
    ),
    max_size=6,
)
YEAR_2026 = [(2026, m) for m in range(1, 13)]


def _naive_days(spans: list[PostingSpan], month: tuple[int, int]) -> int:
    first = date(month[0], month[1], 1)
    days = {first + timedelta(i) for i in range(days_in_month(month))}
    return sum(1 for d in days if any(s.start <= d <= s.last_day for s in spans))


@settings(max_examples=200, deadline=None)
@given(spans_strategy, st.randoms(use_true_random=False))
def test_union_is_order_independent_and_matches_day_by_day(spans, rnd: random.Random):
    days = posted_days_by_month(spans, YEAR_2026)
    shuffled = list(spans)
    rnd.shuffle(shuffled)
    assert posted_days_by_month(shuffled, YEAR_2026) == days
    assert sum(days.values()) == posted_days_in_year(spans, 2026)
    for month in ((2026, 1), (2026, 2), (2026, 7)):
        assert days[month] == _naive_days(spans, month)
