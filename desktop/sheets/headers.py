"""Find and read the header of an import sheet: one row, or two with merged cells.

Government sheets put a title row or two above the header and often a two-level
header: a merged group cell (党组织情况, 群团组织) above its sub-columns, the other
headers merged vertically across both rows. `read_header` reads such a header as
one: each column's name is made of the texts above it, the longest known name
first (党组织情况 + 名称 -> 党组织名称, 群团组织 + 工会 -> 工会). What it cannot
read is a Problem, never a column dropped unseen: a group whose sub-columns are
all unknown, a known name merged across several columns, a known column name in
the header rows that no column ended up using, a repeated or missing column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.domain.import_rules import Problem, strip_invisible
from desktop.sheets.formats import SheetSpec

HEADER_SEARCH_ROWS = 5  # exports put a title row above the headers
_GROUP_SUFFIXES = ("情况", "信息", "基本情况")
Merge = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based


@dataclass
class Header:
    """A sheet's header: `last_row` is its last Excel row (data follows);
    `columns` field -> 0-based column, `texts` field -> the header as written,
    `ignored` the headers of unknown columns."""

    first_row: int
    last_row: int
    columns: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def normal_header(value: Any) -> str:
    """'名称*', ' 名 称 ', '名称＊', '名\u200b称' -> '名称'."""
    if value is None:
        return ""
    return "".join(strip_invisible(str(value)).split()).rstrip("*＊")


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """(0, 0) -> 'A1'."""
    return f"{column_letter(col)}{row + 1}"


def read_header(rows: Sequence[Sequence[Any]], merges: Sequence[Merge],
                spec: SheetSpec) -> tuple[Header | None, list[Problem]]:
    """The header among the first `rows` of a sheet, or None and the Problems that stop it."""
    grid = _Grid(rows, merges)
    known = {col.header: col.field for col in spec.columns}
    first = next((r for r in range(min(HEADER_SEARCH_ROWS, grid.height))
                  if any(grid.text(r, c) in known for c in range(grid.width))), None)
    if first is None:
        return None, [_no_header(spec, grid)]
    top, bottom = _block(grid, first, known)
    header = Header(top + 1, bottom + 1)
    problems: list[Problem] = []
    for col in range(grid.width):
        _read_column(grid, spec, known, header, problems, col, top, bottom)
    problems += _unreadable_groups(grid, spec, header, top, bottom)
    problems += _unused_names(grid, spec, known, header, bottom)
    for column in spec.required_columns:
        if column.field not in header.columns:
            problems.append(Problem(spec.name, header.last_row, column.header, "", "缺少必填列"))
    return (None if problems else header), problems


def _no_header(spec: SheetSpec, grid: _Grid) -> Problem:
    if not grid.has_content:
        return Problem(spec.name, 0, "", "", "工作表是空的（没有表头和数据），如不需要请删除该工作表")
    names = "、".join(col.header for col in spec.required_columns)
    return Problem(spec.name, 1, "", "",
                   f"没有表头行：前{HEADER_SEARCH_ROWS}行中找不到列名（应有{names}等）")


def _block(grid: _Grid, first: int, known: dict[str, str]) -> tuple[int, int]:
    """(top, bottom) rows of the header that starts being recognizable at `first`."""
    bottom = first
    below = first + 1
    if below < grid.height and below < HEADER_SEARCH_ROWS + 1:
        merged_down = any(r0 <= first < below <= r1 for (r0, _), (r1, _) in grid.merges)
        names_below = any(grid.text(below, c) in known and not grid.same_cell(first, below, c)
                          for c in range(grid.width))
        if merged_down or names_below:
            bottom = below
    top = first
    while top > 0 and first - top < 2 and grid.has_group(top - 1):
        top -= 1
    return top, bottom


def _read_column(grid: _Grid, spec: SheetSpec, known: dict[str, str], header: Header,
                 problems: list[Problem], col: int, top: int, bottom: int) -> None:
    parts: list[tuple[int, str]] = []
    for row in range(top, bottom + 1):
        text = grid.text(row, col)
        if text and not (parts and grid.same_cell(parts[-1][0], row, col)):
            parts.append((row, text))
    if not parts:
        return
    name, used = _known_name(parts, known)
    row = parts[-1][0]
    merge = grid.merge_at(row, col)
    wide = merge is not None and merge[1][1] > merge[0][1]
    if name is None:
        if not wide:  # a group or title cell is reported by _unreadable_groups
            header.ignored.append("/".join(text for _, text in parts))
        return
    if wide:
        if col == merge[0][1]:
            problems.append(Problem(spec.name, row + 1, name, "",
                                    f"表头「{name}」是跨多列的合并单元格（{_range(merge)}），"
                                    "无法确定哪一列是该项，请取消合并或在下一行写明各列列名"))
        return
    field_name = known[name]
    if field_name in header.columns:
        problems.append(Problem(spec.name, header.last_row, name, "", "列名重复，请只保留一列"))
        return
    header.columns[field_name] = col
    header.texts[field_name] = "/".join(grid.written(r, col) for r, _ in parts[-used:])


def _known_name(parts: list[tuple[int, str]], known: dict[str, str]) -> tuple[str | None, int]:
    """The known column name the texts above a column spell, longest first, and how many
    of the lowest texts it takes: ['党组织情况', '名称'] -> '党组织名称'; ['群团组织', '工会'] -> '工会'."""
    texts = [text for _, text in parts]
    for size in range(len(texts), 0, -1):
        words = texts[-size:]
        for candidate in _spellings(words):
            if candidate in known:
                return candidate, size
    return None, 0


def _spellings(words: list[str]) -> list[str]:
    joined = "".join(words)
    trimmed = "".join(_trim_group(w) for w in words[:-1]) + words[-1]
    return [joined] if trimmed == joined else [joined, trimmed]


def _trim_group(word: str) -> str:
    for suffix in _GROUP_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


def _unreadable_groups(grid: _Grid, spec: SheetSpec, header: Header, top: int,
                       bottom: int) -> list[Problem]:
    """A merged group cell in the header none of whose columns could be read."""
    problems = []
    used = set(header.columns.values())
    for (r0, c0), (r1, c1) in grid.merges:
        if c1 == c0 or not top <= r0 <= bottom or r1 > bottom:
            continue
        if any(c in used for c in range(c0, c1 + 1)) or not grid.text(r0, c0):
            continue
        below = [grid.text(r1 + 1, c) for c in range(c0, c1 + 1)] if r1 < bottom else []
        names = "、".join(t for t in below if t) or "无"
        problems.append(Problem(
            spec.name, r0 + 1, grid.text(r0, c0), "",
            f"表头分组（{_range(((r0, c0), (r1, c1)))}）下的列都无法识别（{names}），"
            "请把列名改为模板中的列名后再导入"))
    return problems


def _unused_names(grid: _Grid, spec: SheetSpec, known: dict[str, str], header: Header,
                  bottom: int) -> list[Problem]:
    """A known column name written in the header rows (or just below) that no column uses."""
    problems = []
    reported: set[str] = set()
    for row in range(min(bottom + 2, grid.height)):
        for col in range(grid.width):
            name = grid.text(row, col)
            if name in known and known[name] not in header.columns and name not in reported:
                reported.add(name)
                problems.append(Problem(spec.name, row + 1, name, "",
                                        f"表头中有「{name}」（{cell_name(row, col)}单元格），但没有"
                                        "被识别为数据列，请检查表头的行和合并单元格"))
    return problems


def _range(merge: Merge) -> str:
    (r0, c0), (r1, c1) = merge
    return f"{cell_name(r0, c0)}:{cell_name(r1, c1)}"


class _Grid:
    """The first rows of a sheet with merged header cells filled in."""

    def __init__(self, rows: Sequence[Sequence[Any]], merges: Sequence[Merge]) -> None:
        self.height = len(rows)
        self.width = max((len(r) for r in rows), default=0)
        self.merges = [m for m in merges if m[0][0] < self.height]
        self._rows = rows
        self._texts = [[normal_header(v) for v in row] for row in rows]
        self._raw_content = any(t for row in self._texts for t in row)
        self._merge_of: dict[tuple[int, int], Merge] = {}
        for merge in self.merges:
            (r0, c0), (r1, c1) = merge
            for r in range(r0, min(r1, self.height - 1) + 1):
                for c in range(c0, min(c1, self.width - 1) + 1):
                    self._merge_of[r, c] = merge

    @property
    def has_content(self) -> bool:
        return self._raw_content

    def text(self, row: int, col: int) -> str:
        merge = self._merge_of.get((row, col))
        if merge:
            row, col = merge[0]
        line = self._texts[row] if row < self.height else ()
        return line[col] if col < len(line) else ""

    def written(self, row: int, col: int) -> str:
        """The header cell as the user wrote it (a merged cell: its first cell)."""
        merge = self._merge_of.get((row, col))
        if merge:
            row, col = merge[0]
        value = self._rows[row][col] if col < len(self._rows[row]) else None
        return "" if value is None else strip_invisible(str(value)).strip()

    def merge_at(self, row: int, col: int) -> Merge | None:
        return self._merge_of.get((row, col))

    def same_cell(self, row_a: int, row_b: int, col: int) -> bool:
        merge = self._merge_of.get((row_a, col))
        return merge is not None and merge is self._merge_of.get((row_b, col))

    def has_group(self, row: int) -> bool:
        return any(r0 <= row <= r1 and c1 > c0 for (r0, c0), (r1, c1) in self.merges)
