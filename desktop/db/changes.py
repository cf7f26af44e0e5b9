"""Noticing that the database changed between a read and a later write.

A service that reads and plans outside its write transaction (an import checks
the whole workbook first, so the clerk can be shown what it would change) takes
a mark before planning and compares it inside the write transaction: a different
mark means someone wrote in between, and the plan must be made again.
"""

from __future__ import annotations

import sqlite3

ChangeMark = tuple[int, int]


def change_mark(conn: sqlite3.Connection) -> ChangeMark:
    """What changes when anyone commits to the database: SQLite's data_version
    counts other connections' commits, total_changes this connection's own rows."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes
