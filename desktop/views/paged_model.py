"""The paged table model every long list uses (registry, problems, audit log),
fetching a page at a time (STYLE.md rule 8).

A list can hold 100,000 organizations; the view must never hold them all.
`PagedTableModel` reports the full row count (so the scroll bar is honest) and
keeps a small cache of pages: painting row 52,000 fetches just that page from
the service. Sorting and filtering change the service's filter and reload.

A reload reads only the first page, which an indexed sort finds in a few
milliseconds, and shows it at once; counting every match of a search word
reads the whole table, so when the page is full the count runs through
`count_runner` (the screen's worker thread) and the rows beyond the first page
appear when it arrives. Without a runner the count is taken on the spot.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.domain.registry import Page

if TYPE_CHECKING:
    from desktop.db.connection import Database

PAGE_SIZE = 200
MAX_CACHED_PAGES = 25  # 5,000 rows at most in memory per list
RECORD_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex
_ROLES_SERVED = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, RECORD_ROLE,
                           Qt.ItemDataRole.TextAlignmentRole})
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# (count function, what to do with its result): runs the count off the GUI thread.
CountRunner = Callable[[Callable[..., tuple[int, dict]], Callable[[tuple[int, dict]], None]], None]


@dataclass(frozen=True)
class Column:
    """One column: header, how to show a row, the service's sort key (None: not sortable)."""

    header: str
    text: Callable[[Any, Any], str]
    sort_key: str | None = None
    numeric: bool = False


def header_data(columns: Any, section: int, orientation: Qt.Orientation, role: int) -> Any:
    """headerData of a table whose columns have a `header`: column titles across,
    row numbers down."""
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if orientation == Qt.Orientation.Horizontal:
        return columns[section].header if 0 <= section < len(columns) else None
    return str(section + 1)


class PagedTableModel(QAbstractTableModel):
    """Rows of (record, summary) from a paged service; subclasses name the columns
    and how a page is fetched."""

    loaded = Signal()  # after every reload: the count label listens
    columns: tuple[Column, ...] = ()
    # Qt can call rowCount() on this object while its Python attributes do not
    # exist: during the base __init__, or during teardown when the wrapper's dict
    # is already cleared. The class default answers "no rows" then, instead of an
    # AttributeError inside Qt's event loop (the flaky view tests under load).
    _total = 0

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self._pages: OrderedDict[int, tuple] = OrderedDict()
        self._total = 0
        self.extra: dict = {}
        self.sort_column = 0
        self.descending = False
        self.counting = False  # the first page is shown, the total is on its way
        self.count_runner: CountRunner | None = None
        self._generation = 0

    # -- fetching -------------------------------------------------------
    def fetch(self, offset: int, limit: int) -> Page:
        """One page (rows only, total -1) from the service for the current filter and sort."""
        raise NotImplementedError

    def count_function(self) -> Callable[[Database], tuple[int, dict]]:
        """A function giving (total, extra) for the current filter on any connection."""
        raise NotImplementedError

    def extra_of(self, rows: tuple) -> dict:
        """`extra` worked out from the rows themselves, when they are the whole list."""
        return {}

    def reload(self) -> None:
        """Drop the cache and show the first page again (after a filter change or a
        write); the total follows from a count when the page is full."""
        self._generation += 1
        self.beginResetModel()
        self._pages.clear()
        page = self.fetch(0, PAGE_SIZE)
        self._store(0, page)
        self._total = len(page.rows)
        self.counting = len(page.rows) >= PAGE_SIZE
        self.extra = {} if self.counting else self.extra_of(page.rows)
        self.endResetModel()
        if self.counting:
            self._count(self._generation)
        self.loaded.emit()

    def _count(self, generation: int) -> None:
        count = self.count_function()
        done = lambda result: self._counted(generation, result)  # noqa: E731
        if self.count_runner is None:
            done(count(self.db))
        else:
            self.count_runner(count, done)

    def _counted(self, generation: int, result: tuple[int, dict]) -> None:
        """The total of a reload arrived; stale ones (the filter changed since) are dropped."""
        if generation != self._generation:
            return
        total, extra = result
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        elif total < self._total:  # rows went away between the page and the count
            self.beginResetModel()
            self._pages.clear()
            self._total = total
            self.endResetModel()
        self.extra = dict(extra)
        self.counting = False
        self.loaded.emit()

    def _store(self, number: int, page: Page) -> None:
        self._pages[number] = page.rows
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    def row_at(self, row: int) -> tuple | None:
        """(record, summary) of a row, fetching its page when it is not cached."""
        if not 0 <= row < self._total:
            return None
        number = row // PAGE_SIZE
        rows = self._pages.get(number)
        if rows is None:
            rows = self.fetch(number * PAGE_SIZE, PAGE_SIZE).rows
            self._store(number, Page(rows=rows))
        else:
            self._pages.move_to_end(number)
        within = row - number * PAGE_SIZE
        return rows[within] if within < len(rows) else None

    def record_at(self, row: int) -> Any:
        """The record of a row (an Organization, Instructor …), or None."""
        item = self.row_at(row)
        return item[0] if item else None

    @property
    def total(self) -> int:
        """How many records the current filter matches."""
        return self._total

    @property
    def cached_rows(self) -> int:
        """How many rows are held in memory now (the benchmark checks it)."""
        return sum(len(rows) for rows in self._pages.values())

    # -- Qt model interface ---------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return header_data(self.columns, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks every visible cell for half a dozen roles: refuse the
        # unused ones before any other work (measured: a third of the paint).
        if role not in _ROLES_SERVED or not index.isValid() \
                or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        item = self.row_at(index.row())
        if item is None:
            return None
        if role == RECORD_ROLE:
            return item[0]
        return column.text(*item)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column the service can sort by; others are ignored."""
        if not 0 <= column < len(self.columns) or self.columns[column].sort_key is None:
            return
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    @property
    def sort_key(self) -> str:
        return self.columns[self.sort_column].sort_key or "name"
