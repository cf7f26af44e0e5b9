"""safe.py: user text is a string cell, never a formula, in normal and write-only workbooks."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from desktop.sheets.safe import (
    EXCEL_MAX_CELL_CHARS,
    clean_text,
    set_safe_value,
    text_cell,
    write_text_cell,
)

RISKY = ["=1+1", "=HYPERLINK(\"http://x\",\"点我\")", "+86 138", "-1", "@cmd", "\tTAB", "\rCR"]
PLAIN = ["桐城市", "1+1=2", ""]


def sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def cells_of(xml: str) -> list[str]:
    return re.findall(r"<c [^>]*>.*?</c>|<c [^>]*/>", xml)


@pytest.mark.parametrize("write_only", [False, True])
def test_risky_text_is_string_with_quote_prefix(tmp_path, write_only):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    values = RISKY + PLAIN
    if write_only:
        for value in values:
            ws.append([text_cell(ws, value)])
    else:
        for row, value in enumerate(values, start=1):
            write_text_cell(ws.cell(row=row, column=1), value)
    path = tmp_path / "safe.xlsx"
    wb.save(path)
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    assert all('t="inlineStr"' in c or 't="s"' in c for c in cells_of(xml)[: len(RISKY)])
    back = load_workbook(path).worksheets[0]
    for row, value in enumerate(values, start=1):
        cell = back.cell(row=row, column=1)
        if value:
            assert cell.data_type == "s"
            assert cell.value == value.replace("\r", "\n")
        assert bool(cell.quotePrefix) == (value in RISKY)


def test_clean_text_drops_xml_illegal_characters_and_caps_length():
    assert clean_text("a\x00b\x07c\x1fd") == "abcd"
    assert clean_text("x" * 40000) == "x" * EXCEL_MAX_CELL_CHARS
    assert clean_text(12) == "12"


def test_text_format_and_other_values(tmp_path):
    wb = Workbook()
    ws = wb.active
    write_text_cell(ws["A1"], "110105194912310021", text_format=True)
    set_safe_value(ws["A2"], "=2*3")
    set_safe_value(ws["A3"], 7)
    wb.save(tmp_path / "f.xlsx")
    back = load_workbook(tmp_path / "f.xlsx").active
    assert back["A1"].number_format == "@" and back["A1"].value == "110105194912310021"
    assert back["A2"].data_type == "s" and back["A2"].value == "=2*3"
    assert back["A3"].value == 7


def test_text_cells_factory_is_safe_and_text_formatted(tmp_path):
    from desktop.sheets.safe import TextCells
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    make = TextCells(ws, text_format=True)
    for value in ["=cmd|' /C calc'!A0", "340881198503150012", "a\x02b", 12]:
        ws.append([make(value)])
    wb.save(tmp_path / "t.xlsx")
    assert "<f>" not in sheet_xml(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx")["s"]
    cells = [back.cell(row=r, column=1) for r in range(1, 5)]
    assert [c.value for c in cells] == ["=cmd|' /C calc'!A0", "340881198503150012", "ab", "12"]
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [True, False, False, False]
