"""The demo county's work, not only its registry: payment runs and its own bulletin.

A newcomer opening the demo should find every screen filled: the payment screen
with runs in each state (last year's bonus and a quarter paid and locked, a month
still in draft), and the bulletin screen with an issue of the demo county itself,
about its own townships and figures. Everything goes through the services the GUI
uses, so the runs are computed, locked and audited as a clerk's would be, and all
dates follow from the build's `today`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.db.connection import Database
from desktop.domain.bulletin import Article, Section
from desktop.domain.coverage import format_rate
from desktop.domain.periods import Period, parse_period
from desktop.domain.registry import Organization
from desktop.services import bulletins, payruns


@dataclass(frozen=True)
class DemoRuns:
    """The ids of the demo's payment runs."""

    bonus: str  # last year's year-end bonus, locked
    quarter: str  # the last completed quarter's stipend, locked
    month: str  # the last completed month's stipend, a draft
    periods: tuple[str, str, str] = ("", "", "")  # the three periods as printed: 2025年度 …


def last_quarter(today: date) -> Period:
    """The last quarter that ended before `today`'s quarter began."""
    index = (today.month - 1) // 3  # 0-based quarter of today
    year, quarter = (today.year, index) if index else (today.year - 1, 4)
    return parse_period(f"{year}-Q{quarter}")


def last_month(today: date) -> Period:
    """The month before `today`'s month."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return parse_period(f"{year}-{month:02d}")


def add_payment_runs(db: Database, today: date) -> DemoRuns:
    """Last year's bonus and the last quarter's stipend, locked; the month after that
    quarter (when it has ended) a draft, so the draft never overlaps the locked run."""
    bonus = payruns.create_bonus_run(db, today.year - 1, today=today)
    payruns.lock_run(db, bonus)
    quarter_period = last_quarter(today)
    quarter = payruns.create_stipend_run(db, quarter_period.label, today=today)
    payruns.lock_run(db, quarter)
    month_period = last_month(today)
    if month_period.end <= quarter_period.end:  # today is in a quarter's first month
        month_period = parse_period(f"{today.year}-{today.month:02d}")
    month = payruns.create_stipend_run(db, month_period.label, today=today)
    bonus_period = parse_period(str(today.year - 1))
    return DemoRuns(bonus, quarter, month, (bonus_period.label_zh, quarter_period.label_zh,
                                            month_period.label_zh))


@dataclass(frozen=True)
class CountyFigures:
    """What the county's bulletin reports, counted from the demo data."""

    county: str
    zone: str
    zone_organizations: int
    zone_with_party_org: int
    organizations: int
    with_party_org: int
    stations: int
    instructors: int
    officers: int
    new_party_orgs_this_year: int
    committees: tuple[str, ...]  # industry Party committees, e.g. 宜城县快递行业党委
    station_places: tuple[str, ...]  # townships with a guidance station


def count_figures(county: str, zone: str, orgs: Sequence[tuple[Organization, str]], today: date,
                  *, stations: int, instructors: int, officers: int,
                  station_places: tuple[str, ...]) -> CountyFigures:
    """The bulletin's figures from the demo's organizations, each with its zone piece
    ('' outside the zone); closed organizations are not counted, as in the statistics."""
    live = [org for org, _ in orgs if not org.closed_on]
    in_zone = [org for org, piece in orgs if piece]
    return CountyFigures(
        county=county, zone=zone, zone_organizations=len(in_zone),
        zone_with_party_org=sum(o.has_party_org for o in in_zone), organizations=len(live),
        with_party_org=sum(o.has_party_org for o in live), stations=stations,
        instructors=instructors, officers=officers,
        new_party_orgs_this_year=sum(bool(o.has_party_org and o.party_org_established_on
                                          and o.party_org_established_on.year == today.year)
                                     for o in live),
        committees=tuple(sorted({o.industry_party_committee for o in live
                                 if o.industry_party_committee})),
        station_places=station_places)


def add_activity(db: Database, figures: CountyFigures, today: date) -> DemoRuns:
    """The runs, the county's own issue and the source document's sample issue."""
    runs = add_payment_runs(db, today)
    add_county_bulletin(db, figures, today)
    bulletins.add_sample_bulletin(db)  # the source document's issue, to compose from
    return runs


ISSUE_NUMBER = 11  # an issue late in the year, as a county's November issue would be


def add_county_bulletin(db: Database, figures: CountyFigures, today: date) -> str:
    """The county's own issue, numbered and issued (its PDF stored); returns its id.
    The office's 报/送/发 lines are set first, as a county office would have them."""
    settings = bulletins.bulletin_settings(db)
    bulletins.save_bulletin_settings(db, dataclasses.replace(
        settings, report_to="市委组织部，县委常委",
        send_to="县人大常委会、县政府、县政协主要负责同志",
        issue_to="各乡镇（街道、园区）党（工）委，县直各单位党组织"))
    draft = bulletins.new_bulletin(db, year=today.year, issued_on=today)
    sections = (Section("工作动态", (_coverage_article(figures), _officers_article(figures))),
                Section("基层经验", (_zone_article(figures),)))
    issue = dataclasses.replace(draft, number=ISSUE_NUMBER, sections=sections)
    bulletin_id = bulletins.save_bulletin(db, issue)
    bulletins.issue_bulletin(db, bulletin_id)
    return bulletin_id


def _coverage_article(f: CountyFigures) -> Article:
    rate = format_rate(f.with_party_org, f.organizations)
    committees = "、".join(name.removeprefix(f.county) for name in f.committees)
    return Article(
        title=f"{f.county}扎实推进“两个覆盖”提质扩面",
        paragraphs=(
            f"摸清底数。{f.county}组织各乡镇（街道、园区）对辖区非公企业和社会组织开展拉网式排查，"
            f"建立“一企一档”台账。目前，全县在册两新组织{f.organizations}家，"
            f"已建党组织{f.with_party_org}家，党组织覆盖率{rate}。",
            f"分类组建。对党员3名以上的企业单独组建，党员不足3名的推行联合组建、区域联建，"
            f"依托{committees}等行业党委推动新业态企业应建尽建。"
            f"今年以来，全县新建党组织{f.new_party_orgs_this_year}个。",
        ),
        source_unit=f"{f.county}委组织部",
        lead_phrases=("摸清底数。", "分类组建。"))


def _officers_article(f: CountyFigures) -> Article:
    places = "、".join(f.station_places)
    return Article(
        title=f"{f.county}选派驻企联络员当好“党建指导员”“政策宣传员”",
        paragraphs=(
            f"建强队伍。从县直单位选派{f.officers}名驻企联络员，在{places}"
            f"设立党建工作指导站{f.stations}个，配备党建工作指导员{f.instructors}名，"
            "实行挂钩指导、按季度考核。",
            "压实责任。联络员工作补贴按月核定、按季发放，年度考核结果与绩效补贴挂钩，"
            "发放表经审核锁定后方可作为发放依据。",
        ),
        source_unit=f"{f.county}委组织部",
        lead_phrases=("建强队伍。", "压实责任。"))


def _zone_article(f: CountyFigures) -> Article:
    rate = format_rate(f.zone_with_party_org, f.zone_organizations)
    return Article(
        title=f"{f.zone}片区化管理推动非公党建全覆盖",
        paragraphs=(
            f"{f.zone}将园区企业划分为3个片区，每个片区设立1个党建工作指导站，"
            "定期开展摸底排查、联建共建和清零攻坚行动。",
            f"目前，{f.zone}{f.zone_organizations}家非公企业中，成立党组织"
            f"{f.zone_with_party_org}家，党组织覆盖率{rate}，"
            "未成立党组织的企业均已建立群团组织。",
        ),
        source_unit=f"{f.zone}党工委")
