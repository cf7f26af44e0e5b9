"""The yearly subsidy policy: defaults, changes in yuan, refusals (POLICY.md §2)."""

from __future__ import annotations

import pytest

from desktop.domain.subsidy import default_policy
from desktop.errors import UserError
from desktop.services import policy


def test_new_year_starts_from_defaults(db):
    saved = policy.set_policy(db, 2026)
    assert saved == default_policy(2026)
    assert policy.show_policy(db, 2026) == default_policy(2026)
    assert policy.policy_as_json(saved) == {
        "year": 2026, "monthly_stipend_fen": 200000,
        "bonus_fen": {"excellent": 1000000, "good": 500000, "competent": 300000,
                      "incompetent": 0},
        "proration": "daily", "bonus_min_posted_days": 0, "prorate_bonus": False}


def test_changes_in_yuan_keep_other_fields(db):
    policy.set_policy(db, 2026, monthly="2,500.50", excellent=12000, proration="half_month")
    policy.set_policy(db, 2026, good="6000元", bonus_min_days="90", prorate_bonus=True)
    shown = policy.show_policy(db, 2026)
    assert shown.monthly_stipend_fen == 250050
    assert dict(shown.bonus_fen) == {"excellent": 1200000, "good": 600000,
                                     "competent": 300000, "incompetent": 0}
    assert (shown.proration, shown.bonus_min_posted_days, shown.prorate_bonus) == (
        "half_month", 90, True)
    assert [p.year for p in policy.list_policies(db)] == [2026]


def test_proration_by_chinese_label(db):
    assert policy.set_policy(db, 2026, proration="按半月计").proration == "half_month"


def test_years_are_separate(db):
    policy.set_policy(db, 2025, monthly="1800")
    policy.set_policy(db, 2026)
    assert policy.show_policy(db, 2025).monthly_stipend_fen == 180000
    assert policy.show_policy(db, 2026).monthly_stipend_fen == 200000


def test_missing_year_refused(db):
    with pytest.raises(UserError, match="2027年度尚未设置补贴标准"):
        policy.show_policy(db, 2027)


@pytest.mark.parametrize("changes, message", [
    ({"monthly": "-1"}, "不能为负数"),
    ({"monthly": "12.345"}, "两位小数"),
    ({"excellent": "abc"}, "优秀等次绩效补贴：金额格式不正确"),
    ({"proration": "weekly"}, "折算方式"),
    ({"bonus_min_days": "400"}, "0至366"),
    ({"bonus_min_days": "x"}, "整数"),
])
def test_bad_values_refused_and_nothing_saved(db, changes, message):
    with pytest.raises(UserError, match=message):
        policy.set_policy(db, 2026, **changes)
    assert policy.list_policies(db) == []


@pytest.mark.parametrize("year", [1999, 2101, "20x6"])
def test_bad_year_refused(db, year):
    with pytest.raises(UserError):
        policy.set_policy(db, year)


def test_float_amount_is_a_bug_not_money(db):
    with pytest.raises(TypeError):
        policy.set_policy(db, 2026, monthly=2000.5)


def test_json_round_trip_and_lines():
    base = default_policy(2026)
    assert policy.policy_from_json(policy.policy_as_json(base)) == base
    lines = policy.policy_lines(base)
    assert lines[0] == "2026年度补贴标准"
    assert "每月工作补贴：2,000.00 元" in lines
    assert "优秀 10,000.00 元" in lines[2]
