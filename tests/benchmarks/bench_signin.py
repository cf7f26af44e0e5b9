"""Benchmark: what signing in adds to opening the database (ACCESS.md).

Run on demand:  python tests/benchmarks/bench_signin.py [--rounds N]

Alternates a bare open of a database with users (open_workspace + close) and the
same open followed by sign_in with the real scrypt cost (passwords.N, r, p), and
prints the medians. Target: sign-in adds under 0.5 s. Exit code 1 when missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.services import accounts, passwords, users  # noqa: E402
from desktop.services.workspace import open_workspace  # noqa: E402

TARGET_S = 0.5
PASSWORD = "bench2026"


def _open(path: Path, sign_in: bool) -> float:
    start = time.perf_counter()
    db = open_workspace(path)
    if sign_in:
        users.sign_in(db, "admin", PASSWORD)
    db.close()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        db = open_workspace(path, create=True)
        accounts.create_first_admin(db, "admin", "管理员", PASSWORD)
        db.close()
        bare, signed = [], []
        for _ in range(args.rounds):
            bare.append(_open(path, False))
            signed.append(_open(path, True))
    base, with_sign_in = statistics.median(bare), statistics.median(signed)
    added = with_sign_in - base
    print(f"scrypt N={passwords.N} r={passwords.R} p={passwords.P}")
    print(f"bare open: {base * 1000:.0f} ms; open + sign-in: {with_sign_in * 1000:.0f} ms; "
          f"added: {added * 1000:.0f} ms (target < {TARGET_S * 1000:.0f} ms) "
          f"{'PASS' if added < TARGET_S else 'FAIL'}")
    return 0 if added < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
