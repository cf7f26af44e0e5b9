"""The 问题清单 table: a page at a time from services.problems.list_problems
(soonest deadline first), overdue rows in red AND with their 逾期天数 written
out, so the mark survives a colour-blind eye or a grey-scale screenshot."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.domain import problems as rules
from desktop.domain.problems import ProblemFilter
from desktop.domain.registry import Page
from desktop.services import problems
from desktop.views.paged_model import Column, Index, PagedTableModel

if TYPE_CHECKING:
    from desktop.db.connection import Database

OVERDUE_COLOR = QColor("#c0282d")


def overdue_text(days: int) -> str:
    """'逾期 12 天', or '' when on time."""
    return f"逾期 {days} 天" if days > 0 else ""


def status_text(p: rules.Problem) -> str:
    """The status with the rating of a closed problem: 已办结·满意."""
    status = rules.STATUS_LABELS.get(p.status, p.status)
    return f"{status}·{rules.EVALUATION_LABELS[p.evaluation]}" if p.evaluation else status


# Each row is (ProblemRow, None): PagedTableModel's (record, summary) pairs.
PROBLEM_COLUMNS = (
    Column("办结时限", lambda r, _: r.problem.deadline.isoformat()),
    Column("逾期", lambda r, _: overdue_text(r.days_overdue)),
    Column("状态", lambda r, _: status_text(r.problem)),
    Column("乡镇", lambda r, _: r.township),
    Column("组织名称", lambda r, _: r.organization_name),
    Column("问题描述", lambda r, _: r.problem.description),
    Column("责任单位", lambda r, _: r.problem.responsible_unit),
    Column("问题类别", lambda r, _: rules.CATEGORY_LABELS.get(r.problem.category, "")),
    Column("发现日期", lambda r, _: r.problem.found_on.isoformat()),
)
WIDTHS = (86, 74, 112, 64, 190, 230, 100, 76, 86)
DEADLINE_COLUMN = 0


class ProblemModel(PagedTableModel):
    """The problems the current ProblemFilter keeps, as of `as_of` (today)."""

    columns = PROBLEM_COLUMNS

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(db, parent)
        self.filter = ProblemFilter()
        self.as_of = date.today()
        self.sort_column = DEADLINE_COLUMN  # the service's only order: the indicator says so

    def set_filter(self, f: ProblemFilter) -> None:
        """Show the problems `f` keeps (offset and limit are ours)."""
        self.filter = dataclasses.replace(f, as_of=f.as_of or self.as_of)
        self.reload()

    def fetch(self, offset: int, limit: int) -> Page:
        f = dataclasses.replace(self.filter, offset=offset, limit=limit)
        page = problems.list_problems(self.db, f, count=False)
        return Page(rows=tuple((row, None) for row in page.rows))

    def count_function(self) -> Callable[[Database], tuple[int, dict]]:
        f = dataclasses.replace(self.filter, offset=0, limit=0)
        return lambda db: _count(db, f)

    def extra_of(self, rows: tuple) -> dict:
        return {"overdue": sum(row.overdue for row, _ in rows)}

    @property
    def overdue(self) -> int:
        """How many of the filtered problems are overdue."""
        return int(self.extra.get("overdue", 0) or 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            item = self.row_at(index.row()) if index.isValid() else None
            return QBrush(OVERDUE_COLOR) if item is not None and item[0].overdue else None
        return super().data(index, role)


def _count(db: Database, f: ProblemFilter) -> tuple[int, dict]:
    total = problems.list_problems(db, f).total
    overdue = total if f.overdue else problems.list_problems(
        db, dataclasses.replace(f, overdue=True)).total
    return total, {"overdue": overdue}
