"""The audit log as a paged table model: a page of 200 entries at a time, newest
first, the total counted off the GUI thread (the log grows past 100,000 rows)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.domain.access import operator_name
from desktop.domain.audit_view import AuditFilter
from desktop.domain.registry import Page
from desktop.services import audit_log
from desktop.views.paged_model import Column, PagedTableModel

if TYPE_CHECKING:
    from desktop.db.connection import Database

AUDIT_COLUMNS = (
    Column("编号", lambda e, _: str(e.id), "id", numeric=True),
    Column("时间（本地时间）", lambda e, _: e.local_at, "id"),
    Column("操作人", lambda e, _: operator_name(e.operator)),
    Column("表", lambda e, _: e.table_label),
    Column("记录", lambda e, _: e.row_id),
    Column("操作", lambda e, _: e.action_label),
    Column("变更内容", lambda e, _: e.summary()),
)
WIDTHS = (64, 150, 120, 110, 110, 80)


class AuditModel(PagedTableModel):
    """The entries the current AuditFilter selects, newest first (the one order)."""

    columns = AUDIT_COLUMNS

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(db, parent)
        self.filter = AuditFilter()

    def set_filter(self, f: AuditFilter) -> None:
        """Show the entries `f` selects from the first page; a filter the service
        refuses (UserError) leaves the list as it was."""
        audit_log.check_filter(self.db, f)  # before the reset: a refusal mid-reset breaks the view
        self.filter = f
        self.reload()

    def fetch(self, offset: int, limit: int) -> Page:
        f = dataclasses.replace(self.filter, offset=offset, limit=limit)
        return audit_log.list_entries(self.db, f, count=False)

    def count_function(self) -> Callable[[Database], tuple[int, dict]]:
        f = self.filter
        return lambda db: audit_log.count_entries(db, f)

    def sort(self, column: int, order: Any = None) -> None:
        """Always newest first: the log's own order."""
