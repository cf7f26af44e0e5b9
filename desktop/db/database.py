"""The one factory that opens every database (STYLE.md rule 5): the file is
identified as ours before anything is written (foreign, empty and read-only files
as desktop.db.file_identity decides), configured (desktop.db.connection), then
migrated (desktop.db.migrations; a newer schema refused).

It sits above both so that the modules the migrations use (backup, payruns,
records) can import connection without an import circle.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.db import file_identity
from desktop.db.connection import configure, translate
from desktop.db.migrations import migrate as migrate_schema


def open_database(path: str | Path, *, operator: str = "", migrate: bool = True,
                  create: bool = True) -> sqlite3.Connection:
    """Open and migrate the database at `path`; a missing or empty file becomes a
    new database only when `create`. A file that is not ours is refused before
    anything is written to it; one that cannot be written is opened read-only."""
    path = Path(path)
    plan = file_identity.plan_open(path, create=create)
    conn = file_identity.connect(plan, timeout=15)
    conn.row_factory = sqlite3.Row
    try:
        if migrate:  # before WAL or a migration changes the file
            file_identity.identify(conn, path, create=create)
        configure(conn, operator, read_only=plan.read_only)
        if migrate:
            migrate_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate(exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn
