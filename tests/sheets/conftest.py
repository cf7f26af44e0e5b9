"""Builders for workbooks made in code, shared by the sheets tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.domain.identifiers import id_check_char, uscc_check_char
from desktop.sheets.safe import write_text_cell

USCC_A = "91340881MA2N0B7K1" + uscc_check_char("91340881MA2N0B7K1")
USCC_B = "52340881MJ0000001" + uscc_check_char("52340881MJ0000001")
ID_A = "34088119850315001" + id_check_char("34088119850315001")
ID_B = "34088119900722002" + id_check_char("34088119900722002")
ORG_HEADER = ["名称*", "统一社会信用代码", "类型*", "行业", "所属乡镇*", "从业人员数", "联系电话",
              "登记日期"]


def build_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry, rows written as given (row 1 first)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                # Strings stay text (a user's '=1+1 typed as text), never formulas.
                if isinstance(value, str):
                    write_text_cell(ws.cell(row=r, column=c), value)
                elif value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    """build(sheets, name='in.xlsx') -> path of a workbook built in tmp_path."""
    def build(sheets: dict[str, list[list]], name: str = "in.xlsx") -> Path:
        return build_workbook(tmp_path / name, sheets)
    return build
