"""Writing user text into cells safely: always a string cell, never a formula.

openpyxl turns any string starting with '=' into a live formula, and Excel treats
text starting with + - @ (and tab/CR on paste) as formula input (CSV/DDE
injection). Every workbook this app writes sends user text through
`write_text_cell` or `text_cell`: the cell gets data type 's' and, for the risky
leading characters, Excel's quotePrefix so the text stays text when edited.
Characters XML 1.0 cannot hold are dropped and Excel's cell limit is respected,
so a junk cell can never make a file unwritable.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell

RISKY_LEADING = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_CELL_CHARS = 32767
TEXT_FORMAT = "@"


def clean_text(value: Any) -> str:
    """`value` as a string a cell can hold: XML-illegal control characters removed,
    cut to Excel's 32,767-character limit."""
    text = value if isinstance(value, str) else str(value)
    # Fast path: printable text holds none of the illegal control characters.
    if not text.isprintable():
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:EXCEL_MAX_CELL_CHARS]


def write_text_cell(cell: Cell | WriteOnlyCell, value: Any, *, text_format: bool = False) -> Any:
    """Put `value` into `cell` as a plain string cell, never a formula.

    Works for normal cells and WriteOnlyCell. `text_format` also gives the cell
    the '@' (text) number format, for IDs, USCCs and bank numbers that the user
    may edit later. Returns the cell so it can be appended to a write-only row.
    """
    text = clean_text(value)
    cell.value = text
    # Assigning a string beginning with '=' made openpyxl mark it a formula; undo that.
    cell.data_type = "s"
    if text.startswith(RISKY_LEADING):
        cell.quotePrefix = True
    if text_format:
        cell.number_format = TEXT_FORMAT
    return cell


def text_cell(ws: Any, value: Any, *, text_format: bool = False) -> WriteOnlyCell:
    """A new WriteOnlyCell for `ws` holding `value` as safe text (for ws.append)."""
    return write_text_cell(WriteOnlyCell(ws), value, text_format=text_format)


def set_safe_value(cell: Cell | WriteOnlyCell, value: Any) -> Any:
    """Assign any value: strings go through write_text_cell, other types as they are.

    For generic code that writes whatever a row holds (numbers, dates, None, text).
    """
    if isinstance(value, str):
        return write_text_cell(cell, value)
    cell.value = value
    return cell


class TextCells:
    """Makes many safe text WriteOnlyCells quickly, for streaming exports.

    The style (text format) is built once and copied into each cell; risky text
    still goes through write_text_cell for its quotePrefix.
    """

    def __init__(self, ws: Any, *, text_format: bool = False) -> None:
        self._ws = ws
        self._text_format = text_format
        self._proto = write_text_cell(WriteOnlyCell(ws), "", text_format=text_format)

    def __call__(self, value: Any) -> WriteOnlyCell:
        """A string cell holding `value`."""
        text = clean_text(value)
        if text.startswith(RISKY_LEADING):
            return write_text_cell(WriteOnlyCell(self._ws), text, text_format=self._text_format)
        cell = WriteOnlyCell(self._ws, text)  # no leading '=': openpyxl types it 's'
        # Sharing the prototype's style array skips openpyxl's per-cell style lookups
        # (measured 2x); a write-only cell is serialized once and never restyled.
        cell._style = self._proto._style
        return cell
