"""Outputs of the 问题清单 (PROBLEMS.md): the 问题、责任、时限清单 workbook and
the 督办通知单 PDF for one responsible unit."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

from desktop.db import areas, installation
from desktop.db.connection import Database
from desktop.domain import problems as rules
from desktop.domain.exchange import TOWNSHIP
from desktop.domain.problems import ProblemFilter
from desktop.errors import UserError
from desktop.reports.fonts import RENDER_LOCK
from desktop.reports.render_result import RenderResult
from desktop.reports.supervision_notice_pdf import (
    NoticeLine, SupervisionNotice, render_supervision_notice,
)
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.pdf_fonts import configured_fonts
from desktop.services.problems import ProblemRow, list_problems
from desktop.services.workspace import county_name, get_setting
from desktop.sheets.problem_list import ProblemLine, ProblemListSheet, write_problem_list

_ALL = 2 ** 62  # one query: the whole list is one consistent read


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def problem_line(row: ProblemRow) -> ProblemLine:
    """A listed problem as the sheet prints it."""
    p = row.problem
    return ProblemLine(
        township=row.township, organization=row.organization_name, found_on=_day(p.found_on),
        category=rules.CATEGORY_LABELS.get(p.category, p.category), description=p.description,
        responsible_unit=p.responsible_unit, responsible_person=p.responsible_person or "",
        deadline=_day(p.deadline), status=rules.STATUS_LABELS.get(p.status, p.status),
        days_overdue=row.days_overdue, closed_on=_day(p.closed_on), outcome=p.outcome or "",
        evaluation=rules.EVALUATION_LABELS.get(p.evaluation or "", ""))


def problem_list_sheet(db: Database, f: ProblemFilter, as_of: date, scope: str) -> ProblemListSheet:
    """The sheet's data: every problem the filter keeps, as of `as_of`."""
    page = list_problems(db, dataclasses.replace(f, offset=0, limit=_ALL), as_of=as_of, count=False)
    return ProblemListSheet(county=county_name(db), as_of=as_of, scope=scope,
                            lines=tuple(problem_line(r) for r in page.rows))


def export_problem_list(db: Database, out: str | Path, f: ProblemFilter = ProblemFilter(), *,
                        as_of: date | None = None, scope: str = "全部") -> tuple[Path, int]:
    """Write the 问题、责任、时限清单 to `out` (.xlsx); returns (path, problems written)."""
    path = checked_target(out, (".xlsx",))
    sheet = problem_list_sheet(db, f, as_of or date.today(), scope)
    write_atomically(path, lambda tmp: write_problem_list(tmp, sheet))
    return path, len(sheet.lines)


# ---------------------------------------------------------------- 督办通知单

NO_OPEN_PROBLEMS = "该责任单位没有未办结的问题"


def issuing_office(db: Database) -> tuple[str, str]:
    """(who signs the notice, who the unit reports back to): the county's
    organization department, or at a township installation the township's
    Party committee (a street's or a zone's 工委)."""
    ident = installation.identity(db)
    if ident.level == TOWNSHIP and ident.township:
        town = ident.township
        if town.endswith(("镇", "乡")):
            return f"中共{town}委员会", f"{town}党委"
        return f"中共{town}工作委员会", f"{town}党工委"
    county = get_setting(db, "county_name") or getattr(areas.county(db), "name", "")
    if not county:
        return "县委组织部", "县委组织部（两新工委）"
    return f"中共{county}委组织部", f"{county}委组织部（两新工委）"


def _notice_line(row: ProblemRow) -> NoticeLine:
    p = row.problem
    return NoticeLine(
        code=(p.id or "")[:8], organization=row.organization_name, township=row.township,
        category=rules.CATEGORY_LABELS.get(p.category, p.category), description=p.description,
        found_on=p.found_on, deadline=p.deadline, days_overdue=row.days_overdue,
        responsible_person=p.responsible_person or "")


def supervision_notice(db: Database, unit: str, as_of: date, number: str = "") -> SupervisionNotice:
    """The 督办通知单 of `unit`: its problems still open (已受理 or 督办中) and found
    on or before `as_of`, soonest deadline first, overdue counted as of `as_of`.
    UserError when the unit has none."""
    unit = (unit or "").strip()
    if not unit:
        raise UserError("请选择责任单位")
    f = ProblemFilter(responsible_unit=unit, open_only=True, as_of=as_of, limit=_ALL)
    rows = [r for r in list_problems(db, f, count=False).rows if r.problem.found_on <= as_of]
    if not rows:
        raise UserError(f"{NO_OPEN_PROBLEMS}：{unit}")
    office, reply_to = issuing_office(db)
    return SupervisionNotice(unit=unit, as_of=as_of, number=(number or "").strip(),
                             office=office, reply_to=reply_to,
                             lines=tuple(_notice_line(r) for r in rows))


def supervision_notice_pdf(db: Database, unit: str, as_of: date,
                           number: str = "") -> tuple[bytes, RenderResult]:
    """The notice's PDF as bytes (the in-app preview), with the configured font."""
    notice = supervision_notice(db, unit, as_of, number)
    buffer = io.BytesIO()
    with RENDER_LOCK:
        rendered = render_supervision_notice(notice, buffer, fonts=configured_fonts(db))
    return buffer.getvalue(), rendered


def export_supervision_notice(db: Database, out: str | Path, unit: str, as_of: date,
                              number: str = "") -> tuple[Path, SupervisionNotice, RenderResult]:
    """Write the 督办通知单 of `unit` to `out` (.pdf), whole or not at all."""
    path = checked_target(out, (".pdf",))
    notice = supervision_notice(db, unit, as_of, number)
    fonts = configured_fonts(db)

    def render(tmp: Path) -> RenderResult:
        with RENDER_LOCK:
            return render_supervision_notice(notice, tmp, fonts=fonts)
    return path, notice, write_atomically(path, render)
