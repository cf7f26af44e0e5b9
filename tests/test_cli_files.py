"""Issue 14 §2: only init and demo create a database; every other command on a
missing file, a missing folder or a folder says so in Chinese and exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main

COMMANDS = [("payrun", "list"), ("policy", "show", "--year", "2026"), ("stats", "--as-of", "2026-06-30"),
            ("bulletin", "list")]  # check and backup refused a missing file already


def _run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_mistyped_database_is_not_created(tmp_path, capsys, command):
    typo = tmp_path / "typo.sqlite3"
    code, err = _run(capsys, "--db", typo, *command)
    assert code == 1 and "数据库文件不存在" in err and "Traceback" not in err
    assert not typo.exists()


@pytest.mark.parametrize("command", COMMANDS[:3], ids=lambda c: " ".join(c))
def test_a_missing_folder_or_a_folder_gets_a_chinese_message(tmp_path, capsys, command):
    code, err = _run(capsys, "--db", tmp_path / "no" / "x.sqlite3", *command)
    assert code == 1 and "文件夹不存在" in err and "Traceback" not in err
    code, err = _run(capsys, "--db", tmp_path, *command)
    assert code == 1 and "是一个文件夹" in err and "Traceback" not in err


def test_export_on_a_missing_folder(tmp_path, capsys):
    code, err = _run(capsys, "--db", tmp_path / "no" / "x.sqlite3", "export", "organizations",
                     tmp_path / "out.xlsx")
    assert code == 1 and "文件夹不存在" in err and not (tmp_path / "out.xlsx").exists()


def test_a_zero_byte_file_is_empty_for_check_and_a_database_for_init(tmp_path, capsys):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    code, err = _run(capsys, "--db", path, "check")
    assert code == 1 and "空文件" in err and path.stat().st_size == 0
    assert _run(capsys, "--db", path, "init")[0] == 0
    assert _run(capsys, "--db", path, "check")[0] == 0


def test_the_gui_does_not_create_a_mistyped_database(tmp_path):
    from desktop.app import _open
    from desktop.errors import UserError

    typo = Path(tmp_path / "typo.sqlite3")
    with pytest.raises(UserError, match="数据库文件不存在"):
        _open(typo)
    assert not typo.exists()
