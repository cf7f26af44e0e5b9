"""argparse's own words in Chinese: usage lines, "required", "invalid choice" and
the help headings. argparse looks each message up through its module-level
gettext function `_`; pointing that at this table is the hook gettext offers
(Python ships no Chinese catalog for argparse)."""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "至多一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}


def install() -> None:
    """Route argparse's messages through MESSAGES (unknown ones stay English)."""
    argparse._ = lambda message: MESSAGES.get(message, message)
    argparse.ngettext = _ngettext


def _ngettext(singular: str, plural: str, n: int) -> str:
    return MESSAGES.get(singular if n == 1 else plural, singular if n == 1 else plural)
