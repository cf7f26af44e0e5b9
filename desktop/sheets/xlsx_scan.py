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
# A row start, or a cell with content (a self-closing <c .../> holds only a style).
_TOKEN = re.compile(rb"<(?:[\w.-]+:)?(?:(row)\b([^>]*)>|c\b([^>]*?)(?<!/)>(.*?)</(?:[\w.-]+:)?c>)",
                    re.S)
_START = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)[\s>/]")
_REF = re.compile(rb'\br\s*=\s*["\']([A-Z]{0,3})(\d*)["\']')
_ERROR_TYPE = re.compile(rb'\bt\s*=\s*["\']e["\']')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v[\s>/]")
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
    state = _State()
    buffer = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            buffer += chunk
            cut = _last_start(buffer)
            if cut > 0:
                state.feed(buffer[:cut])
                buffer = buffer[cut:]
    state.feed(buffer)
    return state.result


def _last_start(buffer: bytes) -> int:
    """Where the last row or cell begins: everything before it is whole."""
    pos = len(buffer)
    while (pos := buffer.rfind(b"<", 0, pos)) > 0:
        if _START.match(buffer, pos):
            return pos
    return 0


class _State:
    """The running position (for rows and cells written without an r attribute)."""

    def __init__(self) -> None:
        self.result = SheetScan()
        self.row = -1
        self.col = -1

    def feed(self, data: bytes) -> None:
        result = self.result
        for match in _TOKEN.finditer(data):
            if match.group(1):
                self._row(match.group(2))
                continue
            attrs, body = match.group(3), match.group(4)
            ref = _REF.search(attrs)
            if ref and ref.group(1):
                self.col = _column_index(ref.group(1))
                if ref.group(2):
                    self.row = int(ref.group(2)) - 1
            else:
                self.col += 1
            if self.row > result.max_row:
                result.max_row = self.row
            if self.col > result.max_col:
                result.max_col = self.col
            if _ERROR_TYPE.search(attrs):
                text = _VALUE_TEXT.search(body)
                self._flag(ERROR_VALUE, text.group(1).decode(errors="replace") if text else "")
            elif _FORMULA.search(body) and not _VALUE.search(body):
                self._flag(NO_RESULT, "")
            elif len(body) > 20 and (number := _LONG_INT.search(body)):
                result.exact_ints[self.row, self.col] = int(number.group(1))

    def _row(self, attrs: bytes) -> None:
        ref = _REF.search(attrs)
        self.row = int(ref.group(2)) - 1 if ref and ref.group(2) else self.row + 1
        self.col = -1

    def _flag(self, kind: str, text: str) -> None:
        if len(self.result.flagged) < MAX_FLAGGED:
            self.result.flagged[self.row, self.col] = (kind, text)


def _column_index(letters: bytes) -> int:
    """b'A' -> 0, b'AA' -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1
