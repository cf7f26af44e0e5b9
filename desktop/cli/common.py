"""What every command module shares: opening the database named by --db."""

from __future__ import annotations

import argparse
import sys

from desktop.db.connection import Database
from desktop.services.workspace import open_workspace, storage_warning


def open_db(args: argparse.Namespace) -> Database:
    """The database of `--db`, or the default one, with the operator set."""
    db = open_workspace(args.db, operator=getattr(args, "operator", ""))
    warn(storage_warning(db))
    return db


def warn(warning: str) -> None:
    """Print a warning on stderr (stdout stays the command's output)."""
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
