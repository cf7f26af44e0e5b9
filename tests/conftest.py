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
