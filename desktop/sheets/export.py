"""Registry exports: typed, printable workbooks whose sheets re-import.

`write_registry_export` streams any number of rows (write-only mode) under a
title row with the county and date: headers, typed cells (dates as dates,
counts as numbers, IDs as text), widths, a frozen header, an autofilter and an
A4-landscape print setup that fits the width and repeats the header row.
Personal data (ID numbers, phones, bank accounts) is masked unless the caller
asks for `mask=False`. The column sets below reuse the import headers and
sheet names, so an unmasked export can be imported again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain import identifiers
from desktop.domain.labels import yes_no_label
from desktop.sheets import formats
from desktop.sheets.formats import TEXT_FORMAT_TYPES, ColumnSpec, SheetSpec, ValueType
from desktop.sheets.safe import RISKY_LEADING, TextCells, clean_text, write_text_cell

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(bold=True, size=16)
HEADER_FONT = Font(bold=True)
HEADER_ROW = 3  # title, date line, headers
_MASKERS = {
    ValueType.ID_NUMBER: identifiers.mask_id_number,
    ValueType.PHONE: identifiers.mask_phone,
    ValueType.BANK_ACCOUNT: identifiers.mask_bank_account,
}


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: header, the row key it reads, how the value is written.

    `labels` maps codes to Chinese labels for ENUM columns.
    """

    header: str
    field: str
    type: ValueType = ValueType.TEXT
    width: float = 14
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_spec(cls, spec: ColumnSpec) -> ExportColumn:
        """The export column matching an import column (same header, same field)."""
        labels = MappingProxyType({code: label for label, code in spec.choices.items()})
        return cls(spec.header, spec.field, spec.type, spec.width, labels)


@dataclass(frozen=True)
class ExportLayout:
    """A sheet name and its columns; the sheet name is the import sheet's name."""

    sheet_name: str
    columns: tuple[ExportColumn, ...]


def _layout(spec: SheetSpec, *extra: tuple[int, ExportColumn]) -> ExportLayout:
    """The import columns of `spec`, with readable extra columns inserted (ignored on import)."""
    columns = [ExportColumn.from_spec(col) for col in spec.columns]
    for position, col in extra:
        columns.insert(position, col)
    return ExportLayout(spec.name, tuple(columns))


ORGANIZATIONS_EXPORT = _layout(formats.ORGANIZATIONS)
INSTRUCTORS_EXPORT = _layout(formats.INSTRUCTORS)
ASSIGNMENTS_EXPORT = _layout(formats.ASSIGNMENTS,
                             (0, ExportColumn("指导员姓名", "instructor_name", width=10)))
OFFICERS_EXPORT = _layout(formats.OFFICERS)
POSTINGS_EXPORT = _layout(formats.POSTINGS,
                          (0, ExportColumn("联络员姓名", "officer_name", width=10)))
ASSESSMENTS_EXPORT = _layout(formats.ASSESSMENTS,
                             (0, ExportColumn("联络员姓名", "officer_name", width=10)))
EXPORTS: Mapping[str, ExportLayout] = MappingProxyType({
    "organizations": ORGANIZATIONS_EXPORT, "instructors": INSTRUCTORS_EXPORT,
    "assignments": ASSIGNMENTS_EXPORT, "officers": OFFICERS_EXPORT,
    "postings": POSTINGS_EXPORT, "assessments": ASSESSMENTS_EXPORT,
})


def write_registry_export(
    path: str | Path,
    *,
    title: str,
    county: str,
    as_of: date,
    columns: Sequence[ExportColumn],
    rows: Iterable[Mapping[str, Any]],
    mask: bool = True,
    sheet_name: str | None = None,
) -> int:
    """Write `rows` (mappings of field -> stored value: codes, bools, dates or ISO
    text, ints) to a printable workbook at `path`; return the number of rows.

    The title row reads "{county}{title}"; the second row gives the date and says
    whether personal data is masked. `sheet_name` defaults to `title`.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(sheet_name or title))
    _prepare_sheet(ws, columns)
    _write_title(ws, f"{county}{title}", as_of, mask, len(columns))
    ws.append([_header_cell(ws, col.header) for col in columns])
    writers = [(_cell_writer(ws, col, mask), col.field) for col in columns]
    count = 0
    for row in rows:
        ws.append([write(row.get(name)) for write, name in writers])
        count += 1
    _finish_sheet(ws, len(columns), HEADER_ROW + count)
    wb.save(path)
    return count


def sheet_title(text: str) -> str:
    """`text` made a legal sheet name: no []:*?/\\ characters, at most 31 characters."""
    cleaned = clean_text(text).translate({ord(ch): "_" for ch in "[]:*?/\\"})
    return cleaned.strip("'")[:31] or "Sheet"


def _prepare_sheet(ws: Any, columns: Sequence[ExportColumn]) -> None:
    """What write-only mode writes before the first row: widths, frozen panes, fit to page."""
    for index, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # in <sheetPr>, written before the rows


def _write_title(ws: Any, title: str, as_of: date, mask: bool, width: int) -> None:
    cell = write_text_cell(WriteOnlyCell(ws), title)
    cell.font = TITLE_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.append([cell])
    note = f"统计日期：{as_of.year}年{as_of.month}月{as_of.day}日"
    note += "　（身份号码、电话、银行卡号已部分隐藏）" if mask else "　（含完整个人信息，请妥善保管）"
    ws.append([write_text_cell(WriteOnlyCell(ws), note)])
    last = get_column_letter(max(width, 1))
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    ws.row_dimensions[1].height = 28


def _header_cell(ws: Any, header: str) -> WriteOnlyCell:
    cell = write_text_cell(WriteOnlyCell(ws), header)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _finish_sheet(ws: Any, width: int, last_row: int) -> None:
    """Filter the header, and print the table (A4 landscape, one page wide, header row
    repeated): the print area stops at the last row, so no blank pages follow."""
    last = get_column_letter(max(width, 1))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(last_row, HEADER_ROW)}"
    ws.print_area = f"A1:{last}{max(last_row, HEADER_ROW)}"
    set_print_layout(ws, HEADER_ROW)


def set_print_layout(ws: Any, header_row: int) -> None:
    """A4 landscape, one page wide, `header_row` repeated on every page, page numbers.

    Works for normal and write-only sheets; for write-only ones call it before the
    first row is appended too (fit-to-page lives in the sheet's head)."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _cell_writer(ws: Any, col: ExportColumn, mask: bool):
    """A function turning one stored value into what ws.append takes for this column.

    Plain values go in as they are (openpyxl writes them fastest); only cells that
    need a style or protection (risky text, text-format IDs) become WriteOnlyCells.
    """
    if col.type in TEXT_FORMAT_TYPES:
        masker = _MASKERS.get(col.type) if mask else None
        return lambda value, cells=TextCells(ws, text_format=True): _id_text(cells, value, masker)
    if col.type == ValueType.DATE:
        return lambda value: _date_value(ws, value)
    if col.type == ValueType.YES_NO:
        return lambda value: None if value is None else yes_no_label(bool(value))
    if col.type == ValueType.ENUM:
        return lambda value: None if value is None else _text(ws, col.labels.get(value, value))
    if col.type in (ValueType.COUNT, ValueType.YEAR):
        return lambda value: _number_value(ws, value)
    return lambda value: None if value is None else _text(ws, value)


def _text(ws: Any, value: Any) -> Any:
    """Plain text as a plain value, risky text as a protected string cell."""
    text = clean_text(value)
    if text.startswith(RISKY_LEADING):
        return write_text_cell(WriteOnlyCell(ws), text)
    return text


def _id_text(cells: TextCells, value: Any, masker: Any) -> Any:
    if value is None or value == "":
        return None
    return cells(masker(str(value)) if masker else value)


def _date_value(ws: Any, value: Any) -> Any:
    """A date for a date cell (openpyxl gives `date` values the yyyy-mm-dd format)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return _text(ws, value)


def _number_value(ws: Any, value: Any) -> Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _text(ws, value)
