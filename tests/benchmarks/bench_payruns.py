"""Benchmark: a quarterly stipend run for 10,000 officers with 20,000 postings, and its
subsidy-sheet workbook.

Run on demand:  python tests/benchmarks/bench_payruns.py [--runs N] [--period 2025-Q2]

On a private copy of the generated registry (tests/benchmarks/generate.py: 10,000
officers, 20,000 postings, 50 townships) it times, alternating so machine load hits
both sides alike:

- the run: services.payruns.create_stipend_run (fetch, compute, store the run with
  its lines and months in one transaction; the draft is deleted between rounds),
  and its compute part alone (preview_run: fetch + lines, nothing stored), against
- a baseline: the bare SQL fetch of the same postings (POSTINGS_SQL, fetchall).
  Targets: run <= 3x baseline and under 2 s.
- the export: desktop.sheets.subsidy_sheet.write_subsidy_sheet of that run, against
- a baseline: bare openpyxl write-only appends of the same cell values (no styles,
  no merges, no print setup). Target: <= 1.5x.

Exit code 1 when a target is missed. Figures are medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from generate import registry_copy
from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Border, Side

from desktop.db import payruns as store
from desktop.db.database import open_database
from desktop.domain.money import amount_in_words, fen_to_decimal_yuan
from desktop.domain.periods import parse_period
from desktop.services import payruns, policy
from desktop.domain.subsidy_sheet import SubsidySheet, sheet_rows
from desktop.sheets.subsidy_sheet import write_subsidy_sheet

TODAY = date(2026, 11, 30)
MAX_RUN_RATIO, MAX_RUN_S, MAX_EXPORT_RATIO = 3.0, 2.0, 1.5


def _time(action) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = action()
    return time.perf_counter() - t0, result


def _report(label: str, seconds: list[float]) -> float:
    median = statistics.median(seconds)
    print(f"  {label:<44} median {median * 1000:8.1f} ms   (min {min(seconds) * 1000:.1f})")
    return median


def bench_run(db, period_text: str, runs: int) -> tuple[bool, str]:
    """Time the run against its fetch baseline; returns (targets met, a kept run id)."""
    period = parse_period(period_text)
    params = store.postings_params(period.start, period.end)
    fetch, preview, create = [], [], []
    run_id = ""
    for round_no in range(runs):
        fetch.append(_time(lambda: db.execute(store.POSTINGS_SQL, params).fetchall())[0])
        preview.append(_time(lambda: payruns.preview_run(db, "stipend", period_text,
                                                          today=TODAY))[0])
        seconds, run_id = _time(lambda: payruns.create_stipend_run(db, period_text, today=TODAY))
        create.append(seconds)
        if round_no < runs - 1:
            payruns.delete_run(db, run_id)
    lock_s = _time(lambda: payruns.lock_run(db, run_id))[0]
    detail = payruns.get_run(db, run_id)
    postings = len(db.execute(store.POSTINGS_SQL, params).fetchall())
    months = sum(len(line.months) for line in detail.lines)
    print(f"Run {period_text}: {postings} postings in the period, {len(detail.lines)} lines, "
          f"{months} line months, total {detail.run.total_fen} fen")
    base = _report("baseline: bare SQL fetch of the postings", fetch)
    compute = _report("compute only (preview_run: fetch + lines)", preview)
    full = _report("create_stipend_run (compute + store)", create)
    print(f"  lock_run (double-payment check + lock): {lock_s * 1000:.1f} ms")
    print(f"  compute / baseline = {compute / base:.2f}x; "
          f"run / baseline = {full / base:.2f}x (target <= {MAX_RUN_RATIO}x); "
          f"run = {full:.2f} s (target < {MAX_RUN_S} s)")
    return full <= MAX_RUN_RATIO * base and full < MAX_RUN_S, run_id


def _plain_rows(sheet: SubsidySheet) -> list[list]:
    """The same cell values the sheet writes, as plain Python values."""
    standard = fen_to_decimal_yuan(sheet.monthly_stipend_fen)
    rows: list[list] = [[sheet.title], ["内部资料 注意保密"], list(sheet.headers())]
    for row in sheet_rows(sheet.lines):
        amount = fen_to_decimal_yuan(row.amount_fen)
        line = row.line
        if line is not None:
            rows.append([row.seq, line.name, line.id_number, line.home_unit, line.organizations,
                         line.township, line.posted_days, standard, amount, line.bank_name,
                         line.bank_account, line.note, None])
        elif row.kind == "subtotal":
            rows.append([f"{row.label}（{row.count}人）"] + [None] * 7 + [amount])
        else:
            rows.append([f"合计（{row.count}人）", None, amount_in_words(row.amount_fen)]
                        + [None] * 5 + [amount])
    return rows


def _bare_write(path: Path, rows: list[list]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("发放表")
    for row in rows:
        ws.append(row)
    wb.save(str(path))


def _bare_styled_write(path: Path, rows: list[list]) -> None:
    """Bare openpyxl with the sheet's essentials set the usual way on every table cell:
    a thin box border, and the money format on numbers. Shows what per-cell styling
    itself costs in openpyxl, apart from our code."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("发放表")
    side = Side(style="thin")
    box = Border(left=side, right=side, top=side, bottom=side)
    for row in rows:
        cells = []
        for value in row + [None] * (13 - len(row)):
            cell = WriteOnlyCell(ws, value)
            cell.border = box
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"
            cells.append(cell)
        ws.append(cells)
    wb.save(str(path))


def bench_export(db, run_id: str, out_dir: Path, runs: int) -> bool:
    """Time the workbook writer against bare write-only appends of the same cells."""
    sheet = payruns.subsidy_sheet(db, payruns.get_run(db, run_id), TODAY)
    rows = _plain_rows(sheet)
    bare, styled, ours, service = [], [], [], []
    for _ in range(runs):
        bare.append(_time(lambda: _bare_write(out_dir / "bare.xlsx", rows))[0])
        styled.append(_time(lambda: _bare_styled_write(out_dir / "styled.xlsx", rows))[0])
        ours.append(_time(lambda: write_subsidy_sheet(out_dir / "sheet.xlsx", sheet))[0])
        service.append(_time(lambda: payruns.export_subsidy_sheet(
            db, run_id, out_dir / "service.xlsx", today=TODAY))[0])
    print(f"Export: {len(sheet.lines)} lines, {len(rows)} rows, "
          f"{(out_dir / 'sheet.xlsx').stat().st_size // 1024} KiB")
    base = _report("baseline: bare openpyxl write-only, values", bare)
    styled_base = _report("reference: bare write-only, boxed cells", styled)
    mine = _report("write_subsidy_sheet", ours)
    _report("export_subsidy_sheet (incl. reading the run)", service)
    print(f"  export / baseline = {mine / base:.2f}x (target <= {MAX_EXPORT_RATIO}x); "
          f"boxed reference / baseline = {styled_base / base:.2f}x; "
          f"export / boxed reference = {mine / styled_base:.2f}x")
    return mine <= MAX_EXPORT_RATIO * base


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks; exit code 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per measurement")
    parser.add_argument("--period", default="2025-Q2", help="quarter to pay (default 2025-Q2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = registry_copy(tmp)
        db = open_database(path, operator="基准测试")
        try:
            policy.set_policy(db, parse_period(args.period).year)
            run_ok, run_id = bench_run(db, args.period, args.runs)
            export_ok = bench_export(db, run_id, Path(tmp), args.runs)
        finally:
            db.close()
    print("targets met" if run_ok and export_ok else "TARGET MISSED")
    return 0 if run_ok and export_ok else 1


if __name__ == "__main__":
    sys.exit(main())
