"""The package version, for the build scripts (build.py, build_deb.py) alike."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version() -> str:
    """The package version (desktop.__version__), read without importing the app."""
    for line in (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("desktop/__init__.py has no __version__")
