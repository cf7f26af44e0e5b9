"""A package that cannot be written (a full disk, a USB stick pulled out) or read
(its folder gone): a clear Chinese UserError, no half package and no .part left
behind, and no sequence number or log entry taken by an export that did not
happen (the export's transaction rolls back, and a file it wrote goes with it)."""

from __future__ import annotations

import contextlib
import errno
import sqlite3

import pytest

from desktop.cli import main as cli_main
from desktop.db import exchange_package, records
from desktop.db.connection import DISK_FULL
from desktop.domain.registry import Organization
from desktop.errors import UserError
from desktop.services import exchange
from tests import factories
from tests.exchange.offices import add_org, area_id, county_office, township_office

NOT_MADE = f"{DISK_FULL}，交换包没有生成"


@pytest.fixture
def town(tmp_path):
    county_office(tmp_path).close()
    db = township_office(tmp_path, "白沙镇")
    for k in range(5):
        add_org(db, "白沙镇", f"企业{k}")
    yield db
    db.close()


def _exports(db) -> list[int]:
    return [e.sequence for e in exchange.exchange_log(db) if e.direction == "export"]


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _refused(db, out, match: str) -> None:
    folder = out if out.is_dir() else out.parent
    before = _files(folder) if folder.is_dir() else []
    with pytest.raises(UserError) as refused:
        exchange.export_package(db, out)
    assert str(refused.value) == match or match in str(refused.value), str(refused.value)
    assert "Errno" not in str(refused.value) and "No space" not in str(refused.value)
    if folder.is_dir():
        assert _files(folder) == before  # no .lxpkg, no .part, no journal
    assert _exports(db) == [] and not db.in_transaction


def _then_exports_as_number_one(db, folder) -> None:
    folder.mkdir(exist_ok=True)
    path = exchange.export_package(db, folder)
    assert path.name.endswith("-1.lxpkg") and _exports(db) == [1]
    assert exchange_package.read_package(path).sequence == 1


def test_no_space_while_flushing_the_package(town, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(exchange_package.os, "fsync", full)
    _refused(town, out, NOT_MADE)
    monkeypatch.undo()
    _then_exports_as_number_one(town, out)


def test_no_space_while_sqlite_writes_the_package(town, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()

    def full(part, manifest):  # the tables are written: a .part and its journal exist
        part.with_name(part.name + "-journal").write_bytes(b"x")
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(exchange_package, "_write_manifest", full)
    _refused(town, out, NOT_MADE)
    monkeypatch.undo()
    _then_exports_as_number_one(town, out)


def test_a_package_written_whose_transaction_then_fails_is_removed(town, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    real = exchange.transaction

    @contextlib.contextmanager
    def commit_fails(db):  # the body (file written) done, then COMMIT finds the disk full
        with real(db):
            yield db
            assert [p for p in out.iterdir() if p.suffix == ".lxpkg"]
            raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(exchange, "transaction", commit_fails)
    _refused(town, out, DISK_FULL)
    monkeypatch.undo()
    _then_exports_as_number_one(town, out)


def test_a_folder_that_vanished_before_writing(town, tmp_path):
    stick = tmp_path / "U盘"
    stick.mkdir()
    target = stick / "白沙镇.lxpkg"
    stick.rmdir()  # pulled out after the file dialog chose it
    _refused(town, target, "交换包无法写入：文件夹")
    _then_exports_as_number_one(town, tmp_path / "again")


def test_reading_a_package_whose_folder_vanished_or_a_folder(town, tmp_path):
    gone = tmp_path / "U盘" / "白沙镇.lxpkg"
    with pytest.raises(UserError, match="找不到文件.*已不存在"):
        exchange.preview_import(town, gone)
    with pytest.raises(UserError) as refused:
        exchange.preview_import(town, tmp_path)
    assert str(refused.value) == f"无法读取文件：{tmp_path}（这是一个文件夹，不是文件）"


def test_the_cli_export_on_a_full_disk_says_so_without_a_traceback(town, tmp_path, monkeypatch,
                                                                    capsys):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(exchange_package.os, "fsync", full)
    db_path = tmp_path / "白沙镇.sqlite3"
    assert cli_main(["--db", str(db_path), "exchange", "export", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"错误：{NOT_MADE}") and "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if ".lxpkg" in p.name]


# ---------------------------------------------------------------- a real small disk

@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs, mounted for the test; skipped where mounting is not allowed."""
    with factories.small_disk(tmp_path / "disk", "1m") as folder:
        yield folder


def test_real_disk_a_package_larger_than_the_disk(town, small_disk, tmp_path):
    area = area_id(town, "白沙镇")
    with records.transaction(town):
        for k in range(2500):
            records.insert(town, "organization", Organization(
                name=f"白沙企业{k:04d}", area_id=area, address=f"白沙镇工业园区{k}号" * 12))
    _refused(town, small_disk, NOT_MADE)
    assert _files(small_disk) == []
    _then_exports_as_number_one(town, tmp_path / "roomy")
