"""The liaison officer's year-end performance bonus (绩效补贴), POLICY.md §4.

Pure: postings + the year's grade + the year's policy → one line that records the
grade, the posted days and the rule, so a clerk can explain the amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop.domain.money import div_round_half_up
from desktop.domain.subsidy import (
    GRADE_LABELS,
    GRADES,
    PostingSpan,
    SubsidyPolicy,
    days_in_year,
    posted_days_in_year,
    require_valid_policy,
)

NOTE_UNGRADED = "未考核"
NOTE_NOT_POSTED = "全年无派驻记录"
NOTE_PAID = "已发放"


@dataclass(frozen=True)
class BonusResult:
    """One officer's bonus for a year.

    `rule` says how the amount follows from the grade (e.g. '优秀 全额',
    '良好 按日折算 183/365'); `note` says why a line pays nothing or less than
    usual: '' when paid normally, 未考核, 全年无派驻记录, '驻企天数N天，不足M天' or 已发放.
    """

    amount_fen: int
    grade: str | None
    posted_days: int
    days_in_year: int
    rule: str
    note: str = ""


def bonus_line(
    spans: Iterable[PostingSpan],
    year: int,
    grade: str | None,
    policy: SubsidyPolicy,
    already_paid: bool = False,
) -> BonusResult:
    """One officer's year-end bonus for `year` under that year's `policy`.

    `grade` is the assessment recorded for `year` (one of GRADES) or None.
    `already_paid` means a locked bonus run of `year` already paid this officer: the
    line shows 已发放 with 0, since at most one bonus is paid per officer and year.
    Raises ValueError for an unusable policy, a policy of another year or an
    unknown grade.
    """
    require_valid_policy(policy)
    if year != policy.year:
        raise ValueError(f"bonus for {year} computed with the {policy.year} policy")
    if grade is not None and grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}")
    posted = posted_days_in_year(spans, year)
    total_days = days_in_year(year)
    amount, rule, note = _assess(posted, total_days, grade, policy)
    if already_paid:
        amount, note = 0, NOTE_PAID
    return BonusResult(amount, grade, posted, total_days, rule, note)


def _assess(
    posted: int, total_days: int, grade: str | None, policy: SubsidyPolicy
) -> tuple[int, str, str]:
    """(amount, rule, note) by POLICY.md §4, before considering earlier payments."""
    if grade is None:
        return 0, NOTE_UNGRADED, NOTE_UNGRADED
    label = GRADE_LABELS[grade]
    if posted == 0:  # graded, yet never posted in the year: listed with 0, not paid
        return 0, f"{label} {NOTE_NOT_POSTED}", NOTE_NOT_POSTED
    minimum = policy.bonus_min_posted_days
    if posted < minimum:
        return 0, f"{label} 驻企不足{minimum}天", f"驻企天数{posted}天，不足{minimum}天"
    full = policy.bonus_fen[grade]
    if full == 0:
        return 0, f"{label} 无绩效补贴", ""
    if not policy.prorate_bonus or posted == total_days:
        return full, f"{label} 全额", ""
    amount = div_round_half_up(full * posted, total_days)
    return amount, f"{label} 按日折算 {posted}/{total_days}", ""
