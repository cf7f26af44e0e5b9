"""Read an import workbook into plain rows (IMPORT_FORMATS.md).

`read_workbook(path)` takes .xlsx, .xlsm, old .xls and .ods alike, told apart by
content (desktop.sheets.file_kind), and refuses what it cannot use (CSV renamed,
broken zip, password-protected, no known sheet, a header it cannot read, a
required column missing, an empty sheet, too many rows, a masked export) with a
`UserError` whose Chinese message says which case it is. Otherwise it returns
every data row of every known sheet as a `RawRow` with lightly normalized
values; checking them is the job of desktop.domain.import_rules.

python-calamine reads the cells (desktop.sheets.book): a sheet formatted down to
row 1,048,576 costs what its data costs, because rows and cells without a value
are never materialized. The header may take two rows (desktop.sheets.headers); a
cell merged down over several data rows counts for every row it covers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from desktop.domain.import_rules import (
    NO_RESULT, ExactInt, Problem, excel_error_reason, strip_invisible,
)
from desktop.errors import UserError
from desktop.sheets.book import Book, SheetCells
from desktop.sheets.file_kind import workbook_kind
from desktop.sheets.formats import EXAMPLE_MARK, SHEETS_BY_NAME, SheetSpec
from desktop.sheets.headers import HEADER_SEARCH_ROWS, Header, cell_name, read_header
from desktop.sheets.xlsx_scan import ERROR_VALUE

MAX_DATA_ROWS = 100_000
MAX_KEPT_CHARS = 2_000  # longer cells are cut (every column refuses them anyway)
_HEAD_ROWS = HEADER_SEARCH_ROWS + 3  # header search, a second header row, a data row
_MASKED_NOTE = "已部分隐藏"  # desktop/sheets/export.py writes it under a masked export's title
MASKED_EXPORT = ("这是脱敏导出的名册（身份号码、电话、银行卡号已部分隐藏），不能用来导入：请重新导出"
                 "“含完整个人信息”的名册（“文件 → 导出当前列表（含完整个人信息）”，或命令行 "
                 "export --unmasked）后再导入")
_EXACT_FLOAT = 2**53


@dataclass(frozen=True)
class RawRow:
    """One data row: Excel row number, and per field (only non-empty cells) the
    normalized value and the cell as text for messages and the error workbook;
    `refused` field -> why a cell could not be taken (error value, formula without
    a result, a merged cell across columns)."""

    sheet: str
    row_number: int
    values: dict[str, Any]
    cells: dict[str, str]
    refused: dict[str, str] = field(default_factory=dict)


@dataclass
class SheetRows:
    """The rows of one known sheet; `header_row` is the header's last Excel row,
    `header` maps field -> 0-based column index, `headers` field -> header text as
    the user wrote it, `ignored_columns` the headers of columns not imported."""

    spec: SheetSpec
    header_row: int
    header: dict[str, int]
    headers: dict[str, str]
    rows: list[RawRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class WorkbookRows:
    """Every known sheet of an import workbook, in workbook order, by sheet name."""

    sheets: dict[str, SheetRows]
    ignored_sheets: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        """Data rows over all sheets."""
        return sum(len(s.rows) for s in self.sheets.values())


def read_workbook(path: str | Path, *, max_rows: int = MAX_DATA_ROWS) -> WorkbookRows:
    """Parse the import workbook at `path` into plain rows.

    Raises UserError for a file that cannot be imported at all; its `problems`
    list every sheet-level problem (missing columns, no header …) at once.
    """
    book = Book(path, workbook_kind(path))
    try:
        return _read_sheets(book, max_rows)
    finally:
        book.close()


def check_xlsx_file(path: str | Path) -> None:
    """Refuse, with a message naming the case, a file that is not a workbook the reader
    takes (kept for callers that check a file before reading it)."""
    workbook_kind(path)


def _read_sheets(book: Book, max_rows: int) -> WorkbookRows:
    known = [name for name in book.sheet_names if name.strip() in SHEETS_BY_NAME]
    if not known:
        found = "、".join(book.sheet_names) or "无"
        raise UserError(f"工作簿中没有可识别的工作表（{'、'.join(SHEETS_BY_NAME)}），"
                        f"现有工作表：{found}")
    result = WorkbookRows({}, [n for n in book.sheet_names if n not in known])
    problems: list[Problem] = []
    for name in known:
        spec = SHEETS_BY_NAME[name.strip()]
        if spec.name in result.sheets:
            result.ignored_sheets.append(name)
            continue
        sheet, sheet_problems = _read_sheet(book.sheet(name), spec, max_rows)
        problems.extend(sheet_problems)
        if sheet is not None:
            result.sheets[spec.name] = sheet
    if problems:
        # The problems travel in `problems` (listed by the CLI and the GUI's problem
        # list), not in the message as well: each would be shown twice.
        raise UserError(f"工作簿不能导入：发现 {len(problems)} 个问题", problems=problems)
    if result.row_count == 0:
        raise UserError("工作簿中没有需要导入的数据行（示例行不导入）")
    return result


def _read_sheet(cells: SheetCells, spec: SheetSpec,
                max_rows: int) -> tuple[SheetRows | None, list[Problem]]:
    """Header and rows of one sheet, or the sheet-level problems that stop it."""
    rows = cells.rows()
    head = _head_rows(rows)
    header, problems = read_header([values for _, values in head], cells.merges, spec)
    if header is None:
        rows.close()
        return None, problems
    if _is_masked_export(head, header):
        rows.close()
        return None, [Problem(spec.name, 0, "", "", MASKED_EXPORT)]
    sheet = SheetRows(spec, header.last_row, header.columns, header.texts,
                      ignored_columns=header.ignored)
    builder = _RowBuilder(spec, header, cells)
    for index, values in _chain(head, rows):
        if index < header.last_row:
            continue
        raw = builder.row(index, values)
        if raw is None:
            continue
        if len(sheet.rows) >= max_rows:
            rows.close()
            raise UserError(f"工作表「{spec.name}」超过{max_rows}行数据（第{raw.row_number}行），"
                            "请检查是否有多余内容，或拆分后分批导入")
        sheet.rows.append(raw)
    return sheet, []


def _head_rows(rows: Iterator[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """The first rows of the sheet (by row index), for the header search."""
    head = []
    for index, values in rows:
        head.append((index, values))
        if index >= _HEAD_ROWS - 1:
            break
    grid: list[tuple[int, list[Any]]] = []
    by_index = dict(head)
    for index in range(max(by_index, default=-1) + 1):
        grid.append((index, by_index.get(index, [])))
    return grid


def _chain(head, rows):
    yield from head
    yield from rows


def _is_masked_export(head: list[tuple[int, list[Any]]], header: Header) -> bool:
    """The note a masked export writes under its title (desktop/sheets/export.py)."""
    for index, values in head[: header.last_row]:
        if any(isinstance(v, str) and _MASKED_NOTE in v for v in values):
            return True
    return False


class _RowBuilder:
    """Turns sheet rows into RawRows: merged-down values filled in, flagged cells refused."""

    def __init__(self, spec: SheetSpec, header: Header, cells: SheetCells) -> None:
        self.spec, self.header, self.scan = spec, header, cells.scan
        self.columns = sorted(header.columns.items(), key=lambda item: item[1])
        first_data = header.last_row
        self.merges = sorted((m for m in cells.merges if m[1][0] >= first_data),
                             key=lambda m: m[0][0])
        self.active: list = []
        self.next_merge = 0
        self.merge_values: dict = {}

    def row(self, index: int, values: list[Any]) -> RawRow | None:
        """The RawRow of sheet row `index` (0-based), or None for an empty or 示例 row."""
        if values and isinstance(values[0], str) and values[0].strip().startswith(EXAMPLE_MARK):
            return None
        covered = self._merges_at(index)
        kept: dict[str, Any] = {}
        cells: dict[str, str] = {}
        refused: dict[str, str] = {}
        own = False
        for name, col in self.columns:
            value = values[col] if col < len(values) else None
            merge = covered.get(col)
            if merge is not None:
                if merge[0][0] != index or merge[0][1] != col:
                    value = self.merge_values.get(merge)
                elif value is not None:
                    self.merge_values[merge] = value
                if merge[1][1] > merge[0][1] and value is not None:
                    refused[name] = _wide_merge_reason(merge)
            flag = self.scan.flagged.get((index, col))
            if flag is not None:
                refused[name] = (excel_error_reason(flag[1]) if flag[0] == ERROR_VALUE
                                 else NO_RESULT)
                cells[name] = flag[1]
                own = True
                continue
            value = self._exact(index, col, value)
            normal = normalize_cell(value)
            if normal is None:
                continue
            own = own or merge is None or merge[0][0] == index
            kept[name] = normal
            cells[name] = _display(value)
        if not own:
            return None  # nothing but the tail of a merged cell from a row above
        return RawRow(self.spec.name, index + 1, kept, cells, refused)

    def _exact(self, index: int, col: int, value: Any) -> Any:
        exact = self.scan.exact_ints.get((index, col))
        if exact is not None:
            return ExactInt(exact)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _EXACT_FLOAT:
            return float(value)  # read through a float: its last digits are not the file's
        return value

    def _merges_at(self, index: int) -> dict[int, Any]:
        while self.next_merge < len(self.merges) and self.merges[self.next_merge][0][0] <= index:
            self.active.append(self.merges[self.next_merge])
            self.next_merge += 1
        self.active = [m for m in self.active if m[1][0] >= index]
        covered = {}
        for merge in self.active:
            for col in range(merge[0][1], merge[1][1] + 1):
                covered[col] = merge
        return covered


def _wide_merge_reason(merge) -> str:
    (r0, c0), (r1, c1) = merge
    return (f"合并单元格（{cell_name(r0, c0)}:{cell_name(r1, c1)}）跨了多列，无法确定属于哪一列，"
            "请取消合并后分别填写")


def normalize_cell(value: Any) -> Any:
    """A cell value as the validation wants it, or None for an empty cell.

    Text loses invisible characters anywhere (zero-width spaces, BOMs, word joiners;
    no-break spaces become spaces) and surrounding spaces; a float
    holding a whole number becomes an int (13800138000.0 -> 13800138000); a
    date-time at midnight becomes a date. Type-specific work (full-width digits,
    date text, IDs) happens in import_rules.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = strip_invisible(value).strip()
        return _cut(text) or None
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


def _cut(text: str) -> str:
    return text if len(text) <= MAX_KEPT_CHARS else text[:MAX_KEPT_CHARS] + "…"


def _display(value: Any) -> str:
    """The cell as text for messages: 12.0 -> '12', dates as ISO, stripped text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return _cut(strip_invisible(str(value)).strip())
