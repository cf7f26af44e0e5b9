"""Adjustments (工作补贴调整, 绩效补贴调整), POLICY.md §5: a locked run is never edited;
a mistake is corrected by a new run that pays what is due now minus what locked
runs already paid: month by month for stipends, for the year for bonuses.
Negative amounts are paid back (应退).

Pure: postings + policy (+ grade) + what was already paid → one line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from desktop.domain.bonus import BonusResult, bonus_line
from desktop.domain.money import format_fen
from desktop.domain.stipend import RULE_NOT_POSTED, MonthLine, StipendResult, stipend_line
from desktop.domain.subsidy import Month, PostingSpan, SubsidyPolicy

NOTE_NO_DIFFERENCE = "无差额"
NOTE_TOP_UP = "补发"
NOTE_PAY_BACK = "应退"


def adjustment_line(
    spans: Iterable[PostingSpan],
    months: Iterable[Month],
    policy: SubsidyPolicy,
    paid_fen: Mapping[str, int],
) -> StipendResult:
    """One person's adjustment over `months`: each month's stipend under today's
    postings and `policy`, less `paid_fen[month]` paid by locked runs. `spans` may be
    empty (every posting was removed: all that was paid is paid back)."""
    due = stipend_line(spans, months, policy)
    lines = tuple(_month(m, paid_fen.get(m.month, 0)) for m in due.months)
    amount = sum(m.amount_fen for m in lines)
    return StipendResult(months=lines, amount_fen=amount, posted_days=due.posted_days,
                         note=_note(lines, amount))


def bonus_adjustment_line(
    spans: Iterable[PostingSpan],
    year: int,
    grade: str | None,
    policy: SubsidyPolicy,
    paid_fen: int,
) -> BonusResult:
    """One person's bonus adjustment for `year`: the bonus due now (grade, posted
    days, `policy`) less `paid_fen` paid by locked bonus runs. Someone with no
    posted day in the year is due nothing (bonus runs list them with 0)."""
    due = bonus_line(spans, year, grade, policy)
    if due.posted_days == 0:
        due = dataclasses.replace(due, amount_fen=0, rule=RULE_NOT_POSTED)
    difference = due.amount_fen - paid_fen
    if difference == 0:
        note = NOTE_NO_DIFFERENCE
    else:
        note = f"应发 {format_fen(due.amount_fen)}，已发 {format_fen(paid_fen)}"
    return dataclasses.replace(due, amount_fen=difference, note=note)


def has_difference(result: StipendResult) -> bool:
    """Whether any month pays or takes back something (else the person is left out)."""
    return any(m.amount_fen for m in result.months)


def _month(due: MonthLine, paid: int) -> MonthLine:
    difference = due.amount_fen - paid
    if difference == 0:
        note = NOTE_NO_DIFFERENCE
    else:
        note = f"应发 {format_fen(due.amount_fen)}，已发 {format_fen(paid)}"
    return MonthLine(month=due.month, posted_days=due.posted_days,
                     days_in_month=due.days_in_month, amount_fen=difference, rule=due.rule,
                     note=note)


def _note(lines: tuple[MonthLine, ...], amount: int) -> str:
    if amount > 0:
        return NOTE_TOP_UP
    if amount < 0:
        return NOTE_PAY_BACK
    return NOTE_NO_DIFFERENCE if not any(m.amount_fen for m in lines) else "增减相抵"
