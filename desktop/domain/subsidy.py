"""Shared pieces of the subsidy rules (POLICY.md §2–§3.1): the yearly policy, grades,
postings and the posted days they give.

The stipend (`desktop.domain.stipend`) and the year-end bonus
(`desktop.domain.bonus`) are computed from these. Everything here is pure: plain
dates and (year, month) pairs in, plain values out.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

GRADES: tuple[str, ...] = ("excellent", "good", "competent", "incompetent")
GRADE_LABELS: dict[str, str] = {
    "excellent": "优秀",
    "good": "良好",
    "competent": "称职",
    "incompetent": "不称职",
}
PRORATIONS: tuple[str, ...] = ("daily", "half_month")
PRORATION_LABELS: dict[str, str] = {"daily": "按日折算", "half_month": "按半月计"}

DEFAULT_MONTHLY_STIPEND_FEN = 200000
DEFAULT_BONUS_FEN: dict[str, int] = {
    "excellent": 1000000,
    "good": 500000,
    "competent": 300000,
    "incompetent": 0,
}

# Years a policy may be recorded for; outside this a typo is far likelier than a real record.
MIN_YEAR, MAX_YEAR = 2000, 2100

Month = tuple[int, int]


@dataclass(frozen=True)
class SubsidyPolicy:
    """The amounts and rules in force for one year (补贴标准, POLICY.md §2).

    `bonus_fen` is copied on construction so a caller's dict cannot change a policy
    afterwards; because it is a dict the policy is not hashable.
    """

    year: int
    monthly_stipend_fen: int = DEFAULT_MONTHLY_STIPEND_FEN
    bonus_fen: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_BONUS_FEN))
    proration: str = "daily"
    bonus_min_posted_days: int = 0
    prorate_bonus: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "bonus_fen", dict(self.bonus_fen))


def default_policy(year: int) -> SubsidyPolicy:
    """The policy a new year starts from: the amounts of the source documents."""
    return SubsidyPolicy(year=year)


def check_policy(policy: SubsidyPolicy) -> str | None:
    """Why `policy` cannot be used (a Chinese message for the clerk), or None if it can."""
    if not _is_int(policy.year) or not MIN_YEAR <= policy.year <= MAX_YEAR:
        return f"补贴标准年度须在{MIN_YEAR}至{MAX_YEAR}之间"
    if not _is_int(policy.monthly_stipend_fen) or policy.monthly_stipend_fen < 0:
        return "每月工作补贴金额不能为负数"
    if set(policy.bonus_fen) != set(GRADES):
        return "绩效补贴须为优秀、良好、称职、不称职四个等次各设金额"
    for grade in GRADES:
        amount = policy.bonus_fen[grade]
        if not _is_int(amount) or amount < 0:
            return f"{GRADE_LABELS[grade]}等次的绩效补贴金额不能为负数"
    if policy.proration not in PRORATIONS:
        return "不足整月的折算方式须为“按日折算”或“按半月计”"
    days = policy.bonus_min_posted_days
    if not _is_int(days) or not 0 <= days <= 366:
        return "领取绩效补贴的最低驻企天数须在0至366天之间"
    if not isinstance(policy.prorate_bonus, bool):
        return "绩效补贴是否按驻企天数折算须为是或否"
    return None


def require_valid_policy(policy: SubsidyPolicy) -> None:
    """Raise ValueError with the Chinese reason if `policy` is unusable.

    The service layer is expected to call `check_policy` first and refuse with a
    UserError; reaching this error means a caller skipped that check.
    """
    reason = check_policy(policy)
    if reason is not None:
        raise ValueError(reason)


def _is_int(value: object) -> bool:
    # bool is an int subclass; True must not pass as an amount of 1 fen.
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class PostingSpan:
    """One posting of an officer: both dates inclusive, `end` None = still posted."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"posting ends ({self.end}) before it starts ({self.start})")

    @property
    def last_day(self) -> date:
        """The last posted day, with an open posting reaching to the end of time."""
        return self.end if self.end is not None else date.max


def month_key(month: Month) -> str:
    """The text form of a month used in lines and payment runs: (2026, 4) → '2026-04'."""
    year, mon = month
    return f"{year:04d}-{mon:02d}"


def days_in_month(month: Month) -> int:
    """Number of days of a calendar month."""
    return calendar.monthrange(*month)[1]


def days_in_year(year: int) -> int:
    """366 in a leap year, else 365."""
    return 366 if calendar.isleap(year) else 365


def merge_spans(spans: Iterable[PostingSpan]) -> list[tuple[date, date]]:
    """The union of postings as sorted, disjoint, non-adjacent (first, last) day ranges.

    Overlapping or touching postings become one range so no day is counted twice
    (the stipend is per person, not per enterprise, POLICY.md §3.1).
    """
    merged: list[tuple[date, date]] = []
    for span in sorted(spans, key=lambda s: s.start):
        last = span.last_day
        if merged and _touches(merged[-1][1], span.start):
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((span.start, last))
    return merged


def _touches(previous_last: date, start: date) -> bool:
    # date.max + 1 day would overflow; an open range swallows everything after it.
    return previous_last == date.max or start <= previous_last + timedelta(days=1)


def posted_days_between(spans: Iterable[PostingSpan], first: date, last: date) -> int:
    """Days from `first` to `last` (inclusive) covered by at least one posting."""
    return _covered(merge_spans(spans), first, last)


def _covered(merged: list[tuple[date, date]], first: date, last: date) -> int:
    total = 0
    for start, end in merged:
        total += max(0, (min(end, last) - max(start, first)).days + 1)
    return total


def posted_days_by_month(spans: Iterable[PostingSpan], months: Iterable[Month]) -> dict[Month, int]:
    """Posted days of one officer in each of `months`: the union of all postings.

    Keys are the given (year, month) pairs in their given order.
    """
    merged = merge_spans(spans)
    result: dict[Month, int] = {}
    for year, mon in months:
        first = date(year, mon, 1)
        last = date(year, mon, days_in_month((year, mon)))
        result[(year, mon)] = _covered(merged, first, last)
    return result


def posted_days_in_year(spans: Iterable[PostingSpan], year: int) -> int:
    """Posted days of one officer in calendar year `year` (union of postings)."""
    return posted_days_between(spans, date(year, 1, 1), date(year, 12, 31))


def check_months(months: Iterable[Month], year: int) -> list[Month]:
    """The months of a period, validated against the policy year, in calendar order.

    Raises ValueError for no months, a repeated month, an invalid month or a month
    of another year: one policy pays only its own year (POLICY.md §2).
    """
    result = sorted(months)
    if not result:
        raise ValueError("a period has at least one month")
    if len(set(result)) != len(result):
        raise ValueError(f"repeated month in {result}")
    for y, m in result:
        if not 1 <= m <= 12:
            raise ValueError(f"invalid month {y}-{m}")
        if y != year:
            raise ValueError(f"month {month_key((y, m))} is outside the policy year {year}")
    return result
