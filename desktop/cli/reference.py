"""docs/cli.md, made from the argument parser itself so it cannot drift from
the commands: `python -m desktop.cli.reference --write` (tests/test_docs.py
fails when the file in the repository is out of date)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from desktop.cli import build_parser

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
WIDTH = 100  # fixed, so the text does not depend on the terminal it was made in

INTRO = """# liangxin-cli — command reference

Generated from the argument parser by `python -m desktop.cli.reference --write`;
do not edit by hand. Exit codes: 0 done; 1 the input or the data was refused (the
reason, in Chinese, on stderr); 2 the command line itself was wrong.
"""


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    parser.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=WIDTH)
    yield " ".join(path), parser.format_help()
    for name, sub in _subcommands(parser):
        yield from _walk(sub, (*path, name))


def reference() -> str:
    """The whole reference as Markdown: the global options, then every command."""
    parts = [INTRO]
    for title, text in _walk(build_parser(), ("liangxin-cli",)):
        level = "#" * min(2 + title.count(" "), 4)
        parts.append(f"{level} `{title}`\n\n```\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = reference()
    if "--write" in argv:
        DOC.write_text(text, encoding="utf-8")
        print(f"已写入 {DOC}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
