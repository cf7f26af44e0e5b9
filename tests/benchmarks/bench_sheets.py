"""Benchmark of Excel in and out: import 10,000 organizations, export 100,000, junk sheet.

Run on demand:  .venv/bin/python tests/benchmarks/bench_sheets.py [--import-rows N]
Each figure is printed beside a baseline measured in the same run:
- import: desktop.services.importing.import_workbook of a valid 10,000-row 组织
  sheet into an empty database (read, check, look up, write with audit rows),
  against bare openpyxl read-only iteration (values_only) of the same file.
  Target: <= 2x. The file half alone (read + clean_row + find_duplicates) is
  printed too, to show where the time goes.
- export: desktop.services.exports.export_registry of 100,000 organizations from a
  generated registry (SQL fetch included), against bare openpyxl write-only
  appends of the same cell values (fetched beforehand). Target: <= 1.5x; peak
  memory < 300 MB.
- junk: a 1,048,576-row junk 组织 sheet must be refused in bounded time and memory.
Peak memory is the max RSS of a fresh child process running only that step.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desktop.db.database import open_database
from desktop.db.registry_rows import organization_rows
from desktop.domain.identifiers import USCC_ALPHABET, mask_phone, uscc_check_char
from desktop.domain.import_rules import clean_row, find_duplicates
from desktop.domain.labels import INDUSTRY_LABELS, KIND_LABELS, PARTY_ORG_FORM_LABELS
from desktop.domain.registry import Area
from desktop.errors import UserError
from desktop.services import exports, importing, registry
from desktop.sheets.export import ORGANIZATIONS_EXPORT
from desktop.sheets.formats import ORGANIZATIONS, ValueType
from desktop.sheets.reader import read_workbook
from generate import cached_registry

TOWNSHIPS = ("龙眠街道", "文昌街道", "孔城镇", "范岗镇", "新渡镇", "双港镇", "青草镇", "金神镇")


def make_uscc(rng: random.Random) -> str:
    """A valid random 统一社会信用代码."""
    body = "91340881" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def organization_records(count: int, seed: int = 7) -> list[dict]:
    """`count` valid organizations in stored form (codes, bools, dates, ints)."""
    rng = random.Random(seed)
    kinds, industries, forms = list(KIND_LABELS), list(INDUSTRY_LABELS), list(PARTY_ORG_FORM_LABELS)
    records = []
    for i in range(count):
        form = rng.choice(forms)
        records.append({
            "name": f"桐城市第{i}号企业有限公司", "uscc": make_uscc(rng), "kind": rng.choice(kinds),
            "industry": rng.choice(industries), "is_new_business_form": rng.random() < 0.3,
            "township": rng.choice(TOWNSHIPS), "address": f"某某路{i}号",
            "employee_count": rng.randint(1, 5000), "party_member_count": rng.randint(0, 80),
            "party_org_form": form,
            "party_org_name": None if form == "none" else f"中共第{i}号企业支部委员会",
            "party_org_established_on": None if form == "none"
            else date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000)),
            "has_union": rng.random() < 0.5, "has_youth_league": rng.random() < 0.2,
            "has_women_federation": rng.random() < 0.2,
            "registered_on": date(2000, 1, 1) + timedelta(days=rng.randint(0, 9000)),
            "closed_on": None, "contact_name": "张三",
            "contact_phone": f"13{rng.randint(100000000, 999999999)}", "note": None,
        })
    return records


def empty_database(path: Path) -> Path:
    """A new database with the county and the townships the import file names."""
    path.unlink(missing_ok=True)
    conn = open_database(path, operator="基准")
    county = registry.create(conn, Area(name="桐城市", kind="county"))
    for order, name in enumerate(TOWNSHIPS, start=1):
        registry.create(conn, Area(name=name, parent_id=county, sort_order=order))
    conn.close()
    return path


def service_import(source: Path, db_path: Path) -> None:
    conn = open_database(db_path, operator="基准")
    try:
        result = importing.import_workbook(conn, source)
    finally:
        conn.close()
    assert result.sheets["组织"].created > 0


def baseline_cells(records: list[dict], mask: bool) -> list[list]:
    """The cell values the export writes, precomputed for the bare-openpyxl baseline."""
    labels = {col.field: col.labels for col in ORGANIZATIONS_EXPORT.columns}
    out = []
    for rec in records:
        row = []
        for col in ORGANIZATIONS_EXPORT.columns:
            value = rec.get(col.field)
            if isinstance(value, bool):
                value = "是" if value else "否"
            elif col.field == "contact_phone" and mask:
                value = mask_phone(value)
            elif labels[col.field] and value is not None:
                value = labels[col.field][value]
            elif col.type == ValueType.DATE and isinstance(value, str):
                value = date.fromisoformat(value)  # the export writes real dates
            row.append(value)
        out.append(row)
    return out


def write_import_file(path: Path, records: list[dict]) -> None:
    """The records as an import workbook (labels, text IDs), written with write-only mode."""
    cells = baseline_cells(records, mask=False)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织")
    ws.append([col.header for col in ORGANIZATIONS.columns])
    for row in cells:
        ws.append(row)
    wb.save(path)


def write_junk_file(path: Path, rows: int = 1_048_576) -> None:
    """A 组织 sheet with a header and `rows - 1` rows of junk (every row invalid)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织")
    ws.append(["名称", "类型", "所属乡镇"])
    for i in range(rows - 1):
        ws.append([f"x{i}", "?", i])
    wb.save(path)


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def import_file(path: Path) -> int:
    """The file half of an import: read, clean every row, find duplicates."""
    book = read_workbook(path)
    problems = 0
    for sheet in book.sheets.values():
        pairs = []
        for raw in sheet.rows:
            record, found = clean_row(sheet.spec, raw)
            problems += len(found)
            pairs.append((raw, record))
        problems += len(find_duplicates(sheet.spec, pairs))
    assert problems == 0, problems
    return problems


def bare_read(path: Path) -> None:
    """The tightest plain openpyxl loop over the same rows (the reader also resets the
    declared dimensions, which skips openpyxl's own scan for them)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb["组织"]
    ws.reset_dimensions()
    for _ in ws.iter_rows(values_only=True):
        pass
    wb.close()


def bare_write(path: Path, cells: list[list]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织")
    ws.append([col.header for col in ORGANIZATIONS_EXPORT.columns])
    for row in cells:
        ws.append(row)
    wb.save(path)


def our_export(path: Path, db_path: Path) -> int:
    conn = open_database(db_path, operator="基准")
    try:
        return exports.export_registry(conn, "organizations", path,
                                       today=date(2026, 11, 22)).rows
    finally:
        conn.close()


def registry_records(db_path: Path) -> list[dict]:
    conn = open_database(db_path, operator="基准")
    try:
        return list(organization_rows(conn))
    finally:
        conn.close()


def refuse_junk(path: Path) -> str:
    try:
        read_workbook(path)
    except UserError as err:
        return str(err)
    return "not refused!"


def _high_water_mb() -> float:
    """Peak RSS of this process image (VmHWM; ru_maxrss would include the parent's
    peak, inherited through fork + exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(task: str, path: str, count: int, queue) -> None:
    base = _high_water_mb()
    if task == "export":
        before = base
        our_export(Path(path) / "export.xlsx", Path(path) / "registry.sqlite3")
    else:
        before = base
        refuse_junk(Path(path))
    queue.put((base, before, _high_water_mb()))


def peak_rss(task: str, path: Path, count: int = 0) -> tuple[float, float, float]:
    """(RSS at start, after building the input, peak) in MB of a fresh process doing `task`."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(task, str(path), count, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def best_of(n: int, ours, baseline) -> tuple[float, float]:
    """Best of `n` alternating runs of each, so a busy machine slows both alike."""
    mine, theirs = [], []
    for _ in range(n):
        mine.append(timed(ours))
        theirs.append(timed(baseline))
    return min(mine), min(theirs)


def verdict(ok: bool, text: str) -> int:
    """Print a figure with PASS/FAIL; 1 for a missed target."""
    print(("PASS " if ok else "FAIL ") + text, flush=True)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--skip-junk", action="store_true")
    args = parser.parse_args()
    misses = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "import.xlsx"
        write_import_file(source, organization_records(args.import_rows, seed=11))
        target = folder / "import.sqlite3"
        ours, base = best_of(3, lambda: service_import(source, empty_database(target)),
                             lambda: bare_read(source))
        misses += verdict(ours / base <= 2,
                          f"import {args.import_rows} rows (service, into the database): {ours:.2f} s; "
                          f"baseline openpyxl read-only {base:.2f} s; ratio {ours / base:.2f} (target <= 2)")
        half, base = best_of(3, lambda: import_file(source), lambda: bare_read(source))
        print(f"  of which reading and checking the file: {half:.2f} s "
              f"(ratio {half / base:.2f}); the database part ~{ours - half:.2f} s")

        db_path = folder / "registry.sqlite3"
        shutil.copyfile(cached_registry(organizations=args.export_rows), db_path)
        cells = baseline_cells(registry_records(db_path), mask=True)
        ours, base = best_of(3, lambda: our_export(folder / "export.xlsx", db_path),
                             lambda: bare_write(folder / "bare.xlsx", cells))
        misses += verdict(ours / base <= 1.5,
                          f"export {len(cells)} organizations (service, from the database): "
                          f"{ours:.2f} s; baseline openpyxl write-only of the same cells "
                          f"{base:.2f} s; ratio {ours / base:.2f} (target <= 1.5)")
        start, _, peak = peak_rss("export", folder)
        misses += verdict(peak < 300, f"export peak RSS {peak:.0f} MB (process start "
                                      f"{start:.0f} MB; target < 300 MB)")

        if not args.skip_junk:
            junk = folder / "junk.xlsx"
            print("writing 1,048,576-row junk sheet …", flush=True)
            write_junk_file(junk)
            seconds = timed(lambda: print("  refusal:", refuse_junk(junk)[:80]))
            start, _, peak = peak_rss("junk", junk)
            print(f"junk 1,048,576 rows refused in {seconds:.2f} s; peak RSS {peak:.0f} MB "
                  f"(process start {start:.0f} MB)")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
