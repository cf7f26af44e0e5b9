"""Damaging a database file on purpose: overwrite one leaf page of a table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

LEAF, INTERIOR = 0x0D, 0x05  # b-tree page types of a table


def leaf_pages(path: Path, table: str) -> list[int]:
    """The table's leaf pages: from the dbstat virtual table where SQLite has it,
    else by walking the b-tree from its root page."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
        try:
            return [r[0] for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,))]
        except sqlite3.OperationalError:  # built without SQLITE_ENABLE_DBSTAT_VTAB
            root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                (table,)).fetchone()[0]
            size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    return _walk(path.read_bytes(), size, root)


def _walk(data: bytes, size: int, page: int) -> list[int]:
    start = (page - 1) * size
    kind = data[start]
    if kind == LEAF:
        return [page]
    assert kind == INTERIOR, f"page {page} is not a table b-tree page"
    cells = int.from_bytes(data[start + 3:start + 5], "big")
    children = [int.from_bytes(data[start + ptr:start + ptr + 4], "big")
                for ptr in (int.from_bytes(data[start + 12 + 2 * i:start + 14 + 2 * i], "big")
                            for i in range(cells))]
    children.append(int.from_bytes(data[start + 8:start + 12], "big"))  # the rightmost child
    return [leaf for child in children for leaf in _walk(data, size, child)]


def overwrite_leaf(path: Path, table: str = "organization") -> int:
    """Overwrite one leaf page of `table` (in the middle) with garbage; returns its number."""
    pages = leaf_pages(path, table)
    assert len(pages) > 2, "the table must span several pages"
    page = pages[len(pages) // 2]
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xde\xad" * (size // 2))
    return page
