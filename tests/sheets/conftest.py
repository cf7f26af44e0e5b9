"""Builders for workbooks made in code, shared by the sheets tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain.identifiers import id_check_char, uscc_check_char
from factories import build_workbook  # noqa: F401 - re-exported for the sheets tests

USCC_A = "91340881MA2N0B7K1" + uscc_check_char("91340881MA2N0B7K1")
USCC_B = "52340881MJ0000001" + uscc_check_char("52340881MJ0000001")
ID_A = "34088119850315001" + id_check_char("34088119850315001")
ID_B = "34088119900722002" + id_check_char("34088119900722002")
ORG_HEADER = ["名称*", "统一社会信用代码", "类型*", "行业", "所属乡镇*", "从业人员数", "联系电话",
              "登记日期"]


@pytest.fixture
def book(tmp_path):
    """build(sheets, name='in.xlsx') -> path of a workbook built in tmp_path."""
    def build(sheets: dict[str, list[list]], name: str = "in.xlsx") -> Path:
        return build_workbook(tmp_path / name, sheets)
    return build
