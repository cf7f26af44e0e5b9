"""Benchmark: the county merging township exchange packages (issue 15).

Run on demand:  .venv/bin/python tests/benchmarks/bench_exchange.py [--skip-big] [--skip-twenty]
Measured in fresh processes (time and peak RSS), each beside its baseline:
- twenty: 20 township packages of 2,000 organizations, 200 instructors and 200
  assignments each, merged one after another into a county database
  (desktop.services.exchange.merge_package). Targets: < 10 s, < 300 MB, within 5x
  of the baseline.
- big: one package of 100,000 organizations. Target: within 5x of the baseline.
- baseline: the same rows put in by bare `ATTACH` + `INSERT ... SELECT` into an
  identical county database (audit triggers on, as in the merge).
Packages are written straight from generated rows (desktop.db.exchange_package),
so building them costs seconds, not a registry per township.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from desktop.db import areas
from desktop.db.exchange_package import write_package
from desktop.db.exchange_rows import columns
from desktop.db.migrations import SCHEMA_VERSION
from desktop.domain import exchange as rules
from desktop.domain.registry import Area
from desktop.services import exchange, registry
from desktop.services.workspace import open_workspace, set_county

COUNTY = "基准县"
STAMP = "2026-12-01T00:00:00.000000Z"


def _id_number(serial: int) -> str:
    from desktop.domain.identifiers import id_check_char

    body = f"340801198506{serial % 100:02d}{serial // 100 % 1000:03d}"[:17].ljust(17, "0")
    return body + id_check_char(body)


def _township_rows(t: int, orgs: int, people: int, area_rows: list[dict]) -> dict[str, list[dict]]:
    """A township's package tables; its area rows are the county's own (a township
    gets its area tree from the county), so every reference resolves."""
    township = next(a for a in area_rows if a["name"] == f"第{t}镇")
    area = township["id"]
    base = {"created_at": STAMP, "updated_at": STAMP, "deleted_at": None}
    tables = {"area": [a for a in area_rows if a["id"] in (area, township["parent_id"])]}
    tables["organization"] = [
        {"id": str(uuid.uuid4()), "name": f"第{t}镇企业{k:06d}", "uscc": None, "kind": "enterprise",
         "industry": "other", "is_new_business_form": 0, "area_id": area, "address": f"路{k}号",
         "employee_count": k % 300, "party_member_count": k % 7, "party_org_form": "none",
         "party_org_name": None, "party_org_established_on": None, "has_union": k % 2,
         "has_youth_league": 0, "has_women_federation": 0, "industry_party_committee": None,
         "registered_on": None, "closed_on": None, "contact_name": None, "contact_phone": None,
         "note": None, **base} for k in range(orgs)]
    tables["instructor"] = [
        {"id": str(uuid.uuid4()), "name": f"指导员{t}-{k}", "id_number": _id_number(t * 1000 + k),
         "phone": None, "work_unit": None, "position": None, "guidance_station_id": None,
         "area_id": area, **base} for k in range(people)]
    tables["instructor_assignment"] = [
        {"id": str(uuid.uuid4()), "instructor_id": i["id"], "organization_id": o["id"],
         "start_on": "2026-01-01", "end_on": None, **base}
        for i, o in zip(tables["instructor"], tables["organization"])]
    return tables


def _write(path: Path, t: int, tables: dict) -> Path:
    manifest = {"format": rules.FORMAT, "format_version": rules.FORMAT_VERSION,
                "schema_version": SCHEMA_VERSION, "sender_id": str(uuid.UUID(int=1000 + t)),
                "sender_name": f"第{t}镇", "sender_level": "township",
                "sender_township": f"第{t}镇", "county": COUNTY, "sequence": 1,
                "created_at": STAMP}
    write_package(path, manifest, tables, [])
    return path


def _county(path: Path) -> list[dict]:
    """The county database; returns its area rows."""
    db = open_workspace(path, create=True, operator="基准")
    set_county(db, COUNTY)
    root = areas.county(db)
    for t in range(20):
        registry.create(db, Area(name=f"第{t}镇", kind="township", parent_id=root.id, sort_order=t))
    names = columns(db, "area")
    rows = [dict(zip(names, r)) for r in db.execute(f"SELECT {', '.join(names)} FROM area")]
    db.close()
    return rows


def _peak_kib() -> int:
    """This process's peak resident memory. Not ru_maxrss: Linux keeps that
    across exec, so a child spawned by this (large) parent would report the
    parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _merge(db_path: str, packages: list[str], queue) -> None:
    db = open_workspace(Path(db_path))
    began = time.perf_counter()
    for package in packages:
        exchange.merge_package(db, Path(package))
    queue.put((time.perf_counter() - began, _peak_kib()))
    db.close()


def _bare(db_path: str, packages: list[str], queue) -> None:
    db = open_workspace(Path(db_path))
    began = time.perf_counter()
    for package in packages:
        db.execute("ATTACH ? AS pkg", (package,))
        db.execute("BEGIN IMMEDIATE")
        present = {r[0] for r in db.execute("SELECT name FROM pkg.sqlite_master")}
        for table in [t for t in ("organization", "instructor", "instructor_assignment")
                      if t in present]:
            names = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            cols = ", ".join(names)
            db.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM pkg.{table}")
        db.execute("COMMIT")
        db.execute("DETACH pkg")
    queue.put((time.perf_counter() - began, _peak_kib()))
    db.close()


def _run(target, db: Path, packages: list[Path]) -> tuple[float, float]:
    queue = multiprocessing.get_context("spawn").Queue()
    child = multiprocessing.get_context("spawn").Process(
        target=target, args=(str(db), [str(p) for p in packages], queue))
    child.start()
    seconds, rss_kib = queue.get(timeout=1800)
    child.join()
    return seconds, rss_kib / 1024


def _case(name: str, folder: Path, packages: list[Path], limit_s: float | None) -> bool:
    pristine = folder / "county.sqlite3"
    merged, bare = folder / f"{name}-merge.sqlite3", folder / f"{name}-bare.sqlite3"
    shutil.copy(pristine, merged)
    shutil.copy(pristine, bare)
    base_s, base_mb = _run(_bare, bare, packages)
    merge_s, merge_mb = _run(_merge, merged, packages)
    ratio = merge_s / base_s
    ok = ratio <= 5 and merge_mb < 300 and (limit_s is None or merge_s < limit_s)
    print(f"{name}: merge {merge_s:.2f} s, {merge_mb:.0f} MB | baseline ATTACH+INSERT "
          f"{base_s:.2f} s, {base_mb:.0f} MB | ratio {ratio:.1f}x (target <= 5x"
          f"{f', < {limit_s:.0f} s' if limit_s else ''}, < 300 MB)  {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        area_rows = _county(folder / "county.sqlite3")
        ok = True
        if "--skip-twenty" not in sys.argv:
            twenty = [_write(folder / f"t{t}.lxpkg", t, _township_rows(t, 2000, 200, area_rows))
                      for t in range(20)]
            ok = _case("twenty", folder, twenty, 10)
        if "--skip-big" not in sys.argv:
            big = [_write(folder / "big.lxpkg", 0, _township_rows(0, 100_000, 0, area_rows))]
            ok = _case("big", folder, big, None) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
