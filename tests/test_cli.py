"""The maintenance commands of CLI.md, run in-process, and the entry points."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import paths
from desktop.cli import main
from desktop.db import records
from desktop.db.database import open_database
from desktop.domain.registry import Area, LiaisonOfficer, Organization
from desktop.services import demo, registry

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _refused(code: int, err: str, text: str) -> None:
    assert code == 1 and err.startswith("错误：") and text in err
    assert "Traceback" not in err


def test_init_is_idempotent(tmp_path, capsys):
    path = tmp_path / "w.sqlite3"
    for _ in range(2):
        code, out, _ = run(capsys, "--db", path, "init")
        assert code == 0 and "数据库已就绪" in out and path.is_file()


def test_init_without_db_uses_the_data_directory(_home, capsys):
    code, out, _ = run(capsys, "init")
    assert code == 0 and (_home / "liangxin.sqlite3").is_file()


def test_demo_fills_an_empty_database_and_rebuilds_only_a_demo(tmp_path, capsys, monkeypatch):
    path = tmp_path / "d.sqlite3"
    code, out, _ = run(capsys, "--db", path, "demo")
    assert code == 0 and "经开区：企业 439 家，其中已建党组织 144 家" in out
    code, out, _ = run(capsys, "--db", path, "demo")  # a demo database: rebuilt
    assert code == 0 and "经开区：企业 439 家" in out
    assert "admin（系统管理员）" in out and "viewer（查看）" in out and "demo1234" in out
    monkeypatch.setenv("LIANGXIN_PASSWORD", "demo1234")  # the demo's ready users (ACCESS.md)
    code, out, _ = run(capsys, "--db", path, "--user", "viewer", "check")
    assert code == 0 and "未发现问题" in out
    code, out, _ = run(capsys, "--db", path, "--user", "viewer", "payrun", "list")  # not 还没有发放批次
    assert code == 0 and [line.split("\t")[:3] for line in out.splitlines()] == [
        ["2026-10", "工作补贴", "草稿"], ["2026-Q3", "工作补贴", "已锁定"],
        ["2025", "绩效补贴", "已锁定"]]
    code, out, _ = run(capsys, "--db", path, "--user", "viewer", "bulletin", "list")
    assert code == 0 and out.splitlines()[0].startswith("2026年第11期\t2026-11-22\t已印发")
    # A database of real work is never replaced.
    real = tmp_path / "real.sqlite3"
    conn = open_database(real)
    county = registry.create(conn, Area(name="某县", kind="county"))
    town = registry.create(conn, Area(name="某镇", kind="township", parent_id=county))
    registry.create(conn, Organization(name="真实企业", area_id=town))
    conn.close()
    code, _, err = run(capsys, "--db", real, "demo")
    _refused(code, err, "不是演示数据库")
    conn = open_database(real)
    assert conn.execute("select name from organization").fetchall()[0][0] == "真实企业"
    conn.close()


def test_demo_without_db_refreshes_the_demo_database(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(demo, "build_demo", lambda db: calls.append(db) or _tiny(db))
    for _ in range(2):
        code, out, _ = run(capsys, "demo")
        assert code == 0 and str(paths.demo_db_path()) in out
    assert len(calls) == 2  # rebuilt each time, not refused


def _tiny(db) -> demo.DemoSummary:
    county = registry.create(db, Area(name="宜城县", kind="county"))
    registry.create(db, Organization(name="一家", area_id=registry.create(
        db, Area(name="城关镇", parent_id=county))))
    return demo.DemoSummary("宜城县", 1, 1, 0, "经开区", 0, 0, 0, 0, 0, 0, 0, 0, (2026,))


def test_backup_restore_and_check(tmp_path, capsys):
    path = tmp_path / "w.sqlite3"
    run(capsys, "--db", path, "init")
    code, out, _ = run(capsys, "--db", path, "backup")
    saved = Path(out.split("：", 1)[1].strip())
    assert code == 0 and saved.is_file() and saved.parent.name == "w"
    code, out, _ = run(capsys, "--db", path, "backup", tmp_path / "copy.sqlite3")
    assert code == 0 and (tmp_path / "copy.sqlite3").is_file()
    code, _, err = run(capsys, "--db", path, "backup", tmp_path / "copy.sqlite3")
    _refused(code, err, "已存在")
    code, out, _ = run(capsys, "--db", path, "restore", saved)
    assert code == 0 and "恢复前的数据已另存为" in out


def test_check_lists_problems_and_exits_1(tmp_path, capsys):
    path = tmp_path / "w.sqlite3"
    conn = open_database(path)
    records.insert(conn, "liaison_officer", LiaisonOfficer(name="错号", id_number="1" * 18))
    conn.close()
    code, _, err = run(capsys, "--db", path, "check")
    _refused(code, err, "检查发现 1 个问题")
    assert "联络员“错号”" in err


@pytest.mark.parametrize("argv, text", [
    (["check"], "数据库文件不存在"),
    (["backup"], "数据库文件不存在"),
    (["--db", "{tmp}/no/such.sqlite3", "check"], "数据库文件不存在"),
    (["--db", "{tmp}/no/such.sqlite3", "demo"], "文件夹不存在"),
    (["--db", "{tmp}/no/such.sqlite3", "init"], "文件夹不存在"),
    (["--db", "{tmp}/w.sqlite3", "restore", "{tmp}/junk.txt"], "不是工作台数据库备份"),
    (["--db", "{tmp}/w.sqlite3", "restore", "{tmp}/gone.sqlite3"], "找不到备份文件"),
    (["--db", "{tmp}/junk.txt", "check"], "文件不是工作台数据库"),
])
def test_refusals_are_chinese_without_traceback(tmp_path, capsys, argv, text):
    (tmp_path / "junk.txt").write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    _refused(code, err, text)


def test_bad_usage_exits_2(capsys):
    for argv in (["restore"], ["backup", "a", "b"], ["no-such-command"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    capsys.readouterr()


def test_the_installed_entry_runs(tmp_path):
    path = tmp_path / "w.sqlite3"
    open_database(path).close()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "--db", str(path), "check"],
                          cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "未发现问题" in done.stdout


def test_gui_opens_the_demo_until_a_real_database_exists(monkeypatch):
    from desktop.app import choose_database  # the GUI entry's choice, without a window

    monkeypatch.setattr(demo, "build_demo", _tiny)
    args = argparse.Namespace(db=None, demo=False)
    assert choose_database(args) == paths.demo_db_path() and paths.demo_db_path().is_file()
    open_database(paths.default_db_path()).close()
    assert choose_database(args) == paths.default_db_path()
    assert choose_database(argparse.Namespace(db=None, demo=True)) == paths.demo_db_path()
    given = Path("elsewhere.sqlite3")
    assert choose_database(argparse.Namespace(db=given, demo=True)) == given


def test_a_database_on_a_network_share_is_warned_about(tmp_path, capsys, monkeypatch):
    from desktop.services import workspace

    db = tmp_path / "shared.sqlite3"
    assert run(capsys, "--db", db, "init")[0] == 0
    assert run(capsys, "--db", db, "check")[2] == ""
    monkeypatch.setattr(workspace, "on_network_share", lambda path: True)
    code, _out, err = run(capsys, "--db", db, "check")
    assert code == 0 and err.startswith("注意：数据库位于网络共享文件夹")


def test_init_names_the_county(tmp_path, capsys):
    db = tmp_path / "county.sqlite3"
    assert run(capsys, "--db", db, "init", "--county", "宜城县")[0] == 0
    assert run(capsys, "--db", db, "init", "--county", " 宜城市 ")[0] == 0  # renamed, not doubled
    conn = open_database(db)
    try:
        counties = conn.execute("select name from area where kind = 'county'"
                                " and deleted_at is null").fetchall()
        assert [r[0] for r in counties] == ["宜城市"]
        from desktop.services.workspace import county_name
        assert county_name(conn) == "宜城市"
    finally:
        conn.close()
    code, _, err = run(capsys, "--db", db, "init", "--county", "  ")
    _refused(code, err, "请填写县")


def test_usage_errors_are_chinese_with_exit_code_2(capsys):
    for argv, words in ((["payrun", "export", "x"], "缺少必填参数：OUT"),
                        (["payrun", "create", "--kind", "foo", "--period", "2026"],
                         "无效的选项：'foo'"),
                        (["check", "--nonsense"], "无法识别的参数：--nonsense")):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        err = capsys.readouterr().err
        assert stop.value.code == 2 and err.startswith("用法：") and words in err, err
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "显示本帮助并退出" in capsys.readouterr().out


def test_a_closed_output_pipe_is_no_traceback_and_keeps_the_change(tmp_path):
    path = tmp_path / "w.sqlite3"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    child = subprocess.Popen([sys.executable, "-m", "desktop.cli", "--db", str(path), "init",
                              "--county", "宜城县"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # `| head` that has read enough: gone before the command prints
    err = child.stderr.read().decode("utf-8")
    assert child.wait(timeout=60) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
    conn = open_database(path)
    try:
        assert conn.execute("SELECT value FROM app_setting WHERE key = 'county_name'"
                            ).fetchone()[0] == "宜城县"
    finally:
        conn.close()
