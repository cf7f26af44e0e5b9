"""Sealing and opening a 100 MB file (ACCESS.md, "Files that leave the PC"):
time and peak memory, the real scrypt parameters. Peak memory from VmHWM of a
fresh child process per step (ru_maxrss would carry the parent's).

    PYTHONPATH=. python tests/benchmarks/bench_sealing.py [MB]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEP = """
import sys, time
from pathlib import Path
from desktop.db import sealed
t = time.perf_counter()
if sys.argv[1] == "seal":
    sealed.seal_file(Path(sys.argv[2]), Path(sys.argv[3]), "jiaohuan2026")
else:
    sealed.open_sealed(Path(sys.argv[2]), Path(sys.argv[3]), "jiaohuan2026")
took = time.perf_counter() - t
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(f"{took:.2f} {int(hwm) / 1024:.0f}")
"""
BASE = "import desktop.db.sealed\nprint(next(l for l in open('/proc/self/status') " \
       "if l.startswith('VmHWM')).split()[1])"


def main() -> int:
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    folder = Path(tempfile.mkdtemp(prefix="bench-sealing-"))
    plain = folder / "plain.sqlite3"
    with open(plain, "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(1 << 20))
    base = int(subprocess.check_output([sys.executable, "-c", BASE], text=True)) / 1024
    print(f"{mb} MB file; a process that only imported the module: {base:.0f} MB peak")
    for step, src, dest in (("seal", plain, folder / "sealed"), ("open", folder / "sealed",
                                                                 folder / "back")):
        out = subprocess.check_output([sys.executable, "-c", STEP, step, str(src), str(dest)],
                                      text=True).split()
        print(f"{step}: {out[0]} s, peak {out[1]} MB (scrypt N=2^16 r=8 alone: 64 MB)")
    same = (folder / "back").read_bytes() == plain.read_bytes()
    print("round trip identical:", same)
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
