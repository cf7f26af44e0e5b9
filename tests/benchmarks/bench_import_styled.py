"""Benchmark: a 5-row 组织 sheet formatted down to row 1,048,576 imports in what its data costs.

Run on demand:  .venv/bin/python tests/benchmarks/bench_import_styled.py
Issue 14: a sheet whose rows are styled to the last row (`<row s="1" customFormat="1"/>`
a million times, as Excel writes when a clerk formats whole columns) took 74 s and
3.2 GB to import. Measured here, each in a fresh process (time and peak RSS):
- styled:   desktop.services.importing.import_workbook of the 5-row sheet styled to
            row 1,048,576, into an empty database. Target: < 5 s and < 300 MB.
- bordered: the same, with three bordered (value-less) cells in every row instead.
- baseline: the same import of the same 5 rows without the formatting.
The styled figure is printed beside the baseline and their ratio.
"""

from __future__ import annotations

import multiprocessing
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

from desktop.db.database import open_database
from desktop.domain.registry import Area
from desktop.services import importing, registry

LAST_ROW = 1_048_576
ROWS = [["名称", "类型", "所属乡镇"]] + [[f"甲{i}公司", "非公企业", "城关镇"] for i in range(5)]


def write_plain(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "组织"
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def write_formatted(plain: Path, path: Path, row_xml) -> Path:
    """`plain` with `row_xml(n)` appended for every row from 7 to the last one."""
    extra = "".join(row_xml(n) for n in range(len(ROWS) + 1, LAST_ROW + 1))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r"<dimension[^>]*/>", "", data.decode())
                data = text.replace("</sheetData>", extra + "</sheetData>").encode()
            out.writestr(info, data)
    return path


def _high_water_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(source: str, db_path: str, queue) -> None:
    conn = open_database(Path(db_path), operator="基准")
    county = registry.create(conn, Area(name="桐城市", kind="county"))
    registry.create(conn, Area(name="城关镇", parent_id=county))
    start = time.perf_counter()
    result = importing.import_workbook(conn, source)
    seconds = time.perf_counter() - start
    conn.close()
    queue.put((seconds, _high_water_mb(), result.sheets["组织"].created))


def measure(source: Path, folder: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, organizations created) of an import in a fresh process."""
    db_path = folder / f"{source.stem}.sqlite3"
    db_path.unlink(missing_ok=True)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(source), str(db_path), queue))
    proc.start()
    outcome = queue.get()
    proc.join()
    return outcome


def verdict(ok: bool, text: str) -> int:
    print(("PASS " if ok else "FAIL ") + text, flush=True)
    return 0 if ok else 1


def main() -> int:
    misses = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain = write_plain(folder / "plain.xlsx")
        styled = write_formatted(plain, folder / "styled.xlsx",
                                 lambda n: f'<row r="{n}" s="1" customFormat="1"/>')
        bordered = write_formatted(plain, folder / "bordered.xlsx", lambda n: (
            f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"/><c r="C{n}" s="1"/></row>'))
        base_s, base_mb, base_n = measure(plain, folder)
        for name, path in (("styled", styled), ("bordered", bordered)):
            seconds, peak, created = measure(path, folder)
            assert created == base_n == 5, (created, base_n)
            text = (f"{name} to row {LAST_ROW:,}: {seconds:.2f} s, peak RSS {peak:.0f} MB; "
                    f"baseline (same 5 rows, no formatting) {base_s:.2f} s, {base_mb:.0f} MB; "
                    f"ratio {seconds / base_s:.1f}x time, {peak / base_mb:.1f}x memory")
            if name == "styled":
                misses += verdict(seconds < 5 and peak < 300, text + " (target < 5 s, < 300 MB)")
            else:
                print("     " + text, flush=True)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
