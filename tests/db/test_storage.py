"""A database on a network share is recognised and warned about (WAL needs a local disk)."""

from __future__ import annotations

from pathlib import Path

from desktop.db.storage import on_network_share
from desktop.services import workspace

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//nas/共享 /mnt/share cifs rw,relatime 0 0
server:/export /mnt/share/local\\040copy ext4 rw 0 0
server:/home /srv/nfs nfs4 rw 0 0
"""


def test_network_file_systems_and_unc_paths(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS, encoding="utf-8")
    assert on_network_share(Path("/mnt/share/乡镇/数据.sqlite3"), mounts)
    assert on_network_share(Path("/srv/nfs/a.sqlite3"), mounts)
    assert not on_network_share(Path("/mnt/share/local copy/a.sqlite3"), mounts)  # longest wins
    assert not on_network_share(Path("/mnt/shared/a.sqlite3"), mounts)  # not a path prefix
    assert not on_network_share(Path("/home/user/a.sqlite3"), mounts)
    assert on_network_share(Path("\\\\server\\share\\a.sqlite3"), mounts)
    assert not on_network_share(Path("/home/a.sqlite3"), tmp_path / "no-mounts-file")


def test_workspace_warns_about_a_share_and_not_about_a_local_disk(db, monkeypatch):
    assert workspace.storage_warning(db) == ""
    monkeypatch.setattr(workspace, "on_network_share", lambda path: True)
    assert "网络共享文件夹" in workspace.storage_warning(db)
    monkeypatch.setattr(workspace, "on_network_share", lambda path: False)
    monkeypatch.setattr(workspace, "journal_mode", lambda conn: "delete")
    assert "不支持预写日志" in workspace.storage_warning(db)


def test_database_file_names():
    from desktop.db.files import db_file_name, file_filter, with_db_suffix

    assert db_file_name("liangxin") == "liangxin.sqlite3"
    assert with_db_suffix(Path("乡镇/台账")) == Path("乡镇/台账.sqlite3")
    assert with_db_suffix(Path("旧库.DB")) == Path("旧库.DB")
    assert with_db_suffix(Path("a.txt")) == Path("a.sqlite3")
    assert file_filter("备份", (".sqlite3", ".bak")) == "备份 (*.sqlite3 *.bak);;所有文件 (*)"
    assert file_filter("库", (".sqlite3",), any_file=False) == "库 (*.sqlite3)"
