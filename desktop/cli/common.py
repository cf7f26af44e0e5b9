"""What every command module shares: opening the database named by --db, and
signing in as --user when the database has users (ACCESS.md)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from desktop.db.connection import Database
from desktop.errors import UserError
from desktop.services import users
from desktop.services.workspace import open_workspace, require_intact, storage_warning

PASSWORD_ENV = "LIANGXIN_PASSWORD"


def open_db(args: argparse.Namespace) -> Database:
    """The existing database of `--db`, or the default one, with the operator set
    and --user signed in. A missing file is refused (only init and demo create one),
    and so is a damaged one: writing to it could spread the damage (check and
    restore open it still)."""
    db = open_workspace(args.db, operator=getattr(args, "operator", ""))
    try:
        require_intact(db)
        sign_in(db, args)
    except BaseException:
        db.close()
        raise
    warn(storage_warning(db))
    return db


def sign_in(db: Database, args: argparse.Namespace) -> None:
    """Sign --user in on `db`; on a database without users --user is ignored."""
    if not users.has_users(db):
        return
    login = getattr(args, "user", None)
    if not login:
        raise UserError("该数据库已启用登录：请用 --user 指定用户名"
                        f"（密码在提示时输入，或设置环境变量 {PASSWORD_ENV}）")
    user = users.sign_in(db, login, password(f"{login} 的密码："))
    if user.must_change:
        raise UserError(f"{users.MUST_CHANGE}：请先在工作台中登录并修改密码，"
                        "或运行 user passwd 修改")


def password(prompt: str, *, confirm: bool = False, env: str = PASSWORD_ENV) -> str:
    """The password from `env` (LIANGXIN_PASSWORD), else asked for on the terminal
    (not echoed)."""
    given = os.environ.get(env)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"需要密码：请在终端中运行以输入密码，或设置环境变量 {env}")
    typed = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入密码：") != typed:
        raise UserError("两次输入的密码不一致")
    return typed


def warn(warning: str) -> None:
    """Print a warning on stderr (stdout stays the command's output)."""
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
