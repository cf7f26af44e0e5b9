"""The 问题、责任、时限清单 (PROBLEMS.md): every problem with who must solve it and
by when, as a printable workbook: A4 landscape, fitted to the page width, the
title and column headers repeated on every page, a print area, page numbers.
Overdue rows are shaded so they show on a black-and-white printer too.
Streamed in write-only mode through desktop.sheets.styled_rows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.sheets.safe import clean_text
from desktop.sheets.styled_rows import CellStyle, StyledSheet, styled_sheet

SHEET_TITLE = "问题、责任、时限清单"
HEADERS = ("序号", "乡镇（街道、园区）", "组织名称", "发现日期", "问题类别", "问题描述", "责任单位",
           "责任人", "办结时限", "状态", "逾期天数", "办结日期", "办理情况", "评价")
# 逾期天数 is wide enough for its header on one line (at 6 it printed 逾期天/数).
WIDTHS = (5, 10, 18, 10.5, 9, 30, 14, 7, 10.5, 8, 8, 10.5, 22, 8)
LAST_COLUMN = get_column_letter(len(WIDTHS))
HEADER_ROWS = 3  # title, as-of line, column headers
LINE_HEIGHT = 14.5
CJK_UNITS = 1.7  # column-width units one CJK character takes (宋体 10 pt)
_WRAPPED = (2, 5, 6, 12)  # columns of organization, description, unit, outcome (0-based)


@dataclass(frozen=True)
class ProblemLine:
    """One problem as printed (dates as text, labels in Chinese)."""

    township: str
    organization: str
    found_on: str
    category: str
    description: str
    responsible_unit: str
    responsible_person: str
    deadline: str
    status: str
    days_overdue: int
    closed_on: str
    outcome: str
    evaluation: str

    def cells(self) -> tuple[str, ...]:
        return (self.township, self.organization, self.found_on, self.category,
                self.description, self.responsible_unit, self.responsible_person,
                self.deadline, self.status, str(self.days_overdue or ""), self.closed_on,
                self.outcome, self.evaluation)


@dataclass(frozen=True)
class ProblemListSheet:
    """Everything the list prints; no database behind it."""

    county: str
    as_of: date
    scope: str  # 全部 / 白沙镇 / 逾期 …
    lines: tuple[ProblemLine, ...]

    @property
    def title(self) -> str:
        return f"{self.county}两新组织{SHEET_TITLE}"

    def status_line(self) -> str:
        overdue = sum(1 for line in self.lines if line.days_overdue)
        return (f"截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日　范围：{self.scope}"
                f"　共 {len(self.lines)} 个问题，其中逾期 {overdue} 个")


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_OVERDUE_FILL = PatternFill("solid", fgColor="F2F2F2")


class _Styles:
    def __init__(self, ws: StyledSheet) -> None:
        self.text = CellStyle(ws, text=True, alignment=_LEFT, border=_BOX, font=_FONT)
        self.center = CellStyle(ws, text=True, alignment=_CENTER, border=_BOX, font=_FONT)
        self.int = CellStyle(ws, alignment=_CENTER, number_format="0", border=_BOX, font=_FONT)
        self.late_text = CellStyle(ws, text=True, alignment=_LEFT, border=_BOX, font=_BOLD,
                                   fill=_OVERDUE_FILL)
        self.late_center = CellStyle(ws, text=True, alignment=_CENTER, border=_BOX, font=_BOLD,
                                     fill=_OVERDUE_FILL)
        self.late_int = CellStyle(ws, alignment=_CENTER, number_format="0", border=_BOX,
                                  font=_BOLD, fill=_OVERDUE_FILL)
        self.header = CellStyle(ws, text=True, alignment=_CENTER, border=_BOX, font=_BOLD,
                                fill=PatternFill("solid", fgColor="DDEBF7"))
        self.title = CellStyle(ws, text=True,
                               alignment=Alignment(horizontal="center", vertical="center"),
                               font=Font(name="黑体", bold=True, size=16))
        self.plain = CellStyle(ws, text=True, alignment=Alignment(vertical="center"), font=_FONT)


def write_problem_list(path: str | Path, sheet: ProblemListSheet) -> Path:
    """Write `sheet` as a printable workbook at `path`; returns the path."""
    wb = Workbook(write_only=True)
    ws = styled_sheet(wb, clean_text(SHEET_TITLE))
    styles = _Styles(ws)
    # Write-only sheets emit their page set-up with the first row: set it all first.
    _print_setup(ws, HEADER_ROWS + max(len(sheet.lines), 1))
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[HEADER_ROWS].height = 2 * LINE_HEIGHT + 2
    for row, line in enumerate(sheet.lines, start=HEADER_ROWS + 1):
        # A streamed row does not grow by itself in Excel or LibreOffice; one-line
        # rows get a little air too, or they print cramped beside the wrapped ones.
        lines = max(_text_lines(line.cells()[k - 1], WIDTHS[k]) for k in _WRAPPED)
        ws.row_dimensions[row].height = LINE_HEIGHT * lines + (2 if lines > 1 else 5)
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    ws.append([styles.title(sheet.title)])
    ws.merged_cells.add(f"A1:{LAST_COLUMN}1")
    ws.append([styles.plain(sheet.status_line())])
    ws.merged_cells.add(f"A2:{LAST_COLUMN}2")
    ws.append([styles.header(h) for h in HEADERS])
    for seq, line in enumerate(sheet.lines, start=1):
        ws.append(_line_cells(styles, seq, line))
    wb.save(str(path))
    return Path(path)


def _line_cells(styles: _Styles, seq: int, line: ProblemLine) -> list[Any]:
    late = bool(line.days_overdue)
    text = styles.late_text if late else styles.text
    center = styles.late_center if late else styles.center
    number = styles.late_int if late else styles.int
    cells = line.cells()
    out = [number(seq)]
    for k, value in enumerate(cells, start=1):
        if k == 10:
            out.append(number(line.days_overdue or None))
        else:
            out.append((text if k in _WRAPPED else center)(value))
    return out


_WIDE = re.compile("[^\x00-\u2e7f]")


def _text_lines(text: str, width: float) -> int:
    room = max(width - 1, 1)
    if len(text) * CJK_UNITS <= room:
        return 1
    wide = len(_WIDE.findall(text))
    return max(1, math.ceil((wide * CJK_UNITS + len(text) - wide) / room))


def _print_setup(ws: Any, last_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.7, 0.7
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.print_area = f"A1:{LAST_COLUMN}{last_row}"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"

