"""The layering of DESIGN.md, checked by reading the sources.

Qt only in views (and the GUI entry points); SQL and the database driver only
in desktop/db/; nothing below services imports services or views.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "desktop"
QT_ALLOWED = ("views/", "app.py", "__main__.py", "selftest.py")
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b")


def _sources():
    return sorted(p for p in ROOT.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_layer_rules(path):
    rel = path.relative_to(ROOT).as_posix()
    imports = _imports(path)
    if not rel.startswith(QT_ALLOWED):
        assert not any(name.startswith("PySide6") for name in imports), "Qt outside views"
    if not rel.startswith("db/"):
        assert not imports & {"sqlite3", "sqlite_utils"}, "database driver outside db/"
        assert not SQL.search(path.read_text(encoding="utf-8")), "SQL outside db/"
    lower = ("domain/", "db/", "reports/", "sheets/")
    if rel.startswith(lower):
        assert not any(n.startswith(("desktop.services", "desktop.views", "desktop.cli"))
                       for n in imports), "a lower layer imports a higher one"
    if rel.startswith("domain/"):
        assert not any(n.startswith(("desktop.db", "desktop.reports", "desktop.sheets"))
                       for n in imports), "domain must stay pure"


TEST_ONLY = {"pypdf", "pytest", "pytestqt", "hypothesis"}  # the `test` extra, not installed for users


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_app_needs_no_test_only_package(path):
    """`pip install -e .` (the README's start command) has none of these."""
    assert not {name.split(".")[0] for name in _imports(path)} & TEST_ONLY
