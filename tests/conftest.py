"""Shared fixtures: every test gets its own data directory and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    """Point LIANGXIN_HOME at a fresh folder so no test touches real data."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("LIANGXIN_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch):
    """Tests hash and seal hundreds of times: a small scrypt cost. The real cost
    is measured in tests/benchmarks/bench_signin.py and bench_sealing.py; a
    sealed file and a password hash carry their parameters, so both still check."""
    from desktop.domain import sealing
    from desktop.services import passwords

    monkeypatch.setattr(passwords, "N", 2**8)
    monkeypatch.setattr(sealing, "LOG2_N", 10)


@pytest.fixture
def db(_home):
    """A fresh, migrated database with a county and two townships."""
    from desktop.db.database import open_database
    from desktop.domain.registry import Area
    from desktop.services import registry

    conn = open_database(_home / "test.sqlite3", operator="测试员")
    county = registry.create(conn, Area(name="示范县", kind="county"))
    registry.create(conn, Area(name="城关镇", kind="township", parent_id=county, sort_order=1))
    registry.create(conn, Area(name="经开区", kind="zone", parent_id=county, sort_order=2))
    yield conn
    conn.close()


@pytest.fixture
def township_id(db):
    from desktop.services import registry

    return next(a.id for a in registry.townships(db) if a.name == "城关镇")
