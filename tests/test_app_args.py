"""`liangxin` (the GUI entry) speaks Chinese on the command line too (issue 14 §2)."""

from __future__ import annotations

import argparse

import pytest

from desktop.app import parse_args


@pytest.fixture(autouse=True)
def english_argparse(monkeypatch):
    """argparse as Python ships it, whatever an earlier test installed."""
    monkeypatch.setattr(argparse, "_", lambda message: message)
    monkeypatch.setattr(argparse, "ngettext",
                        lambda singular, plural, n: singular if n == 1 else plural)


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as stop:
        parse_args(["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert out.startswith("用法：liangxin") and "选项" in out and "显示本帮助并退出" in out
    assert "usage" not in out and "show this help" not in out
    args = parse_args(["--demo"])  # and the options still parse
    assert args.demo and args.db is None and not args.self_test


@pytest.mark.parametrize("argv, words", [
    (["--nonsense"], "无法识别的参数：--nonsense"),
    (["--db"], "参数 --db：需要一个值"),
])
def test_usage_errors_are_chinese_with_exit_code_2(capsys, argv, words):
    with pytest.raises(SystemExit) as stop:
        parse_args(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("用法：liangxin") and words in err, err
    assert "liangxin：错误：" in err
