"""`bulletin list | render ID OUT.pdf | import-text FILE.txt | issue ID` (CLI.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import open_db
from desktop.services import bulletins

STATUS_LABELS = {"draft": "草稿", "issued": "已印发"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `bulletin` command and its subcommands."""
    parser = subparsers.add_parser("bulletin", help="组工信息：列表、生成 PDF、导入文本、印发")
    sub = parser.add_subparsers(dest="bulletin_command", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="列出各期")
    listing.add_argument("--year", type=int, help="只列出该年度")
    listing.set_defaults(handler=_list)
    render = sub.add_parser("render", help="生成某期的 PDF（已印发的期输出印发时保存的文件）")
    render.add_argument("id", help="期的 ID（见 bulletin list）")
    render.add_argument("out", type=Path, help="输出的 PDF 文件")
    render.set_defaults(handler=_render)
    importing = sub.add_parser("import-text", help="从纯文本导入一期草稿，输出新 ID")
    importing.add_argument("file", type=Path, help="文本文件（UTF-8 或 GB18030）")
    importing.set_defaults(handler=_import_text)
    issue = sub.add_parser("issue", help="印发某期：保存 PDF，此后不能修改")
    issue.add_argument("id", help="期的 ID（见 bulletin list）")
    issue.set_defaults(handler=_issue)


def _list(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        rows = bulletins.list_bulletins(db, args.year)
    finally:
        db.close()
    if not rows:
        print("还没有组工信息")
    for row in rows:
        print(f"{row.year}年第{row.number}期\t{row.issued_on.isoformat()}\t"
              f"{STATUS_LABELS.get(row.status, row.status)}\t{row.id}\t{row.title}")
    return 0


def _render(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        result = bulletins.render_bulletin_pdf(db, args.id, args.out)
    finally:
        db.close()
    _print_warnings(result.warnings)
    print(f"已生成 {args.out}（{result.page_count} 页）")
    return 0


def _import_text(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        imported = bulletins.import_issue(db, bulletins.read_text_file(args.file))
    finally:
        db.close()
    print(imported.id)
    if imported.note:
        print(f"注意：{imported.note}", file=sys.stderr)
    return 0


def _issue(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        result = bulletins.issue_bulletin(db, args.id)
    finally:
        db.close()
    _print_warnings(result.warnings)
    print(f"已印发（{result.page_count} 页），此后不能修改")
    return 0


def _print_warnings(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        print(f"提示：{warning}", file=sys.stderr)
