"""Both ways our side is read for a merge: tables read whole (the usual case in
these small tests) and row by row through the indexes (a county much larger
than the package, as in tests/benchmarks/bench_exchange.py)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from desktop.db.exchange_rows import LocalRows

LOOKUPS = {"whole-tables": LocalRows.WHOLE_TABLE_FACTOR, "indexed": -1}


@contextmanager
def lookups(mode: str):
    saved = LocalRows.WHOLE_TABLE_FACTOR
    LocalRows.WHOLE_TABLE_FACTOR = LOOKUPS[mode]
    try:
        yield
    finally:
        LocalRows.WHOLE_TABLE_FACTOR = saved


@pytest.fixture(params=sorted(LOOKUPS))
def lookup_mode(request):
    with lookups(request.param):
        yield request.param
