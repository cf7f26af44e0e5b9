"""Read an import workbook into plain rows (IMPORT_FORMATS.md).

`read_workbook(path)` refuses what is not a usable .xlsx (old .xls, CSV renamed,
broken zip, password-protected, no known sheet, no header row, a required column
missing, an empty sheet, too many rows) with a `UserError` whose Chinese message
says which case it is; otherwise it returns every data row of every known sheet
as a `RawRow` with lightly normalized values. Checking the values is the job of
desktop.domain.import_rules.

openpyxl's read-only mode streams the sheet XML, so time and memory stay bounded
by the row limit even for a sheet with 1,048,576 rows. (python-calamine parses
faster but builds a dense grid of the whole used range first: one cell at XFD1048576
would ask for billions of cells, and 1M rows x 20 columns is ~640 MB before the
first row can be refused.)
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from desktop.domain.import_rules import Problem
from desktop.errors import UserError
from desktop.os_errors import file_error
from desktop.sheets.formats import EXAMPLE_MARK, SHEETS_BY_NAME, SheetSpec

MAX_DATA_ROWS = 100_000
HEADER_SEARCH_ROWS = 5  # exports put a title row above the headers
MAX_KEPT_CHARS = 2_000  # longer cells are cut (every column refuses them anyway)
# One part (a sheet, the shared strings) bigger than this when unzipped is refused:
# a zip bomb must not take the time and memory; 100,000 real rows are ~150 MB.
MAX_PART_BYTES = 256 * 1024 * 1024
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class RawRow:
    """One data row: Excel row number, and per field (only non-empty cells) the
    normalized value and the cell as text for messages and the error workbook."""

    sheet: str
    row_number: int
    values: dict[str, Any]
    cells: dict[str, str]


@dataclass
class SheetRows:
    """The rows of one known sheet; `header` maps field -> 0-based column index and
    `headers` field -> header text as the user wrote it."""

    spec: SheetSpec
    header_row: int
    header: dict[str, int]
    headers: dict[str, str]
    rows: list[RawRow] = field(default_factory=list)


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
    check_xlsx_file(path)
    with open(path, "rb") as handle:
        # A file object skips openpyxl's check of the file name's extension.
        wb = _guarded(lambda: _open_read_only(handle))
        try:
            return _read_sheets(wb, max_rows)
        finally:
            wb.close()


class _StreamingWorksheet(ReadOnlyWorksheet):
    """A read-only sheet that does not look for its declared size when opened.

    openpyxl's version parses the whole sheet XML when the <dimension> element is
    missing (files from many generators, openpyxl's own write-only mode): on a
    1,048,576-row sheet that alone takes most of a minute. The reader resets the
    dimensions and reads rows as they come, so the size is never needed.
    """

    def _get_size(self) -> None:
        self._min_column = self._min_row = 1
        self._max_column = self._max_row = None


class _StreamingReader(ExcelReader):
    """openpyxl's reader in read-only mode, building _StreamingWorksheet sheets."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue  # chart sheets hold no rows
            ws = _StreamingWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _open_read_only(handle: Any) -> Any:
    """The workbook in `handle`, read-only with cached formula values (as load_workbook)."""
    reader = _StreamingReader(handle, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _read_sheets(wb: Any, max_rows: int) -> WorkbookRows:
    known = [name for name in wb.sheetnames if name.strip() in SHEETS_BY_NAME]
    if not known:
        found = "、".join(wb.sheetnames) or "无"
        raise UserError("工作簿中没有可识别的工作表（组织、指导员、挂钩、联络员、派驻、考核），"
                        f"现有工作表：{found}")
    result = WorkbookRows({}, [n for n in wb.sheetnames if n not in known])
    problems: list[Problem] = []
    for name in known:
        ws = wb[name]
        spec = SHEETS_BY_NAME[name.strip()]
        if spec.name in result.sheets or not isinstance(ws, ReadOnlyWorksheet):
            result.ignored_sheets.append(name)
            continue
        sheet, sheet_problems = _read_sheet(ws, spec, max_rows)
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


def _read_sheet(ws: ReadOnlyWorksheet, spec: SheetSpec,
                max_rows: int) -> tuple[SheetRows | None, list[Problem]]:
    """Header and rows of one sheet, or the sheet-level problems that stop it."""
    ws.reset_dimensions()  # some writers declare a wrong used range; read what is there
    rows = _guarded_rows(ws.iter_rows(values_only=True))
    found = _find_header(rows, spec)
    rows.close()  # release the sheet's zip stream before reading it again below
    if isinstance(found, Problem):
        return None, [found]
    header_row, header, headers, repeated = found
    problems = _header_problems(spec, header_row, header, repeated)
    if problems:
        return None, problems
    sheet = SheetRows(spec, header_row, header, headers)
    width = max(sheet.header.values()) + 1
    data = _guarded_rows(ws.iter_rows(min_row=header_row + 1, max_col=width, values_only=True))
    for offset, values in enumerate(data):
        raw = _raw_row(spec.name, header_row + 1 + offset, values, sheet.header)
        if raw is None:
            continue
        if len(sheet.rows) >= max_rows:
            raise UserError(f"工作表「{spec.name}」超过{max_rows}行数据（第{raw.row_number}行），"
                            "请检查是否有多余内容，或拆分后分批导入")
        sheet.rows.append(raw)
    return sheet, []


def _normal_header(value: Any) -> str:
    """'名称*', ' 名 称 ', '名称＊' -> '名称'."""
    if value is None:
        return ""
    return "".join(str(value).split()).rstrip("*＊")


def _find_header(rows: Iterator[tuple], spec: SheetSpec):
    """(row number, {field: index}, {field: header text}, repeated headers) of the first
    row among the first few that names a known column, or a Problem saying why none does."""
    known = {col.header: col.field for col in spec.columns}
    seen_content = False
    for number, values in enumerate(rows, start=1):
        if number <= HEADER_SEARCH_ROWS:
            found = _match_header(values, known)
            if found[0]:
                return (number, *found)
        seen_content = seen_content or any(_display(v) for v in values)
        if seen_content and number >= HEADER_SEARCH_ROWS:
            break
    if not seen_content:
        return Problem(spec.name, 0, "", "", "工作表是空的（没有表头和数据），如不需要请删除该工作表")
    names = "、".join(col.header for col in spec.required_columns)
    return Problem(spec.name, 1, "", "",
                   f"没有表头行：前{HEADER_SEARCH_ROWS}行中找不到列名（应有{names}等）")


def _match_header(values: tuple, known: dict[str, str]):
    """({field: index}, {field: text}, [repeated headers]) for the known headers in
    `values`; a repeated header keeps its first column."""
    header: dict[str, int] = {}
    texts: dict[str, str] = {}
    repeated: list[str] = []
    for index, value in enumerate(values):
        name = _normal_header(value)
        if name not in known:
            continue
        if known[name] in header:
            repeated.append(name)
        else:
            header[known[name]] = index
            texts[known[name]] = str(value).strip()
    return header, texts, repeated


def _header_problems(spec: SheetSpec, row: int, header: dict[str, int],
                     repeated: list[str]) -> list[Problem]:
    problems = [Problem(spec.name, row, name, "", "列名重复，请只保留一列") for name in repeated]
    for col in spec.required_columns:
        if col.field not in header:
            problems.append(Problem(spec.name, row, col.header, "", "缺少必填列"))
    return problems


def _raw_row(sheet: str, number: int, values: tuple, header: dict[str, int]) -> RawRow | None:
    """The RawRow of one sheet row, or None for an empty row or the 示例 row."""
    if values and isinstance(values[0], str) and values[0].strip().startswith(EXAMPLE_MARK):
        return None
    kept: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for name, index in header.items():
        if index >= len(values):
            continue
        value = normalize_cell(values[index])
        if value is not None:
            kept[name] = value
            cells[name] = _display(values[index])
    if not kept:
        return None
    return RawRow(sheet, number, kept, cells)


def normalize_cell(value: Any) -> Any:
    """A cell value as the validation wants it, or None for an empty cell.

    Text loses surrounding spaces (full-width and invisible ones too); a float
    holding a whole number becomes an int (13800138000.0 -> 13800138000); a
    date-time at midnight becomes a date. Type-specific work (full-width digits,
    date text, IDs) happens in import_rules.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().strip(_INVISIBLE).strip()
        return _cut(text) or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
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
    return _cut(str(value).strip())


_BROKEN = "文件已损坏，无法作为 .xlsx 打开"


def _guarded(action):
    """Run an openpyxl call; any failure inside the file becomes the 'broken file' refusal."""
    try:
        return action()
    except UserError:
        raise
    except Exception as err:  # noqa: BLE001 - any parser failure means a damaged file
        raise UserError(f"{_BROKEN}（{type(err).__name__}）") from err


def _guarded_rows(rows: Iterator[tuple]) -> Iterator[tuple]:
    """Rows from openpyxl; a damaged part found mid-sheet becomes the 'broken file' refusal."""
    try:
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as err:  # noqa: BLE001 - CRC, zlib, XML errors inside the file
                raise UserError(f"{_BROKEN}（{type(err).__name__}）") from err
            yield values
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()


# ---------------------------------------------------------------- what kind of file is it

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: old .xls, and encrypted OOXML
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_XLS = "这是旧版 Excel（.xls）文件，请在 Excel/WPS 中另存为 .xlsx 后再导入"
_ENCRYPTED = "工作簿已设置打开密码，请先取消密码再导入"
_SAVE_AS = "，请在 Excel/WPS 中打开后另存为 .xlsx 再导入"


def check_xlsx_file(path: str | Path) -> None:
    """Refuse, with a message naming the case, a file that is not an .xlsx workbook:
    empty, old .xls, password-protected, CSV/HTML text, .ods, other zip, broken zip,
    or a part too large to unpack safely."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as err:
        raise file_error("无法读取文件", err, path) from err
    if not head:
        raise UserError("文件是空的（0 字节），不是 Excel 工作簿")
    if head.startswith(_CFB_MAGIC):
        raise UserError(_ENCRYPTED if _cfb_is_encrypted_ooxml(path) else _XLS)
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path)
        return
    if head.startswith(b"PK"):
        raise UserError(_BROKEN)
    raise UserError(_not_excel_reason(head))


def _cfb_is_encrypted_ooxml(path: str | Path) -> bool:
    """True when the OLE2 file holds an 'EncryptionInfo' stream: an .xlsx saved with a
    password to open. Scans the file in chunks, so memory stays small."""
    overlap = len(_ENCRYPTION_STREAM)
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            if _ENCRYPTION_STREAM in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def _check_zip(path: str | Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise UserError(_BROKEN) from err
    if b"opendocument.spreadsheet" in mimetype:
        raise UserError("这是 OpenDocument 表格（.ods）文件" + _SAVE_AS)
    if "xl/workbook.xml" not in names and not any(n.startswith("xl/") for n in names):
        kind = ("Word 文档" if any(n.startswith("word/") for n in names)
                else "PowerPoint 演示文稿" if any(n.startswith("ppt/") for n in names)
                else "普通的 zip 压缩包")
        raise UserError(f"文件不是 Excel 工作簿（是{kind}），请选择 .xlsx 文件")
    if any(info.file_size > MAX_PART_BYTES for info in infos):
        raise UserError("工作簿数据量过大（解压后超过 256 MB），请拆分后分批导入")


def _not_excel_reason(head: bytes) -> str:
    """Why a file that is neither OLE2 nor zip is refused: CSV, web page, text, unknown."""
    text = _as_text_or_none(head)
    if text is None:
        return "文件不是 Excel 工作簿（无法识别的文件格式），请选择 .xlsx 文件"
    lead = text.lstrip().lower()
    if lead.startswith(("<html", "<!doctype", "<table", "<?xml", "<meta", "<head")):
        return "文件不是 Excel 工作簿（看起来是网页或 XML 文件，常见于网站导出的表格）" + _SAVE_AS
    if any(sep in text for sep in (",", "\t", ";", "，")):
        return "文件不是 Excel 工作簿（看起来是 CSV 文本文件）" + _SAVE_AS
    return "文件不是 Excel 工作簿（看起来是纯文本文件），请选择 .xlsx 文件"


def _as_text_or_none(head: bytes) -> str | None:
    """`head` decoded as UTF-8 or GB18030 when it looks like text, else None."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ch < " " and ch not in "\r\n\t")
        if controls <= len(text) // 100:
            return text
    return None
