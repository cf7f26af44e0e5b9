"""`policy set/show` and `payrun create/show/lock/export` (CLI.md), plus
`payrun list/recompute/delete` for drafts. Every command calls a service."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import closing
from pathlib import Path

from desktop.cli.common import open_db, warn
from desktop.domain.identifiers import mask_id_number
from desktop.domain.money import amount_in_words, format_fen
from desktop.services import payruns, policy
from desktop.services.payrun_checks import resolve_run_id

RUN_HELP = "批次 ID，或其前几位（如发放表上“批次”后的8位）"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `policy` and `payrun` commands."""
    _register_policy(subparsers)
    _register_payrun(subparsers)


def _register_policy(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("policy", help="补贴标准：设置、查看")
    sub = parser.add_subparsers(dest="policy_command", metavar="SUBCOMMAND", required=True)
    setting = sub.add_parser(
        "set", help="设置某年度的补贴标准（未给出的项保持不变，新年度从默认值开始）")
    setting.add_argument("--year", type=int, required=True, help="年度")
    for name, label in (("monthly", "每月工作补贴"), ("excellent", "优秀等次绩效补贴"),
                        ("good", "良好等次绩效补贴"), ("competent", "称职等次绩效补贴"),
                        ("incompetent", "不称职等次绩效补贴")):
        setting.add_argument(f"--{name}", metavar="YUAN", help=f"{label}（元）")
    setting.add_argument("--proration", choices=("daily", "half_month"),
                         help="不足整月的折算：daily 按日折算，half_month 按半月计")
    setting.add_argument("--bonus-min-days", type=int, metavar="N",
                         help="领取绩效补贴的最低驻企天数")
    setting.add_argument("--prorate-bonus", action=argparse.BooleanOptionalAction, default=None,
                         help="绩效补贴按驻企天数折算")
    setting.set_defaults(handler=_policy_set)
    show = sub.add_parser("show", help="查看某年度的补贴标准")
    show.add_argument("--year", type=int, required=True, help="年度")
    show.add_argument("--json", action="store_true", help="以 JSON 输出（金额单位：分）")
    show.set_defaults(handler=_policy_show)


def _register_payrun(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("payrun", help="发放批次：生成、查看、锁定、导出发放表")
    sub = parser.add_subparsers(dest="payrun_command", metavar="SUBCOMMAND", required=True)
    create = sub.add_parser("create", help="生成草稿批次，输出新批次的 ID")
    create.add_argument("--kind", choices=payruns.KINDS, required=True,
                        help="stipend 工作补贴，bonus 绩效补贴；adjustment 工作补贴调整、"
                             "bonus_adjustment 绩效补贴调整（补发或扣回已锁定批次的差额）")
    create.add_argument("--period", required=True,
                        help="期间：2026-03（月）、2026-Q2（季度）、2026（年度）")
    create.set_defaults(handler=_create)
    show = sub.add_parser("show", help="查看批次及明细")
    show.add_argument("run", metavar="RUN", help=RUN_HELP)
    show.add_argument("--json", action="store_true", help="以 JSON 输出（金额单位：分）")
    show.set_defaults(handler=_show)
    for name, help_text, handler in (
            ("lock", "锁定批次：此后不能修改或删除", _lock),
            ("recompute", "按当前数据重新计算草稿批次", _recompute),
            ("delete", "删除草稿批次", _delete)):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("run", metavar="RUN", help=RUN_HELP)
        p.set_defaults(handler=handler)
    export = sub.add_parser("export", help="导出补贴发放表（.xlsx 或 .pdf）")
    export.add_argument("run", metavar="RUN", help=RUN_HELP)
    export.add_argument("out", type=Path, metavar="OUT", help="输出文件：OUT.xlsx 或 OUT.pdf")
    export.set_defaults(handler=_export)
    listing = sub.add_parser("list", help="列出发放批次")
    listing.add_argument("--kind", choices=payruns.KINDS, help="只列出该类别")
    listing.set_defaults(handler=_list)


# --- policy ---------------------------------------------------------------------

def _policy_set(args: argparse.Namespace) -> int:
    with _db(args) as db:
        saved = policy.set_policy(
            db, args.year, monthly=args.monthly, excellent=args.excellent, good=args.good,
            competent=args.competent, incompetent=args.incompetent, proration=args.proration,
            bonus_min_days=args.bonus_min_days, prorate_bonus=args.prorate_bonus)
    print("已保存")
    print("\n".join(policy.policy_lines(saved)))
    return 0


def _policy_show(args: argparse.Namespace) -> int:
    with _db(args) as db:
        shown = policy.show_policy(db, args.year)
    if args.json:
        print(json.dumps(policy.policy_as_json(shown), ensure_ascii=False))
    else:
        print("\n".join(policy.policy_lines(shown)))
    return 0


# --- payment runs -------------------------------------------------------------------

def _create(args: argparse.Namespace) -> int:
    with _db(args) as db:
        run_id = payruns.create_run(db, args.kind, args.period)
        warnings = payruns.run_warnings(db, run_id)
    print(run_id)
    for warning in warnings:
        warn(warning)
    return 0


def _show(args: argparse.Namespace) -> int:
    with _db(args) as db:
        detail = payruns.get_run(db, resolve_run_id(db, args.run))
    if args.json:
        print(json.dumps(payruns.run_as_json(detail), ensure_ascii=False))
        return 0
    run = detail.run
    print(f"{payruns.run_title(detail)}　批次 {run.id}")
    print(f"共 {len(detail.lines)} 人，合计 {format_fen(run.total_fen)} 元"
          f"（{amount_in_words(run.total_fen)}）")
    for line in detail.lines:
        print("\t".join((str(line.seq), line.officer_name, mask_id_number(line.id_number),
                         line.township, f"{line.posted_days}天", format_fen(line.amount_fen),
                         line.note)))
    return 0


def _lock(args: argparse.Namespace) -> int:
    with _db(args) as db:
        run_id = resolve_run_id(db, args.run)
        payruns.lock_run(db, run_id)
    print(f"已锁定批次 {run_id}")
    return 0


def _recompute(args: argparse.Namespace) -> int:
    with _db(args) as db:
        run_id = resolve_run_id(db, args.run)
        payruns.recompute_run(db, run_id)
        total = payruns.get_run(db, run_id).run.total_fen
    print(f"已重新计算，合计 {format_fen(total)} 元")
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _db(args) as db:
        run_id = resolve_run_id(db, args.run)
        payruns.delete_run(db, run_id)
    print(f"已删除草稿批次 {run_id}")
    return 0


def _export(args: argparse.Namespace) -> int:
    with _db(args) as db:
        run_id = resolve_run_id(db, args.run)
        path = payruns.export_subsidy_sheet(db, run_id, args.out)
        warnings = (payruns.pdf_font_warnings(db, run_id) if path.suffix.lower() == ".pdf"
                    else ())
    print(f"已导出 {path}（含完整身份证号和银行卡号，注意保密）")
    for warning in warnings:
        print(f"注意：{warning}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    with _db(args) as db:
        runs = payruns.list_runs(db, args.kind)
    if not runs:
        print("还没有发放批次")
    for run in runs:
        print("\t".join((run.period, payruns.KIND_LABELS[payruns.run_kind(run)],
                         payruns.STATUS_LABELS[run.status], f"{run.line_count}人",
                         format_fen(run.total_fen), run.id)))
    return 0



def _db(args: argparse.Namespace) -> closing:
    """`with _db(args) as db:` — the database of --db, closed afterwards."""
    return closing(open_db(args))
