"""Checks around payment runs that keep a clerk from a misleading run (issue 14):
no second ordinary run for a period locked runs already paid in full, a warning for
drafts whose periods overlap, and the short batch id printed on sheets
(批次 63accd96) accepted for the full run id.

Kept apart from `desktop.services.payruns` so its use cases stay short; messages take
the run kind's Chinese label from the caller.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.db import payruns as store
from desktop.db.connection import Database
from desktop.db.payruns import LineData, RunRecord
from desktop.domain.payrun_kinds import KIND_LABELS, STATUS_LABELS, run_kind
from desktop.domain.periods import Period, parse_period
from desktop.errors import UserError

SHORT_ID_LENGTH = 8  # what sheets and PDFs print after 批次
MIN_PREFIX_LENGTH = 4  # shorter is a typo far more often than a run
MATCHES_SHOWN = 5
ORDINARY_KINDS = ("stipend", "bonus")


def short_id(run_id: str) -> str:
    """The batch id as sheets print it: the run id's first 8 characters."""
    return run_id[:SHORT_ID_LENGTH]


def refuse_paid_completely(db: Database, kind: str, label: str, period: Period,
                           lines: Sequence[LineData]) -> None:
    """Refuse an ordinary run that would pay nothing in a period locked runs of its
    kind already paid: everything due there was paid, and the run would be a sheet of
    0.00 lines that can be locked as if something were paid. (With no locked run, an
    all-zero run stays allowed: its notes, such as 未考核, are what the clerk needs.)
    `label` is the kind's Chinese name."""
    if kind not in ORDINARY_KINDS or any(line.amount_fen for line in lines):
        return
    covering = _locked_covering(db, kind, period)
    if not covering:
        return
    batches = "、".join(f"批次 {short_id(run.id)}" for run in covering)
    raise UserError(f"{period.label_zh}的{label}已由已锁定的{batches}全部发放，按当前数据"
                    f"没有应发金额，不再生成批次。如需更正已发放的金额，请建立{label}调整批次")


def refuse_locking_paid_completely(db: Database, run: RunRecord, label: str) -> None:
    """Refuse locking an ordinary draft that pays nothing for a period locked runs
    paid in full (a draft computed before they were locked, then recomputed)."""
    if run.adjusts or run.total_fen:
        return
    period = parse_period(run.period)
    try:
        refuse_paid_completely(db, run.kind, label, period, ())
    except UserError as err:
        raise UserError(f"{err}。本草稿无需锁定，可以删除") from None


def overlap_warning(db: Database, run: RunRecord, label: str) -> str:
    """'' or a warning naming the other drafts of the run's kind whose periods overlap
    its own: only one of them can be locked without recomputing the other."""
    others = [other for other in store.list_runs(db, run.kind)
              if other.id != run.id and other.status == "draft" and other.adjusts == run.adjusts
              and other.period_start <= run.period_end and other.period_end >= run.period_start]
    if not others:
        return ""
    names = "、".join(f"{parse_period(o.period).label_zh}（批次 {short_id(o.id)}）" for o in others)
    return (f"另有期间重叠的{label}草稿批次：{names}。同一期间只应锁定一个批次，锁定其中一个后，"
            "其余草稿须重新计算；不需要的草稿请删除")


def resolve_run_id(db: Database, text: str) -> str:
    """The full id of the live run `text` names: the full id, or a prefix of it such as
    the 8-character batch id printed on sheets. Refuses an unknown or too short id and
    a prefix several runs share (listing them)."""
    value = str(text).strip().removeprefix("批次").strip()
    if store.get_run(db, value) is not None:
        return value
    prefix = value.lower()
    if len(prefix) >= MIN_PREFIX_LENGTH:
        matches = store.runs_with_id_prefix(db, prefix, MATCHES_SHOWN + 1)
        if len(matches) == 1:
            return matches[0].id
        if matches:
            raise UserError(_ambiguous(value, matches))
    elif value:
        raise UserError(f"发放批次号太短：{value}（请至少输入{MIN_PREFIX_LENGTH}位，"
                        f"如发放表上“批次”后的{SHORT_ID_LENGTH}位）")
    raise UserError(f"发放批次不存在或已被删除：{value or '（空）'}")


def _ambiguous(value: str, matches: Sequence[RunRecord]) -> str:
    shown = "；".join(f"{run.id}（{parse_period(run.period).label_zh} "
                     f"{KIND_LABELS[run_kind(run)]}，{STATUS_LABELS[run.status]}）"
                     for run in matches[:MATCHES_SHOWN])
    more = "等" if len(matches) > MATCHES_SHOWN else ""
    return f"批次号 {value} 对应多个发放批次，请多输入几位以区分：{shown}{more}"


def _locked_covering(db: Database, kind: str, period: Period) -> list[RunRecord]:
    """Locked ordinary runs of `kind` whose periods overlap `period`, oldest first."""
    start, end = period.start.isoformat(), period.end.isoformat()
    runs = [run for run in store.list_runs(db, kind)
            if run.status == "locked" and not run.adjusts
            and run.period_start <= end and run.period_end >= start]
    return sorted(runs, key=lambda run: run.period_start)
