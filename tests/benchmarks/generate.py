"""Large, valid registries for benchmarks: townships, organizations, officers,
postings and assessments, written in one bulk transaction.

Use from a benchmark in this folder:

    from generate import cached_registry, registry_copy
    path = cached_registry(organizations=100_000)   # read-only use: shared cache
    path = registry_copy(tmp_dir)                    # a private copy to write to

or from the shell:

    python tests/benchmarks/generate.py OUT.sqlite3 --organizations 100000

Every row passes the app's own rules (valid USCC and ID check characters,
unique live codes, dates in order), so services can read and change them. The
rows go in with executemany, so the audit triggers fire for every row exactly
as they would for a clerk; the audit log is as long as the registry.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from desktop.db.connection import transaction
from desktop.db.database import open_database
from desktop.db.migrations import SCHEMA_VERSION
from desktop.db.records import now_utc
from desktop.domain.identifiers import USCC_ALPHABET, id_check_char, uscc_check_char
from desktop.domain.registry import GRADES, INDUSTRIES, NEW_BUSINESS_INDUSTRIES

GENERATOR_VERSION = 1  # bump when the generated content changes, to refresh caches
COUNTY_REGION = "340881"

PLACES = "桐城 龙眠 文昌 孔城 范岗 新渡 双港 青草 金神 嬉子湖 大关 吕亭 鲁谼 唐湾 黄甲".split()
BRANDS = ("华信 宏达 安泰 众诚 恒丰 金鼎 瑞祥 鑫源 天成 汇通 永盛 博远 嘉禾 盛世 丰泽 "
          "中联 新华 广源 德润 福星 同心 和美 合力 聚贤 兴隆 龙腾 凯达 锦程 长青 明珠").split()
TRADES = ("物流 快递 餐饮 外卖 出行 货运 网络科技 物业管理 机械制造 建材 纺织 电子 "
          "食品 医药 文化传媒 农业开发 建筑工程 商贸 信息技术 环保科技").split()
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司", "协会", "商会", "服务中心")
SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高".split()
GIVEN = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 华 平 刚 桂英 文 建国".split()
TOWN_ENDINGS = ("镇", "乡", "街道")


def cache_dir() -> Path:
    """Where generated registries are kept between runs (LIANGXIN_BENCH_CACHE
    overrides the system temp folder)."""
    folder = os.environ.get("LIANGXIN_BENCH_CACHE") or Path(tempfile.gettempdir()) / "liangxin-bench"
    return Path(folder)


def _cache_name(organizations: int, officers: int, townships: int, postings: int, seed: int) -> str:
    return (f"registry-v{GENERATOR_VERSION}s{SCHEMA_VERSION}-o{organizations}-f{officers}"
            f"-t{townships}-p{postings}-seed{seed}.sqlite3")


def cached_registry(organizations: int = 100_000, officers: int = 10_000, townships: int = 50,
                    postings: int = 20_000, seed: int = 1, *, verbose: bool = False) -> Path:
    """The path of a generated registry with these parameters, building it on
    first use. Treat it as read-only: other runs reuse the same file."""
    path = cache_dir() / _cache_name(organizations, officers, townships, postings, seed)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.stem}-{uuid.uuid4().hex[:8]}.part")
        try:
            generate_registry(part, organizations, officers, townships, postings, seed,
                              verbose=verbose)
            part.replace(path)  # atomic: a half-built file is never seen as cached
        finally:
            part.unlink(missing_ok=True)
    return path


def registry_copy(dest_dir: str | Path, **params) -> Path:
    """A private copy of a cached registry in `dest_dir`, for benchmarks that write."""
    source = cached_registry(**params)
    dest = Path(dest_dir) / source.name
    shutil.copyfile(source, dest)
    return dest


def generate_registry(path: str | Path, organizations: int = 100_000, officers: int = 10_000,
                      townships: int = 50, postings: int = 20_000, seed: int = 1, *,
                      verbose: bool = False) -> Path:
    """Build a registry database at `path` (which must not exist yet).

    A county with `townships` townships; `organizations` organizations spread
    over them; `officers` liaison officers with bank accounts and two years of
    assessments; `postings` postings of officers to organizations. Same
    parameters and seed, same content (ids and timestamps aside).
    """
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    rng = random.Random(seed)
    conn = open_database(path, operator="基准数据生成")
    # A cache big enough for the whole transaction: without it pages spill to the WAL mid-way.
    conn.execute("pragma cache_size = -262144")
    try:
        stamp = now_utc()
        with transaction(conn):
            area_ids = _timed(verbose, "areas", lambda: _insert_areas(conn, rng, townships, stamp))
            org_ids = _timed(verbose, "organizations", lambda: _insert_organizations(
                conn, rng, organizations, area_ids, stamp))
            officer_ids = _timed(verbose, "officers", lambda: _insert_officers(
                conn, rng, officers, stamp))
            _timed(verbose, "postings", lambda: _insert_postings(
                conn, rng, postings, officer_ids, org_ids, stamp))
            _timed(verbose, "assessments", lambda: _insert_assessments(
                conn, rng, officer_ids, stamp))
        _timed(verbose, "analyze", lambda: conn.execute("analyze"))
    finally:
        conn.close()
    return path


def _timed(verbose: bool, label: str, step):
    t0 = time.perf_counter()
    result = step()
    if verbose:
        print(f"  {label:<14} {time.perf_counter() - t0:7.2f} s", file=sys.stderr)
    return result


def _ids(count: int, rng: random.Random) -> list[str]:
    """Seeded UUID4s, so a seed gives the same ids and the same list order."""
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]


def _insert_areas(conn, rng: random.Random, townships: int, stamp: str) -> list[str]:
    county_id, *town_ids = _ids(townships + 1, rng)
    rows = [(county_id, "桐城示范县", "county", None, 0, stamp, stamp)]
    for k, town_id in enumerate(town_ids):
        name = f"{PLACES[k % len(PLACES)]}{k // len(PLACES) or ''}{TOWN_ENDINGS[k % 3]}"
        kind = "street" if name.endswith("街道") else "township"
        rows.append((town_id, name, kind, county_id, k + 1, stamp, stamp))
    conn.executemany(
        "insert into area (id, name, kind, parent_id, sort_order, created_at, updated_at)"
        " values (?, ?, ?, ?, ?, ?, ?)", rows)
    return town_ids


def random_uscc(rng: random.Random, serial: int) -> str:
    """A valid 统一社会信用代码, unique per `serial` (the tail encodes it)."""
    tail = ""
    n = serial * 7919 + rng.randrange(7919)  # spread, still one code per serial
    for _ in range(9):
        n, digit = divmod(n, len(USCC_ALPHABET))
        tail = USCC_ALPHABET[digit] + tail
    body = f"91{COUNTY_REGION}{tail}"
    return body + uscc_check_char(body)


def random_id_number(rng: random.Random, taken: set[str]) -> str:
    """A valid 公民身份号码 not in `taken` (which it joins)."""
    while True:
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(42 * 365))
        body = f"{COUNTY_REGION}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + id_check_char(body)
        if number not in taken:
            taken.add(number)
            return number


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.5 else "")


def _organization_rows(rng: random.Random, count: int, area_ids: list[str],
                       stamp: str) -> Iterator[tuple]:
    for serial, org_id in enumerate(_ids(count, rng)):
        suffix = rng.choice(SUFFIXES)
        kind = "enterprise" if "公司" in suffix else "social_org"
        industry = rng.choice(INDUSTRIES)
        form = rng.choices(("standalone", "joint", "regional", "none"), (25, 15, 10, 50))[0]
        name = f"{rng.choice(PLACES)}{rng.choice(BRANDS)}{rng.choice(TRADES)}{serial}{suffix}"
        registered = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
        established = (registered + timedelta(days=rng.randrange(2000))).isoformat() \
            if form != "none" else None
        yield (org_id, name, random_uscc(rng, serial), kind, industry,
               int(industry in NEW_BUSINESS_INDUSTRIES), rng.choice(area_ids),
               f"{rng.choice(PLACES)}路{rng.randrange(1, 999)}号", rng.randrange(1, 3000),
               rng.randrange(0, 60), form, f"中共{name}支部委员会" if form != "none" else None,
               established, rng.randrange(2), rng.randrange(2), rng.randrange(2),
               registered.isoformat(), _person_name(rng), _mobile(rng), stamp, stamp)


def _insert_organizations(conn, rng: random.Random, count: int, area_ids: list[str],
                          stamp: str) -> list[str]:
    rows = list(_organization_rows(rng, count, area_ids, stamp))
    conn.executemany(
        "insert into organization (id, name, uscc, kind, industry, is_new_business_form,"
        " area_id, address, employee_count, party_member_count, party_org_form, party_org_name,"
        " party_org_established_on, has_union, has_youth_league, has_women_federation,"
        " registered_on, contact_name, contact_phone, created_at, updated_at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return [row[0] for row in rows]


def _insert_officers(conn, rng: random.Random, count: int, stamp: str) -> list[str]:
    taken: set[str] = set()
    rows = [(officer_id, _person_name(rng), random_id_number(rng, taken), _mobile(rng),
             f"{rng.choice(PLACES)}镇人民政府", rng.choice(("科员", "副科长", "站长", "干事")),
             "中国农业银行桐城支行", f"622848{rng.randrange(10**13):013d}", stamp, stamp)
            for officer_id in _ids(count, rng)]
    conn.executemany(
        "insert into liaison_officer (id, name, id_number, phone, home_unit, position,"
        " bank_name, bank_account, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows)
    return [row[0] for row in rows]


def _insert_postings(conn, rng: random.Random, count: int, officer_ids: list[str],
                     org_ids: list[str], stamp: str) -> None:
    """Postings cycle through the officers; one pair is never posted twice, so
    no two postings of the same pair overlap."""
    if not officer_ids or not org_ids:
        return
    pairs: set[tuple[str, str]] = set()
    rows = []
    for posting_id in _ids(count, rng):
        officer = officer_ids[len(rows) % len(officer_ids)]
        org = rng.choice(org_ids)
        while (officer, org) in pairs:
            org = rng.choice(org_ids)
        pairs.add((officer, org))
        start = date(2022, 1, 1) + timedelta(days=rng.randrange(1200))
        end = start + timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.4 else None
        rows.append((posting_id, officer, org, start.isoformat(),
                     end.isoformat() if end else None, stamp, stamp))
    conn.executemany(
        "insert into posting (id, officer_id, organization_id, start_on, end_on, created_at,"
        " updated_at) values (?, ?, ?, ?, ?, ?, ?)", rows)


def _insert_assessments(conn, rng: random.Random, officer_ids: list[str], stamp: str) -> None:
    years = (2024, 2025)
    ids = iter(_ids(len(officer_ids) * len(years), rng))
    rows = [(next(ids), officer, year, rng.choices(GRADES, (20, 50, 27, 3))[0], stamp, stamp)
            for officer in officer_ids for year in years]
    conn.executemany(
        "insert into assessment (id, officer_id, year, grade, created_at, updated_at)"
        " values (?, ?, ?, ?, ?, ?)", rows)


def main(argv: list[str] | None = None) -> int:
    """CLI: generate a registry file at OUT."""
    parser = argparse.ArgumentParser(description="Generate a large registry for benchmarks.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--townships", type=int, default=50)
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    generate_registry(args.out, args.organizations, args.officers, args.townships,
                      args.postings, args.seed, verbose=True)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {size:.1f} MB in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
