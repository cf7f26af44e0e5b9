"""`user add | list | disable | enable | unlock | reset-password | passwd`: the
accounts of ACCESS.md."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from desktop.cli.common import open_db, password
from desktop.domain import access
from desktop.errors import UserError
from desktop.services import accounts, users
from desktop.services.workspace import open_workspace, require_intact

NEW_PASSWORD_ENV = "LIANGXIN_NEW_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the user commands (CLI.md)."""
    p = sub.add_parser("user", help="用户与角色（系统管理员）")
    commands = p.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    roles = "、".join(f"{role}（{label}）" for role, label in access.ROLE_LABELS.items())
    c = commands.add_parser("add", help="新增用户（打印一次性临时密码，首次登录须修改）")
    c.add_argument("name", metavar="NAME", help="登录名")
    c.add_argument("--role", nargs="+", required=True, choices=access.ROLES, metavar="ROLE",
                   help=f"角色，可给多个：{roles}")
    c.add_argument("--display-name", metavar="TEXT", default="", help="姓名（默认同登录名）")
    c.set_defaults(handler=_add)
    c = commands.add_parser("list", help="列出用户")
    c.set_defaults(handler=_list)
    c = commands.add_parser("disable", help="停用用户")
    c.add_argument("name", metavar="NAME", help="登录名")
    c.set_defaults(handler=_disable)
    c = commands.add_parser("enable", help="重新启用已停用的用户")
    c.add_argument("name", metavar="NAME", help="登录名")
    c.set_defaults(handler=_enable)
    c = commands.add_parser("unlock", help="解除因连续输错密码造成的锁定（不必等 10 分钟）")
    c.add_argument("name", metavar="NAME", help="登录名")
    c.set_defaults(handler=_unlock)
    c = commands.add_parser("reset-password", help="重置密码（管理员重置：打印临时密码；"
                                                   "或用恢复码重置系统管理员的密码）")
    c.add_argument("name", metavar="NAME", help="登录名")
    c.add_argument("--recovery-code", metavar="CODE",
                   help="初始化时打印的恢复码（无需登录；新密码在提示时输入或用 LIANGXIN_PASSWORD）")
    c.set_defaults(handler=_reset)
    c = commands.add_parser("passwd", help="修改自己（--user）的密码；原密码同登录，新密码在提示时"
                                           f"输入两次，或用环境变量 {NEW_PASSWORD_ENV}")
    c.set_defaults(handler=_passwd)


def _add(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        made = accounts.add_user(db, args.name, args.role, display_name=args.display_name)
    finally:
        db.close()
    print(f"已新增用户：{made.user.login}（{made.user.display_name}，{made.user.roles_text}）")
    print(f"临时密码（只显示这一次，首次登录须修改）：{made.temporary_password}")
    return 0


def _list(args: argparse.Namespace) -> int:
    db = open_db(args)
    try:
        found = accounts.list_users(db)
    finally:
        db.close()
    now = datetime.now(timezone.utc)
    for user in found:
        print(f"{user.login}\t{user.display_name}\t{user.roles_text}\t{user.status_text(now)}"
              f"\t上次登录：{user.last_sign_in or '从未'}")
    return 0


def _on_account(args: argparse.Namespace, change, done: str) -> int:
    """Run one administrator's change on the account `args.name` and say it is done."""
    db = open_db(args)
    try:
        change(db, args.name)
    finally:
        db.close()
    print(f"{done}：{args.name}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    return _on_account(args, accounts.disable_user, "已停用用户")


def _enable(args: argparse.Namespace) -> int:
    return _on_account(args, accounts.enable_user, "已启用用户")


def _unlock(args: argparse.Namespace) -> int:
    return _on_account(args, accounts.unlock, "已解除锁定")


def _passwd(args: argparse.Namespace) -> int:
    # Not open_db: a user who must change the password may sign in for this one
    # command, and the password typed at sign-in is the "old password".
    db = open_workspace(args.db, operator=args.operator)
    try:
        require_intact(db)
        if not users.has_users(db):
            raise UserError("本数据库还没有用户，没有密码可改")
        if not args.user:
            raise UserError("请用 --user 指定要修改密码的用户")
        old = password(f"{args.user} 的原密码：")
        user = users.sign_in(db, args.user, old)
        accounts.change_password(db, old, password("新密码：", confirm=True, env=NEW_PASSWORD_ENV))
        users.sign_out(db)
    finally:
        db.close()
    print(f"已修改 {user.login} 的密码")
    return 0


def _reset(args: argparse.Namespace) -> int:
    if args.recovery_code:
        return _recover(args)
    db = open_db(args)
    try:
        made = accounts.reset_password(db, args.name)
    finally:
        db.close()
    print(f"已重置 {made.user.login} 的密码")
    print(f"临时密码（只显示这一次，下次登录须修改）：{made.temporary_password}")
    return 0


def _recover(args: argparse.Namespace) -> int:
    # The forgotten password is the point: no sign-in, the recovery code instead.
    db = open_workspace(args.db, operator=args.operator)
    try:
        new = password(f"{args.name} 的新密码：", confirm=True)
        made = accounts.reset_with_recovery_code(db, args.name, args.recovery_code, new)
    finally:
        db.close()
    print(f"已用恢复码重置 {made.user.login} 的密码")
    print(f"新的恢复码（原恢复码已失效，只显示这一次）：{made.recovery_code}")
    print(accounts.RECOVERY_WARNING)
    return 0
