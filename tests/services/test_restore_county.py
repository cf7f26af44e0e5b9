"""Restoring another county's backup: the service says so, the front ends ask."""

from __future__ import annotations

import pytest

from desktop.cli import main as cli_main
from desktop.domain.registry import LiaisonOfficer
from desktop.services import maintenance, registry
from desktop.services.workspace import database_path, set_county
from factories import id_number, other_county_backup


@pytest.fixture
def other_county(tmp_path):
    return other_county_backup(tmp_path)


def _names(db):
    return [o.name for o, _ in registry.list_officers(db).rows]


def test_a_backup_of_another_county_is_refused_naming_both(db, other_county):
    set_county(db, "宜城县")
    registry.create(db, LiaisonOfficer(name="宜城的人", id_number=id_number(1)))
    with pytest.raises(maintenance.OtherCountyBackup) as err:
        maintenance.restore(db, other_county)
    assert (err.value.current, err.value.incoming) == ("宜城县", "宿松县")
    assert "宿松县" in str(err.value) and "宜城县" in str(err.value)
    assert _names(db) == ["宜城的人"] and maintenance.list_backups(db) == []  # nothing done
    maintenance.restore(db, other_county, other_county_ok=True)
    assert _names(db) == ["宿松的人"]


def test_the_same_county_or_a_database_without_one_is_restored_without_asking(db, other_county,
                                                                              tmp_path):
    maintenance.restore(db, other_county)  # this database names no county yet: a new machine
    assert _names(db) == ["宿松的人"]
    saved = maintenance.backup_now(db, tmp_path / "again.sqlite3")
    set_county(db, "宜城县")
    with pytest.raises(maintenance.OtherCountyBackup):
        maintenance.restore(db, saved)  # 宿松县 again, onto 宜城县
    set_county(db, "宿松县")
    maintenance.restore(db, saved)  # the same county


def test_cli_restore_of_another_county_needs_yes(db, other_county, capsys):
    set_county(db, "宜城县")
    path = str(database_path(db))
    assert cli_main(["--db", path, "restore", str(other_county)]) == 1
    err = capsys.readouterr().err
    assert "宿松县" in err and "宜城县" in err and "--yes" in err and "Traceback" not in err
    assert _names(db) == []
    assert cli_main(["--db", path, "restore", str(other_county), "--yes"]) == 0
    assert "恢复前的数据已另存为" in capsys.readouterr().out
    assert _names(db) == ["宿松的人"]
