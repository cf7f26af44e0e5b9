"""`liangxin-cli`: the services from a terminal (CLI.md). No rules live here.

Each module of this package adds its subcommands with `register(subparsers)`;
they are found by name so parallel features do not edit one shared list.
Exit codes: 0 done, 1 the input or data was refused (Chinese reason on
stderr, never a traceback), 2 bad usage; 141 when the output's reader closed
early (`| head`), after the command did its work.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path

from desktop.cli import argparse_zh
from desktop.errors import UserError, problem_text

MAX_PROBLEMS_SHOWN = 200
BROKEN_PIPE_EXIT = 141  # what a shell reports for a process ended by SIGPIPE


def _command_modules() -> list:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmds"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command module's subcommands."""
    argparse_zh.install()  # before any parser is built: help texts are made on the way
    parser = argparse.ArgumentParser(prog="liangxin-cli", description="两新党建工作台 命令行")
    parser.add_argument("--db", type=Path, help="数据库文件（默认：用户数据目录中的数据库）")
    parser.add_argument("--operator", default="命令行", help="审计日志中记录的操作人（数据库没有用户时）")
    parser.add_argument("--user", metavar="NAME",
                        help="以该用户登录（数据库有用户时必需；密码在提示时输入或用环境变量"
                             " LIANGXIN_PASSWORD）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except UserError as err:
        print(f"错误：{err}", file=sys.stderr)
        for problem in err.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  {problem_text(problem)}", file=sys.stderr)
        if len(err.problems) > MAX_PROBLEMS_SHOWN:
            print(f"  ……另有 {len(err.problems) - MAX_PROBLEMS_SHOWN} 个问题", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return _output_cut_short()
    try:
        sys.stdout.flush()  # inside the guard: a closed pipe shows up here, not at exit
    except BrokenPipeError:
        return _output_cut_short()
    return int(result or 0)


def _output_cut_short() -> int:
    """The reader of stdout went away (`| head`): whatever the command saved stays
    saved; stop quietly, as a Unix tool killed by SIGPIPE would (exit 128 + 13)."""
    # Python would flush stdout again at exit and print "Exception ignored … BrokenPipeError".
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return BROKEN_PIPE_EXIT


def _utf8_stdio() -> None:
    # A Windows console defaults to a legacy code page; Chinese must not crash print().
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
