"""A long table that splits page by page in time proportional to the page.

ReportLab's `Table` splits a long table by building a new table of all the rows
left and measuring it again, spans included, once per page: the cost of a table
grows with the square of its rows (a 4,000-line subsidy sheet took 32 s, a
1,000-line one 2.8 s). Measuring one big table is quadratic too (its height loop
looks for the next unmeasured row from the top, and sums the rows so far, once
per row). `PagedTable` measures the rows once, up front, in tables of
`MEASURE_CHUNK` rows, keeps running sums of their heights, and on each split
builds a `Table` of the header and just the rows that fit, so each page costs
what its own rows cost.

`tail` flowables (signatures, an audit code) stay on the page of the last rows:
the last piece is the last rows and the tail, never the tail alone.

Each page's table is a `TextBatchTable`: ReportLab draws every line of a string
cell as its own text object (BT … ET, a fresh text matrix, font and colour); a
page of a long sheet has ~300 of them. Ours writes the lines of consecutive
string cells into one text object.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

RowCommands = Callable[[int], list]  # a row's own style commands, given its index in a table
MEASURE_CHUNK = 64  # rows per measuring table: long enough to amortize, short enough to stay linear


@dataclass(frozen=True)
class TableRows:
    """The parts of one long table: a header row repeated on every page, the body
    rows, style commands for every table, and per body row its own commands."""

    header: list
    rows: Sequence[list]
    col_widths: Sequence[float]
    commands: Sequence[tuple]
    row_commands: Sequence[RowCommands | None]
    tail: Sequence[Flowable] = field(default=())


@dataclass(frozen=True)
class _Measures:
    """Row heights measured once: the header's, and running sums of the body's."""

    header: float
    ends: list[float]  # ends[k]: the height of body rows 0..k-1 (ends[0] == 0)


class PagedTable(Flowable):
    """`rows` as tables of one page each, the header repeated on every page."""

    def __init__(self, parts: TableRows, measures: _Measures | None = None,
                 start: int = 0) -> None:
        super().__init__()
        self._parts = parts
        self._measures = measures if measures is not None else _measure(parts)
        self._start = start  # the first body row this part holds
        self._tail_heights: list[float] = []

    def _rows_height(self, start: int, end: int) -> float:
        ends = self._measures.ends
        return ends[end] - ends[start]

    def _row_count(self) -> int:
        return len(self._parts.rows)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The whole rest of the table's size, tail included; the frame splits it
        when it does not fit."""
        self.width = sum(self._parts.col_widths)
        self._tail_heights = [f.wrap(avail_width, avail_height)[1] + f.getSpaceBefore()
                              + f.getSpaceAfter() for f in self._parts.tail]
        self.height = (self._measures.header + self._rows_height(self._start, self._row_count())
                       + sum(self._tail_heights))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The rows that fit in `avail_height` as a table, and a PagedTable of the rest."""
        total = self._row_count()
        end = self._fitting_end(avail_height - self._measures.header)
        if end == total and self._parts.tail:
            # The rows fit, the tail does not: carry the last row over with the tail,
            # unless not even a fresh page holds both (then the tail goes on alone).
            end = total - 1
            if end == self._start:
                if not self._fresh_page_too_small():
                    return []
                return [self._table(self._start, total), *self._parts.tail]
        if end <= self._start:
            return self._oversized_row(avail_width, avail_height)
        return [self._table(self._start, end), PagedTable(self._parts, self._measures, end)]

    def _fitting_end(self, room: float) -> int:
        """The index after the last body row that fits in `room` below the header."""
        ends = self._measures.ends
        end = bisect_right(ends, ends[self._start] + room + 1e-6) - 1
        return min(max(end, self._start), self._row_count())

    def _page_height(self) -> float:
        return getattr(getattr(self, "_frame", None), "_aH", 0)  # set by the frame

    def _fresh_page_too_small(self) -> bool:
        """True when even a fresh page cannot hold the last row with the tail."""
        need = (self._measures.header + self._rows_height(self._start, self._start + 1)
                + sum(self._tail_heights))
        return need > self._page_height()

    def _oversized_row(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # Nothing fits here. Usually the frame then moves on to a fresh page; only a
        # row taller than a whole page is cut inside the row, by ReportLab's own table
        # (measured afresh: its pieces get their own heights).
        first_row = self._measures.header + self._rows_height(self._start, self._start + 1)
        if first_row <= self._page_height():
            return []
        first = self._table(self._start, self._start + 1, measured=False)
        first.splitInRow = 1
        first.wrap(avail_width, avail_height)
        pieces = first.split(avail_width, avail_height)
        if not pieces:
            return []
        rest = ([PagedTable(self._parts, self._measures, self._start + 1)]
                if self._start + 1 < self._row_count() else list(self._parts.tail))
        return [*pieces, *rest]

    def draw(self) -> None:
        """Everything left fits where the frame put it: the rows as one table, then the tail."""
        y = sum(self._tail_heights)
        table = self._table(self._start, self._row_count())
        table.wrapOn(self.canv, self.width, self.height - y)
        table.drawOn(self.canv, 0, y)
        for flowable, height in zip(self._parts.tail, self._tail_heights):
            y -= height
            flowable.drawOn(self.canv, 0, y + flowable.getSpaceAfter())

    def _table(self, start: int, end: int, *, measured: bool = True) -> Table:
        parts = self._parts
        heights = None
        if measured:
            ends = self._measures.ends
            heights = [self._measures.header,
                       *(ends[k + 1] - ends[k] for k in range(start, end))]
        table = TextBatchTable([parts.header, *parts.rows[start:end]],
                               colWidths=list(parts.col_widths), rowHeights=heights, repeatRows=1)
        table.setStyle(TableStyle(_commands(parts, start, end)))
        return table


def _measure(parts: TableRows) -> _Measures:
    """The header's height and the body rows' running heights, measured by
    ReportLab in tables of MEASURE_CHUNK rows (spans and styles as printed)."""
    header, heights = 0.0, []
    for start in range(0, max(len(parts.rows), 1), MEASURE_CHUNK):
        end = min(start + MEASURE_CHUNK, len(parts.rows))
        table = Table([parts.header, *parts.rows[start:end]], colWidths=list(parts.col_widths))
        table.setStyle(TableStyle(_commands(parts, start, end)))
        table.wrap(sum(parts.col_widths), 1e9)
        header, *body = table._rowHeights  # ReportLab keeps the measured heights here
        heights += body
    return _Measures(header, [0.0, *accumulate(heights)])


def _commands(parts: TableRows, start: int, end: int) -> list:
    """The style of a table of the header and body rows start..end."""
    commands = list(parts.commands)
    for index, extra in enumerate(parts.row_commands[start:end], start=1):
        if extra is not None:
            commands += extra(index)
    return commands


class TextBatchTable(Table):
    """A Table that draws all its plain-string cells in one text object.

    Positions are ReportLab's own (`Table._drawCell`'s formulas); cells with
    flowables, links, decimal alignment, bidi or shaping are left to ReportLab.
    """

    def draw(self) -> None:
        """Draw the table, its string cells' text batched."""
        self._batch = None
        super().draw()
        self._flush()

    def _flush(self) -> None:
        # Text goes out before any other cell is drawn, so the page's text keeps
        # the table's reading order (copying, extraction, screen readers).
        if self._batch is not None:
            self.canv.drawText(self._batch)
            self._batch = None

    def _drawCell(self, cellval, cellstyle, pos, size) -> None:  # noqa: N802 - ReportLab's name
        if not isinstance(cellval, str) or not _batchable(cellstyle):
            self._flush()
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        if not cellval:
            return
        if self._batch is None:
            self._batch = self.canv.beginText()
            self._batch_face, self._batch_color = None, None
        text, s = self._batch, cellstyle
        face = (s.fontname, s.fontsize, s.leading)
        if face != self._batch_face:
            text.setFont(*face)
            self._batch_face = face
        if s.color != self._batch_color:
            text.setFillColor(s.color)
            self._batch_color = s.color
        lines = cellval.split("\n")
        y = _first_baseline(s, pos[1], size[1], len(lines))
        for line in lines:
            text.setTextOrigin(_line_x(line, s, pos[0], size[0]), y)
            text.textOut(line)
            y -= s.leading


def _batchable(style) -> bool:
    return (style.alignment in ("LEFT", "CENTRE", "CENTER", "RIGHT") and not style.href
            and not style.destination and not style.direction and not style.shaping)


def _first_baseline(style, rowpos: float, rowheight: float, lines: int) -> float:
    if style.valign == "BOTTOM":
        return rowpos + style.bottomPadding + lines * style.leading - style.fontsize
    if style.valign == "TOP":
        return rowpos + rowheight - style.topPadding - style.fontsize
    return (rowpos + (style.bottomPadding + rowheight - style.topPadding + lines * style.leading)
            / 2.0 - style.fontsize)


def _line_x(line: str, style, colpos: float, colwidth: float) -> float:
    if style.alignment == "LEFT":
        return colpos + style.leftPadding
    width = stringWidth(line, style.fontname, style.fontsize)
    if style.alignment == "RIGHT":
        return colpos + colwidth - style.rightPadding - width
    return colpos + (colwidth + style.leftPadding - style.rightPadding) * 0.5 - width * 0.5
