"""Files that are not an intact package of ours are refused with the reason, and
nothing is written (EXCHANGE.md, Guarantees)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

from desktop.db.exchange_package import read_package
from desktop.domain import exchange as rules
from desktop.errors import UserError
from desktop.services import exchange
from tests.exchange.offices import add_org, county_office, township_office
from tests.factories import build_workbook


@pytest.fixture
def package(tmp_path):
    county = county_office(tmp_path)
    town = township_office(tmp_path, "白沙镇")
    for k in range(30):
        add_org(town, "白沙镇", f"企业{k:02d}", address="白沙路" * 20)
    path = exchange.export_package(town, tmp_path / "good.lxpkg")
    town.close()
    yield county, path
    county.close()


def _refused(county, path, match):
    before = county.total_changes
    with pytest.raises(UserError, match=match):
        exchange.merge_package(county, path)
    assert county.total_changes == before


def test_a_truncated_package_is_refused(package, tmp_path):
    county, good = package
    cut = tmp_path / "cut.lxpkg"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(county, cut, "已损坏")


def test_one_changed_byte_is_refused(package, tmp_path):
    county, good = package
    data = bytearray(good.read_bytes())
    at = data.rfind("白沙路".encode("utf-8"))
    data[at + 1] ^= 0x01  # inside a row's text, where SQLite itself would not notice
    bad = tmp_path / "flipped.lxpkg"
    bad.write_bytes(bytes(data))
    _refused(county, bad, "损坏或被改动")


def _edited(good, path, sql, params=()):
    """A copy of `good` changed with SQL, as a tool that opens the file would."""
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()
    return path


def test_an_edited_row_with_its_page_intact_is_refused(package, tmp_path):
    county, good = package
    edited = _edited(good, tmp_path / "edited.lxpkg",
                     "UPDATE organization SET name = '改过的名称' WHERE rowid = 1")
    _refused(county, edited, "组织的校验值不符")


def test_a_renamed_workbook_and_an_empty_file_are_refused(package, tmp_path):
    county, _good = package
    book = build_workbook(tmp_path / "book.xlsx", {"组织": [["名称"], ["甲"]]})
    renamed = tmp_path / "book.lxpkg"
    book.rename(renamed)
    _refused(county, renamed, "Excel")
    empty = tmp_path / "empty.lxpkg"
    empty.write_bytes(b"")
    _refused(county, empty, "文件为空")


def test_our_database_renamed_is_not_a_package(package, tmp_path):
    county, _good = package
    db_copy = tmp_path / "db.lxpkg"
    shutil.copy(tmp_path / "county.sqlite3", db_copy)
    _refused(county, db_copy, "不是数据交换包")


def test_a_package_of_a_newer_format_is_refused(package, tmp_path):
    county, good = package
    newer = _edited(good, tmp_path / "newer.lxpkg",
                    "UPDATE manifest SET value = ? WHERE key = 'format_version'",
                    (str(rules.FORMAT_VERSION + 1),))
    _refused(county, newer, "更新版本")


def test_a_good_package_still_merges(package):
    county, good = package
    assert len(read_package(good).tables["organization"]) == 30
    assert exchange.merge_package(county, good).plan.counts()["new"] == 30


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "desktop.cli", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_the_cli_refuses_with_exit_1_and_lists_conflicts(tmp_path):
    county = tmp_path / "c.sqlite3"
    town = tmp_path / "t.sqlite3"
    assert _cli("--db", county, "init", "--county", "宜城县").returncode == 0
    assert _cli("--db", town, "init", "--county", "宜城县", "--township", "白沙镇").returncode == 0
    # The county has no 白沙镇 yet: the township's own area row comes as new, the
    # county rows of both sides become one.
    out = _cli("--db", town, "exchange", "export", tmp_path)
    assert out.returncode == 0, out.stderr
    (pkg,) = tmp_path.glob("宜城县-白沙镇-*-1.lxpkg")
    dry = _cli("--db", county, "exchange", "import", pkg, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    shown = json.loads(dry.stdout)
    assert shown["sender"] == "白沙镇" and shown["sequence"] == 1 and shown["new"] == 1
    assert shown["conflicts"] == [] and shown["already_merged"] is False
    assert _cli("--db", county, "exchange", "import", pkg).returncode == 0
    again = _cli("--db", county, "exchange", "import", pkg, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["already_merged"] is True
    log = _cli("--db", county, "exchange", "log")
    assert "导入  白沙镇 第1号" in log.stdout
    bad = _cli("--db", county, "exchange", "import", tmp_path / "missing.lxpkg")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "找不到文件" in bad.stderr
    assert _cli("--db", county, "exchange", "import").returncode == 2
