"""The exchange password for commands that make or open sealed files: taken
from LIANGXIN_EXCHANGE_PASSWORD (scripts), else asked for at the terminal when
a file turns out to need it. Never an argument: it would show in `ps` and in
the shell's history."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from typing import TypeVar

from desktop.errors import UserError
from desktop.services.sealing import PasswordNeeded

ENV = "LIANGXIN_EXCHANGE_PASSWORD"
HELP = (f"已在设置中设置交换口令时，备份到其他位置和交换包都会加密；"
        f"恢复、导入加密文件也需要交换口令：从环境变量 {ENV} 读取，未设置时在终端提示输入")
T = TypeVar("T")


def from_env() -> str | None:
    """The password a script gave in the environment, None when it gave none."""
    return os.environ.get(ENV) or None


def with_password(action: Callable[[str | None], T]) -> T:
    """Run `action(password)` with the environment's password; when it needs
    one and none was given, ask at the terminal (once) and run it again."""
    password = from_env()
    try:
        return action(password)
    except PasswordNeeded as err:
        if password is not None or not sys.stdin.isatty():
            raise UserError(f"{err}（请在环境变量 {ENV} 中给出交换口令）") from err
        typed = getpass.getpass("交换口令：")
        if not typed:
            raise UserError("未输入交换口令，已取消") from err
        return action(typed)
