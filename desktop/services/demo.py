"""The demo database: a realistic county built from the source documents.

Modelled on seeds/: a development zone with 439 enterprises of which 144 have a
Party organization (32.8%) and all the others a mass organization; express,
food-delivery, ride-hailing and freight companies under industry Party
committees; instructors at guidance stations; liaison officers posted over the
last two years with assessments, paid under the default subsidy policy
(2,000 yuan a month; 10,000 / 5,000 / 3,000 yuan year-end bonus).

Everything goes through the registry services (checked and audited) inside one
transaction, and all randomness comes from one seeded generator.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import paths
from desktop.db import areas, policies
from desktop.db.connection import Database, transaction
from desktop.domain.registry import (
    NEW_BUSINESS_INDUSTRIES, Area, Assessment, GuidanceStation, Instructor, InstructorAssignment,
    LiaisonOfficer, Organization, OrganizationFilter, Posting,
)
from desktop.domain.subsidy import default_policy
from desktop.errors import UserError
from desktop.services import accounts, maintenance, registry, workspace
from desktop.services.demo_names import Names

if TYPE_CHECKING:
    from desktop.services.demo_activity import DemoRuns

COUNTY, PLACE, REGION = "宜城县", "宜城", "340826"
# (name, kind, short form used inside company names)
TOWNSHIPS = (("城关镇", "township", "城关"), ("东城街道", "street", "东城"),
             ("西城街道", "street", "西城"), ("梅河镇", "township", "梅河"),
             ("青山乡", "township", "青山"), ("龙泉镇", "township", "龙泉"),
             ("白沙镇", "township", "白沙"), ("桃源乡", "township", "桃源"),
             ("双港镇", "township", "双港"), ("石门镇", "township", "石门"))
ZONE = "经开区"
ZONE_ORGS, ZONE_WITH_PARTY = 439, 144  # the source bulletin's figures: 32.8%
# The zone's figures hold for any date from here on: nothing there is newer.
ZONE_CUTOFF = date(2026, 6, 30)
FIRST_PARTY_ORG = date(2015, 1, 1)
ZONE_INDUSTRIES = {"manufacturing": 60, "other": 15, "road_freight": 8, "internet": 6,
                   "express": 5, "property": 3, "ride_hailing": 2, "food_delivery": 1}
TOWN_INDUSTRIES = {"manufacturing": 22, "other": 25, "express": 9, "food_delivery": 7,
                   "ride_hailing": 5, "road_freight": 10, "internet": 7, "property": 15}
INDUSTRY_COMMITTEES = {"express": "快递", "food_delivery": "外卖送餐", "ride_hailing": "交通运输",
                       "road_freight": "交通运输", "internet": "互联网", "property": "物业"}
JOINT_LABELS = {"express": "快递", "food_delivery": "外卖", "ride_hailing": "网约车",
                "road_freight": "货运", "internet": "互联网", "property": "物业",
                "manufacturing": "制造", "other": "商贸"}
HOME_UNITS = ("县发改委", "县市场监管局", "县人社局", "县财政局", "县商务局", "县经信局",
              "县交通运输局", "县住建局", "县科技局", "县统计局", "县工商联", "县总工会", "团县委",
              "县妇联", "县委组织部", "县委统战部", "县自然资源局", "县农业农村局", "县数据资源局")
OFFICER_POSITIONS = ("一级科员", "四级主任科员", "三级主任科员", "副科长", "科长", "副主任")
INSTRUCTOR_POSITIONS = ("党建工作指导员", "专职党务工作者", "组织委员")
STATION_TOWNSHIPS = ("城关镇", "梅河镇", "双港镇")
PIECES = ("第一片区", "第二片区", "第三片区")
INSTRUCTORS_PER_STATION = 5
OFFICERS = 60
MISSING_ASSESSMENTS = 3
# DEMO_MARK: the app_setting set on every demo database; DEMO_OPERATOR: who its
# changes are recorded as when no operator is configured (workspace.open_workspace).
DEMO_MARK, DEMO_OPERATOR = workspace.DEMO_MARK, workspace.DEMO_OPERATOR


@dataclass(frozen=True)
class DemoSummary:
    """What the demo build wrote, for the CLI and the GUI's status line."""

    county: str
    townships: int
    organizations: int
    with_party_org: int
    zone: str
    zone_organizations: int
    zone_with_party_org: int
    stations: int
    instructors: int
    assignments: int
    officers: int
    postings: int
    assessments: int
    policy_years: tuple[int, ...]
    bulletins: int = 0
    runs: DemoRuns | None = None
    users: tuple[tuple[str, str], ...] = ()  # (login, roles) of the ready users, password demo1234


@dataclass
class _Context:
    """What the build steps share."""

    db: Database
    rng: random.Random
    names: Names
    today: date
    area_ids: dict[str, str]  # area name -> id
    orgs: list[tuple[str, Organization, str]] = dataclasses.field(default_factory=list)
    # (id, organization, zone piece or "")


def build_demo(db: Database, *, seed: int = 2026, today: date = date(2026, 11, 22)) -> DemoSummary:
    """Fill an empty database with the demo county; the same seed and date give
    the same data. Refuses a database that already has organizations."""
    if registry.list_organizations(db, OrganizationFilter(limit=1)).total:
        raise UserError("演示数据只能写入空数据库")
    rng = random.Random(seed)
    with transaction(db):
        county_id, county = _county(db)
        ctx = _Context(db, rng, Names(rng, REGION, PLACE), today, _townships(db, county_id))
        _organizations(ctx)
        stations, instructors, assignments = _instructors(ctx)
        officers, postings, assessments = _officers(ctx)
        years = (today.year - 1, today.year)
        for year in years:
            policies.upsert_policy(db, default_policy(year))
        workspace.set_setting(db, "county_name", county)
        workspace.set_setting(db, DEMO_MARK, "1")  # so `demo --db` may rebuild it
        runs = _activity(ctx, county, stations, instructors, officers)
        _problems(ctx)
        # Last: with users the services ask who is signed in (ACCESS.md's ready users).
        users = tuple((u.login, u.roles_text) for u in accounts.add_demo_users(db))
    zone = [org for _, org, piece in ctx.orgs if piece]
    return DemoSummary(
        county=county, townships=len(ctx.area_ids), organizations=len(ctx.orgs),
        with_party_org=sum(org.has_party_org for _, org, _ in ctx.orgs), zone=ZONE,
        zone_organizations=len(zone), zone_with_party_org=sum(o.has_party_org for o in zone),
        stations=stations, instructors=instructors, assignments=assignments,
        officers=officers, postings=postings, assessments=assessments, policy_years=years,
        bulletins=2, runs=runs, users=users)


def open_demo(refresh: bool = False) -> Database:
    """Open the demo database (paths.demo_db_path()), building it when it is
    missing or empty; `refresh` deletes it first and builds it anew."""
    if refresh:
        rebuild_demo()
    db = workspace.open_workspace(paths.demo_db_path(), operator=DEMO_OPERATOR, create=True)
    try:
        if not registry.list_organizations(db, OrganizationFilter(limit=1)).total:
            build_demo(db)
    except BaseException:
        db.close()
        raise
    return db


def rebuild_demo(path: Path | None = None) -> DemoSummary:
    """Build the demo database anew at `path` (default: the app's demo database);
    returns what was written. A file of the user's is only ever filled when empty or
    rebuilt when it is itself a demo database: real data is never deleted."""
    if path is not None and not _replaceable(maintenance.init_database(Path(path))):
        raise UserError("该数据库已有数据且不是演示数据库：演示数据只能写入空数据库，或重建演示数据库")
    path = Path(path) if path is not None else paths.demo_db_path()
    _remove_database(path)
    db = workspace.open_workspace(path, operator=DEMO_OPERATOR, create=True)
    try:
        return build_demo(db)
    finally:
        db.close()


def _replaceable(path: Path) -> bool:
    """Whether the file at `path` may be (re)built: missing, empty, or a demo."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    db = workspace.open_workspace(path, operator=DEMO_OPERATOR)
    try:
        empty = not registry.list_organizations(db, OrganizationFilter(limit=1)).total
        return empty or workspace.get_setting(db, DEMO_MARK) == "1"
    finally:
        db.close()


def _remove_database(path: Path) -> None:
    try:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    except OSError as exc:
        raise UserError("演示数据库正在使用中，请先关闭工作台再重建演示数据") from exc


def _activity(ctx: _Context, county: str, stations: int, instructors: int,
              officers: int) -> DemoRuns:
    """Payment runs and bulletins, so those screens open with content too."""
    from desktop.services import demo_activity  # ReportLab comes with it: load late

    figures = demo_activity.count_figures(
        county, ZONE, [(org, piece) for _, org, piece in ctx.orgs], ctx.today,
        stations=stations, instructors=instructors, officers=officers,
        station_places=(ZONE, *STATION_TOWNSHIPS))
    return demo_activity.add_activity(ctx.db, figures, ctx.today)


def _problems(ctx: _Context) -> int:
    """Visits and problems at the open enterprises (desktop/services/demo_problems.py)."""
    from desktop.services import demo_problems

    enterprises = [oid for oid, org, _ in ctx.orgs if org.kind == "enterprise" and not org.closed_on]
    return demo_problems.add_problems(ctx.db, enterprises, ctx.today, seed=ctx.rng.randrange(2 ** 31))


# ---------------------------------------------------------------- areas


def _county(db: Database) -> tuple[str, str]:
    """(id, name) of the county, created when the database has none."""
    found = areas.county(db)
    if found is not None:
        return found.id, found.name
    return registry.create(db, Area(name=COUNTY, kind="county")), COUNTY


def _townships(db: Database, county_id: str) -> dict[str, str]:
    """The townships, streets and the zone by name (existing ones are reused)."""
    existing = {a.name: a.id for a in registry.townships(db) if a.parent_id == county_id}
    ids = {}
    spec = [(name, kind) for name, kind, _ in TOWNSHIPS] + [(ZONE, "zone")]
    for order, (name, kind) in enumerate(spec, start=1):
        ids[name] = existing.get(name) or registry.create(
            db, Area(name=name, kind=kind, parent_id=county_id, sort_order=order))
    return ids


# ---------------------------------------------------------------- organizations


def _day(rng: random.Random, first: date, last: date) -> date:
    """A uniformly random date in [first, last] (first when the range is empty)."""
    return first + timedelta(days=rng.randrange(max((last - first).days, 0) + 1))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _organizations(ctx: _Context) -> None:
    rng = ctx.rng
    party = set(rng.sample(range(ZONE_ORGS), ZONE_WITH_PARTY))
    plans: list[tuple[Organization, str]] = []
    for i in range(ZONE_ORGS):
        piece = PIECES[i % len(PIECES)]
        org = _enterprise(ctx, ZONE, ZONE, _pick(rng, ZONE_INDUSTRIES), i in party,
                          ZONE_CUTOFF, piece)
        plans.append((org, piece))
    town_plans = []
    for name, _, short in TOWNSHIPS:
        for _ in range(rng.randint(20, 80)):
            if rng.random() < 0.15:
                town_plans.append(_social_org(ctx, name))
            else:
                town_plans.append(_enterprise(ctx, name, short, _pick(rng, TOWN_INDUSTRIES),
                                              rng.random() < 0.33, ctx.today, ""))
    town_plans = _recent_party_orgs(ctx, _closures(ctx, town_plans))
    plans += [(org, "") for org in town_plans]
    for org, piece in plans:
        ctx.orgs.append((registry.create(ctx.db, org), org, piece))


def _enterprise(ctx: _Context, area: str, short: str, industry: str, with_party: bool,
                latest: date, piece: str) -> Organization:
    """One enterprise; in the zone (`piece` set) every one has some mass organization."""
    rng, names = ctx.rng, ctx.names
    name = names.company(industry, short)
    registered = _day(rng, date(2005, 1, 1), latest - timedelta(days=30))
    big = industry == "manufacturing" or rng.random() < 0.2
    org = Organization(
        name=name, area_id=ctx.area_ids[area], kind="enterprise", uscc=names.uscc("91"),
        industry=industry, is_new_business_form=industry in NEW_BUSINESS_INDUSTRIES,
        address=names.address(f"{COUNTY}{area}"),
        employee_count=rng.randint(20, 600) if big else rng.randint(5, 120),
        industry_party_committee=(f"{COUNTY}{INDUSTRY_COMMITTEES[industry]}行业党委"
                                  if industry in INDUSTRY_COMMITTEES else None),
        registered_on=registered, contact_name=names.person(), contact_phone=names.mobile())
    org = _with_mass_orgs(rng, org, always=bool(piece) or with_party and rng.random() < 0.85)
    if not with_party:
        return dataclasses.replace(org, party_member_count=rng.choice((0, 0, 0, 0, 1, 2)))
    form = rng.choices(("standalone", "joint", "regional"), weights=(55, 30, 15))[0]
    established = _day(rng, max(registered, FIRST_PARTY_ORG), latest)
    return _with_party_org(ctx, org, form, established, JOINT_LABELS[industry], area, piece)


def _social_org(ctx: _Context, area: str) -> Organization:
    rng, names = ctx.rng, ctx.names
    name = names.social_org(COUNTY, area)
    registered = _day(rng, date(2008, 1, 1), ctx.today - timedelta(days=30))
    # 52: private non-enterprise units (centres, schools); 51: associations.
    kind_code = "52" if name.endswith(("中心", "学校")) else "51"
    org = Organization(
        name=name, area_id=ctx.area_ids[area], kind="social_org", uscc=names.uscc(kind_code),
        address=names.address(f"{COUNTY}{area}"), employee_count=rng.randint(2, 40),
        registered_on=registered, contact_name=names.person(), contact_phone=names.mobile())
    org = _with_mass_orgs(rng, org, always=rng.random() < 0.6)
    if rng.random() >= 0.25:
        return dataclasses.replace(org, party_member_count=rng.choice((0, 0, 1)))
    established = _day(rng, max(registered, FIRST_PARTY_ORG), ctx.today)
    return _with_party_org(ctx, org, "standalone", established, "", area, "")


def _with_mass_orgs(rng: random.Random, org: Organization, *, always: bool) -> Organization:
    """Union, youth league, women's federation (职工之家/青年之家/妇女之家)."""
    if not always and rng.random() < 0.5:
        return org
    union, youth, women = rng.random() < 0.8, rng.random() < 0.3, rng.random() < 0.35
    if always and not (union or youth or women):
        union = True
    return dataclasses.replace(org, has_union=union, has_youth_league=youth,
                               has_women_federation=women)


def _with_party_org(ctx: _Context, org: Organization, form: str, established: date,
                    trade: str, area: str, piece: str) -> Organization:
    """The organization with a Party organization of `form`, named as such."""
    rng = ctx.rng
    where = f"{COUNTY}{area}{piece}"
    if form == "standalone":
        members = rng.choice((3, 3, 4, 5, 6, 7, 8, 9, 11, 13, 16, 21, 34, 52))
        body = "委员会" if members >= 50 else "总支部委员会" if members >= 30 else "支部委员会"
        name = f"中共{org.name}{body}"
    elif form == "joint":
        members, name = rng.randint(1, 6), f"中共{where}{trade}企业联合支部委员会"
    else:
        members, name = rng.randint(1, 4), f"中共{where}非公企业联合支部委员会"
    return dataclasses.replace(org, party_org_form=form, party_org_name=name,
                               party_org_established_on=established,
                               party_member_count=members)


def _closures(ctx: _Context, plans: list[Organization]) -> list[Organization]:
    """A few township organizations closed (注销) in recent years."""
    rng, plans = ctx.rng, list(plans)
    old = [i for i, org in enumerate(plans) if org.registered_on < date(2022, 1, 1)]
    for i in rng.sample(old, min(8, len(old))):
        closed = _day(rng, date(2023, 1, 1), ctx.today - timedelta(days=1))
        plans[i] = dataclasses.replace(plans[i], closed_on=closed)
    return plans


def _recent_party_orgs(ctx: _Context, plans: list[Organization]) -> list[Organization]:
    """Make sure the current and the previous quarter each saw new Party
    organizations, so the quarterly "newly set up" figure is not zero."""
    rng, today, plans = ctx.rng, ctx.today, list(plans)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    previous_start = date(quarter_start.year - (quarter_start.month == 1),
                          (quarter_start.month - 4) % 12 + 1, 1)
    spans = [(previous_start, quarter_start - timedelta(days=1)), (quarter_start, today)] * 3
    open_party = [i for i, org in enumerate(plans) if org.has_party_org and not org.closed_on]
    for i, (first, last) in zip(rng.sample(open_party, len(spans)), spans):
        established = _day(rng, first, last)
        registered = min(plans[i].registered_on, established - timedelta(days=rng.randint(20, 400)))
        plans[i] = dataclasses.replace(plans[i], party_org_established_on=established,
                                       registered_on=registered)
    return plans


# ---------------------------------------------------------------- instructors


def _instructors(ctx: _Context) -> tuple[int, int, int]:
    """Guidance stations (three zone pieces, three townships), their instructors
    and the organizations each guides. Returns (stations, instructors, assignments)."""
    rng, names = ctx.rng, ctx.names
    places = [(ZONE, piece) for piece in PIECES] + [(town, "") for town in STATION_TOWNSHIPS]
    instructors = assignments = 0
    for area, piece in places:
        station_id = registry.create(ctx.db, GuidanceStation(
            name=f"{area}{piece}党建工作指导站", area_id=ctx.area_ids[area]))
        pool = [(oid, org) for oid, org, p in ctx.orgs
                if org.area_id == ctx.area_ids[area] and p == piece and not org.closed_on]
        rng.shuffle(pool)
        pool.sort(key=lambda item: item[1].has_party_org)  # uncovered ones first: they need help
        for n in range(INSTRUCTORS_PER_STATION):
            unit = f"{ZONE}党工委" if area == ZONE else f"{area}党委"
            person_id = registry.create(ctx.db, Instructor(
                name=names.person(), id_number=names.id_number(date(1965, 1, 1), date(1995, 12, 31)),
                phone=names.mobile(), work_unit=unit, guidance_station_id=station_id,
                position="指导站站长" if n == 0 else rng.choice(INSTRUCTOR_POSITIONS),
                area_id=ctx.area_ids[area]))
            instructors += 1
            for _ in range(rng.randint(3, 6)):
                if not pool:
                    break
                assignments += _assign(ctx, person_id, pool.pop(0)[0])
    return len(places), instructors, assignments


def _assign(ctx: _Context, instructor_id: str, organization_id: str) -> int:
    rng, today = ctx.rng, ctx.today
    start = _day(rng, today - timedelta(days=3 * 365), today - timedelta(days=30))
    end = (_day(rng, start + timedelta(days=60), today - timedelta(days=1))
           if rng.random() < 0.15 else None)
    registry.create(ctx.db, InstructorAssignment(instructor_id, organization_id, start, end))
    return 1


# ---------------------------------------------------------------- liaison officers


def _officers(ctx: _Context) -> tuple[int, int, int]:
    """Liaison officers, their postings over the last two years and last year's
    assessments (a few not yet entered). Returns (officers, postings, assessments)."""
    rng, names, today = ctx.rng, ctx.names, ctx.today
    window = date(today.year - 2, today.month, min(today.day, 28))
    pool = [oid for oid, org, _ in ctx.orgs if org.kind == "enterprise" and not org.closed_on
            and org.registered_on < window and (org.employee_count or 0) >= 20]
    rng.shuffle(pool)
    year = today.year - 1
    graded, postings = [], 0
    for _ in range(OFFICERS):
        bank, account = names.bank()
        officer_id = registry.create(ctx.db, LiaisonOfficer(
            name=names.person(), id_number=names.id_number(date(1965, 1, 1), date(1995, 12, 31)),
            phone=names.mobile(), home_unit=rng.choice(HOME_UNITS),
            position=rng.choice(OFFICER_POSITIONS), bank_name=bank, bank_account=account))
        spans = _posting_spans(rng, window, today)
        for start, end in spans:
            registry.create(ctx.db, Posting(officer_id, pool.pop(), start, end))
        postings += len(spans)
        if any(s <= date(year, 12, 31) and (e is None or e >= date(year, 1, 1)) for s, e in spans):
            graded.append(officer_id)
    missing = set(rng.sample(range(len(graded)), min(MISSING_ASSESSMENTS, len(graded))))
    for i, officer_id in enumerate(graded):
        if i not in missing:
            grade = rng.choices(("excellent", "good", "competent", "incompetent"),
                                weights=(20, 35, 40, 5))[0]
            registry.create(ctx.db, Assessment(officer_id, year, grade))
    return OFFICERS, postings, len(graded) - len(missing)


def _posting_spans(rng: random.Random, window: date, today: date) -> list[tuple[date, date | None]]:
    """One officer's postings: still posted, ended, moved on, or two at once."""
    def start(first: date, last: date) -> date:
        day = _day(rng, first, last)
        return day.replace(day=1) if rng.random() < 0.7 else day  # most start on the 1st

    days = timedelta
    pattern = rng.choices(("open", "ended", "moved", "overlap"), weights=(45, 10, 25, 20))[0]
    if pattern == "open":
        return [(start(window, today - days(60)), None)]
    if pattern == "ended":
        first = start(window, today - days(240))
        return [(first, _day(rng, first + days(90), today - days(10)))]
    if pattern == "moved":
        first = start(window, window + days(240))
        end = _day(rng, first + days(120), today - days(120))
        return [(first, end), (end + days(rng.choice((1, 1, 1, 10, 20))), None)]
    first = start(window, window + days(300))
    second = _day(rng, first + days(30), today - days(60))
    end = None if rng.random() < 0.5 else _day(rng, second + days(30), today - days(1))
    return [(first, None), (second, end)]
