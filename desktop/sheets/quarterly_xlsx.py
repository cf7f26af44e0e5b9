"""The quarterly report's tables as a printable workbook (`report quarterly --xlsx`).

Sheet 1 (概况) holds the title block and the summary paragraph; then one sheet
per table of the PDF, with the same header, rows and total row. Counts are
numbers, money is numeric yuan with two decimals, rates and changes are the
printed text ("32.8%", "—", "+3") so the workbook agrees with the PDF to the
character. Every string goes through `write_text_cell`: a township called
"=1+1" stays text. Each sheet prints on A4 landscape, one page wide, with its
header row repeated.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.coverage import Cell, QuarterlyReport, ReportTable
from desktop.sheets.safe import write_text_cell

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY_FORMAT = "#,##0.00"
HEADER_ROW = 3  # title, note, then the header row(s)
MAX_SHEET_TITLE = 31


def write_quarterly_workbook(report: QuarterlyReport, path: str | Path) -> Path:
    """Write the report's tables to `path` (.xlsx); returns the path."""
    wb = Workbook()
    _overview(wb.active, report)
    for table in report.tables:
        _table_sheet(wb.create_sheet(_sheet_title(table.title)), report, table)
    path = Path(path)
    wb.save(path)
    return path


def _sheet_title(caption: str) -> str:
    """'表1  各乡镇…' -> '表1'; Excel sheet names are short and cannot hold some marks."""
    head = caption.split()[0] if caption.split() else caption
    return "".join(ch for ch in head if ch not in '[]:*?/\\')[:MAX_SHEET_TITLE] or "表"


def _overview(ws: Worksheet, report: QuarterlyReport) -> None:
    ws.title = "概况"
    ws.column_dimensions["A"].width = 100
    made, as_of = report.compiled_on, report.as_of
    lines = [report.title, f"编制单位：{report.compiling_unit}",
             f"统计时点：{as_of.year}年{as_of.month}月{as_of.day}日",
             f"编制日期：{made.year}年{made.month}月{made.day}日", "", report.summary]
    for row, text in enumerate(lines, start=1):
        write_text_cell(ws.cell(row=row, column=1), text)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = TITLE_FONT
    ws.row_dimensions[6].height = 15 * (len(report.summary) // 45 + 1)
    _print_setup(ws, header_rows=None)


def _table_sheet(ws: Worksheet, report: QuarterlyReport, table: ReportTable) -> None:
    width = len(table.header)
    write_text_cell(ws.cell(row=1, column=1), table.title).font = TITLE_FONT
    as_of = report.as_of
    write_text_cell(ws.cell(row=2, column=1),
                    f"{report.title}　统计时点：{as_of.year}年{as_of.month}月{as_of.day}日")
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    row = _write_header(ws, table)
    last_header = row
    for k, values in enumerate(table.rows):
        row += 1
        cells = _write_row(ws, row, values, table)
        if k in table.marked_rows:
            for cell in cells:
                cell.font = BOLD
    if table.total is not None:
        row += 1
        for cell in _write_row(ws, row, table.total, table):
            cell.font, cell.fill = BOLD, TOTAL_FILL
    _widths(ws, table)
    ws.freeze_panes = f"B{last_header + 1}"
    ws.print_area = f"A1:{last}{row}"
    _print_setup(ws, header_rows=f"{HEADER_ROW}:{last_header}")


def _header_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = write_text_cell(ws.cell(row=row, column=col), text)
    cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _write_header(ws: Worksheet, table: ReportTable) -> int:
    """The header row(s) with merged group cells; returns the last header row."""
    row = HEADER_ROW
    if table.groups:
        for label, first, last in table.group_starts():
            for col in range(first + 1, last + 2):
                _header_cell(ws, row, col, label if col == first + 1 else "")
            ws.merge_cells(start_row=row, start_column=first + 1, end_row=row, end_column=last + 1)
        _header_cell(ws, row, 1, table.header[0])
        _header_cell(ws, row + 1, 1, "")
        ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
        row += 1
    for col, header in enumerate(table.header, start=1):
        if col > 1 or not table.groups:
            _header_cell(ws, row, col, header)
    ws.row_dimensions[row].height = 32
    return row


def _write_row(ws: Worksheet, row: int, values: tuple[Cell, ...],
               table: ReportTable) -> list[Any]:
    cells = []
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if table.align:
            cell.alignment = Alignment(horizontal=table.column_align(col - 1).lower())
        if isinstance(value, str):
            write_text_cell(cell, value)
            if col > 1 and not table.align:
                cell.alignment = Alignment(horizontal="right")
        else:
            cell.value = value
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
        cell.border = BORDER
        cells.append(cell)
    return cells


def _widths(ws: Worksheet, table: ReportTable) -> None:
    first = max([len(str(r[0])) for r in table.rows] + [len(table.header[0]), 4])
    ws.column_dimensions["A"].width = min(first * 2 + 2, 40)
    for col, header in enumerate(table.header[1:], start=2):
        widest = max((_chars_wide(r[col - 1]) for r in table.rows), default=0)
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(len(header) * 2, 16),
                                                                 widest + 2)


def _chars_wide(value: Cell) -> int:
    """How many Latin characters wide a cell prints ("本季度未报送" is 12)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _print_setup(ws: Worksheet, header_rows: str | None) -> None:
    """A4 landscape, one page wide, header rows repeated, page numbers in the footer."""
    if header_rows is not None:
        ws.print_title_rows = header_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
