"""Every file location the app uses, in one place that tests can redirect.

`LIANGXIN_HOME` overrides the data directory (DESIGN.md, Data rules).
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import platformdirs

from desktop.db.files import db_file_name

APP_DIR_NAME = "LiangxinDesk"


def data_dir() -> Path:
    """The folder that holds the databases, backups, settings and logs."""
    override = os.environ.get("LIANGXIN_HOME")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db_path() -> Path:
    """The clerk's working database."""
    return data_dir() / db_file_name("liangxin")


def demo_db_path() -> Path:
    """The demo database, kept apart so sample data never mixes with real data."""
    return data_dir() / db_file_name("demo")


def backups_dir(db_path: Path) -> Path:
    """Backups live beside the database they copy, one folder per database name."""
    return Path(db_path).resolve().parent / "backups" / Path(db_path).stem


def log_path() -> Path:
    """The log file named in crash dialogs."""
    return data_dir() / "liangxin.log"


RESOURCES_PACKAGE = "liangxin_resources"


def resources_root() -> Path:
    """The top-level resources/ folder: a source checkout's own (also under an
    editable install), else the installed `liangxin_resources` package (a wheel,
    the PyInstaller bundle)."""
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "resources").is_dir():
        # Checked first: another checkout's editable install in the same venv
        # would otherwise answer for `liangxin_resources`.
        return checkout / "resources"
    return Path(str(importlib.resources.files(RESOURCES_PACKAGE)))


def resource_path(name: str) -> Path:
    """A file or folder under resources/ ("icons/icon.png", "fonts"), wherever the
    app is installed. The path may not exist (the fonts of a bare checkout)."""
    return resources_root() / name


MANUAL_NAME = "使用手册.md"


def manual_path() -> Path | None:
    """The user guide (docs/使用手册.md, with its screenshots beside it): shipped
    among the resources, or read from the checkout; None when neither has it."""
    for candidate in (resource_path("manual") / MANUAL_NAME,
                      Path(__file__).resolve().parents[1] / "docs" / MANUAL_NAME):
        if candidate.is_file():
            return candidate
    return None
