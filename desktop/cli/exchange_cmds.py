"""`exchange export | import | log`: data packages between townships and the county."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop.cli.common import open_db
from desktop.cli.exchange_password import HELP as PASSWORD_HELP, with_password
from desktop.domain.exchange import TABLE_LABELS
from desktop.services import exchange

_COUNT_LABELS = (("new", "新增"), ("updated", "更新"), ("kept", "保留本机修改"),
                 ("deleted", "删除"), ("linked", "合并为同一记录"), ("unchanged", "无变化"),
                 ("ignored", "忽略"))


def register(sub: argparse._SubParsersAction) -> None:
    """Add the exchange commands (CLI.md)."""
    p = sub.add_parser("exchange", help="数据交换包：乡镇与县委组织部之间报送、下发数据")
    commands = p.add_subparsers(dest="exchange_command", metavar="ACTION", required=True)
    c = commands.add_parser("export", help="生成本机的数据交换包", epilog=PASSWORD_HELP)
    c.add_argument("out", type=Path, metavar="OUT.lxpkg", help="交换包文件，或存放它的文件夹")
    c.set_defaults(handler=_export)
    c = commands.add_parser("import", help="导入对方的数据交换包", epilog=PASSWORD_HELP)
    c.add_argument("package", type=Path, metavar="PKG.lxpkg", help="交换包文件")
    c.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    c.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    c.add_argument("--resolve", choices=("ours", "theirs"),
                   help="所有冲突一律保留本机（ours）或采用对方（theirs）")
    c.set_defaults(handler=_import)
    c = commands.add_parser("log", help="本机生成和导入过的交换包")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    c.set_defaults(handler=_log)


def _export(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        path = with_password(lambda password: exchange.export_package(db, args.out,
                                                                      password=password))
    finally:
        db.close()
    print(f"交换包已生成：{path}")
    return 0


def _import(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        typed: list[str | None] = []  # asked once, used again by the merge

        def preview_with(password: str | None) -> exchange.Preview:
            typed[:] = [password]
            return exchange.preview_import(db, args.package, password=password)

        preview = with_password(preview_with)
        conflicts = preview.plan.conflicts if preview.plan else []
        merged = False
        if not args.dry_run and preview.plan is not None and (args.resolve or not conflicts):
            preview = exchange.merge_package(db, args.package, resolve_all=args.resolve or "",
                                             password=typed[0])
            merged = True
    finally:
        db.close()
    if args.json:
        print(json.dumps(exchange.preview_json(preview), ensure_ascii=False, indent=2))
    else:
        _print_preview(preview, merged=merged, dry_run=args.dry_run)
    if conflicts and not args.resolve:
        print(f"错误：有 {len(conflicts)} 处冲突，未导入任何数据；请在工作台中逐条处理，"
              "或用 --resolve ours|theirs 一律处理", file=sys.stderr)
        return 1
    return 0


def _print_preview(preview: exchange.Preview, *, merged: bool, dry_run: bool) -> None:
    sender = preview.sender
    print(f"交换包：{sender.name} 第{sender.sequence}号（{preview.file_name}），共 {preview.row_count} 行")
    if preview.already_merged:
        print(preview.message)
        return
    plan = preview.plan
    assert plan is not None
    counts = plan.counts()
    print("，".join(f"{label} {counts[key]}" for key, label in _COUNT_LABELS)
          + f"，冲突 {counts['conflicts']}")
    for action in plan.conflicts:
        table = TABLE_LABELS.get(action.table, action.table)
        print(f"  冲突：{table} {action.key_text}{'（' + action.reason + '）' if action.reason else ''}")
        for name, (ours, theirs) in action.differences().items():
            print(f"    {name}：本机 {_shown(ours)} ｜ 对方 {_shown(theirs)}")
    if merged:
        print("已导入。")
    elif dry_run:
        print("（预览，未写入）")


def _shown(value: object) -> str:
    return "（空）" if value is None or value == "" else str(value)


def _log(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        entries = exchange.exchange_log(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps([{"direction": e.direction, "installation_id": e.installation_id,
                           "installation": e.installation_name, "level": e.level,
                           "township": e.township, "sequence": e.sequence,
                           "package_created_at": e.package_created_at, "at": e.at,
                           "operator": e.operator, "file": e.file_name, "rows": e.row_count,
                           "counts": e.counts} for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("还没有生成或导入过交换包")
        return 0
    for e in entries:
        what = "生成" if e.direction == "export" else "导入"
        print(f"{e.at[:16].replace('T', ' ')}  {what}  {e.installation_name} 第{e.sequence}号"
              f"  {e.row_count} 行  {e.file_name}  操作人：{e.operator}")
    return 0


