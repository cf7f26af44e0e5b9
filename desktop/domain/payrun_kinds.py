"""The kinds of payment run and their labels.

An adjustment (调整) is stored as a run of the kind it corrects, with `adjusts`
set: what it pays counts as paid for every later run of that kind.
"""

from __future__ import annotations

from typing import Protocol

KINDS = ("stipend", "bonus", "adjustment", "bonus_adjustment")
KIND_LABELS = {"stipend": "工作补贴", "bonus": "绩效补贴", "adjustment": "工作补贴调整",
               "bonus_adjustment": "绩效补贴调整"}
ADJUSTED = {"adjustment": "stipend", "bonus_adjustment": "bonus"}  # what each one corrects
STATUS_LABELS = {"draft": "草稿", "locked": "已锁定"}


class StoredRun(Protocol):
    kind: str  # stipend | bonus: the kind stored, an adjustment's too
    adjusts: str | None


def run_kind(run: StoredRun) -> str:
    """One of KINDS: what a run pays, as KIND_LABELS names it."""
    if not run.adjusts:
        return run.kind
    return "adjustment" if run.kind == "stipend" else "bonus_adjustment"
