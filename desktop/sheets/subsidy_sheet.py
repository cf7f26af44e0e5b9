"""The subsidy sheet's workbook (补贴发放表 .xlsx); the sheet's data and rows are
desktop.domain.subsidy_sheet, shared with the PDF.

The workbook: amounts are numbers in yuan written from exact Decimals (to the fen)
with format #,##0.00; totals are values equal to the sum of their lines, not
formulas; ID and bank numbers are full (finance needs them) and written as text;
A4 landscape, header rows repeated, page numbers, 内部资料 注意保密 in the print
header and a 草稿 watermark in it for drafts. Streamed in write-only mode, every table
cell styled through desktop.sheets.styled_rows.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.domain.money import amount_in_words, fen_to_decimal_yuan
from desktop.domain.subsidy_sheet import (
    CONFIDENTIAL, DRAFT_MARK, KIND_TITLES, SIGNERS, SheetLine, SheetRow, SubsidySheet, audit_text, footer_date,
    sheet_rows, status_text,
)
from desktop.sheets.safe import clean_text
from desktop.sheets.styled_rows import CellStyle, StyledSheet, styled_sheet

MONEY_FORMAT = "#,##0.00"
HEADER_ROWS = 3  # title, status line, column headers
FOOT_ROWS = 3  # blank, signatures, audit hash
LINE_HEIGHT = 14.5  # points per text line at the body font size
CJK_UNITS = 1.7  # column-width units one CJK character takes (Excel, 宋体 10 pt)


# ---------------------------------------------------------------- the workbook

WIDTHS = (5, 8, 20, 14, 22, 9, 7, 10, 12, 12, 22, 12, 10)
LAST_COLUMN = get_column_letter(len(WIDTHS))
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")


_BODY_FONT = Font(name="宋体", size=10)
_BOLD_FONT = Font(name="宋体", size=10, bold=True)


class _Styles:
    """The sheet's cell styles, each built once per workbook (desktop.sheets.styled_rows)."""

    def __init__(self, ws: StyledSheet) -> None:
        box = {"border": _BOX, "font": _BODY_FONT}
        self.text = CellStyle(ws, text=True, alignment=_LEFT, **box)
        self.code = CellStyle(ws, text=True, alignment=_LEFT, number_format="@", **box)
        self.center = CellStyle(ws, text=True, alignment=_CENTER, **box)
        self.empty = CellStyle(ws, alignment=_LEFT, **box)
        self.int = CellStyle(ws, alignment=_CENTER, number_format="0", **box)
        self.money = CellStyle(ws, alignment=_RIGHT, number_format=MONEY_FORMAT, **box)
        bold = {"border": _BOX, "font": _BOLD_FONT}
        self.bold_center = CellStyle(ws, text=True, alignment=_CENTER, **bold)
        self.bold_empty = CellStyle(ws, alignment=_CENTER, **bold)
        self.bold_money = CellStyle(ws, alignment=_RIGHT, number_format=MONEY_FORMAT, **bold)
        self.header = CellStyle(ws, text=True, alignment=_CENTER,
                                fill=PatternFill("solid", fgColor="DDEBF7"), **bold)
        self.title = CellStyle(ws, text=True,
                               alignment=Alignment(horizontal="center", vertical="center"),
                               font=Font(name="黑体", bold=True, size=16))
        self.secret = CellStyle(ws, text=True,
                                font=Font(name="宋体", size=10, bold=True, color="C00000"))
        self.plain = CellStyle(ws, text=True, alignment=Alignment(vertical="center"),
                               font=_BODY_FONT)
        self.plain_right = CellStyle(ws, text=True, alignment=_RIGHT, font=_BODY_FONT)


def write_subsidy_sheet(path: str | Path, sheet: SubsidySheet) -> Path:
    """Write `sheet` as a printable workbook at `path`; returns the path."""
    wb = Workbook(write_only=True)
    ws = styled_sheet(wb, clean_text(f"{KIND_TITLES[sheet.kind]}发放表"))
    styles = _Styles(ws)
    rows = sheet_rows(sheet.lines)
    # Write-only sheets emit their properties, views and columns with the first row,
    # so everything about the page is set before any row is appended.
    _print_setup(ws, sheet, HEADER_ROWS + len(rows) + FOOT_ROWS)
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[1].height = 30
    ws.row_dimensions[HEADER_ROWS].height = 2 * LINE_HEIGHT + 2
    ws.freeze_panes = f"A{HEADER_ROWS + 1}"
    _write_head(ws, styles, sheet)
    _write_body(ws, styles, sheet, rows)
    _write_foot(ws, styles, sheet)
    wb.save(str(path))
    return Path(path)


def _merge(ws: Any, row: int, first: int, last: int) -> None:
    ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")


def _write_head(ws: Any, styles: _Styles, sheet: SubsidySheet) -> None:
    ws.append([styles.title(sheet.title)])
    _merge(ws, 1, 1, len(WIDTHS))
    status = styles.secret if sheet.is_draft else styles.plain
    # 内部资料 注意保密 is in the page header, on every printed page: not here too,
    # or the repeated title rows would print it a second time on each page.
    ws.append([status(status_text(sheet)), None, None, None, None, None, None, None, None, None,
               styles.plain_right("单位：元")])
    _merge(ws, 2, 1, 10)
    _merge(ws, 2, 11, len(WIDTHS))
    ws.append([styles.header(h) for h in sheet.headers()])


def _write_body(ws: Any, styles: _Styles, sheet: SubsidySheet, rows: list[SheetRow]) -> None:
    """Append every line, subtotal and the 合计."""
    if sheet.pays_bonus:
        standard = None
    else:
        standard = styles.money(fen_to_decimal_yuan(sheet.monthly_stipend_fen))
    for excel_row, row in enumerate(rows, start=HEADER_ROWS + 1):
        if row.line is not None:
            lines = _wrapped_lines(row.line)
            if lines > 1:  # neither Excel nor LibreOffice grows a streamed row by itself
                ws.row_dimensions[excel_row].height = LINE_HEIGHT * lines + 2
            ws.append(_line_cells(styles, row, standard))
        elif row.kind == "subtotal":
            ws.append(_subtotal_cells(styles, row))
            _merge(ws, excel_row, 1, 6)
        else:
            ws.append(_total_cells(styles, row))
            _merge(ws, excel_row, 1, 2)
            _merge(ws, excel_row, 3, 8)
            _merge(ws, excel_row, 10, len(WIDTHS))


def _wrapped_lines(line: SheetLine) -> int:
    """How many text lines the row's longest wrapped cell needs at its column width."""
    return max(_text_lines(line.name, WIDTHS[1]), _text_lines(line.home_unit, WIDTHS[3]),
               _text_lines(line.organizations, WIDTHS[4]), _text_lines(line.bank_name, WIDTHS[9]),
               _text_lines(line.note, WIDTHS[11]))


_WIDE = re.compile("[^\x00-\u2e7f]")  # CJK and everything after it


def _text_lines(text: str, width: float) -> int:
    # Column width counts digits of the default font; a 10 pt CJK character is wider.
    room = max(width - 1, 1)
    if len(text) * CJK_UNITS <= room:  # fits even if every character is wide
        return 1
    wide = len(_WIDE.findall(text)) if not text.isascii() else 0
    return max(1, math.ceil((wide * CJK_UNITS + len(text) - wide) / room))


def _line_cells(styles: _Styles, row: SheetRow, standard: Any) -> list[Any]:
    line: SheetLine = row.line  # type: ignore[assignment]  # line rows always carry one
    text, code, center = styles.text, styles.code, styles.center
    middle = standard if standard is not None else center(line.grade_label or "未考核")
    return [
        styles.int(row.seq), center(line.name), code(line.id_number), text(line.home_unit),
        text(line.organizations), center(line.township), styles.int(line.posted_days), middle,
        styles.money(fen_to_decimal_yuan(line.amount_fen)), text(line.bank_name),
        code(line.bank_account), text(line.note), styles.empty(),
    ]


def _subtotal_cells(styles: _Styles, row: SheetRow) -> list[Any]:
    empty, bold_empty = styles.empty(), styles.bold_empty()
    return [styles.bold_center(f"{row.label}（{row.count}人）"), *[bold_empty] * 7,
            styles.bold_money(fen_to_decimal_yuan(row.amount_fen)), *[empty] * 4]


def _total_cells(styles: _Styles, row: SheetRow) -> list[Any]:
    bold_empty = styles.bold_empty()
    return [styles.bold_center(f"合计（{row.count}人）"), bold_empty,
            styles.bold_center(f"大写：{amount_in_words(row.amount_fen)}"), *[bold_empty] * 5,
            styles.bold_money(fen_to_decimal_yuan(row.amount_fen)), *[bold_empty] * 4]


def _write_foot(ws: Any, styles: _Styles, sheet: SubsidySheet) -> None:
    """A blank row, the signature line and the audit/draft line (FOOT_ROWS rows)."""
    ws.append([])
    signers: list[Any] = [None] * len(WIDTHS)
    for column, signer in zip((1, 4, 7), SIGNERS):
        signers[column] = styles.plain(f"{signer}：")
    signers[10] = styles.plain(footer_date(sheet))
    ws.append(signers)
    ws.append([styles.plain(audit_text(sheet))])


def _print_setup(ws: Any, sheet: SubsidySheet, last_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    # The header holds the 28 pt 草稿 mark: 0.6 in between header and body fits it
    # (at 0.7 in top margin LibreOffice cut the mark in half).
    ws.page_margins.top, ws.page_margins.header = 0.9, 0.3
    ws.page_margins.bottom = 0.7
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.print_area = f"A1:{LAST_COLUMN}{last_row}"
    _header_footer(ws, sheet)


def _header_footer(ws: Any, sheet: SubsidySheet) -> None:
    # Header/footer text is Excel markup (&P, &N, &&): user text never goes here.
    ws.oddHeader.left.text = CONFIDENTIAL
    ws.oddHeader.left.color = "C00000"
    if sheet.is_draft:
        ws.oddHeader.center.text = DRAFT_MARK
        ws.oddHeader.center.size = 28
        ws.oddHeader.center.color = "A0A0A0"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.right.text = f"批次 {sheet.run_id[:8]}"

