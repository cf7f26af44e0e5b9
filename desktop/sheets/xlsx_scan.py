"""One streaming pass over an .xlsx sheet's XML for what calamine does not tell.

python-calamine gives values fast, but shows an Excel error value (#N/A, #REF! …)
and a formula without a saved result both as an empty cell, reads every number
as a float (an 18-digit ID typed as a number loses its last digits on the way,
though the file holds them all), and builds a dense grid of the used range (one
stray cell at XFD1048576 would ask for billions of cells). `scan_sheet` reads the
sheet part in chunks with byte-level regular expressions and keeps only what is
found: flagged cells, exact long integers and the extent of the cells that hold
a value. Rows and cells without a value (formatting to row 1,048,576) are skipped
by the regular expression engine and cost no Python work and no memory.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

ERROR_VALUE = "error"
NO_RESULT = "no_result"
MAX_FLAGGED = 1_000  # enough to show a clerk; a sheet of errors is refused anyway
_CHUNK = 1 << 20
_PREFIX = re.compile(rb"<([\w.-]+:)?sheetData[\s>/]")
_REF = re.compile(rb'\br\s*=\s*["\']([A-Z]{0,3})(\d*)["\']')
_ERROR_TYPE = re.compile(rb'\bt\s*=\s*["\']e["\']')
_STR_TYPE = re.compile(rb'\bt\s*=\s*["\']str["\']')
_VALUE_TEXT = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
_LONG_INT = re.compile(rb"<(?:[\w.-]+:)?v>\s*(-?\d{16,})\s*<")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class SheetScan:
    """What the scan found in one sheet; positions are 0-based (row, column)."""

    flagged: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    exact_ints: dict[tuple[int, int], int] = field(default_factory=dict)
    max_row: int = -1
    max_col: int = -1


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from workbook.xml and its rels."""
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        parts[sheet.get("name", "")] = path
    return parts


def scan_sheet(archive: zipfile.ZipFile, member: str) -> SheetScan:
    """Scan the sheet XML in `member` of `archive` (see the module docstring)."""
    state: _State | None = None
    buffer = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            buffer += chunk
            if state is None:
                found = _PREFIX.search(buffer)
                if found is None and len(buffer) < 64 * _CHUNK:
                    continue
                state = _State(found.group(1) or b"" if found else b"")
            cut = state.last_start(buffer)
            if cut > 0:
                state.feed(buffer[:cut])
                buffer = buffer[cut:]
    state = state or _State(b"")
    state.feed(buffer)
    return state.result


class _State:
    """Finds the cells with content by their closing tag (bytes.find runs at C speed;
    cells that only carry a style are self-closing and never looked at). The running
    row count serves cells written without an r attribute."""

    def __init__(self, prefix: bytes) -> None:
        self.result = SheetScan()
        self.close = b"</" + prefix + b"c>"
        self.opens = (b"<" + prefix + b"c ", b"<" + prefix + b"c>")
        self.row_open = b"<" + prefix + b"row"
        self.value = (b"<" + prefix + b"v>", b"<" + prefix + b"v ")
        self.formula = (b"<" + prefix + b"f>", b"<" + prefix + b"f ", b"<" + prefix + b"f/")
        self.rows_before = 0
        self.row = self.col = -1

    def last_start(self, buffer: bytes) -> int:
        """Where the last row or cell begins: everything before it is whole."""
        return max(buffer.rfind(self.row_open), *(buffer.rfind(o) for o in self.opens), 0)

    def feed(self, data: bytes) -> None:
        pos = 0
        while (end := data.find(self.close, pos)) >= 0:
            start = max(data.rfind(o, pos, end) for o in self.opens)
            pos = end + len(self.close)
            if start < 0:
                continue
            gt = data.find(b">", start)
            self._cell(data, start, data[start:gt], data[gt + 1:end])
        self.rows_before += data.count(self.row_open)

    def _cell(self, data: bytes, start: int, attrs: bytes, body: bytes) -> None:
        result = self.result
        ref = _REF.search(attrs)
        if ref and ref.group(1) and ref.group(2):
            row, col = int(ref.group(2)) - 1, _column_index(ref.group(1))
        else:
            row, col = self._position(data, start)
        self.row, self.col = row, col
        result.max_row = max(result.max_row, row)
        result.max_col = max(result.max_col, col)
        if _ERROR_TYPE.search(attrs):
            text = _VALUE_TEXT.search(body)
            self._flag(ERROR_VALUE, text.group(1).decode(errors="replace") if text else "")
        elif any(f in body for f in self.formula) and not self._has_result(attrs, body):
            self._flag(NO_RESULT, "")
        elif len(body) > 20 and (number := _LONG_INT.search(body)):
            result.exact_ints[row, col] = int(number.group(1))

    def _has_result(self, attrs: bytes, body: bytes) -> bool:
        """A saved result: a <v> with text, or an empty one for a text formula (t="str");
        openpyxl and other generators write an empty <v></v> for 'not calculated'."""
        if not any(v in body for v in self.value):
            return False
        text = _VALUE_TEXT.search(body)
        return bool(text and text.group(1).strip()) or _STR_TYPE.search(attrs) is not None

    def _position(self, data: bytes, start: int) -> tuple[int, int]:
        """(row, col) of a cell without an r attribute, counted from its row's start."""
        row_start = data.rfind(self.row_open, 0, start)
        if row_start < 0:
            return self.row, self.col + 1
        ref = _REF.search(data, row_start, data.find(b">", row_start))
        row = (int(ref.group(2)) - 1 if ref and ref.group(2)
               else self.rows_before + data.count(self.row_open, 0, row_start + 1) - 1)
        col = sum(data.count(o, row_start, start) for o in self.opens)
        col += data.count(b"<" + self.opens[0][1:-2] + b"c/>", row_start, start)
        return row, col

    def _flag(self, kind: str, text: str) -> None:
        if len(self.result.flagged) < MAX_FLAGGED:
            self.result.flagged[self.row, self.col] = (kind, text)


def _column_index(letters: bytes) -> int:
    """b'A' -> 0, b'AA' -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1
