"""Benchmark of desktop.sheets: import 10,000 organizations, export 100,000, junk sheet.

Run on demand:  /work/venv/bin/python tests/benchmarks/bench_sheets.py [--rows N]
Each figure is printed beside a baseline measured in the same run:
- import: read_workbook + clean_row + find_duplicates of a valid 10,000-row 组织 sheet,
  against bare openpyxl read-only iteration (values_only) of the same file.
  Target: <= 2x.
- export: write_registry_export of 100,000 organizations, against bare openpyxl
  write-only appends of the same cell values. Target: <= 1.5x; peak memory < 300 MB.
- junk: a 1,048,576-row junk 组织 sheet must be refused in bounded time and memory.
Peak memory is the max RSS of a fresh child process running only that step.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook, load_workbook

from desktop.domain.identifiers import USCC_ALPHABET, mask_phone, uscc_check_char
from desktop.domain.import_rules import clean_row, find_duplicates
from desktop.domain.labels import INDUSTRY_LABELS, KIND_LABELS, PARTY_ORG_FORM_LABELS
from desktop.errors import UserError
from desktop.sheets.export import ORGANIZATIONS_EXPORT, write_registry_export
from desktop.sheets.formats import ORGANIZATIONS
from desktop.sheets.reader import read_workbook

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


def our_export(path: Path, records: list[dict]) -> None:
    write_registry_export(path, title="两新组织名册", county="桐城市", as_of=date(2026, 11, 22),
                          columns=ORGANIZATIONS_EXPORT.columns, rows=records,
                          sheet_name=ORGANIZATIONS_EXPORT.sheet_name)


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
        records = organization_records(count)
        before = _high_water_mb()
        our_export(Path(path), records)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--skip-junk", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "import.xlsx"
        write_import_file(source, organization_records(args.import_rows, seed=11))
        ours, base = best_of(3, lambda: import_file(source), lambda: bare_read(source))
        print(f"import {args.import_rows} rows: {ours:.2f} s; baseline openpyxl read-only "
              f"{base:.2f} s; ratio {ours / base:.2f} (target <= 2)")

        records = organization_records(args.export_rows)
        cells = baseline_cells(records, mask=True)
        ours, base = best_of(3, lambda: our_export(folder / "export.xlsx", records),
                             lambda: bare_write(folder / "bare.xlsx", cells))
        print(f"export {args.export_rows} rows: {ours:.2f} s; baseline openpyxl write-only "
              f"{base:.2f} s; ratio {ours / base:.2f} (target <= 1.5)")
        start, built, peak = peak_rss("export", folder / "export2.xlsx", args.export_rows)
        print(f"export peak RSS {peak:.0f} MB (process start {start:.0f} MB, with the "
              f"{args.export_rows} input records {built:.0f} MB; target < 300 MB)")

        if not args.skip_junk:
            junk = folder / "junk.xlsx"
            print("writing 1,048,576-row junk sheet …", flush=True)
            write_junk_file(junk)
            seconds = timed(lambda: print("  refusal:", refuse_junk(junk)[:80]))
            start, _, peak = peak_rss("junk", junk)
            print(f"junk 1,048,576 rows refused in {seconds:.2f} s; peak RSS {peak:.0f} MB "
                  f"(process start {start:.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
