"""What every command module shares: opening the database named by --db."""

from __future__ import annotations

import argparse

from desktop.db.connection import Database
from desktop.services.workspace import open_workspace


def open_db(args: argparse.Namespace) -> Database:
    """The database of `--db`, or the default one, with the operator set."""
    return open_workspace(args.db, operator=getattr(args, "operator", ""))
