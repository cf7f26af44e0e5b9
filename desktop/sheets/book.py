"""Open any workbook the reader takes (.xlsx, .xls, .ods) and hand out its sheets' cells.

python-calamine reads the three formats; for .xlsx the sheet XML is also scanned
once (desktop.sheets.xlsx_scan) for error values, formulas without a result and
exact long numbers, and to find how far the cells with a value reach before
calamine builds its grid of them. `SheetCells.rows()` yields (0-based row, values)
with values placed at their real column, empty cells as None.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from desktop.errors import UserError
from desktop.sheets.file_kind import BROKEN
from desktop.sheets.headers import cell_name
from desktop.sheets.xlsx_scan import SheetScan, scan_sheet, sheet_parts

# calamine holds a dense grid of the used range (~32 bytes a cell): 6M cells ~ 200 MB,
# three times the largest sheet the row limit lets through (100,000 rows x 20 columns).
MAX_GRID_CELLS = 6_000_000


@dataclass
class SheetCells:
    """One sheet: merged ranges ((row0, col0), (row1, col1)), 0-based, and the scan."""

    name: str
    sheet: Any
    merges: list = field(default_factory=list)
    scan: SheetScan = field(default_factory=SheetScan)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row index, values) for every row calamine holds, values at their column."""
        start = self.sheet.start
        offset = start[1] if start else 0
        pad = [None] * offset
        try:
            for index, values in enumerate(self.sheet.iter_rows()):
                yield index, pad + [None if v == "" else v for v in values]
        except UserError:
            raise
        except Exception as err:  # noqa: BLE001 - any parser failure means a damaged file
            raise UserError(f"{BROKEN}（{type(err).__name__}）") from err


class Book:
    """An open workbook; `sheet(name)` reads one sheet."""

    def __init__(self, path: str | Path, kind: str) -> None:
        self.kind = kind
        self.path = path
        with open(path, "rb") as handle:
            self._book = _guarded(lambda: python_calamine.CalamineWorkbook.from_filelike(handle))
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._parts: dict[str, str] = {}
        if kind == "xlsx":
            with zipfile.ZipFile(path) as archive:
                self._parts = _guarded(lambda: sheet_parts(archive))

    def sheet(self, name: str) -> SheetCells:
        """The cells of sheet `name`; refuses a sheet whose content reaches too far."""
        scan = SheetScan()
        if name in self._parts:
            with zipfile.ZipFile(self.path) as archive:
                scan = _guarded(lambda: scan_sheet(archive, self._parts[name]))
            _check_extent(name, scan)
        sheet = _guarded(lambda: self._book.get_sheet_by_name(name))
        merges = _guarded(lambda: sheet.merged_cell_ranges) or []
        return SheetCells(name, sheet, list(merges), scan)

    def close(self) -> None:
        """Release the file's data."""
        self._book.close()


def _check_extent(name: str, scan: SheetScan) -> None:
    cells = (scan.max_row + 1) * (scan.max_col + 1)
    if cells > MAX_GRID_CELLS:
        far = cell_name(scan.max_row, scan.max_col)
        raise UserError(f"工作表「{name}」的内容一直延伸到第{scan.max_row + 1}行、"
                        f"第{far.rstrip('0123456789')}列（{far}），远超数据所在的区域：请删除表格"
                        "下方和右侧多余的内容（整行、整列删除）后保存，再导入")


def _guarded(action):
    """Run a parser call; any failure inside the file becomes the 'broken file' refusal."""
    try:
        return action()
    except UserError:
        raise
    except python_calamine.PasswordError as err:
        raise UserError("工作簿已设置打开密码，请先取消密码再导入") from err
    except Exception as err:  # noqa: BLE001 - any parser failure means a damaged file
        raise UserError(f"{BROKEN}（{type(err).__name__}）") from err
