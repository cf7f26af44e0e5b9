"""Payment runs (发放批次, POLICY.md §3–§5): create, recompute, delete, lock, show, export.

A run is computed from the live postings (and, for bonuses, the year's grades)
under the policy recorded for its year. Drafts can be recomputed or deleted; a
locked run is final and the database refuses any change to it. Months paid by a
locked stipend run, and bonuses paid by a locked bonus run, are not paid again.

Open-ended postings (no end date) count as still posted, so a stipend for a month
that has not begun yet would pay days nobody has served: a run may not reach past
the current month (`today` is injectable for tests).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from desktop.db import payruns as store
from desktop.db.connection import Database
from desktop.db.payruns import LineData, OfficerPostings, RunRecord
from desktop.domain.bonus import bonus_line
from desktop.domain.periods import Period, parse_period
from desktop.domain.stipend import stipend_line
from desktop.domain.subsidy import GRADE_LABELS, PRORATION_LABELS, PostingSpan, SubsidyPolicy
from desktop.errors import UserError
from desktop.services.policy import policy_as_json, policy_from_json, require_policy

KINDS = ("stipend", "bonus")
KIND_LABELS = {"stipend": "工作补贴", "bonus": "绩效补贴"}
STATUS_LABELS = {"draft": "草稿", "locked": "已锁定"}


@dataclass(frozen=True)
class RunDetail:
    """A run with its lines and the policy it was computed with."""

    run: RunRecord
    period: Period
    policy: SubsidyPolicy
    lines: tuple[LineData, ...]


# ---------------------------------------------------------------- use cases

def create_run(db: Database, kind: str, period_text: str | int, *, today: date | None = None) -> str:
    """Compute and store a draft run of `kind` for a period; returns its id.

    Stipend: a month, quarter or year ('2026-03', '2026-Q2', '2026'); bonus: a year.
    """
    if kind not in KINDS:
        raise UserError(f"发放类别须为工作补贴(stipend)或绩效补贴(bonus)：{kind}")
    period = _checked_period(kind, period_text, today or date.today())
    policy = require_policy(db, period.year)
    lines = _compute(db, kind, period, policy)
    return store.insert_run(db, kind, period.label, period.start, period.end,
                            _policy_text(policy), lines)


def create_stipend_run(db: Database, period_text: str, *, today: date | None = None) -> str:
    """A draft stipend run (工作补贴) for a month, quarter or year; returns its id."""
    return create_run(db, "stipend", period_text, today=today)


def create_bonus_run(db: Database, year: int | str, *, today: date | None = None) -> str:
    """A draft year-end bonus run (绩效补贴) for `year`; returns its id."""
    return create_run(db, "bonus", str(year), today=today)


def recompute_run(db: Database, run_id: str, *, today: date | None = None) -> None:
    """Recompute a draft from today's postings, grades, policy and locked payments."""
    run = _draft(db, run_id, "已锁定的发放批次不能重新计算；如有差错，请另建调整批次")
    period = _checked_period(run.kind, run.period, today or date.today())
    policy = require_policy(db, period.year)
    store.replace_lines(db, run_id, _policy_text(policy), _compute(db, run.kind, period, policy))


def delete_run(db: Database, run_id: str) -> None:
    """Delete a draft run and its lines; a locked run cannot be deleted."""
    _draft(db, run_id, "已锁定的发放批次不能删除")
    store.delete_draft(db, run_id)


def lock_run(db: Database, run_id: str) -> None:
    """Make a draft final. Refused when another locked run has meanwhile paid any of its
    amounts (the draft is stale: recompute it first), so nothing is ever paid twice."""
    _draft(db, run_id, "该发放批次已锁定")
    clashes = store.double_paid_lines(db, run_id)
    if clashes:
        raise UserError(f"本批次有{clashes}人的补贴已由其他已锁定批次发放，请先重新计算本批次后再锁定")
    store.lock(db, run_id)


def get_run(db: Database, run_id: str) -> RunDetail:
    """A run with its lines (sheet order) and the policy it used."""
    run = _run(db, run_id)
    return RunDetail(run, parse_period(run.period), policy_from_json(json.loads(run.policy_json)),
                     tuple(store.get_lines(db, run_id)))


def list_runs(db: Database, kind: str | None = None) -> list[RunRecord]:
    """Live runs, newest period first; each with its line count."""
    return store.list_runs(db, kind)


def run_as_json(detail: RunDetail) -> dict[str, Any]:
    """The run in the stable shape of `payrun show --json` (CLI.md)."""
    run = detail.run
    return {
        "id": run.id, "kind": run.kind, "period": run.period, "status": run.status,
        "total_fen": run.total_fen,
        "lines": [{
            "name": line.officer_name, "id_number": line.id_number,
            "amount_fen": line.amount_fen,
            "grade": GRADE_LABELS[line.grade] if line.grade else None,
            "months": [{"month": m.month, "posted_days": m.posted_days,
                        "amount_fen": m.amount_fen, "note": m.note} for m in line.months],
            "note": line.note,
        } for line in detail.lines],
    }


def run_title(detail: RunDetail) -> str:
    """'2026年第二季度 工作补贴（草稿）' — how a run is named on screens."""
    run = detail.run
    return f"{detail.period.label_zh} {KIND_LABELS[run.kind]}（{STATUS_LABELS[run.status]}）"


# ---------------------------------------------------------------- checks

def _run(db: Database, run_id: str) -> RunRecord:
    run = store.get_run(db, str(run_id).strip())
    if run is None:
        raise UserError(f"发放批次不存在或已被删除：{run_id}")
    return run


def _draft(db: Database, run_id: str, locked_message: str) -> RunRecord:
    run = _run(db, run_id)
    if run.status == "locked":
        raise UserError(locked_message)
    return run


def _checked_period(kind: str, period_text: str | int, today: date) -> Period:
    period = parse_period(str(period_text))
    if kind == "bonus":
        if period.kind != "year":
            raise UserError(f"绩效补贴按年度发放，期间应为年份（如 {period.year}）")
        if period.year > today.year:
            raise UserError(f"{period.year}年度尚未开始，不能发放绩效补贴")
        return period
    last_year, last_month = period.months()[-1]
    if (last_year, last_month) > (today.year, today.month):
        raise UserError(f"不能为尚未开始的月份发放工作补贴：{period.label_zh}"
                        f"含{today.year}年{today.month}月之后的月份")
    return period


def _policy_text(policy: SubsidyPolicy) -> str:
    return json.dumps(policy_as_json(policy), ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------- computing lines

def _compute(db: Database, kind: str, period: Period, policy: SubsidyPolicy) -> list[LineData]:
    officers = store.fetch_officer_postings(db, period.start, period.end)
    if kind == "stipend":
        lines = _stipend_lines(db, officers, period, policy)
    else:
        lines = _bonus_lines(db, officers, period.year, policy)
    if not lines:
        raise UserError(f"{period.label_zh}没有派驻在岗的驻企联络员，无需发放")
    return lines


def _stipend_lines(db: Database, officers: Sequence[OfficerPostings], period: Period,
                   policy: SubsidyPolicy) -> list[LineData]:
    paid = store.paid_months(db, period.start, period.end)
    months = period.months()
    rule = PRORATION_LABELS[policy.proration]
    lines = []
    for officer in officers:
        spans = [PostingSpan(p.start, p.end) for p in officer.postings]
        result = stipend_line(spans, months, policy, paid.get(officer.officer_id, frozenset()))
        if result.posted_days:  # no posted day in the period: not on the sheet
            lines.append(_line(officer, result.posted_days, None, result.amount_fen, rule,
                               result.note, result.months))
    return _numbered(lines, officers)


def _bonus_lines(db: Database, officers: Sequence[OfficerPostings], year: int,
                 policy: SubsidyPolicy) -> list[LineData]:
    grades = store.grades_for_year(db, year)
    paid = store.paid_bonus_officers(db, year)
    lines = []
    for officer in officers:
        spans = [PostingSpan(p.start, p.end) for p in officer.postings]
        result = bonus_line(spans, year, grades.get(officer.officer_id), policy,
                            already_paid=officer.officer_id in paid)
        if result.posted_days:
            lines.append(_line(officer, result.posted_days, result.grade, result.amount_fen,
                               result.rule, result.note, ()))
    return _numbered(lines, officers)


def _line(officer: OfficerPostings, posted_days: int, grade: str | None, amount_fen: int,
          rule: str, note: str, months: tuple) -> LineData:
    names = list(dict.fromkeys(p.organization for p in officer.postings))
    return LineData(
        officer_id=officer.officer_id, officer_name=officer.name, id_number=officer.id_number,
        home_unit=officer.home_unit, organizations="、".join(names),
        township=_township(officer), bank_name=officer.bank_name,
        bank_account=officer.bank_account, posted_days=posted_days, grade=grade,
        amount_fen=amount_fen, rule=rule, note=note, months=tuple(months))


def _township(officer: OfficerPostings) -> str:
    # An officer who moved during the period is listed under the latest posting's township.
    return officer.postings[-1].township


def _numbered(lines: list[LineData], officers: Sequence[OfficerPostings]) -> list[LineData]:
    """Lines in sheet order (township order, township, name, ID) with seq 1..n."""
    order = {o.officer_id: o.postings[-1].township_order for o in officers}
    ranked = sorted(lines, key=lambda l: (order[l.officer_id], l.township, l.officer_name,
                                          l.id_number))
    return [_with_seq(line, seq) for seq, line in enumerate(ranked, start=1)]


def _with_seq(line: LineData, seq: int) -> LineData:
    return replace(line, seq=seq)


