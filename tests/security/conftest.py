"""Sealed-file tests: scrypt made cheap (the header carries its parameters, so
files sealed so still open) and small chunks, so a small database spans many."""

from __future__ import annotations

import pytest

from desktop.domain import sealing

PASSWORD = "jiaohuan2026"


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(sealing, "CHUNK_SIZE", sealing.MIN_CHUNK)
    return sealing.MIN_CHUNK
