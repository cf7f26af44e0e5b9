"""The project's own documents stay true: the CLI reference matches the parser,
and every relative link in the README and docs/ points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.cli import reference

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_docs_cli_md_is_made_from_the_current_parser():
    assert reference.DOC.read_text(encoding="utf-8") == reference.reference(), \
        "docs/cli.md is out of date: run  python -m desktop.cli.reference --write"


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    broken = _broken_links(document)
    assert not broken, f"{document.name} links to missing files: {broken}"


def _broken_links(document: Path) -> list[str]:
    broken = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor in the same page
        if not (document.parent / target.split("#")[0]).exists():
            broken.append(target)
    return broken


def test_a_broken_link_is_caught_and_a_good_one_is_not(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("x")
    page = tmp_path / "page.md"
    page.write_text("[a](docs/missing.md) [b](docs/here.md#part) [c](https://example.org) [d](#top)")
    assert _broken_links(page) == ["docs/missing.md"]
