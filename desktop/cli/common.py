"""What every command module shares: opening the database named by --db."""

from __future__ import annotations

import argparse
import sys

from desktop.db.connection import Database
from desktop.services.workspace import open_workspace, require_intact, storage_warning


def open_db(args: argparse.Namespace) -> Database:
    """The existing database of `--db`, or the default one, with the operator set.
    A missing file is refused (only init and demo create one), and so is a damaged
    one: writing to it could spread the damage (check and restore open it still)."""
    db = open_workspace(args.db, operator=getattr(args, "operator", ""))
    try:
        require_intact(db)
    except BaseException:
        db.close()
        raise
    warn(storage_warning(db))
    return db


def warn(warning: str) -> None:
    """Print a warning on stderr (stdout stays the command's output)."""
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
