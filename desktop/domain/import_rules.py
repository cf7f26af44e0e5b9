"""Pure validation of imported rows: one raw row in, a clean record and its problems out.

The reader (desktop.sheets.reader) turns cells into `values` with light
normalization; here every value is checked against its column's type and
turned into what the database stores (codes, dates, ints, normalized IDs).
Problems carry sheet, Excel row, column header, the cell as the user typed it
and a Chinese reason, so every problem of a workbook can be shown at once.
Checks against the database (does the organization exist) belong to the service.

The sheet and column specs are read by attribute only (see desktop.sheets.formats),
so this module imports nothing above the domain layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from desktop.domain import identifiers
from desktop.domain.periods import parse_date
from desktop.errors import UserError

ID_AS_NUMBER = "身份证号码以数字格式保存，末位可能已丢失，请将单元格设为文本后重新填写"
USCC_AS_NUMBER = "统一社会信用代码以数字格式保存，可能已丢失数字，请将单元格设为文本后重新填写"
BANK_AS_NUMBER = "银行卡号以数字格式保存，超过15位的数字已丢失，请将单元格设为文本后重新填写"
END_BEFORE_START = "结束日期早于开始日期"
REQUIRED = "必填项不能为空"
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#NULL!", "#NUM!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                          "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
NO_RESULT = "公式没有保存计算结果（文件可能由其他程序生成），请在 Excel/WPS 中打开并保存后再导入，或把公式改为数值"
MASKED = ("号码已部分隐藏（含*），这是脱敏导出的数据，不能用来导入：请导出“含完整个人信息”的名册"
          "（命令行 export --unmasked）后再导入")
# Zero-width characters and marks that show nothing; removed from inside text too.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
                                    "\u202a\u202b\u202c\u202d\u202e\u2061\u2062\u2063\u2064"))
_INVISIBLE.update(dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " "))  # no-break spaces
_MIN_DATE, _MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)
_MIN_YEAR, _MAX_YEAR = 2000, 2100
# Excel keeps 15 significant digits; longer numbers come back altered.
_EXACT_DIGITS = 15


def strip_invisible(text: str) -> str:
    """`text` without zero-width characters anywhere in it, no-break spaces made plain:
    '城\u200b关镇' -> '城关镇', so two names that look the same are the same."""
    return text.translate(_INVISIBLE)


def excel_error_reason(value: str) -> str:
    """Why a cell holding the Excel error `value` (#N/A, #REF! …) is refused."""
    return f"单元格是 Excel 错误值 {value}（公式出错或引用失效），请改正公式或填写正确的值"


class ExactInt(int):
    """A whole number whose every digit was read from the file's text (an 18-digit
    ID typed as a number by another program), unlike a float that Excel cut to
    15 significant digits."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported workbook, fit to show a clerk.

    `row` is the Excel row number (1 = header row; 0 = the workbook as a whole);
    `column_header` is the column's header without the '*' mark, or '' when the
    problem concerns the whole row or sheet.
    """

    sheet: str
    row: int
    column_header: str
    value: str
    reason: str

    def describe(self) -> str:
        """'组织 第5行 统一社会信用代码「…」：reason' for lists and message boxes."""
        where = f"{self.sheet} 第{self.row}行" if self.row else self.sheet
        if self.column_header:
            where += f" {self.column_header}"
        if self.value:
            where += f"「{self.value}」"
        return f"{where}：{self.reason}"


class ColumnRule(Protocol):
    """What clean_row reads of a column spec (desktop.sheets.formats.ColumnSpec)."""

    header: str
    field: str
    type: str
    required: bool
    choices: Mapping[str, str]
    max_length: int


class SheetRule(Protocol):
    """What clean_row reads of a sheet spec (desktop.sheets.formats.SheetSpec)."""

    name: str
    columns: Sequence[ColumnRule]
    identity: Sequence[Sequence[str]]
    date_order: Sequence[tuple[str, str, str]]


class RowLike(Protocol):
    """What clean_row reads of a raw row (desktop.sheets.reader.RawRow)."""

    sheet: str
    row_number: int
    values: Mapping[str, Any]
    cells: Mapping[str, str]
    # field -> why the reader could not take the cell (an error value, a formula
    # without a result, a merged cell across columns); optional for other row types.


class _Refused(Exception):
    """A cell value that does not fit its column; the message is the Chinese reason."""


def _whole_number(value: Any) -> int | None:
    """An int from an int, an integral float or digit text (full-width allowed); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = "".join(identifiers.to_halfwidth(value).split())
        if text.endswith(".0"):
            text = text[:-2]
        if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 12:
            return int(text)
    return None


def _as_text(value: Any) -> str:
    """Cell value as text: 12.0 -> '12', dates as ISO, everything else str()."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _text(col: ColumnRule, value: Any) -> str:
    text = _as_text(value)
    if len(text) > col.max_length:
        raise _Refused(f"内容过长（{len(text)}字），最多{col.max_length}字")
    return text


def _exact_digits(value: Any, lossy_reason: str) -> Any:
    """An ExactInt as its digit text; any other number refused as possibly altered."""
    if isinstance(value, ExactInt):
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _Refused(lossy_reason)
    _refuse_masked(value)
    return value


def _refuse_masked(value: Any) -> None:
    if isinstance(value, str) and "**" in value:
        raise _Refused(MASKED)


def _id_number(col: ColumnRule, value: Any) -> str:
    value = _exact_digits(value, ID_AS_NUMBER)
    text = identifiers.normalize_id_number(_as_text(value))
    if len(text) == 17 and text.isascii() and text.isdigit():
        # Typically a number cell that dropped its final 'X' on the way through Excel.
        expected = identifiers.id_check_char(text)
        raise _Refused(f"公民身份号码只有17位，缺少末位校验位（应为{expected}）")
    _raise_if(identifiers.check_id_number(text))
    return text


def _uscc(col: ColumnRule, value: Any) -> str:
    value = _exact_digits(value, USCC_AS_NUMBER)
    text = identifiers.normalize_uscc(_as_text(value))
    _raise_if(identifiers.check_uscc(text))
    return text


def _phone(col: ColumnRule, value: Any) -> str:
    _refuse_masked(value)
    text = identifiers.normalize_phone(_as_text(value))
    _raise_if(identifiers.check_phone(text))
    return text


def _bank_account(col: ColumnRule, value: Any) -> str:
    _refuse_masked(value)
    if isinstance(value, ExactInt):
        value = str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = _as_text(value)
        if isinstance(value, float) and not value.is_integer() or len(digits) > _EXACT_DIGITS:
            raise _Refused(BANK_AS_NUMBER)
        value = digits
    text = identifiers.normalize_bank_account(_as_text(value))
    _raise_if(identifiers.check_bank_account(text))
    return text


def _date(col: ColumnRule, value: Any) -> date:
    if isinstance(value, str):
        value = identifiers.to_halfwidth(value).strip()
    try:
        result = parse_date(value)
    except UserError as err:
        raise _Refused(str(err)) from None
    if not _MIN_DATE <= result <= _MAX_DATE:
        raise _Refused(f"日期超出合理范围（{_MIN_DATE.year}年至{_MAX_DATE.year}年）")
    return result


def _yes_no(col: ColumnRule, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = "".join(_as_text(value).split())
    if text in ("是", "否"):
        return text == "是"
    raise _Refused("应填写“是”或“否”")


def _enum(col: ColumnRule, value: Any) -> str:
    text = "".join(_as_text(value).split())
    if text in col.choices:
        return col.choices[text]
    raise _Refused("应为以下之一：" + "、".join(col.choices))


def _count(col: ColumnRule, value: Any) -> int:
    number = _whole_number(value)
    if number is None or number < 0:
        raise _Refused("应为不小于0的整数")
    return number


def _year(col: ColumnRule, value: Any) -> int:
    if isinstance(value, str):
        value = identifiers.to_halfwidth(value).strip().removesuffix("年度").removesuffix("年")
    number = _whole_number(value)
    if number is None or not _MIN_YEAR <= number <= _MAX_YEAR:
        raise _Refused(f"年度应为{_MIN_YEAR}至{_MAX_YEAR}之间的四位年份")
    return number


def _raise_if(reason: str | None) -> None:
    if reason:
        raise _Refused(reason)


_CONVERTERS: dict[str, Callable[[ColumnRule, Any], Any]] = {
    "text": _text,
    "id_number": _id_number,
    "uscc": _uscc,
    "phone": _phone,
    "bank_account": _bank_account,
    "date": _date,
    "yes_no": _yes_no,
    "enum": _enum,
    "count": _count,
    "year": _year,
}


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _type_name(col: ColumnRule) -> str:
    # ValueType is a str Enum; plain strings work too.
    return getattr(col.type, "value", col.type)


def clean_row(sheet_spec: SheetRule, raw_row: RowLike) -> tuple[dict[str, Any], list[Problem]]:
    """Check and convert one imported row.

    Returns the record (every field of the sheet; None where the cell is empty or
    wrong; enum labels turned into codes, dates into `date`, counts into `int`)
    and every problem found in the row. Never raises for bad cell content.
    """
    record: dict[str, Any] = {}
    problems: list[Problem] = []
    refused: Mapping[str, str] = getattr(raw_row, "refused", {})
    for col in sheet_spec.columns:
        value = raw_row.values.get(col.field)
        record[col.field] = None
        reason = refused.get(col.field) or _error_literal(value)
        if reason:
            problems.append(_problem(raw_row, col.header, raw_row.cells.get(col.field, ""), reason))
            continue
        if _is_empty(value):
            if col.required:
                problems.append(_problem(raw_row, col.header, "", REQUIRED))
            continue
        try:
            record[col.field] = _CONVERTERS[_type_name(col)](col, value)
        except _Refused as refusal:
            cell = raw_row.cells.get(col.field, _as_text(value))
            problems.append(_problem(raw_row, col.header, cell, str(refusal)))
    problems.extend(_order_problems(sheet_spec, raw_row, record))
    return record, problems


def _error_literal(value: Any) -> str | None:
    """The reason for text that is an Excel error value (pasted, or from .xls/.ods)."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return excel_error_reason(value.strip().upper())
    return None


def _order_problems(spec: SheetRule, raw_row: RowLike, record: Mapping[str, Any]) -> list[Problem]:
    """A later date (end, closing) that falls before its earlier partner."""
    problems = []
    for first, second, reason in spec.date_order:
        start, end = record.get(first), record.get(second)
        if start is not None and end is not None and end < start:
            header = _header(spec, second)
            problems.append(_problem(raw_row, header, raw_row.cells.get(second, ""), reason))
    return problems


def _problem(raw_row: RowLike, header: str, value: str, reason: str) -> Problem:
    return Problem(raw_row.sheet, raw_row.row_number, header, value, reason)


def _header(spec: SheetRule, field_name: str) -> str:
    for col in spec.columns:
        if col.field == field_name:
            return col.header
    return field_name


def field_problem(sheet_spec: SheetRule, raw_row: RowLike, field_name: str, reason: str) -> Problem:
    """A Problem for `field_name` of `raw_row`, for checks made elsewhere (the service, the
    registry's check_* functions) that know the field but not the header or cell text."""
    return _problem(raw_row, _header(sheet_spec, field_name),
                    raw_row.cells.get(field_name, ""), reason)


def identity_of(sheet_spec: SheetRule, record: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The key fields that identify this record: the first identity alternative whose
    fields are all filled (an organization: its USCC, else name + township)."""
    for fields in sheet_spec.identity:
        if all(record.get(name) is not None for name in fields):
            return tuple(fields)
    return None


def find_duplicates(
    sheet_spec: SheetRule,
    rows: Iterable[tuple[RowLike, Mapping[str, Any]]],
    key_fields: Sequence[str] | None = None,
) -> list[Problem]:
    """Rows of one sheet that repeat an earlier row's key, one Problem per repeat.

    `rows` are (raw row, cleaned record) pairs. With `key_fields` every row whose
    key fields are all filled is compared on them; without, each row is keyed by
    its identity (see identity_of), so an organization without a USCC is compared
    by name + township only with other rows without a USCC.
    """
    seen: dict[tuple, int] = {}
    problems: list[Problem] = []
    for raw_row, record in rows:
        fields = tuple(key_fields) if key_fields else identity_of(sheet_spec, record)
        if not fields or any(record.get(name) is None for name in fields):
            continue
        key = (fields, tuple(record[name] for name in fields))
        first = seen.setdefault(key, raw_row.row_number)
        if first != raw_row.row_number:
            headers = "、".join(_header(sheet_spec, name) for name in fields)
            value = "，".join(_as_text(record[name]) for name in fields)
            problems.append(_problem(raw_row, _header(sheet_spec, fields[0]), value,
                                     f"与第{first}行重复（{headers}相同）"))
    return problems
