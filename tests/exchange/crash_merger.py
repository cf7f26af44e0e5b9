"""Child process of tests/exchange/test_merge_crash.py: merges one package, to be killed.

Usage: python crash_merger.py DB PACKAGE
Prints "ready" once the database is open, then "merged" when the merge committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.services import exchange
from desktop.services.workspace import open_workspace

if __name__ == "__main__":
    db = open_workspace(Path(sys.argv[1]), operator="崩溃测试")
    print("ready", flush=True)
    exchange.merge_package(db, Path(sys.argv[2]))
    print("merged", flush=True)
