"""`init`, `demo`, `backup`, `restore`, `check`: looking after the database file."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop import paths
from desktop.cli.common import password, sign_in, warn
from desktop.cli.exchange_password import HELP as PASSWORD_HELP, with_password
from desktop.errors import UserError
from desktop.services import accounts, demo, exchange, maintenance, sheet_codes, users
from desktop.services.workspace import (
    open_workspace, set_county, share_warning, storage_warning,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the maintenance commands (CLI.md)."""
    p = sub.add_parser("init", help="创建数据库（已存在则不变）")
    p.add_argument("--county", metavar="NAME",
                   help="本库所属县（市、区）名称，如“宜城县”：印在各类报表和发放表上")
    p.add_argument("--township", metavar="NAME",
                   help="本机是该乡镇（街道、园区）的党建办，如“白沙镇”（不加则为县委组织部）")
    p.add_argument("--admin", metavar="NAME",
                   help="首位系统管理员的登录名（密码在提示时输入或用 LIANGXIN_PASSWORD）；"
                        "打印一次性恢复码")
    p.set_defaults(handler=_init)
    p = sub.add_parser("demo", help="生成或重建演示数据库")
    p.set_defaults(handler=_demo)
    p = sub.add_parser("backup", help="在线备份数据库", epilog=PASSWORD_HELP)
    p.add_argument("out", nargs="?", metavar="OUT",
                   help="备份文件或文件夹（默认：备份文件夹）")
    p.set_defaults(handler=_backup)
    p = sub.add_parser("restore", help="用备份替换数据库（先备份当前数据）",
                       epilog=PASSWORD_HELP)
    p.add_argument("backup", type=Path, metavar="BACKUP", help="备份文件")
    p.add_argument("--yes", action="store_true",
                   help="备份属于另一个县（市、区）时也恢复（不加则拒绝并说明）")
    p.set_defaults(handler=_restore)
    p = sub.add_parser("check", help="检查数据库完整性、外键和数据规则")
    p.add_argument("--code", action="append", default=[], metavar="CODE",
                   help="同时核对发放表上印的审计校验码（可多次给出）")
    p.set_defaults(handler=_check)


def _init(args: argparse.Namespace) -> int:
    path = maintenance.init_database(args.db)
    code = ""
    if args.county is not None or args.township is not None or args.admin:
        db = open_workspace(path, operator=args.operator)
        try:
            sign_in(db, args)  # init again on a database with users: as anything else
            if args.county is not None:
                set_county(db, args.county)
            if args.township is not None:
                exchange.set_installation(db, "township", args.township)
            if args.admin:  # after the county question (ACCESS.md)
                code = _first_admin(db, args.admin)
        finally:
            db.close()
    print(f"数据库已就绪：{path}")
    if code:
        print(f"首位系统管理员已创建：{args.admin}")
        print(f"恢复码（只显示这一次）：{code}")
        print(accounts.RECOVERY_WARNING)
    warn(share_warning(path))
    return 0


def _first_admin(db, login: str) -> str:
    if users.has_users(db):
        raise UserError("本数据库已有用户，首位系统管理员已创建（新增用户请用 user add）")
    typed = password(f"系统管理员 {login} 的密码：", confirm=True)
    return accounts.create_first_admin(db, login, login, typed).recovery_code


def _demo(args: argparse.Namespace) -> int:
    # --db names a file the user owns: filled when empty, rebuilt only when it is a
    # demo database itself; real data is never deleted.
    summary = demo.rebuild_demo(args.db)
    print(f"演示数据库已生成：{args.db or paths.demo_db_path()}")
    print(f"{summary.county}：{summary.townships} 个乡镇（街道、园区），"
          f"组织 {summary.organizations} 个，其中已建党组织 {summary.with_party_org} 个")
    print(f"{summary.zone}：企业 {summary.zone_organizations} 家，"
          f"其中已建党组织 {summary.zone_with_party_org} 家")
    print(f"指导站 {summary.stations} 个，指导员 {summary.instructors} 名，"
          f"挂钩指导 {summary.assignments} 条")
    print(f"联络员 {summary.officers} 名，派驻 {summary.postings} 条，考核 {summary.assessments} 条；"
          f"补贴标准：{'、'.join(str(y) for y in summary.policy_years)} 年度")
    if summary.runs is not None:
        year, quarter, month = summary.runs.periods
        print(f"发放批次：{year}绩效补贴、{quarter}工作补贴（已锁定），{month}工作补贴（草稿）")
    print(f"组工信息 {summary.bulletins} 期：本县一期（已印发），样刊一期（据《安庆组工信息》第20期）")
    print(f"用户（密码均为 {accounts.DEMO_PASSWORD}）："
          + "，".join(f"{login}（{roles}）" for login, roles in summary.users))
    return 0


def _backup(args: argparse.Namespace) -> int:
    db = maintenance.open_existing(args.db, operator=args.operator)
    try:
        sign_in(db, args)
        path = with_password(lambda secret: maintenance.backup_now(db, args.out,
                                                                   password=secret))
    finally:
        db.close()
    print(f"已备份到：{path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    # Restoring onto a new machine is allowed: the target may not exist yet.
    db = open_workspace(maintenance.init_database(args.db), operator=args.operator)
    try:
        sign_in(db, args)
        safety = with_password(lambda secret: maintenance.restore(
            db, args.backup, other_county_ok=args.yes, password=secret))
    except maintenance.OtherCountyBackup as err:
        raise UserError(f"{err}。如确要用“{err.incoming}”的数据替换当前“{err.current}”的全部数据，"
                        "请加 --yes 重新运行") from err
    finally:
        db.close()
    print(f"已从备份恢复：{args.backup}")
    print(maintenance.safety_copy_note(safety))
    return 0


def _check(args: argparse.Namespace) -> int:
    for code in args.code:  # a mistyped code is refused before the long check
        sheet_codes.require_code(code)
    db = maintenance.open_existing(args.db, operator=args.operator)
    try:
        sign_in(db, args)
        warn(storage_warning(db))
        problems = maintenance.check(db)
        for code in args.code:
            found, wrong = sheet_codes.check_code(db, code)
            problems += wrong
            if found:
                print(found)
    finally:
        db.close()
    if problems:
        raise UserError(f"检查发现 {len(problems)} 个问题：", problems=problems)
    print("检查完成：未发现问题")
    return 0
