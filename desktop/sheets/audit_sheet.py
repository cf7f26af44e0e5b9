"""The 审计日志 export as a printable workbook: A4 landscape fitted to the page
width, the title and column headers repeated on every page and frozen on screen,
wrapped long cells, page numbers. Streamed in write-only mode (a log of 150,000
rows never sits in memory) through desktop.sheets.styled_rows."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.sheets.styled_rows import CellStyle, styled_sheet

SHEET_TITLE = "审计日志"
HEADERS = ("编号", "时间（本地时间）", "操作人", "表", "记录", "操作", "变更内容")
WIDTHS = (8, 19, 30, 14, 21, 9, 52)
LAST_COLUMN = get_column_letter(len(WIDTHS))
HEADER_ROWS = 3  # title, the filter and chain line, column headers
LINE_HEIGHT = 14.5
CJK_UNITS = 1.7  # column-width units one CJK character takes (宋体 10 pt)
_WRAPPED = (2, 4, 6)  # operator, record, change (0-based)
_WIDE = re.compile("[^\x00-\u2e7f]")


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as printed."""

    entry_id: int
    at: str
    operator: str
    table: str
    record: str
    action: str
    change: str

    def texts(self) -> tuple[str, ...]:
        return (str(self.entry_id), self.at, self.operator, self.table, self.record,
                self.action, self.change)


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)


def _styles(ws: object) -> dict[str, CellStyle]:
    wrap = Alignment(horizontal="left", vertical="top", wrap_text=True)
    center = Alignment(horizontal="center", vertical="top", wrap_text=True)
    return {
        "text": CellStyle(ws, text=True, alignment=wrap, border=_BOX, font=_FONT),
        "center": CellStyle(ws, text=True, alignment=center, border=_BOX, font=_FONT),
        "number": CellStyle(ws, alignment=center, number_format="0", border=_BOX, font=_FONT),
        "header": CellStyle(ws, text=True, border=_BOX, font=_BOLD,
                            alignment=Alignment(horizontal="center", vertical="center",
                                                wrap_text=True),
                            fill=PatternFill("solid", fgColor="DDEBF7")),
        "title": CellStyle(ws, text=True, font=Font(name="黑体", bold=True, size=16),
                           alignment=Alignment(horizontal="center", vertical="center")),
        "plain": CellStyle(ws, text=True, font=_FONT,
                           alignment=Alignment(vertical="center", wrap_text=True)),
    }


def write_audit_sheet(path: str | Path, *, title: str, status_line: str, total: int,
                      lines: Iterable[AuditLine],
                      on_row: Callable[[int], None] | None = None) -> int:
    """Write `lines` (there are `total` of them) under `title`; returns how many
    rows were written. `on_row(count)` is called after each row (progress)."""
    wb = Workbook(write_only=True)
    ws = styled_sheet(wb, SHEET_TITLE)
    styles = _styles(ws)
    # Write-only sheets emit their set-up with the first row: set it all first.
    _print_setup(ws, HEADER_ROWS + max(total, 1))
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[2].height = 2 * LINE_HEIGHT + 2
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    ws.append([styles["title"](title)])
    ws.merged_cells.add(f"A1:{LAST_COLUMN}1")
    ws.append([styles["plain"](status_line)])
    ws.merged_cells.add(f"A2:{LAST_COLUMN}2")
    ws.append([styles["header"](h) for h in HEADERS])
    try:
        written = _write_lines(ws, styles, lines, on_row)
    except BaseException:
        # Cancelled or failed: finish the sheet's stream now, or its generator
        # writes into a closed file when it is collected (an unraisable error).
        ws.close()
        raise
    wb.save(str(path))
    return written


def _write_lines(ws: object, styles: dict[str, CellStyle], lines: Iterable[AuditLine],
                 on_row: Callable[[int], None] | None) -> int:
    written = 0
    for row, line in enumerate(lines, start=HEADER_ROWS + 1):
        texts = line.texts()
        # A streamed row does not grow by itself in Excel or WPS: size it here.
        height = max(_text_lines(texts[k], WIDTHS[k]) for k in _WRAPPED)
        ws.row_dimensions[row].height = LINE_HEIGHT * height + 3  # type: ignore[attr-defined]
        ws.append([styles["number"](line.entry_id),  # type: ignore[attr-defined]
                   styles["center"](line.at),
                   styles["text"](line.operator), styles["center"](line.table),
                   styles["text"](line.record), styles["center"](line.action),
                   styles["text"](line.change)])
        written += 1
        if on_row is not None:
            on_row(written)
    return written


def _text_lines(text: str, width: float) -> int:
    room = max(width - 1, 1)
    wide = len(_WIDE.findall(text))
    return max(1, math.ceil((wide * CJK_UNITS + len(text) - wide) / room))


def _print_setup(ws: object, last_row: int) -> None:
    setup = ws.page_setup  # type: ignore[attr-defined]
    setup.orientation = "landscape"
    setup.paperSize = "9"  # A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]
    ws.print_options.horizontalCentered = True  # type: ignore[attr-defined]
    margins = ws.page_margins  # type: ignore[attr-defined]
    margins.left = margins.right = 0.4
    margins.top, margins.bottom = 0.7, 0.7
    ws.print_title_rows = f"1:{HEADER_ROWS}"  # type: ignore[attr-defined]
    ws.print_area = f"A1:{LAST_COLUMN}{last_row}"  # type: ignore[attr-defined]
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"  # type: ignore[attr-defined]
