"""The yearly subsidy policy (补贴标准, POLICY.md §2): set and show.

A year starts from the amounts of the source documents (`default_policy`); each
change is given in yuan as a clerk types it and stored as integer fen.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from desktop.db import policies
from desktop.db.connection import Database, transaction
from desktop.domain.money import format_fen, parse_yuan
from desktop.domain.subsidy import (
    GRADE_LABELS, GRADES, MAX_YEAR, MIN_YEAR, PRORATION_LABELS, SubsidyPolicy, check_policy,
    default_policy,
)
from desktop.errors import UserError
from desktop.services import ownership
from desktop.domain import access as acl
from desktop.services.users import require

YuanInput = str | int | Decimal


def missing_policy_message(year: int) -> str:
    """The refusal shown when a calculation needs a year that has no policy."""
    return f"{year}年度尚未设置补贴标准，请先在“补贴发放 → 补贴标准”中设置该年度的补贴标准"


def require_policy(db: Database, year: int) -> SubsidyPolicy:
    """The usable policy of `year`; never another year's (POLICY.md §2), else UserError."""
    policy = policies.get_policy(db, year)
    if policy is None:
        raise UserError(missing_policy_message(year))
    reason = check_policy(policy)
    if reason:
        raise UserError(f"{year}年度补贴标准有误：{reason}")
    return policy


def set_policy(
    db: Database,
    year: int,
    *,
    monthly: YuanInput | None = None,
    excellent: YuanInput | None = None,
    good: YuanInput | None = None,
    competent: YuanInput | None = None,
    incompetent: YuanInput | None = None,
    proration: str | None = None,
    bonus_min_days: int | str | None = None,
    prorate_bonus: bool | None = None,
) -> SubsidyPolicy:
    """Create or change the policy of `year`; unset arguments keep the current value
    (or the default for a new year). Amounts are yuan; returns the saved policy."""
    require(db, acl.SET_POLICY)
    year = _year(year)
    # Read and saved in one write transaction: two changes at once (the settings
    # screen and `policy set`) both land, neither overwrites the other's fields.
    with transaction(db):
        ownership.require_editable(db, "subsidy_policy")
        base = policies.get_policy(db, year) or default_policy(year)
        bonus = dict(base.bonus_fen)
        for grade, value in zip(GRADES, (excellent, good, competent, incompetent)):
            if value is not None:
                bonus[grade] = _fen(value, f"{GRADE_LABELS[grade]}等次绩效补贴")
        changes: dict[str, Any] = {"bonus_fen": bonus}
        if monthly is not None:
            changes["monthly_stipend_fen"] = _fen(monthly, "每月工作补贴")
        if proration is not None:
            changes["proration"] = _proration(proration)
        if bonus_min_days is not None:
            changes["bonus_min_posted_days"] = _days(bonus_min_days)
        if prorate_bonus is not None:
            changes["prorate_bonus"] = bool(prorate_bonus)
        policy = dataclasses.replace(base, **changes)
        reason = check_policy(policy)
        if reason:
            raise UserError(reason)
        policies.upsert_policy(db, policy)
        return policy


def show_policy(db: Database, year: int) -> SubsidyPolicy:
    """The recorded policy of `year`; UserError when the year has none."""
    return require_policy(db, _year(year))


def list_policies(db: Database) -> list[SubsidyPolicy]:
    """Every recorded policy, oldest year first."""
    return policies.list_policies(db)


def policy_as_json(policy: SubsidyPolicy) -> dict[str, Any]:
    """The policy as plain JSON values (amounts in fen), for `policy show --json`."""
    return {
        "year": policy.year,
        "monthly_stipend_fen": policy.monthly_stipend_fen,
        "bonus_fen": {grade: policy.bonus_fen[grade] for grade in GRADES},
        "proration": policy.proration,
        "bonus_min_posted_days": policy.bonus_min_posted_days,
        "prorate_bonus": policy.prorate_bonus,
    }


def policy_from_json(data: dict[str, Any]) -> SubsidyPolicy:
    """The inverse of `policy_as_json` (runs keep the policy they used this way)."""
    return SubsidyPolicy(
        year=int(data["year"]),
        monthly_stipend_fen=int(data["monthly_stipend_fen"]),
        bonus_fen={grade: int(data["bonus_fen"][grade]) for grade in GRADES},
        proration=data["proration"],
        bonus_min_posted_days=int(data["bonus_min_posted_days"]),
        prorate_bonus=bool(data["prorate_bonus"]),
    )


def policy_lines(policy: SubsidyPolicy) -> list[str]:
    """The policy as lines a clerk reads (terminal and settings summary)."""
    bonus = "；".join(f"{GRADE_LABELS[g]} {format_fen(policy.bonus_fen[g])} 元" for g in GRADES)
    return [
        f"{policy.year}年度补贴标准",
        f"每月工作补贴：{format_fen(policy.monthly_stipend_fen)} 元",
        f"绩效补贴：{bonus}",
        f"不足整月的折算方式：{PRORATION_LABELS[policy.proration]}",
        f"领取绩效补贴的最低驻企天数：{policy.bonus_min_posted_days} 天",
        f"绩效补贴按驻企天数折算：{'是' if policy.prorate_bonus else '否'}",
    ]


def _year(year: int | str) -> int:
    try:
        value = int(str(year).strip())
    except ValueError:
        raise UserError(f"年度格式不正确：{year}") from None
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise UserError(f"补贴标准年度须在{MIN_YEAR}至{MAX_YEAR}之间")
    return value


def _fen(value: YuanInput, what: str) -> int:
    try:
        return parse_yuan(value)
    except UserError as err:
        raise UserError(f"{what}：{err}") from None


def _proration(value: str) -> str:
    text = value.strip()
    by_label = {label: code for code, label in PRORATION_LABELS.items()}
    code = by_label.get(text, text)
    if code not in PRORATION_LABELS:
        raise UserError("不足整月的折算方式须为“按日折算”(daily)或“按半月计”(half_month)")
    return code


def _days(value: int | str) -> int:
    try:
        days = int(str(value).strip())
    except ValueError:
        raise UserError(f"最低驻企天数须为整数：{value}") from None
    if not 0 <= days <= 366:
        raise UserError("领取绩效补贴的最低驻企天数须在0至366天之间")
    return days
