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

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop.db import payruns as store
from desktop.db.connection import Database, transaction
from desktop.db.sheet_codes import run_code
from desktop.db.payruns import LineData, OfficerPostings, RunRecord
from desktop.domain.adjustment import adjustment_line, bonus_adjustment_line, has_difference
from desktop.domain.bonus import BonusResult, bonus_line
from desktop.domain.periods import Period, parse_period
from desktop.domain.stipend import NOTE_PAID, NOTE_PARTLY_PAID, StipendResult, stipend_line
from desktop.domain.subsidy import GRADE_LABELS, PRORATION_LABELS, PostingSpan, SubsidyPolicy
from desktop.domain.subsidy_sheet import SheetLine, SubsidySheet
from desktop.errors import UserError
from desktop.reports.fonts import RENDER_LOCK
from desktop.reports.subsidy_sheet_pdf import render_subsidy_sheet, sheet_warnings
from desktop.services import ownership
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.payrun_checks import (
    overlap_warning, refuse_locking_paid_completely, refuse_paid_completely,
)
from desktop.services.pdf_fonts import configured_fonts
from desktop.services.policy import policy_as_json, policy_from_json, require_policy
from desktop.services.workspace import county_name
from desktop.sheets.subsidy_sheet import write_subsidy_sheet
from desktop.domain import access as acl
from desktop.domain.payrun_kinds import ADJUSTED, KIND_LABELS, KINDS, STATUS_LABELS, run_kind
from desktop.services.users import require, require_lock



@dataclass(frozen=True)
class RunDetail:
    """A run with its lines and the policy it was computed with."""

    run: RunRecord
    period: Period
    policy: SubsidyPolicy
    lines: tuple[LineData, ...]
    code: str = ""  # a locked run's 审计校验码 (desktop.db.sheet_codes); '' for a draft


# ---------------------------------------------------------------- use cases

def create_run(db: Database, kind: str, period_text: str | int, *,
               today: date | None = None) -> str:
    """Compute and store a draft run of `kind` for a period; returns its id.

    Stipend: a month, quarter or year ('2026-03', '2026-Q2', '2026'); bonus: a year.
    """
    require(db, acl.EDIT_RUN)
    # One write transaction from the first read: a run locked by another process
    # meanwhile cannot slip in between what was read as paid and the stored lines.
    with transaction(db):
        ownership.require_editable(db, "payment_run")
        period, policy, lines = _prepare(db, kind, period_text, today)
        return store.insert_run(db, ADJUSTED.get(kind, kind), period.label, period.start,
                                period.end, _policy_text(policy), lines,
                                adjusts=kind in ADJUSTED)


def preview_run(db: Database, kind: str, period_text: str | int, *,
                today: date | None = None) -> list[LineData]:
    """The lines a new run would have, computed but not stored (for a preview screen)."""
    return _prepare(db, kind, period_text, today)[2]


def _prepare(db: Database, kind: str, period_text: str | int,
             today: date | None) -> tuple[Period, SubsidyPolicy, list[LineData]]:
    if kind not in KINDS:
        raise UserError("发放类别须为工作补贴(stipend)、绩效补贴(bonus)、工作补贴调整(adjustment)"
                        f"或绩效补贴调整(bonus_adjustment)：{kind}")
    period = _checked_period(kind, period_text, today or date.today())
    policy = require_policy(db, period.year)
    lines = _compute(db, kind, period, policy)
    refuse_paid_completely(db, kind, KIND_LABELS[kind], period, lines)
    return period, policy, lines


def create_stipend_run(db: Database, period_text: str, *, today: date | None = None) -> str:
    """A draft stipend run (工作补贴) for a month, quarter or year; returns its id."""
    return create_run(db, "stipend", period_text, today=today)


def create_bonus_run(db: Database, year: int | str, *, today: date | None = None) -> str:
    """A draft year-end bonus run (绩效补贴) for `year`; returns its id."""
    return create_run(db, "bonus", str(year), today=today)


def create_adjustment_run(db: Database, period_text: str, *, today: date | None = None) -> str:
    """A draft stipend adjustment (工作补贴调整) for months already paid by locked
    stipend runs: each person's difference between what is due now and what was paid."""
    return create_run(db, "adjustment", period_text, today=today)


def create_bonus_adjustment_run(db: Database, year: int | str, *,
                                today: date | None = None) -> str:
    """A draft bonus adjustment (绩效补贴调整) for a year a locked bonus run paid: each
    person's bonus due now (a corrected grade, say) less what was paid."""
    return create_run(db, "bonus_adjustment", str(year), today=today)


def recompute_run(db: Database, run_id: str, *, today: date | None = None) -> None:
    """Recompute a draft from today's postings, grades, policy and locked payments."""
    require(db, acl.EDIT_RUN)
    with transaction(db):
        run = _draft(db, run_id, "已锁定的发放批次不能重新计算；如有差错，请另建调整批次")
        kind = run_kind(run)
        period = _checked_period(kind, run.period, today or date.today())
        policy = require_policy(db, period.year)
        store.replace_lines(db, run_id, _policy_text(policy), _compute(db, kind, period, policy))


def delete_run(db: Database, run_id: str) -> None:
    """Delete a draft run and its lines; a locked run cannot be deleted."""
    require(db, acl.EDIT_RUN)
    with transaction(db):
        ownership.require_editable(db, "payment_run")
        _draft(db, run_id, "已锁定的发放批次不能删除")
        store.delete_draft(db, run_id)


def lock_run(db: Database, run_id: str) -> None:
    """Make a draft final. Refused when another locked run has meanwhile paid any of its
    amounts (the draft is stale: recompute it first), so nothing is ever paid twice.

    The checks and the lock are one write transaction, begun before the first read:
    two locks at once are serialized, and the second sees the first one's lock.
    Refused for a user who may not lock, and for the run's creator under maker–checker.
    """
    require_lock(db, store.creator_id(db, run_id))
    with transaction(db):
        ownership.require_editable(db, "payment_run")
        run = _draft(db, run_id, "该发放批次已锁定")
        if run.adjusts and store.locked_since(db, run_id):
            raise UserError(f"本调整批次计算后又有{KIND_LABELS[run.kind]}批次锁定，差额可能已变，"
                            "请先重新计算本批次后再锁定")
        clashes = 0 if run.adjusts else store.double_paid_lines(db, run_id)
        if clashes:
            raise UserError(f"本批次有{clashes}人的补贴已由其他已锁定批次发放，"
                            "请先重新计算本批次后再锁定")
        refuse_locking_paid_completely(db, run, KIND_LABELS[run.kind])
        store.lock(db, run_id)


def get_run(db: Database, run_id: str) -> RunDetail:
    """A run with its lines (sheet order) and the policy it used."""
    run = _run(db, run_id)
    return RunDetail(run, parse_period(run.period), policy_from_json(json.loads(run.policy_json)),
                     tuple(store.get_lines(db, run_id)),
                     run_code(db, run_id) if run.status == "locked" else "")


def list_runs(db: Database, kind: str | None = None) -> list[RunRecord]:
    """Live runs of a kind (one of KINDS, None for all), newest period
    first; each with its line count."""
    runs = store.list_runs(db, ADJUSTED.get(kind, kind) if kind else None)
    return [run for run in runs if kind is None or run_kind(run) == kind]


def run_as_json(detail: RunDetail) -> dict[str, Any]:
    """The run in the stable shape of `payrun show --json` (CLI.md)."""
    run = detail.run
    return {
        "id": run.id, "kind": run_kind(run), "period": run.period, "status": run.status,
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


def run_warnings(db: Database, run_id: str) -> tuple[str, ...]:
    """What the clerk should be told about a draft just made (shown, not refused):
    other drafts of its kind whose periods overlap; () when there is nothing."""
    run = _run(db, run_id)
    warning = overlap_warning(db, run, KIND_LABELS[run_kind(run)]) if run.status == "draft" else ""
    return (warning,) if warning else ()


def run_title(detail: RunDetail) -> str:
    """'2026年第二季度 工作补贴（草稿）' — how a run is named on screens."""
    run = detail.run
    return f"{detail.period.label_zh} {KIND_LABELS[run_kind(run)]}（{STATUS_LABELS[run.status]}）"


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
    if kind in ("bonus", "bonus_adjustment"):
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
    officers = _sheet_order(store.fetch_officer_postings(db, period.start, period.end))
    if kind == "stipend":
        lines = _stipend_lines(db, officers, period, policy)
    elif kind == "adjustment":
        return _adjustment_lines(db, officers, period, policy)
    elif kind == "bonus_adjustment":
        return _bonus_adjustment_lines(db, officers, period, policy)
    else:
        lines = _bonus_lines(db, officers, period, policy)
    if not lines:
        raise UserError(f"{period.label_zh}没有派驻在岗的驻企联络员，无需发放")
    return lines


def _stipend_lines(db: Database, officers: Sequence[OfficerPostings], period: Period,
                   policy: SubsidyPolicy) -> list[LineData]:
    paid = store.paid_months(db, period.start, period.end)
    months = period.months()
    rule = PRORATION_LABELS[policy.proration]
    # Most officers share a posting pattern within the period (e.g. the whole quarter):
    # the rule is a pure function of the period's spans and paid months, so compute once.
    cache: dict[tuple, StipendResult] = {}
    nothing_paid: frozenset[str] = frozenset()
    lines: list[LineData] = []
    for officer in officers:
        officer_paid = paid.get(officer.id_number)  # this person, under any record
        key = (officer.spans, frozenset(officer_paid) if officer_paid else nothing_paid)
        result = cache.get(key)
        if result is None:
            result = cache[key] = stipend_line(_spans(officer), months, policy, key[1])
        if result.posted_days:  # no posted day in the period: not on the sheet
            lines.append(_line(officer, len(lines) + 1, result.posted_days, None,
                               result.amount_fen, rule, result.note, result.months))
    return lines


def _adjustment_lines(db: Database, officers: Sequence[OfficerPostings], period: Period,
                      policy: SubsidyPolicy) -> list[LineData]:
    months = period.months()
    paid_runs = store.months_paid_by_runs(db, "stipend", period.start, period.end)
    unpaid = [f"{month}月" for year, month in months if f"{year:04d}-{month:02d}" not in paid_runs]
    if unpaid:
        raise UserError(f"{period.year}年{'、'.join(unpaid)}还没有已锁定的工作补贴批次。调整批次只更正"
                        "已发放的月份，请先为这些月份建立并锁定工作补贴批次")
    paid = store.paid_amounts(db, "stipend", period.start, period.end)
    lines: list[LineData] = []
    for officer in officers:
        person = paid.pop(officer.id_number, None)
        result = adjustment_line(_spans(officer), months, policy, person.months if person else {})
        if has_difference(result):
            lines.append(_line(officer, len(lines) + 1, result.posted_days, None,
                               result.amount_fen, PRORATION_LABELS[policy.proration],
                               result.note, result.months))
    # People paid in the period who are no longer posted in it: all of it comes back.
    for person in sorted(paid.values(), key=lambda p: (p.latest.township, p.latest.officer_name)):
        result = adjustment_line((), months, policy, person.months)
        if has_difference(result):
            lines.append(person.latest._replace(
                posted_days=0, amount_fen=result.amount_fen, rule=PRORATION_LABELS[policy.proration],
                note=result.note, months=result.months, seq=len(lines) + 1))
    if not lines:
        raise UserError(f"{period.label_zh}应发金额与已发放金额一致，没有需要调整的差额")
    return lines


def _bonus_adjustment_lines(db: Database, officers: Sequence[OfficerPostings], period: Period,
                            policy: SubsidyPolicy) -> list[LineData]:
    if not store.months_paid_by_runs(db, "bonus", period.start, period.end):
        raise UserError(f"{period.year}年度还没有已锁定的绩效补贴批次。调整批次只更正已发放的"
                        "绩效补贴，请先建立并锁定该年度的绩效补贴批次")
    grades = store.grades_for_year(db, period.year)
    paid = store.paid_amounts(db, "bonus", period.start, period.end)
    year = str(period.year)
    lines: list[LineData] = []
    for officer in officers:
        person = paid.pop(officer.id_number, None)
        result = bonus_adjustment_line(_spans(officer), period.year,
                                       grades.get(officer.officer_id), policy,
                                       person.months.get(year, 0) if person else 0)
        if result.amount_fen:
            lines.append(_line(officer, len(lines) + 1, result.posted_days, result.grade,
                               result.amount_fen, result.rule, result.note, ()))
    # People paid for the year who are no longer posted in it: all of it comes back.
    for person in sorted(paid.values(), key=lambda p: (p.latest.township, p.latest.officer_name)):
        result = bonus_adjustment_line((), period.year, person.latest.grade, policy,
                                       person.months.get(year, 0))
        if result.amount_fen:
            lines.append(person.latest._replace(
                amount_fen=result.amount_fen, rule=result.rule, note=result.note,
                seq=len(lines) + 1))
    if not lines:
        raise UserError(f"{period.label_zh}应发绩效补贴与已发放金额一致，没有需要调整的差额")
    return lines


def _bonus_lines(db: Database, officers: Sequence[OfficerPostings], period: Period,
                 policy: SubsidyPolicy) -> list[LineData]:
    grades = store.grades_for_year(db, period.year)
    paid = store.paid_bonus_officers(db, period.year)
    # POLICY.md §4: graded officers without a posted day are listed too, with 0.
    posted = {officer.officer_id for officer in officers}
    unposted = store.fetch_unposted_officers(db, (o for o in grades if o not in posted))
    officers = _sheet_order([*officers, *unposted]) if unposted else officers
    cache: dict[tuple, BonusResult] = {}
    lines: list[LineData] = []
    for officer in officers:
        key = (officer.spans, grades.get(officer.officer_id), officer.id_number in paid)
        result = cache.get(key)
        if result is None:
            result = cache[key] = bonus_line(_spans(officer), period.year, key[1], policy,
                                             key[2])
        if result.posted_days or result.grade is not None:
            lines.append(_line(officer, len(lines) + 1, result.posted_days, result.grade,
                               result.amount_fen, result.rule, result.note, ()))
    return lines


def _spans(officer: OfficerPostings) -> list[PostingSpan]:
    """The officer's postings within the period, as the domain rules take them."""
    return [PostingSpan(date.fromisoformat(start), date.fromisoformat(end))
            for start, end in officer.spans]


def _line(officer: OfficerPostings, seq: int, posted_days: int, grade: str | None,
          amount_fen: int, rule: str, note: str, months: tuple) -> LineData:
    return LineData(officer.officer_id, officer.name, officer.id_number, officer.home_unit,
                    "、".join(officer.organizations), officer.township, officer.bank_name,
                    officer.bank_account, posted_days, grade, amount_fen, rule, note, months,
                    seq)


def _sheet_order(officers: list[OfficerPostings]) -> list[OfficerPostings]:
    """Officers in sheet order: by township (area order, then name), name, ID number.

    An officer who moved during the period is listed under the latest posting's township.
    """
    return sorted(officers, key=lambda o: (o.township_order, o.township, o.name, o.id_number))


# ---------------------------------------------------------------- the subsidy sheet

def subsidy_sheet(db: Database, detail: RunDetail, today: date | None = None) -> SubsidySheet:
    """The printable subsidy sheet (补贴发放表) of a run: full ID and bank numbers."""
    run = detail.run
    return SubsidySheet(
        county=county_name(db), kind=run_kind(run), period_label=detail.period.label_zh,
        status=run.status, run_id=run.id,
        monthly_stipend_fen=detail.policy.monthly_stipend_fen,
        lines=tuple(_sheet_line(line) for line in detail.lines),
        prepared_on=today or date.today(), locked_at=_local_time(run.locked_at),
        audit_hash=detail.code)


def _local_time(stamp: str | None) -> str:
    """A stored UTC timestamp as the clerk's local 'YYYY-MM-DD HH:MM' ('' for None)."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def _sheet_line(line: LineData) -> SheetLine:
    return SheetLine(
        name=line.officer_name, id_number=line.id_number, home_unit=line.home_unit or "",
        organizations=line.organizations, township=line.township,
        posted_days=line.posted_days, amount_fen=line.amount_fen,
        bank_name=line.bank_name or "", bank_account=line.bank_account or "",
        note=_sheet_note(line), grade_label=GRADE_LABELS[line.grade] if line.grade else "")


def _sheet_note(line: LineData) -> str:
    """The line's note, naming the months when only some were paid before."""
    if line.note != NOTE_PARTLY_PAID:
        return line.note
    paid = [f"{int(m.month[5:])}月" for m in line.months if m.note == NOTE_PAID]
    return f"{'、'.join(paid)}已发放"


def export_subsidy_sheet(db: Database, run_id: str, out_path: str | Path, *,
                         today: date | None = None) -> Path:
    """Write a run's subsidy sheet to `out_path`: an .xlsx workbook or a .pdf."""
    require(db, acl.EXPORT_RUN)
    path = checked_target(out_path, (".xlsx", ".pdf"))
    sheet = subsidy_sheet(db, get_run(db, run_id), today)
    if path.suffix.lower() == ".xlsx":
        write_atomically(path, lambda tmp: write_subsidy_sheet(tmp, sheet))
        return path
    fonts = configured_fonts(db)

    def render(tmp: Path) -> None:
        with RENDER_LOCK:
            render_subsidy_sheet(tmp, sheet, fonts=fonts)
    write_atomically(path, render)
    return path


def pdf_font_warnings(db: Database, run_id: str | None = None, *,
                      today: date | None = None) -> tuple[str, ...]:
    """What the clerk should know about a subsidy-sheet PDF: the font it is set in
    (one that cannot be embedded prints differently elsewhere) and, given the run,
    the rows with characters no installed font prints; () when all is well."""
    fonts = configured_fonts(db)
    if run_id is None:
        return (fonts.warning,) if fonts.warning else ()
    return sheet_warnings(subsidy_sheet(db, get_run(db, run_id), today), fonts)


def subsidy_sheet_pdf(db: Database, run_id: str, *, today: date | None = None) -> bytes:
    """A run's subsidy sheet as PDF bytes (the same file `export_subsidy_sheet` writes),
    for previewing and printing inside the app without a temporary file."""
    buffer = io.BytesIO()
    sheet = subsidy_sheet(db, get_run(db, run_id), today)
    with RENDER_LOCK:
        render_subsidy_sheet(buffer, sheet, fonts=configured_fonts(db))
    return buffer.getvalue()
