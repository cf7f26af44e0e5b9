"""The liaison officer's monthly work stipend (工作补贴) for a period, POLICY.md §3.

Pure: postings + policy + the period's months (+ months already paid by locked runs)
→ one line with per-month detail, so a clerk can explain every fen.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from desktop.domain.money import div_round_half_up
from desktop.domain.subsidy import (
    Month,
    PostingSpan,
    SubsidyPolicy,
    check_months,
    days_in_month,
    month_key,
    posted_days_by_month,
    require_valid_policy,
)

HALF_MONTH_THRESHOLD = 15  # POLICY.md §3.2: 15 posted days or more earn the full month

RULE_NOT_POSTED = "未派驻"
RULE_FULL = "全月"
RULE_HALF_FULL = "半月 ≥15天 全额"
RULE_HALF_HALF = "半月 1–14天 半额"
NOTE_PAID = "已发放"
NOTE_PARTLY_PAID = "部分月份已发放"


@dataclass(frozen=True)
class MonthLine:
    """One month of a stipend line: the inputs and the rule behind its amount."""

    month: str  # '2026-04'
    posted_days: int
    days_in_month: int
    amount_fen: int
    rule: str  # why this amount, in Chinese: 全月 / 按日折算 22/31 / 半月 … / 未派驻
    note: str = ""  # '' or 已发放 (paid by a locked run, so 0 now)


@dataclass(frozen=True)
class StipendResult:
    """One officer's stipend for a period.

    Every month of the period is listed, including months with no posting
    (rule 未派驻), so the clerk sees why a month pays nothing. `note` is
    未派驻 when the officer has no posted day in the period — the service leaves
    such officers out of a run — 已发放 when every posted month was already paid,
    部分月份已发放 when some were, else ''.
    """

    months: tuple[MonthLine, ...]
    amount_fen: int
    posted_days: int
    note: str = ""


def month_amount(posted_days: int, month_days: int, policy: SubsidyPolicy) -> tuple[int, str]:
    """The stipend for one month with `posted_days` of `month_days` posted, and the rule used."""
    if not 0 <= posted_days <= month_days:
        raise ValueError(f"posted days {posted_days} not within 0..{month_days}")
    full = policy.monthly_stipend_fen
    if posted_days == 0:
        return 0, RULE_NOT_POSTED
    if posted_days == month_days:
        return full, RULE_FULL
    if policy.proration == "daily":
        return div_round_half_up(full * posted_days, month_days), f"按日折算 {posted_days}/{month_days}"
    if posted_days >= HALF_MONTH_THRESHOLD:
        return full, RULE_HALF_FULL
    return div_round_half_up(full, 2), RULE_HALF_HALF


def stipend_line(
    spans: Iterable[PostingSpan],
    months: Iterable[Month],
    policy: SubsidyPolicy,
    paid_months: Collection[str] = frozenset(),
) -> StipendResult:
    """One officer's stipend over `months` (a period of the policy's year).

    `spans` are all the officer's postings (any enterprise; overlaps count once).
    `paid_months` holds months ('2026-04') already paid to this officer by a locked
    stipend run: they show 已发放 with 0 (POLICY.md §3.4). Raises ValueError for an
    unusable policy or months outside the policy year.
    """
    require_valid_policy(policy)
    ordered = check_months(months, policy.year)
    days = posted_days_by_month(spans, ordered)
    lines = tuple(_month_line(m, days[m], policy, month_key(m) in paid_months) for m in ordered)
    return StipendResult(
        months=lines,
        amount_fen=sum(line.amount_fen for line in lines),
        posted_days=sum(line.posted_days for line in lines),
        note=_result_note(lines),
    )


def _month_line(month: Month, posted: int, policy: SubsidyPolicy, paid: bool) -> MonthLine:
    total_days = days_in_month(month)
    amount, rule = month_amount(posted, total_days, policy)
    # A paid month keeps its days and rule so the clerk can still see what was paid for.
    return MonthLine(
        month=month_key(month),
        posted_days=posted,
        days_in_month=total_days,
        amount_fen=0 if paid else amount,
        rule=rule,
        note=NOTE_PAID if paid else "",
    )


def _result_note(lines: tuple[MonthLine, ...]) -> str:
    paid = any(line.note == NOTE_PAID for line in lines)
    payable = any(line.note != NOTE_PAID and line.posted_days > 0 for line in lines)
    if paid and payable:
        return NOTE_PARTLY_PAID
    if paid:
        return NOTE_PAID
    if not payable:
        return RULE_NOT_POSTED
    return ""
