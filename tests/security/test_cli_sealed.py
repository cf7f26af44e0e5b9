"""The CLI makes and opens sealed files with the password from
LIANGXIN_EXCHANGE_PASSWORD, or a prompt at a terminal, never an argument."""

from __future__ import annotations

import getpass
import sys

import pytest

from desktop.cli import main
from desktop.db import sealed
from desktop.services import sealing
from desktop.services.workspace import open_workspace
from tests.exchange.offices import add_org, county_office, township_office
from tests.security.conftest import PASSWORD

ENV = "LIANGXIN_EXCHANGE_PASSWORD"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(tmp_path, capsys):
    path = tmp_path / "office.sqlite3"
    run(capsys, "--db", path, "init", "--county", "宜城县")
    db = open_workspace(path)
    sealing.set_password(db, PASSWORD, PASSWORD)
    db.close()
    (tmp_path / "usb").mkdir()
    return path


def test_backup_and_restore_with_the_password_in_the_environment(office, tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.setenv(ENV, PASSWORD)
    code, out, err = run(capsys, "--db", office, "backup", tmp_path / "usb")
    assert code == 0, err
    backup = next((tmp_path / "usb").iterdir())
    assert sealed.is_sealed(backup)

    code, out, err = run(capsys, "--db", office, "restore", backup)
    assert code == 0 and "已从备份恢复" in out, err


def test_without_a_password_a_script_is_told_where_to_give_it(office, tmp_path, capsys,
                                                              monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    code, out, err = run(capsys, "--db", office, "backup", tmp_path / "usb")
    assert code == 1 and "需要交换口令" in err and ENV in err
    assert list((tmp_path / "usb").iterdir()) == []


def test_a_wrong_password_in_the_environment_is_refused(office, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(ENV, PASSWORD)
    run(capsys, "--db", office, "backup", tmp_path / "usb")
    backup = next((tmp_path / "usb").iterdir())
    monkeypatch.setenv(ENV, "wrongpass123")
    code, out, err = run(capsys, "--db", office, "restore", backup)
    assert code == 1 and "交换口令不正确，或文件已被改动，未恢复，当前数据未改变" in err
    assert "wrongpass123" not in err


def test_at_a_terminal_the_password_is_asked_for(office, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    code, out, err = run(capsys, "--db", office, "backup", tmp_path / "usb")
    assert code == 0, err
    assert asked == ["交换口令："]
    assert sealed.is_sealed(next((tmp_path / "usb").iterdir()))


def test_exchange_export_and_import_with_the_environment(tmp_path, capsys, monkeypatch):
    county, town = county_office(tmp_path), township_office(tmp_path, "白沙镇")
    add_org(town, "白沙镇", "白沙快递")
    for db in (county, town):
        sealing.set_password(db, PASSWORD, PASSWORD)
        db.close()
    monkeypatch.setenv(ENV, PASSWORD)
    code, out, err = run(capsys, "--db", tmp_path / "白沙镇.sqlite3", "exchange", "export",
                         tmp_path / "pkg.lxpkg")
    assert code == 0 and sealed.is_sealed(tmp_path / "pkg.lxpkg"), err

    code, out, err = run(capsys, "--db", tmp_path / "county.sqlite3", "exchange", "import",
                         tmp_path / "pkg.lxpkg")
    assert code == 0 and "已导入" in out and "新增 1" in out, err


def test_the_help_says_where_the_password_comes_from(capsys):
    for command in (["backup"], ["restore"], ["exchange", "export"], ["exchange", "import"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        assert ENV in capsys.readouterr().out
