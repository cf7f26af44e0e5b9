"""The blank import template a township office fills in (IMPORT_FORMATS.md).

One sheet per import sheet with its headers (required ones marked * in red),
drop-down lists for enumerations and 是/否, date and whole-number validation,
text format on ID / USCC / phone / bank columns so Excel keeps every digit, one
grey 示例 row (skipped on import), a frozen header row and useful widths; and a
填写说明 sheet that lists every column's rules.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.identifiers import id_check_char, uscc_check_char
from desktop.sheets.export import set_print_layout
from desktop.sheets.formats import (
    EXAMPLE_MARK,
    SHEETS,
    TEXT_FORMAT_TYPES,
    ColumnSpec,
    SheetSpec,
    ValueType,
)
from desktop.sheets.safe import TEXT_FORMAT, write_text_cell

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FILL = PatternFill("solid", fgColor="EDEDED")
EXAMPLE_FONT = Font(color="808080", italic=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
OPTIONAL_FONT = Font(bold=True)
LAST_ROW = 1_048_576
GUIDE_SHEET = "填写说明"

_EXAMPLE_USCC_BODY = "91340881MA2N0B7K1"
_EXAMPLE_ID_BODIES = ("34088119850315001", "34088119900722002")
_EXAMPLE_USCC = _EXAMPLE_USCC_BODY + uscc_check_char(_EXAMPLE_USCC_BODY)
_INSTRUCTOR_ID = _EXAMPLE_ID_BODIES[0] + id_check_char(_EXAMPLE_ID_BODIES[0])
_OFFICER_ID = _EXAMPLE_ID_BODIES[1] + id_check_char(_EXAMPLE_ID_BODIES[1])
_ORG_NAME = "某某快递服务有限公司"

# One example value per field; the first cell of each row gets the 示例 mark.
EXAMPLES: dict[str, Any] = {
    "name": _ORG_NAME, "uscc": _EXAMPLE_USCC, "kind": "非公企业", "industry": "快递",
    "is_new_business_form": "是", "township": "龙眠街道", "address": "龙眠街道某某路1号",
    "employee_count": 120, "party_member_count": 5, "party_org_form": "单独组建",
    "party_org_name": "中共某某快递服务有限公司支部委员会",
    "party_org_established_on": date(2024, 7, 1), "has_union": "是", "has_youth_league": "否",
    "has_women_federation": "否", "registered_on": date(2018, 5, 20), "contact_name": "张某",
    "contact_phone": "13800138000", "note": "示例行在导入时自动跳过",
    "id_number": _INSTRUCTOR_ID, "phone": "13900139000", "work_unit": "桐城市委组织部",
    "position": "科员", "guidance_station": "龙眠街道党建工作指导站",
    "instructor_id_number": _INSTRUCTOR_ID, "organization_name": _ORG_NAME,
    "start_on": date(2026, 1, 1), "officer_id_number": _OFFICER_ID,
    "home_unit": "桐城市发展和改革委员会", "bank_name": "中国农业银行桐城支行",
    "bank_account": "6228480012345678901", "year": 2025, "grade": "优秀",
    "found_on": date(2026, 3, 10), "category": "招聘用工", "description": "季节性用工缺口约30人",
    "responsible_unit": "市人力资源和社会保障局", "responsible_person": "王某",
    "deadline": date(2026, 4, 30), "status": "已办结", "closed_on": date(2026, 4, 20),
    "outcome": "组织专场招聘会，招聘28人", "evaluation": "满意",
    "visited_on": date(2026, 3, 10), "visitor_id_number": _INSTRUCTOR_ID,
    "findings": "企业反映季节性用工紧张",
}
_SHEET_EXAMPLE_OVERRIDES = {"联络员": {"name": "李某", "id_number": _OFFICER_ID},
                            "指导员": {"name": "王某"}, "走访": {"kind": "走访"}}


def write_template(path: str | Path) -> Path:
    """Write the blank import template to `path` and return the path."""
    wb = Workbook()
    wb.remove(wb.active)
    for spec in SHEETS:
        _write_sheet(wb.create_sheet(spec.name), spec)
    _write_guide(wb.create_sheet(GUIDE_SHEET))
    wb.active = 0
    wb.save(path)
    return Path(path)


def _write_sheet(ws: Worksheet, spec: SheetSpec) -> None:
    for index, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        _header_cell(ws.cell(row=1, column=index), col)
        ws.column_dimensions[letter].width = col.width
        _column_format(ws, letter, col)
        _add_validation(ws, letter, col)
    _example_row(ws, spec)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22
    set_print_layout(ws, 1)


def _header_cell(cell: Any, col: ColumnSpec) -> None:
    write_text_cell(cell, col.marked_header)
    cell.font = REQUIRED_FONT if col.required else OPTIONAL_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center")


def _column_format(ws: Worksheet, letter: str, col: ColumnSpec) -> None:
    """Column-wide number format, so what the user types later is stored right."""
    if col.type in TEXT_FORMAT_TYPES:
        ws.column_dimensions[letter].number_format = TEXT_FORMAT
    elif col.type == ValueType.DATE:
        ws.column_dimensions[letter].number_format = DATE_FORMAT


def _add_validation(ws: Worksheet, letter: str, col: ColumnSpec) -> None:
    validation = _validation_for(col)
    if validation is None:
        return
    validation.error_title = col.header
    validation.prompt_title = col.header
    if col.hint:
        validation.prompt = "；".join(filter(None, (validation.prompt, col.hint)))
    validation.showErrorMessage = True
    validation.showInputMessage = bool(validation.prompt)
    ws.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{LAST_ROW}")


def _validation_for(col: ColumnSpec) -> DataValidation | None:
    """The Excel data validation of one column (drop-down, number range, length)."""
    if col.type in (ValueType.ENUM, ValueType.YES_NO):
        choices = list(col.choices) if col.type == ValueType.ENUM else ["是", "否"]
        return DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                              allow_blank=True, error="请从下拉列表中选择：" + "、".join(choices))
    if col.type == ValueType.COUNT:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              allow_blank=True, error="请填写不小于0的整数")
    if col.type == ValueType.YEAR:
        return DataValidation(type="whole", operator="between", formula1="2000",
                              formula2="2100", allow_blank=True, error="请填写四位年份，如2025")
    if col.type == ValueType.ID_NUMBER:
        return DataValidation(type="textLength", operator="equal", formula1="18",
                              allow_blank=True, errorStyle="warning",
                              error="公民身份号码应为18位", prompt="18位，末位可以是X")
    if col.type == ValueType.DATE:
        return DataValidation(type="date", operator="between", formula1="1", formula2="73050",
                              allow_blank=True, errorStyle="warning",
                              error="请填写日期，如2026-03-10", prompt="如 2026-03-10")
    return None


def _example_row(ws: Worksheet, spec: SheetSpec) -> None:
    overrides = _SHEET_EXAMPLE_OVERRIDES.get(spec.name, {})
    for index, col in enumerate(spec.columns, start=1):
        value = overrides.get(col.field, EXAMPLES.get(col.field))
        if index == 1:
            value = f"{EXAMPLE_MARK}：{value}"
        cell = ws.cell(row=2, column=index)
        if isinstance(value, str):
            write_text_cell(cell, value, text_format=col.type in TEXT_FORMAT_TYPES)
        elif value is not None:
            cell.value = value
            if col.type == ValueType.DATE:
                cell.number_format = DATE_FORMAT
        cell.font = EXAMPLE_FONT
        cell.fill = EXAMPLE_FILL


_TYPE_NOTES = {
    ValueType.TEXT: "文字",
    ValueType.ID_NUMBER: "18位公民身份号码，单元格须为文本格式",
    ValueType.USCC: "18位统一社会信用代码，单元格须为文本格式",
    ValueType.PHONE: "11位手机号码或带区号的固定电话",
    ValueType.BANK_ACCOUNT: "12至19位数字，单元格须为文本格式",
    ValueType.DATE: "日期，如 2026-03-10、2026/3/10 或 2026年3月10日",
    ValueType.YES_NO: "是 / 否",
    ValueType.COUNT: "不小于0的整数",
    ValueType.YEAR: "四位年份，如 2025",
}


GUIDE_WIDTHS = (10, 18, 6, 66)  # 工作表, 列名, 必填, 填写要求: the longest rule on one line
GUIDE_NOTES = ("第1行为表头，列的顺序可以调整，多余的列不导入；带*的列必须填写。",
               "第2行为灰色示例行（第一格以“示例”开头），导入时自动跳过，可以删除。",
               "空白单元格表示“不详”；一次导入全部成功或全部不导入，出错时会生成错误说明工作簿。")
GUIDE_HEADER = ("工作表", "列名", "必填", "填写要求")
_GUIDE_LINE_HEIGHT = 15.0  # points per wrapped line at the default 11 pt font
_WRAP = Alignment(vertical="top", wrap_text=True)


def _write_guide(ws: Worksheet) -> None:
    """A sheet listing every column: sheet, header, required, what to type; printed
    one page wide, its header row on every page, long rules wrapped in their cell."""
    notes_width = sum(GUIDE_WIDTHS)
    for line in GUIDE_NOTES:
        ws.append([line])
        row = ws.max_row
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(GUIDE_WIDTHS))
        ws.cell(row=row, column=1).alignment = _WRAP
        _fit_height(ws, row, [(line, notes_width)])
    ws.append([])
    ws.append(list(GUIDE_HEADER))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font, cell.fill = OPTIONAL_FONT, HEADER_FILL
    for spec in SHEETS:
        for col in spec.columns:
            rule = ("、".join(col.choices) if col.type == ValueType.ENUM
                    else _TYPE_NOTES[col.type])
            rule = "；".join(filter(None, (rule, col.hint)))
            values = [spec.name, col.header, "是" if col.required else "", rule]
            ws.append(values)
            for cell in ws[ws.max_row]:
                cell.alignment = _WRAP
            _fit_height(ws, ws.max_row, list(zip(values, GUIDE_WIDTHS)))
    for letter, width in zip("ABCD", GUIDE_WIDTHS):
        ws.column_dimensions[letter].width = width
    _guide_print_setup(ws, header_row)


def text_units(text: str) -> float:
    """Column-width units `text` takes: a CJK character about two digits' width."""
    return sum(1.0 if ord(ch) < 0x2E80 else 2.0 for ch in text)


def _fit_height(ws: Worksheet, row: int, cells: list[tuple[str, float]]) -> None:
    """Make a row tall enough for its wrapped cells (no spreadsheet grows a row
    written by openpyxl by itself, and none grows a merged one)."""
    lines = max(-(-int(text_units(text)) // max(int(width) - 1, 1)) for text, width in cells)
    if lines > 1:
        ws.row_dimensions[row].height = _GUIDE_LINE_HEIGHT * lines


def _guide_print_setup(ws: Worksheet, header_row: int) -> None:
    """A4 portrait, one page wide however long, the table header repeated, page numbers."""
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(len(GUIDE_WIDTHS))}{ws.max_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
