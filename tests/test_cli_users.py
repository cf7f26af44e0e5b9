"""`init --admin`, `--user`, `user add | list | disable | reset-password` (CLI.md, ACCESS.md)."""

from __future__ import annotations

import re

import pytest

from desktop.cli import main

ADMIN_PASSWORD = "admin2026"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def admin_db(tmp_path, capsys, monkeypatch):
    path = tmp_path / "u.sqlite3"
    monkeypatch.setenv("LIANGXIN_PASSWORD", ADMIN_PASSWORD)
    code, out, _ = run(capsys, "--db", path, "init", "--county", "示范县", "--admin", "boss")
    assert code == 0 and "首位系统管理员已创建：boss" in out
    code_line = next(line for line in out.splitlines() if line.startswith("恢复码"))
    assert "没有恢复码时，最后一名系统管理员忘记密码将无法找回" in out
    return path, code_line.split("：")[1]


def test_a_database_with_users_needs_user_and_password(admin_db, capsys, monkeypatch):
    path, _ = admin_db
    code, _, err = run(capsys, "--db", path, "policy", "show", "--year", "2026")
    assert code == 1 and "--user" in err
    monkeypatch.setenv("LIANGXIN_PASSWORD", "wrong2026")
    code, _, err = run(capsys, "--db", path, "--user", "boss", "user", "list")
    assert code == 1 and "用户名或密码不正确" in err and "wrong2026" not in err


def test_user_add_list_disable_and_reset(admin_db, capsys, monkeypatch):
    path, _ = admin_db
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "add", "zs",
                       "--role", "clerk", "finance", "--display-name", "张三")
    assert code == 0 and "已新增用户：zs（张三，录入员、财务）" in out
    temporary = re.search(r"临时密码.*：(\w+)", out).group(1)
    monkeypatch.setenv("LIANGXIN_PASSWORD", temporary)
    code, _, err = run(capsys, "--db", path, "--user", "zs", "user", "list")
    assert code == 1 and "须先修改密码" in err  # must change first
    monkeypatch.setenv("LIANGXIN_PASSWORD", ADMIN_PASSWORD)
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "list")
    assert code == 0 and "zs\t张三\t录入员、财务\t须改密码" in out
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "reset-password", "zs")
    assert code == 0 and "临时密码" in out
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "disable", "zs")
    assert code == 0
    with pytest.raises(SystemExit) as usage:  # bad usage: no such role
        main(["--db", str(path), "--user", "boss", "user", "add", "x", "--role", "boss"])
    assert usage.value.code == 2


def test_reset_password_with_the_recovery_code(admin_db, capsys, monkeypatch):
    path, recovery = admin_db
    monkeypatch.setenv("LIANGXIN_PASSWORD", "forgot2026")
    code, out, _ = run(capsys, "--db", path, "user", "reset-password", "boss",
                       "--recovery-code", recovery)
    assert code == 0 and "新的恢复码" in out
    code, _, err = run(capsys, "--db", path, "user", "reset-password", "boss",
                       "--recovery-code", recovery)
    assert code == 1 and "恢复码不正确" in err  # used once
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "list")
    assert code == 0 and out.startswith("boss")


def test_user_is_ignored_on_a_database_without_users(tmp_path, capsys):
    path = tmp_path / "n.sqlite3"
    assert run(capsys, "--db", path, "init")[0] == 0
    code, _, _ = run(capsys, "--db", path, "--user", "anyone", "policy", "set", "--year", "2026")
    assert code == 0


def _add_zs(path, capsys) -> str:
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "add", "zs",
                       "--role", "clerk")
    assert code == 0
    return re.search(r"临时密码.*：(\w+)", out).group(1)


def test_passwd_changes_your_own_password_even_when_you_must(admin_db, capsys, monkeypatch):
    path, _ = admin_db
    temporary = _add_zs(path, capsys)
    monkeypatch.setenv("LIANGXIN_PASSWORD", temporary)
    code, _, err = run(capsys, "--db", path, "--user", "zs", "user", "list")
    assert code == 1 and "user passwd" in err  # says how to get out of it
    monkeypatch.setenv("LIANGXIN_NEW_PASSWORD", "12345678")
    code, _, err = run(capsys, "--db", path, "--user", "zs", "user", "passwd")
    assert code == 1 and "字母和数字" in err
    monkeypatch.setenv("LIANGXIN_NEW_PASSWORD", "mine2026")
    code, out, _ = run(capsys, "--db", path, "--user", "zs", "user", "passwd")
    assert code == 0 and out.strip() == "已修改 zs 的密码"
    code, _, err = run(capsys, "--db", path, "--user", "zs", "user", "passwd")
    assert code == 1 and "用户名或密码不正确" in err  # the temporary password is spent
    monkeypatch.setenv("LIANGXIN_PASSWORD", "mine2026")
    code, out, _ = run(capsys, "--db", path, "--user", "zs", "user", "list")
    assert code == 0 and "zs\tzs\t录入员\t正常" in out
    assert "mine2026" not in out + err and temporary not in out + err


def test_passwd_needs_user(admin_db, capsys):
    path, _ = admin_db
    code, _, err = run(capsys, "--db", path, "user", "passwd")
    assert code == 1 and "--user" in err


def test_enable_and_unlock(admin_db, capsys, monkeypatch):
    path, _ = admin_db
    temporary = _add_zs(path, capsys)
    assert run(capsys, "--db", path, "--user", "boss", "user", "disable", "zs")[0] == 0
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "enable", "zs")
    assert code == 0 and out.strip() == "已启用用户：zs"
    code, _, err = run(capsys, "--db", path, "--user", "boss", "user", "unlock", "zs")
    assert code == 1 and "该用户未被锁定：zs" in err
    monkeypatch.setenv("LIANGXIN_PASSWORD", "wrong2026")
    for _ in range(5):
        assert run(capsys, "--db", path, "--user", "zs", "user", "list")[0] == 1
    monkeypatch.setenv("LIANGXIN_PASSWORD", temporary)
    code, _, err = run(capsys, "--db", path, "--user", "zs", "user", "list")
    assert code == 1 and "账户已锁定" in err
    monkeypatch.setenv("LIANGXIN_PASSWORD", ADMIN_PASSWORD)
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "list")
    assert code == 0 and "zs\tzs\t录入员\t锁定至 " in out and "、须改密码" in out
    code, out, _ = run(capsys, "--db", path, "--user", "boss", "user", "unlock", "zs")
    assert code == 0 and out.strip() == "已解除锁定：zs"
    monkeypatch.setenv("LIANGXIN_PASSWORD", temporary)
    code, _, err = run(capsys, "--db", path, "--user", "zs", "user", "list")
    assert code == 1 and "须先修改密码" in err  # signed in: only the must-change stops it
