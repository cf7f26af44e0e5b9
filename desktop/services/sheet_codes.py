"""`check --code`: is a printed sheet's 审计校验码 a link of this database's audit
chain, and does the run it locked still match it (desktop.db.sheet_codes)."""

from __future__ import annotations

from desktop.db import sheet_codes as store
from desktop.db.connection import Database
from desktop.domain.money import format_fen
from desktop.domain.periods import parse_period
from desktop.errors import UserError


def require_code(text: str) -> str:
    """A typed code's hex digits; refused unless it has at least 16 of them and nothing else."""
    digits = store.normalize_code(text)
    if digits is None:
        raise UserError(f"校验码应为发放表上印的 {store.CODE_HEX} 位数字和字母（0-9、a-f）：{text}")
    return digits


def check_code(db: Database, text: str) -> tuple[str, list[str]]:
    """(a line saying what the code names, problems in Chinese). The line is
    empty when there are problems; a code that is not 16 hex digits is refused."""
    digits = require_code(text)
    shown = store.format_code(digits)
    result = store.check_code(db, digits)
    if result.problems:
        return "", [f"校验码 {shown}：{problem}" for problem in result.problems]
    try:
        period = parse_period(result.period).label_zh
    except (UserError, ValueError):
        period = result.period
    return (f"校验码 {shown} 有效：{period}的发放批次（{result.line_count} 人，"
            f"合计 {format_fen(result.total_fen)} 元）与数据库一致"), []
