"""`template`, `import`, `export`: the registry in and out of Excel (CLI.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import open_db
from desktop.errors import UserError
from desktop.services import exports, importing


def register(sub: argparse._SubParsersAction) -> None:
    """Add the workbook commands."""
    p = sub.add_parser("template", help="生成空白导入模板（.xlsx）")
    p.add_argument("out", type=Path, metavar="OUT.xlsx", help="输出文件")
    p.set_defaults(handler=_template)

    p = sub.add_parser("import", help="导入工作簿：有任何错误则不写入，并列出全部问题")
    p.add_argument("workbook", type=Path, metavar="WORKBOOK.xlsx", help="要导入的工作簿")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--errors", type=Path, metavar="OUT.xlsx",
                   help="有问题时把标出问题单元格的工作簿保存到此文件")
    p.set_defaults(handler=_import)

    p = sub.add_parser("export", help="导出名册（.xlsx），默认隐藏部分个人信息")
    p.add_argument("kind", choices=sorted(exports.KINDS), metavar="KIND",
                   help="organizations | instructors | assignments | officers | postings | assessments")
    p.add_argument("out", type=Path, metavar="OUT.xlsx", help="输出文件")
    p.add_argument("--unmasked", action="store_true",
                   help="导出完整的身份号码、电话和银行卡号（可重新导入）")
    p.set_defaults(handler=_export)


def _template(args: argparse.Namespace) -> int:
    path = exports.write_template(args.out)
    print(f"已生成导入模板：{path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        result = importing.import_workbook(db, args.workbook, dry_run=args.dry_run,
                                           progress=_progress)
    except UserError as err:
        if err.problems and args.errors:
            written = importing.write_error_workbook(args.workbook, err.problems, args.errors)
            err.message += f"\n已保存标出问题的工作簿：{written}"
        raise
    finally:
        _progress_done()
        db.close()
    print(result.describe())
    return 0


def _export(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        result = exports.export_registry(db, args.kind, args.out, mask=not args.unmasked)
    finally:
        db.close()
    print(result.describe())
    return 0


def _progress(done: int, total: int, text: str) -> None:
    # Only on a terminal: scripts and tests read clean output.
    if sys.stderr.isatty() and text:
        print(f"\r{text}", end="", file=sys.stderr, flush=True)


def _progress_done() -> None:
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
