"""Which characters a font file has, read straight from its `cmap` table.

Finding a fallback font for a rare character means asking every installed font;
registering each with ReportLab reads all its metrics (up to a fifth of a second
for a big CJK font, minutes over a Windows font folder). Reading only the table
directory and the character map takes a millisecond or two a file.

Only TrueType-outline faces count (a `glyf` table): ReportLab embeds nothing
else, so a CFF font (Noto CJK) that has the character is no use to us.
"""

from __future__ import annotations

import bisect
import functools
import lzma
import struct
from pathlib import Path

_TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"true")


class Coverage:
    """The code points of one font face, as sorted inclusive ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ranges.sort()
        self._starts = [start for start, _ in ranges]
        self._ends = [end for _, end in ranges]

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        k = bisect.bisect_right(self._starts, code) - 1
        return k >= 0 and code <= self._ends[k]

    def __bool__(self) -> bool:
        return bool(self._starts)


EMPTY = Coverage([])


@functools.lru_cache(maxsize=None)
def coverage(path: Path) -> Coverage:
    """The characters the first face of `path` maps to a glyph (EMPTY when the file
    is unreadable, not TrueType-outlined, or has no Unicode character map)."""
    try:
        data = path.read_bytes()
        if path.suffix == ".xz":  # the shipped fonts (desktop/reports/fonts.py)
            data = lzma.decompress(data)
        return _face_coverage(data, _face_offset(data))
    except (OSError, struct.error, ValueError, IndexError, lzma.LZMAError):
        return EMPTY


def _face_offset(data: bytes) -> int:
    if data[:4] == b"ttcf":
        return struct.unpack_from(">I", data, 12)[0]
    return 0


def _tables(data: bytes, offset: int) -> dict[bytes, int]:
    if data[offset:offset + 4] not in _TRUETYPE_TAGS:
        raise ValueError("not a TrueType-outline face")
    count = struct.unpack_from(">H", data, offset + 4)[0]
    tables = {}
    for k in range(count):
        tag, _checksum, start, _length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * k)
        tables[tag] = start
    return tables


def _face_coverage(data: bytes, offset: int) -> Coverage:
    tables = _tables(data, offset)
    if b"glyf" not in tables or b"cmap" not in tables:
        return EMPTY
    cmap = tables[b"cmap"]
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    subtables = {}
    for k in range(count):
        platform, encoding, start = struct.unpack_from(">HHI", data, cmap + 4 + 8 * k)
        subtables[(platform, encoding)] = cmap + start
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3)):
        if key in subtables:
            return Coverage(_ranges(data, subtables[key]))
    return EMPTY


def _ranges(data: bytes, at: int) -> list[tuple[int, int]]:
    fmt = struct.unpack_from(">H", data, at)[0]
    if fmt == 12:
        groups = struct.unpack_from(">I", data, at + 12)[0]
        return [struct.unpack_from(">II", data, at + 16 + 12 * k)[:2] for k in range(groups)]
    if fmt == 4:
        return _format4_ranges(data, at)
    return []


def _format4_ranges(data: bytes, at: int) -> list[tuple[int, int]]:
    """Segments of a format-4 map, minus the characters it maps to glyph 0."""
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    base = at + 16 + 2 * segments
    starts = struct.unpack_from(f">{segments}H", data, base)
    deltas = struct.unpack_from(f">{segments}h", data, base + 2 * segments)
    range_at = base + 4 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    codes = []
    for k in range(segments):
        for code in range(starts[k], min(ends[k], 0xFFFE) + 1):
            if offsets[k] == 0:
                glyph = (code + deltas[k]) & 0xFFFF
            else:
                where = range_at + 2 * k + offsets[k] + 2 * (code - starts[k])
                glyph = struct.unpack_from(">H", data, where)[0]
                glyph = (glyph + deltas[k]) & 0xFFFF if glyph else 0
            if glyph:
                codes.append(code)
    return _runs(codes)


def _runs(codes: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for code in codes:
        if out and out[-1][1] == code - 1:
            out[-1] = (out[-1][0], code)
        else:
            out.append((code, code))
    return out
