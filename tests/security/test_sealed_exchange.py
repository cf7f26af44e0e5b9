"""Exchange packages are sealed once the office has set an exchange password;
a sealed package that is wrong in any way is refused by the preview and the
merge, and nothing is written: no row, no exchange log entry."""

from __future__ import annotations

import pytest

from desktop.db import sealed
from desktop.errors import UserError
from desktop.services import exchange, sealing
from desktop.services.workspace import database_path
from tests.exchange.offices import add_org, county_office, township_office
from tests.security.conftest import PASSWORD
from tests.security.damage import CASES, IDS, damaged_copy


@pytest.fixture
def offices(tmp_path):
    county, town = county_office(tmp_path), township_office(tmp_path, "白沙镇")
    for k in range(60):
        add_org(town, "白沙镇", f"企业{k:02d}", address="白沙路" * 20)
    for db in (county, town):
        sealing.set_password(db, PASSWORD, PASSWORD)
    yield county, town
    county.close()
    town.close()


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def _org_count(db) -> int:
    return db.execute("SELECT count(*) FROM organization").fetchone()[0]


def test_a_sealed_package_goes_from_township_to_county(offices, usb):
    county, town = offices
    path = exchange.export_package(town, usb, password=PASSWORD)

    assert sealed.is_sealed(path) and "白沙路".encode() not in path.read_bytes()
    assert sorted(p.name for p in usb.iterdir()) == [path.name]
    preview = exchange.preview_import(county, path, password=PASSWORD)
    assert preview.plan is not None and preview.plan.counts()["new"] == 60
    exchange.merge_package(county, path, password=PASSWORD)
    assert _org_count(county) == 60
    assert not any(p.name.startswith(".lxseal") for p in database_path(county).parent.iterdir())


@pytest.mark.parametrize("password,refusal", [(None, "需要交换口令"), ("wrongpass123", "交换口令不正确")])
def test_export_needs_the_offices_password_and_takes_no_number(offices, usb, password, refusal):
    _, town = offices
    with pytest.raises(UserError, match=refusal):
        exchange.export_package(town, usb, password=password)
    assert list(usb.iterdir()) == [] and exchange.exchange_log(town) == []
    path = exchange.export_package(town, usb, password=PASSWORD)
    assert exchange.exchange_log(town)[0].sequence == 1 and path.is_file()


def test_a_plain_package_still_imports_where_a_password_is_set(offices, usb):
    county, town = offices
    sealing.clear_password(town)
    path = exchange.export_package(town, usb)
    assert path.read_bytes().startswith(b"SQLite format 3")
    exchange.merge_package(county, path)
    assert _org_count(county) == 60


@pytest.mark.parametrize("name,password,mangle,refusal", CASES, ids=IDS)
def test_a_damaged_sealed_package_changes_nothing(offices, usb, tmp_path, small_chunks,
                                                 name, password, mangle, refusal):
    county, town = offices
    good = exchange.export_package(town, usb, password=PASSWORD)
    bad = damaged_copy(good, tmp_path / "bad", mangle)
    before = county.total_changes, exchange.exchange_log(county), _org_count(county)

    for attempt in (lambda: exchange.preview_import(county, bad, password=password),
                    lambda: exchange.merge_package(county, bad, password=password)):
        with pytest.raises(UserError) as caught:
            attempt()
        assert str(caught.value) == f"{refusal}，未导入"

    assert (county.total_changes, exchange.exchange_log(county), _org_count(county)) == before
    assert not any(p.name.startswith(".lxseal") for p in database_path(county).parent.iterdir())
    exchange.merge_package(county, good, password=PASSWORD)  # the intact one still merges
    assert _org_count(county) == 60
