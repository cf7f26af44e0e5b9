"""Child processes of tests/exchange/test_races.py: merges, exports and edits that
run at the same moment as another process's (multiprocessing, spawn).

Each child opens its own connection, waits for the test's go-ahead, and puts one
outcome on `out`: (name, "merged" | "already" | "exported" | "edited", detail) or
(name, "error", message). A child given `inside`/`release` events stops inside
its write transaction (at its first progress report, or just before the package
is written) until the test releases it, so another process surely overlaps it.
"""

from __future__ import annotations

import dataclasses
import traceback
from pathlib import Path
from typing import Any

Event = Any  # multiprocessing.Event, which has no importable class


def _hold(inside: Event | None, release: Event | None) -> None:
    if inside is not None and not inside.is_set():
        inside.set()
        if release is not None and not release.wait(20):
            raise RuntimeError("never released")


def merge(name: str, db_path: str, package: str, out: Any, *, go: Any = None,
          inside: Event | None = None, release: Event | None = None,
          busy_ms: int | None = None) -> None:
    """Merge `package` into `db_path`; with `inside`, pause in the transaction."""
    try:
        from desktop.services import exchange
        from desktop.services.workspace import open_workspace

        db = open_workspace(Path(db_path), operator=name)
        if busy_ms is not None:
            db.execute(f"PRAGMA busy_timeout = {busy_ms}")
        if go is not None:
            go.wait(20)
        out.put((name, "began", None))
        preview = exchange.merge_package(db, Path(package), resolve_all="theirs",
                                         progress=lambda d, t: _hold(inside, release))
        db.close()
        if preview.already_merged:
            out.put((name, "already", preview.message))
        else:
            out.put((name, "merged", preview.plan.counts()))
    except Exception as exc:  # the test reports what a child met, traceback and all
        out.put((name, "error", _described(exc)))


def export(name: str, db_path: str, folder: str, out: Any, *, go: Any = None,
           inside: Event | None = None, release: Event | None = None) -> None:
    """Export the installation's package into `folder`; with `inside`, pause in
    the export's transaction just before the file is written."""
    try:
        from desktop.db import exchange_package
        from desktop.services import exchange
        from desktop.services.workspace import open_workspace

        if inside is not None:
            write = exchange_package.write_package

            def held(*args: Any, **kwargs: Any) -> None:
                _hold(inside, release)
                write(*args, **kwargs)
            exchange_package.write_package = held
        db = open_workspace(Path(db_path), operator=name)
        if go is not None:
            go.wait(20)
        out.put((name, "began", None))
        path = exchange.export_package(db, Path(folder))
        db.close()
        out.put((name, "exported", str(path)))
    except Exception as exc:
        out.put((name, "error", _described(exc)))


def edit_org(name: str, db_path: str, org_id: str, fields: dict, out: Any) -> None:
    """Change one organization through the registry service, as a clerk at
    another PC (or another window) would."""
    try:
        from desktop.domain.registry import Organization
        from desktop.services import registry
        from desktop.services.workspace import open_workspace

        db = open_workspace(Path(db_path), operator=name)
        record = registry.get(db, Organization, org_id)
        registry.update(db, dataclasses.replace(record, **fields))
        db.close()
        out.put((name, "edited", None))
    except Exception as exc:
        out.put((name, "error", _described(exc)))


def _described(exc: Exception) -> str:
    from desktop.errors import UserError

    if isinstance(exc, UserError):
        return f"UserError: {exc}"
    return "".join(traceback.format_exception(exc))
