"""The error workbook: rows back at their numbers, bad cells marked, fixable and re-importable."""

from __future__ import annotations

import zipfile

from conftest import ID_A, ORG_HEADER, USCC_A
from openpyxl import load_workbook

from desktop.domain.import_rules import Problem, clean_row
from desktop.sheets.error_book import (
    PROBLEM_FILL,
    REASON_HEADER,
    SUMMARY_SHEET,
    write_error_workbook,
)
from desktop.sheets.reader import read_workbook


def problems_of(book_rows):
    found = []
    for sheet in book_rows.sheets.values():
        for raw in sheet.rows:
            found += clean_row(sheet.spec, raw)[1]
    return found


def test_error_workbook_marks_cells_and_explains(book, tmp_path):
    path = book({"组织": [
        ORG_HEADER,
        ["甲公司", USCC_A, "非公企业", "快递", "龙眠街道", 12, "13800138000", "2020-05-01"],
        [None] * 8,
        ["=1+1", "91340881MA2N0B7K1A", "企业", None, None, -1, None, "2020/5/1"],
    ], "考核": [["联络员身份号码", "年度", "考核等次", "备注"], [ID_A, 2025, "优秀", "x"]]})
    rows = read_workbook(path)
    problems = problems_of(rows)
    assert [(p.row, p.column_header) for p in problems] == [
        (4, "统一社会信用代码"), (4, "类型"), (4, "所属乡镇"), (4, "从业人员数")]
    out = write_error_workbook(tmp_path / "errors.xlsx", rows, problems)
    wb = load_workbook(out)
    assert wb.sheetnames == [SUMMARY_SHEET, "组织", "考核"]
    summary = [r for r in wb[SUMMARY_SHEET].iter_rows(values_only=True)]
    assert summary[0] == ("工作表", "行号", "列", "单元格内容", "问题")
    assert summary[1] == ("组织", 4, "统一社会信用代码", "91340881MA2N0B7K1A",
                          f"统一社会信用代码校验位错误，应为{USCC_A[-1]}")
    ws = wb["组织"]
    assert [c.value for c in ws[1]] == ORG_HEADER + [REASON_HEADER]
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 4 and all(c.value is None for c in ws[3])  # row numbers kept
    good, bad = ws[2], ws[4]
    assert good[8].value is None and all(c.fill.fgColor.rgb != PROBLEM_FILL.fgColor.rgb
                                         for c in good)
    marked = {ORG_HEADER[i].rstrip("*") for i, c in enumerate(bad[:8])
              if c.fill.fgColor.rgb == PROBLEM_FILL.fgColor.rgb}
    assert marked == {"统一社会信用代码", "类型", "所属乡镇", "从业人员数"}
    assert bad[8].value.splitlines() == [
        f"统一社会信用代码：统一社会信用代码校验位错误，应为{USCC_A[-1]}",
        "类型：应为以下之一：非公企业、社会组织",
        "所属乡镇：必填项不能为空",
        "从业人员数：应为不小于0的整数",
    ]
    assert ws.row_dimensions[4].height == 15 * 4  # one line per problem, all visible
    assert bad[8].alignment.wrap_text
    assert bad[5].value == -1 and bad[1].data_type == "s" and bad[1].number_format == "@"
    assert bad[0].value == "=1+1" and bad[0].data_type == "s"
    assert [c.value for c in wb["考核"][2]][:3] == [ID_A, 2025, "优秀"]
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()


def test_fixed_error_workbook_reimports(book, tmp_path):
    path = book({"组织": [ORG_HEADER, ["甲公司", USCC_A, "企业", None, "龙眠街道"]]})
    rows = read_workbook(path)
    out = write_error_workbook(tmp_path / "errors.xlsx", rows, problems_of(rows))
    wb = load_workbook(out)
    wb["组织"]["C2"] = "非公企业"
    wb.save(tmp_path / "fixed.xlsx")
    again = read_workbook(tmp_path / "fixed.xlsx")
    assert SUMMARY_SHEET in again.ignored_sheets
    assert problems_of(again) == []
    assert again.sheets["组织"].rows[0].values["uscc"] == USCC_A


def test_sheet_level_problems_go_to_summary(tmp_path):
    from desktop.sheets.reader import WorkbookRows
    problems = [Problem("组织", 1, "类型", "", "缺少必填列"), Problem("联络员", 0, "", "", "空表")]
    out = write_error_workbook(tmp_path / "e.xlsx", WorkbookRows({}), problems)
    rows = list(load_workbook(out)[SUMMARY_SHEET].iter_rows(min_row=2, values_only=True))
    assert rows == [("组织", 1, "类型", None, "缺少必填列"), ("联络员", None, None, None, "空表")]
