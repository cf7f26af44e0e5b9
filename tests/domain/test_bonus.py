"""Year-end bonus by grade, minimum days and proration (POLICY.md §4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from desktop.domain.bonus import BonusResult, bonus_line
from desktop.domain.subsidy import PostingSpan, default_policy

P2026 = default_policy(2026)
WHOLE_2026 = [PostingSpan(date(2025, 6, 1))]


def span(a: str, b: str | None = None) -> PostingSpan:
    return PostingSpan(date.fromisoformat(a), date.fromisoformat(b) if b else None)


@pytest.mark.parametrize(
    "grade, amount, rule",
    [
        ("excellent", 1000000, "优秀 全额"),
        ("good", 500000, "良好 全额"),
        ("competent", 300000, "称职 全额"),
        ("incompetent", 0, "不称职 无绩效补贴"),
    ],
)
def test_each_grade_pays_its_amount(grade, amount, rule):
    assert bonus_line(WHOLE_2026, 2026, grade, P2026) == BonusResult(
        amount, grade, 365, 365, rule, ""
    )


def test_missing_grade_pays_nothing_as_ungraded():
    result = bonus_line(WHOLE_2026, 2026, None, P2026)
    assert (result.amount_fen, result.grade, result.note) == (0, None, "未考核")


def test_minimum_days_not_reached():
    policy = replace(P2026, bonus_min_posted_days=100)
    result = bonus_line([span("2026-09-24", "2026-12-31")], 2026, "good", policy)  # 99 days
    assert (result.amount_fen, result.posted_days) == (0, 99)
    assert result.note == "驻企天数99天，不足100天"


def test_minimum_days_exactly_reached_pays():
    policy = replace(P2026, bonus_min_posted_days=100)
    result = bonus_line([span("2026-09-23", "2026-12-31")], 2026, "good", policy)
    assert (result.amount_fen, result.posted_days, result.note) == (500000, 100, "")


def test_without_proration_a_short_posting_gets_the_full_amount():
    assert bonus_line([span("2026-12-31")], 2026, "excellent", P2026).amount_fen == 1000000


def test_prorated_bonus_common_year():
    policy = replace(P2026, prorate_bonus=True)
    result = bonus_line([span("2026-07-02", "2026-12-31")], 2026, "excellent", policy)
    # 10000.00 × 183 / 365 = 5013.698… → 5013.70
    assert (result.amount_fen, result.posted_days, result.days_in_year) == (501370, 183, 365)
    assert result.rule == "优秀 按日折算 183/365"


def test_prorated_bonus_leap_year_has_366_days():
    policy = replace(default_policy(2028), prorate_bonus=True)
    result = bonus_line([span("2028-07-02", "2028-12-31")], 2028, "excellent", policy)
    assert (result.amount_fen, result.posted_days, result.days_in_year) == (500000, 183, 366)


def test_prorated_bonus_rounds_per_fen():
    policy = replace(P2026, prorate_bonus=True)
    # 5000.00 × 100 / 365 = 1369.863… → 1369.86
    assert bonus_line([span("2026-09-23", "2026-12-31")], 2026, "good", policy).amount_fen == 136986


def test_prorated_bonus_full_year_is_full_amount():
    policy = replace(P2026, prorate_bonus=True)
    result = bonus_line(WHOLE_2026, 2026, "competent", policy)
    assert (result.amount_fen, result.rule) == (300000, "称职 全额")


def test_postings_crossing_year_ends_and_overlapping_count_once():
    policy = replace(P2026, prorate_bonus=True)
    spans = [span("2025-10-01", "2026-03-31"), span("2026-03-01", "2026-04-30"),
             span("2026-12-01", "2027-02-01")]
    result = bonus_line(spans, 2026, "excellent", policy)
    assert result.posted_days == 120 + 31  # Jan–Apr 2026 + December
    assert result.amount_fen == 413699  # 10000.00 × 151 / 365 = 4136.986…


def test_minimum_checked_before_proration():
    policy = replace(P2026, prorate_bonus=True, bonus_min_posted_days=30)
    assert bonus_line([span("2026-12-03")], 2026, "excellent", policy).amount_fen == 0
    assert bonus_line([span("2026-12-02")], 2026, "excellent", policy).amount_fen == 82192


def test_no_posting_in_year_with_minimum():
    policy = replace(P2026, bonus_min_posted_days=1)
    result = bonus_line([span("2025-01-01", "2025-12-31")], 2026, "good", policy)
    assert (result.amount_fen, result.note) == (0, "全年无派驻记录")


@pytest.mark.parametrize("spans", [[], [span("2025-01-01", "2025-12-31")]])
def test_graded_without_a_posted_day_pays_nothing_with_the_reason(spans):
    """POLICY.md §4: a grade but no posted day in the year → 0 with 全年无派驻记录,
    even with no minimum of days (which used to pay the full bonus)."""
    result = bonus_line(spans, 2026, "excellent", P2026)
    assert (result.amount_fen, result.posted_days, result.grade) == (0, 0, "excellent")
    assert (result.rule, result.note) == ("优秀 全年无派驻记录", "全年无派驻记录")


def test_already_paid_bonus_is_not_paid_again():
    result = bonus_line(WHOLE_2026, 2026, "excellent", P2026, already_paid=True)
    assert (result.amount_fen, result.note, result.rule) == (0, "已发放", "优秀 全额")


def test_policy_of_another_year_is_refused():
    with pytest.raises(ValueError):
        bonus_line(WHOLE_2026, 2026, "good", default_policy(2025))


def test_unknown_grade_is_refused():
    with pytest.raises(ValueError):
        bonus_line(WHOLE_2026, 2026, "优秀", P2026)


def test_invalid_policy_is_refused():
    with pytest.raises(ValueError):
        bonus_line(WHOLE_2026, 2026, "good", replace(P2026, bonus_min_posted_days=-3))
