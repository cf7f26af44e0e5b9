"""Coverage statistics and the quarterly report (POLICY.md §6, CLI.md `stats`, `report`).

`coverage_stats` asks the database for counts per small group once and rolls
them up into the township, industry, kind and new-business-form tables.
`build_quarterly_report` computes the quarter and the one before it, lays the
tables out once, and hands the same plain data to the PDF and the workbook.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.db import areas
from desktop.db import problems as problems_db
from desktop.db import stats as stats_db
from desktop.db.connection import Database
from desktop.domain import coverage as cov
from desktop.domain.coverage import Cell, CoverageGroup, CoverageStats, ReportTable, StatsRow
from desktop.domain.exchange import COUNTY, TOWNSHIP
from desktop.domain.labels import INDUSTRY_LABELS, PARTY_ORG_FORM_LABELS, label_of
from desktop.domain.money import fen_to_decimal_yuan, format_fen
from desktop.domain.periods import Period, parse_period, quarter_of
from desktop.domain.problem_report import (QuarterProblems, problems_sentence, problems_table,
                                           quarter_rows, quarter_total)
from desktop.domain.submissions import submissions_table
from desktop.errors import UserError
from desktop.reports.fonts import RENDER_LOCK
from desktop.services import exchange, problems
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.pdf_fonts import configured_fonts
from desktop.reports.quarterly_pdf import RenderResult, render_quarterly_report
from desktop.services.workspace import get_setting
from desktop.sheets.quarterly_xlsx import write_quarterly_workbook

NO_INDUSTRY = "未填行业"
COMPILING_UNIT_KEY = "report_compiling_unit"


@dataclass(frozen=True)
class ReportResult:
    """What `build_quarterly_report` wrote: the files, page count and warnings."""

    pdf_path: Path
    xlsx_path: Path | None
    page_count: int
    warnings: tuple[str, ...]
    report: cov.QuarterlyReport


def coverage_stats(db: Database, as_of: date) -> CoverageStats:
    """Coverage by township, industry and kind, and people and payments, as of `as_of`;
    "this quarter" is the quarter containing `as_of`, up to that day."""
    quarter = quarter_of(as_of)
    groups = stats_db.coverage_groups(db, as_of, quarter.start)
    all_areas = areas.list_areas(db)
    township_of = cov.township_names(all_areas)
    order = _township_rows(db, all_areas)
    townships = cov.rollup(groups, lambda g: township_of.get(g.area_id, g.area_id), order)
    new_form = [g for g in groups if g.is_new_business_form]
    new_form_rows = cov.rollup(new_form, lambda g: township_of.get(g.area_id, g.area_id), order)
    return CoverageStats(
        as_of=as_of,
        quarter_label=quarter.label,
        townships=tuple(townships),
        total=cov.totals(townships),
        industries=tuple(_industry_rows(groups)),
        new_business_form=tuple(r for r in new_form_rows if r.organizations),
        new_business_form_total=cov.totals(new_form_rows),
        kinds={r.name: r for r in cov.rollup(groups, lambda g: g.kind, ("enterprise", "social_org"))},
        people=stats_db.people_counts(db, as_of),
        payments=stats_db.payment_sums(db, quarter.start, quarter.end),
    )


def _township_rows(db: Database, all_areas) -> list[str]:
    """The townships a table lists: every one at the county; at a township only
    its own, which must not print the others (known from the county's area
    tree, their organizations not) as having none."""
    names = [a.name for a in all_areas if a.kind in cov.TOWNSHIP_KINDS]
    ident = exchange.identity(db)
    if ident.level == TOWNSHIP and ident.township in names:
        return [ident.township]
    return names


def _industry_rows(groups: list[CoverageGroup]) -> list[StatsRow]:
    """Rows per industry in the labels' order, only industries that have organizations."""
    order = [*INDUSTRY_LABELS.values(), NO_INDUSTRY]
    rows = cov.rollup(groups, lambda g: label_of(INDUSTRY_LABELS, g.industry, NO_INDUSTRY), order)
    return [r for r in rows if r.organizations]


def stats_as_json(stats: CoverageStats) -> dict:
    """The `stats --json` document, exactly the shape of CLI.md."""
    return {"as_of": stats.as_of.isoformat(),
            "townships": [row.to_json() for row in stats.townships],
            "total": stats.total.to_json()}


def parse_quarter(text: str) -> Period:
    """A quarter from '2026-Q2' (or its Chinese label); other periods are refused."""
    period = parse_period(text)
    if period.kind != "quarter":
        raise UserError(f"请指定季度，例如 2026-Q2（收到：{text.strip()}）")
    return period


def county_label(db: Database) -> str:
    """The county as printed on the report: the setting, else the county area's name."""
    name = get_setting(db, "county_name")
    if name:
        return name
    county = areas.county(db)
    return county.name if county else "本县"


def build_quarterly_report(db: Database, quarter_text: str, out_pdf: str | Path,
                           out_xlsx: str | Path | None = None, *,
                           compiled_on: date | None = None) -> ReportResult:
    """Write the quarterly statistical report PDF (and optionally the workbook with the
    same tables) for the quarter named by `quarter_text`, as of its last day."""
    pdf_path = checked_target(out_pdf, (".pdf",))
    xlsx_target = checked_target(out_xlsx, (".xlsx",)) if out_xlsx else None
    report = quarterly_report(db, parse_quarter(quarter_text), compiled_on or date.today())
    fonts = configured_fonts(db)

    def render(tmp: Path) -> RenderResult:
        with RENDER_LOCK:
            return render_quarterly_report(report, tmp, fonts=fonts)
    rendered = write_atomically(pdf_path, render)
    xlsx_path = save_quarterly_workbook(report, xlsx_target) if xlsx_target else None
    return ReportResult(pdf_path=pdf_path, xlsx_path=xlsx_path,
                        page_count=rendered.page_count, warnings=rendered.warnings,
                        report=report)


def quarterly_report_pdf(db: Database, report: cov.QuarterlyReport) -> tuple[bytes, RenderResult]:
    """The PDF of a report already computed (the one on screen), as bytes, with the
    configured font: for the in-app preview, printing and 导出 PDF."""
    fonts = configured_fonts(db)
    buffer = io.BytesIO()
    with RENDER_LOCK:
        rendered = render_quarterly_report(report, buffer, fonts=fonts)
    return buffer.getvalue(), rendered


def save_quarterly_workbook(report: cov.QuarterlyReport, out_xlsx: str | Path) -> Path:
    """Write the workbook of a report already computed; UserError when the file
    cannot be written (folder gone, file open in Excel)."""
    path = checked_target(out_xlsx, (".xlsx",))
    write_atomically(path, lambda tmp: write_quarterly_workbook(report, tmp))
    return path


def quarterly_report(db: Database, quarter: Period, compiled_on: date) -> cov.QuarterlyReport:
    """The report's plain data: this quarter against the previous one."""
    current = coverage_stats(db, quarter.end)
    previous = coverage_stats(db, quarter.previous().end)
    problem_rows = quarter_problems(db, quarter)
    county = county_label(db)
    return cov.QuarterlyReport(
        title=f"{county}两新组织党建工作季度统计报表（{quarter.label_zh}）",
        compiling_unit=get_setting(db, COMPILING_UNIT_KEY) or f"中共{county}委组织部",
        compiled_on=compiled_on,
        as_of=quarter.end,
        summary=cov.summary_text("全县", current, previous)
        + problems_sentence(quarter_total(problem_rows)),
        tables=(*report_tables(current, previous), problems_table(problem_rows),
                *_submissions_tables(db, quarter)),
        coverage_bars=cov.coverage_bars(current.townships),
        average=cov.coverage_bars([current.total])[0],
        forms=form_counts(current.total),
    )


def quarter_problems(db: Database, quarter: Period) -> list[QuarterProblems]:
    """表7's rows: each township's 问题清单 figures as of the quarter's last day
    (problems in their state on it), with how many were found within the quarter;
    townships in the order, and of the installation, of the other tables."""
    all_areas = areas.list_areas(db)
    township_of = cov.township_names(all_areas)
    at_end = problems.problem_stats(db, quarter.end).rows
    new: dict[str, int] = {}
    for area_id, n in problems_db.found_by_area(db, quarter.start, quarter.end).items():
        name = township_of.get(area_id, "")
        new[name] = new.get(name, 0) + n
    return quarter_rows(_township_rows(db, all_areas), at_end, new)


def _submissions_tables(db: Database, quarter: Period) -> tuple[ReportTable, ...]:
    """At the county, which townships sent their package in the report's quarter;
    a township's own report has no such table."""
    if exchange.identity(db).level != COUNTY:
        return ()
    return (submissions_table(exchange.submissions(db, quarter=quarter)),)


# ---------------------------------------------------------------- report layout

COVERAGE_HEADER = ("组织数", "已建党组织", "党组织覆盖率", "未建党组织", "其中建群团组织",
                   "群团组织覆盖率", "工作覆盖率", "党员数", "从业人员", "本季度新建党组织")
COVERAGE_WIDTHS = (2.4, 1, 1.1, 1.2, 1.1, 1.3, 1.3, 1.2, 1, 1.1, 1.2)
TOWNSHIP_HEAD = "乡镇（街道、园区）"
FORM_HEADS = ("单独组建", "联合组建", "区域联建", "合计")


def coverage_cells(row: StatsRow) -> tuple[Cell, ...]:
    """A row of the coverage tables, in COVERAGE_HEADER order after the label."""
    return (row.name, row.organizations, row.with_party_org, row.org_coverage_rate,
            row.without_party_org, row.with_mass_org_among_without, row.mass_org_coverage_rate,
            row.work_coverage_rate, row.party_members, row.employees,
            row.new_party_orgs_in_quarter)


def _coverage_table(title: str, head: str, rows, total: StatsRow) -> ReportTable:
    return ReportTable(title=title, header=(head, *COVERAGE_HEADER),
                       rows=tuple(coverage_cells(r) for r in rows),
                       total=coverage_cells(total), widths=COVERAGE_WIDTHS)


def report_tables(current: CoverageStats, previous: CoverageStats) -> tuple[ReportTable, ...]:
    """The report's tables in print order, shared by the PDF and the workbook."""
    return (
        _coverage_table("表1  各乡镇（街道、园区）“两个覆盖”情况", TOWNSHIP_HEAD,
                        current.townships, current.total),
        _change_table(current, previous),
        _forms_table(current),
        _coverage_table("表4  分行业“两个覆盖”情况", "行业", current.industries, current.total),
        _coverage_table("表5  新业态组织“两个覆盖”情况", TOWNSHIP_HEAD,
                        current.new_business_form, current.new_business_form_total),
        _people_table(current, previous),
    )


def _change_cells(now: StatsRow, before: StatsRow) -> tuple[Cell, ...]:
    return (now.name, now.organizations, cov.format_change(now.organizations, before.organizations),
            now.with_party_org, cov.format_change(now.with_party_org, before.with_party_org),
            now.org_coverage_rate, before.org_coverage_rate,
            cov.format_rate_change((now.with_party_org, now.organizations),
                                   (before.with_party_org, before.organizations)),
            now.work_coverage_rate,
            cov.format_rate_change((now.work_covered_among_without, now.without_party_org),
                                   (before.work_covered_among_without, before.without_party_org)))


def _change_table(current: CoverageStats, previous: CoverageStats) -> ReportTable:
    before = {r.name: r for r in previous.townships}
    rows = tuple(_change_cells(r, before.get(r.name, StatsRow(r.name))) for r in current.townships)
    return ReportTable(
        title="表2  与上季度比较（增减：+ 增加，− 减少；覆盖率增减为百分点）",
        header=(TOWNSHIP_HEAD, "本季度", "增减", "本季度", "增减", "本季度", "上季度", "增减",
                "本季度", "增减"),
        rows=rows, total=_change_cells(current.total, previous.total),
        widths=(2.4, 1, 0.9, 1, 0.9, 1.1, 1.1, 1, 1.1, 1),
        groups=(("组织数", 2), ("已建党组织", 2), ("党组织覆盖率", 3), ("工作覆盖率", 2)))


def _forms_cells(row: StatsRow) -> tuple[Cell, ...]:
    return (row.name, row.standalone, row.joint, row.regional, row.with_party_org,
            row.new_standalone, row.new_joint, row.new_regional, row.new_party_orgs_in_quarter)


def _forms_table(current: CoverageStats) -> ReportTable:
    return ReportTable(
        title="表3  党组织组建形式（单建、联建、区域联建）",
        header=(TOWNSHIP_HEAD, *FORM_HEADS, *FORM_HEADS),
        rows=tuple(_forms_cells(r) for r in current.townships),
        total=_forms_cells(current.total), widths=(2.4, *(1,) * 8),
        groups=(("已建党组织", 4), ("其中本季度新建", 4)))


def _people_table(current: CoverageStats, previous: CoverageStats) -> ReportTable:
    now, before = current.people, previous.people
    pay_now, pay_before = current.payments, previous.payments
    counts = (("党建工作指导员（名）", now.instructors, before.instructors),
              ("其中挂钩指导组织的指导员（名）", now.instructors_guiding, before.instructors_guiding),
              ("挂钩指导的组织（家）", now.organizations_guided, before.organizations_guided),
              ("派驻联络员（名）", now.officers_posted, before.officers_posted),
              ("派驻联络员的组织（家）", now.organizations_with_officer,
               before.organizations_with_officer))
    money = (("本季度发放工作补贴（元）", pay_now.stipend_fen, pay_before.stipend_fen),
             ("本季度发放绩效补贴（元）", pay_now.bonus_fen, pay_before.bonus_fen))
    rows = [(label, a, b, cov.format_change(a, b)) for label, a, b in counts]
    rows += [(label, fen_to_decimal_yuan(a), fen_to_decimal_yuan(b), _money_change(a, b))
             for label, a, b in money]
    return ReportTable(title="表6  党建工作指导员、驻企联络员及补贴发放",
                       header=("项目", "本季度", "上季度", "增减"), rows=tuple(rows),
                       widths=(3, 1.4, 1.4, 1.2))


def _money_change(now_fen: int, before_fen: int) -> str:
    diff = now_fen - before_fen
    if diff == 0:
        return "0"
    return ("+" if diff > 0 else cov.MINUS) + format_fen(abs(diff))


def form_counts(total: StatsRow) -> tuple[tuple[str, int], ...]:
    """Party organizations by form for the chart, labelled in Chinese."""
    return tuple((PARTY_ORG_FORM_LABELS[f], getattr(total, f)) for f in cov.FORMS)
