"""Benchmark: coverage statistics and the quarterly report on a 100,000-organization registry.

Run on demand:  python tests/benchmarks/bench_stats.py [--organizations N] [--runs N] [--explain]

On a private copy of the generated registry (tests/benchmarks/generate.py; 50
townships) it adds what the generator leaves out — instructors guiding about
a third of the organizations, some closures, some Party organizations set up
this quarter, locked payment runs — then times, alternating so machine load
hits both alike:

- services.stats.coverage_stats (every breakdown, people, payments), against
- a baseline: one plain GROUP BY area_id computing the same township counts
  with the same as-of predicates, nothing else.

Targets: coverage_stats median within 2x of the baseline median and under
300 ms; the whole quarterly PDF (two quarters of statistics, tables, charts)
under 2 s. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from generate import random_id_number, registry_copy

from desktop.db.connection import transaction
from desktop.db.database import open_database
from desktop.db.records import new_id, now_utc
from desktop.services import stats

AS_OF = date(2026, 6, 30)
QUARTER_START = date(2026, 4, 1)
MAX_RATIO, MAX_MS, MAX_PDF_S = 2.0, 300.0, 2.0

ACTIVE = ("o.deleted_at is null and (o.registered_on is null or o.registered_on <= :d)"
          " and (o.closed_on is null or o.closed_on >= :d)")
PARTY = ("(o.party_org_form != 'none' and (o.party_org_established_on is null"
         " or o.party_org_established_on <= :d))")
MASS = "(o.has_union or o.has_youth_league or o.has_women_federation)"
GUIDED = ("exists (select 1 from instructor_assignment ia where ia.organization_id = o.id"
          " and ia.deleted_at is null and ia.start_on <= :d"
          " and (ia.end_on is null or ia.end_on >= :d))")
BASELINE = (
    f"select o.area_id, count(*), sum({PARTY}), sum(not {PARTY} and {MASS}),"
    f" sum(not {PARTY} and ({MASS} or {GUIDED})),"
    " sum(o.party_member_count), sum(o.employee_count),"
    f" sum({PARTY} and o.party_org_established_on >= :q)"
    f" from organization o where {ACTIVE} group by o.area_id")


def enrich(path: Path, seed: int = 7) -> None:
    """Add instructors with assignments, closures, new Party organizations and
    locked payment runs to the generated registry."""
    rng = random.Random(seed)
    conn = open_database(path, operator="基准数据生成")
    stamp = now_utc()
    org_ids = [r[0] for r in conn.execute("select id from organization where deleted_at is null")]
    with transaction(conn):
        _instructors(conn, rng, org_ids, stamp)
        _closures_and_new_party_orgs(conn, rng, org_ids)
        _locked_runs(conn, rng, stamp)
    conn.execute("analyze")
    conn.close()


def _instructors(conn, rng: random.Random, org_ids: list[str], stamp: str) -> None:
    taken: set[str] = set()
    people = [(new_id(), f"指导员{k}", random_id_number(rng, taken), stamp, stamp)
              for k in range(len(org_ids) // 50)]
    conn.executemany("insert into instructor (id, name, id_number, created_at, updated_at)"
                     " values (?, ?, ?, ?, ?)", people)
    rows = []
    for org in rng.sample(org_ids, len(org_ids) // 3):
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(1400))
        end = start + timedelta(days=rng.randrange(60, 700)) if rng.random() < 0.3 else None
        rows.append((new_id(), rng.choice(people)[0], org, start.isoformat(),
                     end.isoformat() if end else None, stamp, stamp))
    conn.executemany("insert into instructor_assignment (id, instructor_id, organization_id,"
                     " start_on, end_on, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
                     rows)


def _closures_and_new_party_orgs(conn, rng: random.Random, org_ids: list[str]) -> None:
    closed = [((date(2024, 1, 1) + timedelta(days=rng.randrange(1000))).isoformat(), org)
              for org in rng.sample(org_ids, len(org_ids) // 30)]
    conn.executemany("update organization set closed_on = ? where id = ?", closed)
    new = [((QUARTER_START + timedelta(days=rng.randrange(91))).isoformat(),
            rng.choice(("standalone", "joint", "regional")), org)
           for org in rng.sample(org_ids, len(org_ids) // 100)]
    conn.executemany("update organization set party_org_established_on = ?, party_org_form = ?"
                     " where id = ?", new)


def _locked_runs(conn, rng: random.Random, stamp: str) -> None:
    officers = [r[0] for r in conn.execute("select id from liaison_officer limit 2000")]
    for month in (4, 5, 6):
        run = new_id()
        end = date(2026, month + 1, 1) - timedelta(days=1)
        conn.execute("insert into payment_run (id, kind, period, period_start, period_end,"
                     " policy_json, created_at, updated_at) values (?, 'stipend', ?, ?, ?, '{}', ?, ?)",
                     (run, f"2026-{month:02d}", f"2026-{month:02d}-01", end.isoformat(), stamp, stamp))
        conn.executemany("insert into payment_line (id, run_id, officer_id, seq, officer_name,"
                         " id_number, amount_fen, created_at, updated_at)"
                         " values (?, ?, ?, ?, '某', '000000000000000000', ?, ?, ?)",
                         [(new_id(), run, o, k, rng.choice((200000, 100000, 129032)), stamp, stamp)
                          for k, o in enumerate(officers)])
        conn.execute("update payment_run set status = 'locked' where id = ?", (run,))


def _time(action) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one call. CPU time is reported too because on a
    shared machine wall time mostly measures the neighbours."""
    w0, c0 = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


def _summary(label: str, times: list[tuple[float, float]]) -> tuple[float, float]:
    wall = statistics.median(t[0] for t in times)
    cpu = statistics.median(t[1] for t in times)
    p95 = sorted(t[0] for t in times)[max(0, int(round(0.95 * len(times))) - 1)]
    print(f"  {label:<30} wall median {wall:8.1f} ms  p95 {p95:8.1f} ms   cpu median {cpu:8.1f} ms")
    return wall, cpu


BASELINES = {
    "baseline GROUP BY (as planned)": BASELINE,
    # SQLite picks the area index for the plain GROUP BY; a table scan is faster
    # here, so the stricter comparison is against the better of the two plans.
    "baseline GROUP BY (scan)": BASELINE.replace("from organization o where",
                                                 "from organization o not indexed where"),
}


def bench_stats(path: Path, runs: int, explain: bool) -> bool:
    """Time coverage_stats against the baseline GROUP BY; True when within target."""
    db = open_database(path, operator="基准")
    params = {"d": AS_OF.isoformat(), "q": QUARTER_START.isoformat()}
    if explain:
        for row in db.execute("explain query plan " + BASELINE, params):
            print("  baseline plan:", tuple(row))
    times: dict[str, list] = {label: [] for label in (*BASELINES, "services.coverage_stats")}
    stats.coverage_stats(db, AS_OF)  # warm the page cache for all
    for _ in range(runs):
        for label, sql in BASELINES.items():
            times[label].append(_time(lambda: db.execute(sql, params).fetchall()))
        times["services.coverage_stats"].append(_time(lambda: stats.coverage_stats(db, AS_OF)))
    result = stats.coverage_stats(db, AS_OF)
    db.close()
    print(f"coverage statistics as of {AS_OF} ({result.total.organizations} active organizations,"
          f" {len(result.townships)} townships, org coverage {result.total.org_coverage_rate},"
          f" work coverage {result.total.work_coverage_rate})")
    medians = {label: _summary(label, values) for label, values in times.items()}
    service_wall, service_cpu = medians.pop("services.coverage_stats")
    base_wall = min(m[0] for m in medians.values())
    base_cpu = min(m[1] for m in medians.values())
    ratio, cpu_ratio = service_wall / base_wall, service_cpu / base_cpu
    ok = ratio <= MAX_RATIO and service_wall <= MAX_MS
    print(f"  ratio to the faster baseline: wall {ratio:.2f}x, cpu {cpu_ratio:.2f}x"
          f" (target <= {MAX_RATIO}x and < {MAX_MS:.0f} ms wall): {'OK' if ok else 'MISSED'}")
    return ok


def bench_pdf(path: Path, out_dir: Path, runs: int) -> bool:
    """Time the whole quarterly report (statistics for two quarters + PDF; then + xlsx)."""
    db = open_database(path, operator="基准")
    pdf, xlsx = out_dir / "q.pdf", out_dir / "q.xlsx"
    pdf_times = [_time(lambda: stats.build_quarterly_report(db, "2026-Q2", pdf))
                 for _ in range(runs)]
    both = [_time(lambda: stats.build_quarterly_report(db, "2026-Q2", pdf, xlsx))
            for _ in range(max(1, runs // 2))]
    pages = stats.build_quarterly_report(db, "2026-Q2", pdf).page_count
    db.close()
    print(f"quarterly report 2026-Q2 ({pages} pages, {pdf.stat().st_size / 1024:.0f} KB)")
    _summary("PDF, first run (fonts load)", pdf_times[:1])
    pdf_ms, _ = _summary("PDF", pdf_times[1:] or pdf_times)
    _summary("PDF + xlsx", both)
    ok = pdf_ms <= MAX_PDF_S * 1000
    print(f"  target < {MAX_PDF_S:.0f} s: {'OK' if ok else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks; exit code 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = registry_copy(tmp, organizations=args.organizations)
        enrich(path)
        print(f"registry ready in {time.perf_counter() - t0:.1f} s: {path.name}")
        ok = bench_stats(path, args.runs, args.explain)
        ok = bench_pdf(path, Path(tmp), max(3, args.runs // 3)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
