"""Styled streaming rows write what openpyxl itself writes for the same styled cells."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side

from desktop.sheets.safe import write_text_cell
from desktop.sheets.styled_rows import CellStyle, styled_sheet

BOX = Border(*(Side(style="thin"),) * 4)
BOLD = Font(name="宋体", size=10, bold=True)
MONEY = "#,##0.00"


def sheet_xml(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def write_styled(path, rows_of_values):
    wb = Workbook(write_only=True)
    ws = styled_sheet(wb, "表")
    text = CellStyle(ws, text=True, font=BOLD, border=BOX, alignment=Alignment(wrap_text=True))
    money = CellStyle(ws, border=BOX, number_format=MONEY)
    for name, amount in rows_of_values:
        ws.append([text(name), money(amount), None, money()])
    wb.save(path)


def write_reference(path, rows_of_values):
    """The same cells the usual openpyxl way: a WriteOnlyCell per value, styled."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    for name, amount in rows_of_values:
        text = write_text_cell(WriteOnlyCell(ws), "" if name is None else name)
        text.font, text.border, text.alignment = BOLD, BOX, Alignment(wrap_text=True)
        cells = [text]
        for value in (amount, None):
            cell = WriteOnlyCell(ws, value)
            cell.border, cell.number_format = BOX, MONEY
            cells.append(cell)
        ws.append([cells[0], cells[1], None, cells[2]])
    wb.save(path)


ROWS = [("张三", Decimal("3290.32")), ("李四", 0), ("", Decimal("0.01")),
        ("<b>标记</b> & 符号", Decimal("1234567.89")), (None, None)]


def test_same_sheet_xml_as_openpyxl_styled_cells(tmp_path):
    write_styled(tmp_path / "ours.xlsx", ROWS)
    write_reference(tmp_path / "ref.xlsx", ROWS)
    assert sheet_xml(tmp_path / "ours.xlsx") == sheet_xml(tmp_path / "ref.xlsx")


def test_read_back_values_and_styles(tmp_path):
    write_styled(tmp_path / "ours.xlsx", ROWS)
    ws = load_workbook(tmp_path / "ours.xlsx").active
    assert [(r[0].value, r[1].value) for r in ws.iter_rows(max_col=2)] == [
        ("张三", 3290.32), ("李四", 0), (None, 0.01), ("<b>标记</b> & 符号", 1234567.89),
        (None, None)]
    first = ws["A1"]
    assert first.font.bold and first.font.name == "宋体" and first.border.left.style == "thin"
    assert ws["B4"].number_format == MONEY and ws["D4"].border.bottom.style == "thin"
    assert ws["C1"].value is None and not ws["C1"].has_style  # None: no cell written


def test_formula_like_text_stays_text_with_quote_prefix(tmp_path):
    wb = Workbook(write_only=True)
    ws = styled_sheet(wb, "表")
    text = CellStyle(ws, text=True, border=BOX)
    risky = ["=SUM(A1:A9)", "+1", "-2", "@cmd", "正常"]
    ws.append([text(value) for value in risky])
    ws.append([text("坏\x01字符\x1f"), text(12345)])
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    cells = next(back.iter_rows())
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("=SUM(A1:A9)", "s", True), ("+1", "s", True), ("-2", "s", True),
        ("@cmd", "s", True), ("正常", "s", False)]
    assert all(c.border.left.style == "thin" for c in cells)
    assert back["A2"].value == "坏字符" and back["B2"].value == "12345"


def test_plain_values_are_refused_clearly():
    wb = Workbook(write_only=True)
    ws = styled_sheet(wb, "表")
    with pytest.raises(TypeError, match="CellStyle pairs"):
        ws.append(["不是样式对"])


def test_needs_a_write_only_workbook():
    with pytest.raises(ValueError, match="write-only"):
        styled_sheet(Workbook(), "表")
