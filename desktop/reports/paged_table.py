"""A long table that splits page by page in time proportional to the page.

ReportLab's `Table` splits a long table by building a new table of all the rows
left and measuring it again, spans included, once per page: the cost of a table
grows with the square of its rows (a 4,000-line subsidy sheet took 32 s, a
1,000-line one 2.8 s). `PagedTable` measures every row once, up front, and on
each split builds a `Table` of the header and just the rows that fit, so each
page costs what its own rows cost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Table, TableStyle

RowCommands = Callable[[int], list]  # a row's own style commands, given its index in a table


@dataclass(frozen=True)
class TableRows:
    """The parts of one long table: a header row repeated on every page, the body
    rows, style commands for every table, and per body row its own commands."""

    header: list
    rows: Sequence[list]
    col_widths: Sequence[float]
    commands: Sequence[tuple]
    row_commands: Sequence[RowCommands | None]


class PagedTable(Flowable):
    """`rows` as tables of one page each, the header repeated on every page."""

    def __init__(self, parts: TableRows, heights: Sequence[float] | None = None,
                 start: int = 0) -> None:
        super().__init__()
        self._parts = parts
        self._heights = list(heights) if heights is not None else _measure(parts)
        self._start = start  # the first body row this part holds

    @property
    def _header_height(self) -> float:
        return self._heights[0]

    def _body_heights(self) -> list[float]:
        return self._heights[1 + self._start:]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The whole rest of the table's size; the frame splits it when it does not fit."""
        self.width = sum(self._parts.col_widths)
        self.height = self._header_height + sum(self._body_heights())
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The rows that fit in `avail_height` as a table, and a PagedTable of the rest."""
        fit, used = 0, self._header_height
        for height in self._body_heights():
            if used + height > avail_height:
                break
            used += height
            fit += 1
        if fit == 0:
            return self._oversized_row(avail_width, avail_height)
        end = self._start + fit
        parts = [self._table(self._start, end)]
        if end < len(self._parts.rows):
            parts.append(PagedTable(self._parts, self._heights, end))
        return parts

    def _oversized_row(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # Nothing fits here. Usually the frame then moves on to a fresh page; only a
        # row taller than a whole page is cut inside the row, by ReportLab's own table
        # (measured afresh: its pieces get their own heights).
        page_height = getattr(getattr(self, "_frame", None), "_aH", 0)  # set by the frame
        if self._header_height + self._body_heights()[0] <= page_height:
            return []
        first = self._table(self._start, self._start + 1, measured=False)
        first.splitInRow = 1
        first.wrap(avail_width, avail_height)
        pieces = first.split(avail_width, avail_height)
        if not pieces:
            return []
        rest = ([PagedTable(self._parts, self._heights, self._start + 1)]
                if self._start + 1 < len(self._parts.rows) else [])
        return [*pieces, *rest]

    def draw(self) -> None:
        """Everything left fits where the frame put it: draw it as one table."""
        table = self._table(self._start, len(self._parts.rows))
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)

    def _table(self, start: int, end: int, *, measured: bool = True) -> Table:
        parts = self._parts
        heights = [self._header_height, *self._heights[1 + start:1 + end]] if measured else None
        table = Table([parts.header, *parts.rows[start:end]], colWidths=list(parts.col_widths),
                      rowHeights=heights, repeatRows=1)
        table.setStyle(TableStyle(_commands(parts, start, end)))
        return table


def _measure(parts: TableRows) -> list[float]:
    """Every row's height (the header's first), from one layout of the whole table."""
    table = Table([parts.header, *parts.rows], colWidths=list(parts.col_widths))
    table.setStyle(TableStyle(_commands(parts, 0, len(parts.rows))))
    table.wrap(sum(parts.col_widths), 1e9)
    return list(table._rowHeights)  # ReportLab keeps the measured heights here


def _commands(parts: TableRows, start: int, end: int) -> list:
    """The style of a table of the header and body rows start..end."""
    commands = list(parts.commands)
    for index, extra in enumerate(parts.row_commands[start:end], start=1):
        if extra is not None:
            commands += extra(index)
    return commands
