"""Stipend per period, to the fen (POLICY.md §3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.stipend import MonthLine, month_amount, stipend_line
from desktop.domain.subsidy import PostingSpan, default_policy

DAILY = default_policy(2026)
HALF = replace(DAILY, proration="half_month")
Q1 = [(2026, 1), (2026, 2), (2026, 3)]
Q2 = [(2026, 4), (2026, 5), (2026, 6)]
EXAMPLE = [PostingSpan(date(2026, 3, 10), date(2026, 5, 20))]


def span(a: str, b: str | None = None) -> PostingSpan:
    return PostingSpan(date.fromisoformat(a), date.fromisoformat(b) if b else None)


def test_worked_example_q2():
    result = stipend_line(EXAMPLE, Q2, DAILY)
    assert result.months == (
        MonthLine("2026-04", 30, 30, 200000, "全月", ""),
        MonthLine("2026-05", 20, 31, 129032, "按日折算 20/31", ""),
        MonthLine("2026-06", 0, 30, 0, "未派驻", ""),
    )
    assert result.amount_fen == 329032
    assert result.posted_days == 50
    assert result.note == ""


def test_worked_example_march_alone():
    result = stipend_line(EXAMPLE, [(2026, 3)], DAILY)
    assert result.amount_fen == 141935
    assert result.months[0].rule == "按日折算 22/31"


def test_worked_example_whole_year_is_sum_of_months():
    result = stipend_line(EXAMPLE, [(2026, m) for m in range(1, 13)], DAILY)
    assert result.amount_fen == 141935 + 200000 + 129032


def test_months_come_out_in_calendar_order():
    result = stipend_line(EXAMPLE, list(reversed(Q2)), DAILY)
    assert [m.month for m in result.months] == ["2026-04", "2026-05", "2026-06"]


@pytest.mark.parametrize(
    "posted, days, expected",
    [
        (31, 31, (200000, "全月")),
        (30, 30, (200000, "全月")),
        (0, 31, (0, "未派驻")),
        (1, 31, (6452, "按日折算 1/31")),  # 6451.61
        (30, 31, (193548, "按日折算 30/31")),  # 193548.39
        (15, 29, (103448, "按日折算 15/29")),  # 103448.28
        (15, 28, (107143, "按日折算 15/28")),  # 107142.86
    ],
)
def test_daily_month_amount(posted, days, expected):
    assert month_amount(posted, days, DAILY) == expected


def test_daily_rounds_exact_half_up():
    assert month_amount(15, 30, replace(DAILY, monthly_stipend_fen=100001))[0] == 50001


@pytest.mark.parametrize(
    "posted, days, expected",
    [
        (0, 30, (0, "未派驻")),
        (1, 30, (100000, "半月 1–14天 半额")),
        (14, 31, (100000, "半月 1–14天 半额")),
        (15, 31, (200000, "半月 ≥15天 全额")),
        (28, 29, (200000, "半月 ≥15天 全额")),
        (28, 28, (200000, "全月")),
    ],
)
def test_half_month_boundaries(posted, days, expected):
    assert month_amount(posted, days, HALF) == expected


def test_half_month_of_odd_amount_rounds_half_up():
    assert month_amount(3, 30, replace(HALF, monthly_stipend_fen=200001))[0] == 100001


def test_month_amount_refuses_impossible_days():
    with pytest.raises(ValueError):
        month_amount(32, 31, DAILY)


def test_half_month_worked_example():
    assert stipend_line(EXAMPLE, [(2026, 3)], HALF).amount_fen == 200000  # 22 days
    assert stipend_line([span("2026-03-18", "2026-05-14")], Q2, HALF).amount_fen == 300000


def test_february_leap_and_common_year():
    leap = default_policy(2028)
    assert stipend_line([span("2028-02-15")], [(2028, 2)], leap).amount_fen == 103448
    assert stipend_line([span("2028-02-01")], [(2028, 2)], leap).months[0].rule == "全月"
    assert stipend_line([span("2026-02-14")], [(2026, 2)], DAILY).amount_fen == 107143
    assert stipend_line([span("2026-02-15")], [(2026, 2)], HALF).amount_fen == 100000


def test_posting_crossing_year_end_pays_each_year_under_its_policy():
    spans = [span("2025-12-20", "2026-01-05")]
    dec = stipend_line(spans, [(2025, 10), (2025, 11), (2025, 12)], default_policy(2025))
    jan = stipend_line(spans, Q1, DAILY)
    assert dec.amount_fen == 77419  # 12/31 of 2000.00 = 774.19
    assert jan.amount_fen == 32258  # 5/31 = 322.58


def test_overlapping_postings_at_two_enterprises_pay_once():
    spans = [span("2026-04-01", "2026-05-20"), span("2026-05-01", "2026-06-30")]
    assert stipend_line(spans, Q2, DAILY).amount_fen == 600000


def test_adjacent_postings_pay_once():
    spans = [span("2026-04-01", "2026-05-15"), span("2026-05-16")]
    result = stipend_line(spans, Q2, DAILY)
    assert [m.posted_days for m in result.months] == [30, 31, 30]
    assert result.amount_fen == 600000


def test_officer_without_posting():
    result = stipend_line([], Q2, DAILY)
    assert result.amount_fen == 0 and result.posted_days == 0
    assert result.note == "未派驻"
    assert [m.rule for m in result.months] == ["未派驻"] * 3


def test_posting_ended_before_period():
    result = stipend_line([span("2026-01-01", "2026-03-31")], Q2, DAILY)
    assert (result.amount_fen, result.note) == (0, "未派驻")


def test_single_day_posting():
    result = stipend_line([span("2026-06-30", "2026-06-30")], Q2, DAILY)
    assert result.amount_fen == 6667  # 1/30 of 2000.00 = 66.666…
    assert stipend_line([span("2026-06-30", "2026-06-30")], Q2, HALF).amount_fen == 100000


def test_months_paid_by_locked_run_are_not_paid_again():
    result = stipend_line(EXAMPLE, Q2, DAILY, paid_months={"2026-04"})
    april = result.months[0]
    assert (april.amount_fen, april.note, april.posted_days, april.rule) == (0, "已发放", 30, "全月")
    assert result.amount_fen == 129032
    assert result.note == "部分月份已发放"


def test_all_posted_months_paid():
    result = stipend_line(EXAMPLE, Q2, DAILY, paid_months={"2026-04", "2026-05"})
    assert (result.amount_fen, result.note) == (0, "已发放")


def test_paid_month_of_other_period_is_ignored():
    assert stipend_line(EXAMPLE, Q2, DAILY, paid_months={"2026-03"}).amount_fen == 329032


def test_policy_of_another_year_is_refused():
    with pytest.raises(ValueError):
        stipend_line(EXAMPLE, Q2, default_policy(2025))


def test_invalid_policy_is_refused():
    with pytest.raises(ValueError, match="负数"):
        stipend_line(EXAMPLE, Q2, replace(DAILY, monthly_stipend_fen=-1))


DAY0 = date(2025, 12, 1)
spans_strategy = st.lists(
    st.tuples(st.integers(0, 240), st.one_of(st.none(), st.integers(0, 90))).map(
        lambda t: PostingSpan(DAY0 + timedelta(t[0]),
                              None if t[1] is None else DAY0 + timedelta(t[0] + t[1]))
    ),
    max_size=5,
)
policies = st.builds(
    lambda amount, mode: replace(DAILY, monthly_stipend_fen=amount, proration=mode),
    st.integers(0, 10**7),
    st.sampled_from(["daily", "half_month"]),
)


@settings(max_examples=200, deadline=None)
@given(spans_strategy, policies, st.sampled_from([Q1, Q2]))
def test_quarter_is_sum_of_its_months_and_bounded(spans, policy, quarter):
    total = stipend_line(spans, quarter, policy)
    singles = [stipend_line(spans, [m], policy) for m in quarter]
    assert total.amount_fen == sum(s.amount_fen for s in singles)
    assert total.months == tuple(s.months[0] for s in singles)
    assert 0 <= total.amount_fen <= len(quarter) * policy.monthly_stipend_fen
    assert stipend_line(list(reversed(spans)), quarter, policy) == total
