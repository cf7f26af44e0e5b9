"""Small builders for valid records, shared by tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from desktop.domain.identifiers import id_check_char, uscc_check_char
from desktop.sheets.safe import write_text_cell


def id_number(serial: int, birth: date = date(1985, 6, 15), region: str = "340801") -> str:
    """A valid resident ID number; `serial` (0-999) makes it unique."""
    body = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + id_check_char(body)


def uscc(serial: int, prefix: str = "91", region: str = "340800") -> str:
    """A valid unified social credit code; `serial` makes it unique."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    tail = ""
    n = serial
    for _ in range(9):
        tail = alphabet[n % 31] + tail
        n //= 31
    body = f"{prefix}{region}{tail}"
    return body + uscc_check_char(body)


def build_workbook(path: Path, sheets: dict[str, list[list]],
                   merges: dict[str, tuple[str, ...]] | None = None) -> Path:
    """A workbook with one sheet per entry, rows written as given (row 1 first),
    and per sheet the `merges` ('A1:A2') applied."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                # Strings stay text (a user's '=1+1 typed as text), never formulas.
                if isinstance(value, str):
                    write_text_cell(ws.cell(row=r, column=c), value)
                elif value is not None:
                    ws.cell(row=r, column=c, value=value)
        for cells in (merges or {}).get(name, ()):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def other_county_backup(tmp_path: Path) -> Path:
    """A backup of 宿松县's database holding one officer (another county's data)."""
    from desktop.domain.registry import LiaisonOfficer
    from desktop.services import maintenance, registry
    from desktop.services.workspace import open_workspace, set_county

    other = open_workspace(tmp_path / "other.sqlite3", create=True)
    set_county(other, "宿松县")
    registry.create(other, LiaisonOfficer(name="宿松的人", id_number=id_number(7)))
    saved = maintenance.backup_now(other, tmp_path / "susong.sqlite3")
    other.close()
    return saved


def run_cli(db_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    """Run `liangxin-cli --db DB_PATH ARGS…` in-process: (exit code, stdout, stderr)."""
    from desktop.cli import main

    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` (e.g. "1m") mounted at `folder` for a real full disk;
    the test is skipped where mounting is not allowed (not root, not Linux)."""
    import pytest

    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root on Linux")
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount refused: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)

