"""Streaming styled cells into a write-only sheet at about the cost of plain values.

A printed form styles every table cell (a box border at least). openpyxl's write-only
`append` takes a styled cell the slow way: the caller builds a new Cell per value,
openpyxl first tries each cell as a plain value (raising and catching ValueError),
then hashes its style to find the style id. For the 120,000-cell subsidy sheet that
made the workbook 2.3x the cost of the same values unstyled.

Here a row is a list of the pairs `CellStyle(value)` makes (or None for a cell not
written). Each CellStyle keeps one Cell whose style id is looked up once; the sheet's row generator
puts the value and position into it and hands it to openpyxl's own cell writer, which
writes it before the next pair is taken (openpyxl reuses one cell for plain values
the same way). The XML is exactly what openpyxl writes for the same styled cells.

Text goes through the same rules as desktop.sheets.safe: always a string cell (never
a formula), XML-illegal characters dropped, and Excel's quotePrefix on text starting
with a formula character.

Two openpyxl internals are used, held by the version range in pyproject.toml and by
tests/sheets/test_styled_rows.py: WriteOnlyWorksheet._values_to_row (the per-row cell
generator) and Workbook._add_sheet (what create_sheet does after construction).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from desktop.sheets.safe import RISKY_LEADING, clean_text

Pair = tuple[Any, "_StyledCell"]


class _StyledCell(Cell):
    """A reusable cell whose style id is fixed (the base class looks it up per call)."""

    __slots__ = ("style_id",)
    has_style = True


class CellStyle:
    """One cell style; `style(value)` makes the (value, style) pair a row holds.

    `text=True` styles hold strings (data type 's'); other styles hold numbers or None.
    Style attributes are openpyxl's: font, border, alignment, fill, number_format.
    """

    def __init__(self, ws: WriteOnlyWorksheet, *, text: bool = False, **style: Any) -> None:
        self._ws = ws
        self.text = text
        probe = Cell(ws)
        for name, value in style.items():
            setattr(probe, name, value)
        self._style = StyleArray(probe._style)
        self._cell = self._make_cell(self._style)
        self._quoted: _StyledCell | None = None

    def _make_cell(self, style: StyleArray) -> _StyledCell:
        cell = _StyledCell(self._ws, row=1, column=1, style_array=style)
        cell.style_id = self._ws.parent._cell_styles.add(cell._style)
        cell.data_type = "s" if self.text else "n"
        return cell

    def __call__(self, value: Any = None) -> Pair:
        if not self.text:
            return value, self._cell
        text = "" if value is None else clean_text(value)
        if text.startswith(RISKY_LEADING):
            return text, self._quoted_cell()
        return text, self._cell

    def _quoted_cell(self) -> _StyledCell:
        """The same style with Excel's quotePrefix: text that stays text when edited."""
        if self._quoted is None:
            quoted = StyleArray(self._style)
            quoted.quotePrefix = 1
            self._quoted = self._make_cell(quoted)
        return self._quoted


class StyledSheet(WriteOnlyWorksheet):
    """A write-only worksheet whose rows are sequences of CellStyle pairs or None."""

    def _values_to_row(self, values: Sequence[Pair | None],
                       row_idx: int) -> Iterator[Cell]:
        for column, pair in enumerate(values, 1):
            if pair is None:
                continue
            if type(pair) is not tuple:
                raise TypeError(f"styled rows hold CellStyle pairs or None, not {pair!r}")
            value, cell = pair
            cell._value = value
            cell.column = column
            cell.row = row_idx
            yield cell


def styled_sheet(wb: Workbook, title: str) -> StyledSheet:
    """A new StyledSheet in the write-only workbook `wb`, like `wb.create_sheet(title)`."""
    if not wb.write_only:
        raise ValueError("styled_sheet needs a write-only workbook")
    ws = StyledSheet(parent=wb, title=title)
    wb._add_sheet(ws)
    return ws
