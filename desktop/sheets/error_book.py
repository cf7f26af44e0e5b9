"""The error workbook: the user's rows back, problem cells marked, ready to fix and re-import.

Every known sheet is copied with its rows at their original Excel row numbers
(so "第12行" on screen is row 12 in the file), known columns in the user's order,
problem cells filled red, and a 错误说明 column at the end listing the row's
problems. A first sheet 错误汇总 lists every problem, sheet-level ones included.
Unknown sheets and columns are not copied; 错误汇总 and 错误说明 are ignored on import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop.domain.import_rules import Problem
from desktop.sheets.export import set_print_layout
from desktop.sheets.formats import TEXT_FORMAT_TYPES, ColumnSpec, ValueType
from desktop.sheets.reader import RawRow, SheetRows, WorkbookRows
from desktop.sheets.safe import write_text_cell

SUMMARY_SHEET = "错误汇总"
REASON_HEADER = "错误说明"
PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")
PROBLEM_FONT = Font(color="9C0006")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REASON_FONT = Font(bold=True, color="C00000")
DATE_FORMAT = "yyyy-mm-dd"
WRAP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15  # points per line of the 错误说明 cell


def write_error_workbook(path: str | Path, workbook_rows: WorkbookRows,
                         problems: Sequence[Problem]) -> Path:
    """Write the error workbook for `problems` found in `workbook_rows` to `path`."""
    wb = Workbook(write_only=True)
    _write_summary(wb.create_sheet(SUMMARY_SHEET), problems)
    by_cell: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        by_cell[problem.sheet, problem.row][problem.column_header].append(problem.reason)
    for name, sheet in workbook_rows.sheets.items():
        _write_sheet(wb.create_sheet(name), sheet, by_cell)
    wb.save(path)
    return Path(path)


def _styled(ws: Any, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
            text_format: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        write_text_cell(cell, value, text_format=text_format)
    else:
        cell.value = value
        if isinstance(value, (date, datetime)):
            cell.number_format = DATE_FORMAT
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _write_summary(ws: Any, problems: Iterable[Problem]) -> None:
    for letter, width in zip("ABCDE", (10, 8, 18, 26, 60)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    set_print_layout(ws, 1)
    ws.append([_styled(ws, h, font=Font(bold=True), fill=HEADER_FILL)
               for h in ("工作表", "行号", "列", "单元格内容", "问题")])
    for p in problems:
        ws.append([_styled(ws, p.sheet), p.row or None, _styled(ws, p.column_header),
                   _styled(ws, p.value), _styled(ws, p.reason, font=PROBLEM_FONT)])


def _write_sheet(ws: Any, sheet: SheetRows, by_cell: dict) -> None:
    columns = sorted(sheet.spec.columns,
                     key=lambda c: sheet.header.get(c.field, len(sheet.spec.columns) + 1000))
    columns = [c for c in columns if c.field in sheet.header]
    for index, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width
    ws.column_dimensions[get_column_letter(len(columns) + 1)].width = 60
    ws.freeze_panes = f"A{sheet.header_row + 1}"
    set_print_layout(ws, sheet.header_row)
    for _ in range(sheet.header_row - 1):
        ws.append([])
    header = [_styled(ws, col.marked_header, font=Font(bold=True), fill=HEADER_FILL)
              for col in columns]
    ws.append(header + [_styled(ws, REASON_HEADER, font=REASON_FONT, fill=HEADER_FILL)])
    next_row = sheet.header_row + 1
    for raw in sheet.rows:
        for _ in range(raw.row_number - next_row):
            ws.append([])
        reasons = by_cell.get((raw.sheet, raw.row_number), {})
        if len(reasons) > 1:
            # Readers do not grow rows for wrapped text on opening: give every line room.
            ws.row_dimensions[raw.row_number].height = LINE_HEIGHT * len(reasons)
        ws.append(_row_cells(ws, columns, raw, reasons))
        next_row = raw.row_number + 1


def _row_cells(ws: Any, columns: Sequence[ColumnSpec], raw: RawRow,
               reasons: dict[str, list[str]]) -> list:
    """The user's cells of one row, problem cells marked, then the 错误说明 cell."""
    cells: list = []
    for col in columns:
        value = _original(col, raw)
        bad = col.header in reasons
        cells.append(_styled(ws, value, fill=PROBLEM_FILL if bad else None,
                             text_format=col.type in TEXT_FORMAT_TYPES))
    lines = [f"{header}：{'；'.join(found)}" if header else "；".join(found)
             for header, found in reasons.items()]
    if lines:
        reason = _styled(ws, "\n".join(lines), font=PROBLEM_FONT)
        reason.alignment = WRAP
        cells.append(reason)
    return cells


def _original(col: ColumnSpec, raw: RawRow) -> Any:
    """What to write back: typed values for numbers and dates, the cell text otherwise.

    ID-like columns always get text, so a number that lost digits is shown as the
    digits that are left and the user types the full value into a text cell.
    """
    value = raw.values.get(col.field)
    if value is None:
        return None
    if col.type in TEXT_FORMAT_TYPES or isinstance(value, str):
        return raw.cells.get(col.field, str(value))
    if col.type == ValueType.TEXT and not isinstance(value, (int, float)):
        return raw.cells.get(col.field, str(value))
    return value
