"""Outputs of the 问题清单: the 问题、责任、时限清单 workbook (PROBLEMS.md).
The 督办通知单 PDF comes here next."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from desktop.db.connection import Database
from desktop.domain import problems as rules
from desktop.domain.problems import ProblemFilter
from desktop.services.output_files import checked_target, write_atomically
from desktop.services.problems import ProblemRow, list_problems
from desktop.services.workspace import county_name
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
