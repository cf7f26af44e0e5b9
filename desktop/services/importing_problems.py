"""The 问题 and 走访 sheets of the import workbook (IMPORT_FORMATS.md, PROBLEMS.md).

desktop.services.importing reads and checks every sheet and writes the whole
workbook in one transaction; this module is its part for problems and visits.
A problem may arrive in any state: its steps are made up from what the row says
(rules.imported_history: 受理 on the day found, the report back on 办结日期 …,
each noted 导入), so its timeline and the figures as of any date agree with the
sheet. A row already in the database (the same organization, 发现日期 and 问题描述;
for a visit, the same organization, day, kind, visitor and findings) is left
as it is: importing the same workbook again adds nothing.

`Problem` here is the domain's 问题; an import's complaint about a cell is an
`ImportIssue` (desktop.domain.import_rules.Problem).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.db import people
from desktop.db import problems as store
from desktop.db.connection import Database
from desktop.domain import problems as rules
from desktop.domain.import_rules import Problem as ImportIssue
from desktop.domain.import_rules import field_problem
from desktop.domain.problems import Problem, Visit
from desktop.domain.registry import Instructor, LiaisonOfficer, Organization
from desktop.errors import UserError
from desktop.services import ownership
from desktop.services import problems as problem_service
from desktop.sheets.formats import PROBLEMS, VISITS, SheetSpec
from desktop.sheets.reader import RawRow, WorkbookRows

SHEET_NAMES = (PROBLEMS.name, VISITS.name)
FindOrganization = Callable[[SheetSpec, RawRow, dict], Organization | None]
# A cell typed but not readable (its own issue is reported) says nothing of the state.
_STATE_FIELDS = ("status", "evaluation", "found_on", "closed_on")


class RowRefused(Exception):
    """A row that cannot be imported; carries its issues (the registry sheets'
    planner raises it too)."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__(issues)
        self.problems = issues


@dataclass(frozen=True)
class ImportedProblem:
    """A problem row as it will be written: the problem, its steps and texts."""

    problem: Problem
    history: tuple[tuple[date, rules.Step], ...]
    outcome: str | None = None  # 办理情况 of a closure
    note: str | None = None  # 办理情况 of an open problem, on its latest step


def has_rows(book: WorkbookRows) -> bool:
    """Whether the workbook brings problems or visits (they need problems.edit too)."""
    return any(book.sheets[name].rows for name in SHEET_NAMES if name in book.sheets)


def handles(record: Any) -> bool:
    """Whether `write` is the way to write this planned record."""
    return isinstance(record, (ImportedProblem, Visit))


def write(db: Database, record: ImportedProblem | Visit) -> None:
    """Write one planned problem (with its steps) or visit, inside the import's
    transaction, through the same services the 问题清单 uses."""
    if isinstance(record, Visit):
        problem_service.record_visit(db, record)
    else:
        problem_service.import_problem(db, record.problem, record.history,
                                       outcome=record.outcome, note=record.note)


class ProblemSheets:
    """Plans the 问题 and 走访 rows of one workbook; never writes.

    `find_organization` resolves a row's 组织名称 / 统一社会信用代码 among the
    workbook's 组织 rows and the live organizations (raising the planner's
    refusal); `instructors` and `officers` are those the workbook defines, by ID."""

    def __init__(self, db: Database, find_organization: FindOrganization,
                 instructors: Mapping[str, Instructor], officers: Mapping[str, LiaisonOfficer],
                 today: date | None = None) -> None:
        self.db, self.find_organization = db, find_organization
        self.instructors, self.officers = instructors, officers
        self.today = today or date.today()
        self.seen: dict[tuple, int] = {}

    def problem(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        """(existing, record) for a 问题 row: (None, ImportedProblem) to write,
        (x, x) for one already in the database, None when it cannot be judged."""
        issues: list[ImportIssue] = []
        org = self._collect(issues, self._organization, spec, raw, row)
        status = row["status"] or rules.ACCEPTED
        if not any(row[name] is None and name in raw.cells for name in _STATE_FIELDS):
            issues += self._issues(spec, raw, rules.check_imported_state(
                status, row["evaluation"], row["found_on"], row["closed_on"], self.today))
        if issues:
            raise RowRefused(issues)
        if org is None or bad:
            return None
        self._once(spec, raw, ("problem", org.id, row["found_on"], row["description"]),
                   "description", "组织名称、发现日期、问题描述相同")
        existing = store.find_problem(self.db, org.id, row["found_on"], row["description"])
        if existing is not None:
            return existing, existing
        try:
            history = rules.imported_history(status, row["evaluation"], row["found_on"],
                                             row["closed_on"])
        except UserError as err:  # check_imported_state refuses every such row first
            raise RowRefused([field_problem(spec, raw, "status", str(err))]) from None
        closed = status in rules.CLOSED_STATUSES or row["closed_on"] is not None
        problem = Problem(
            organization_id=org.id, found_on=row["found_on"], category=row["category"],
            description=row["description"], responsible_unit=row["responsible_unit"],
            responsible_person=row["responsible_person"], deadline=row["deadline"])
        return None, ImportedProblem(problem, tuple(history),
                                     outcome=row["outcome"] if closed else None,
                                     note=None if closed else row["outcome"])

    def visit(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        """(existing, record) for a 走访 row, as `problem` does."""
        issues: list[ImportIssue] = []
        org = self._collect(issues, self._organization, spec, raw, row)
        instructor, officer = self._collect(issues, self._visitor, spec, raw,
                                            row["visitor_id_number"]) or (None, None)
        if row["visited_on"] is not None and row["visited_on"] > self.today:
            issues += self._issues(spec, raw, [
                ("visited_on", f"走访日期 {row['visited_on'].isoformat()} 晚于今天")])
        if issues:
            raise RowRefused(issues)
        if org is None or bad:
            return None
        visit = Visit(organization_id=org.id, visited_on=row["visited_on"],
                      kind=row["kind"] or "visit",
                      instructor_id=instructor.id if instructor else None,
                      officer_id=officer.id if officer else None, findings=row["findings"])
        self._once(spec, raw, ("visit", visit.organization_id, visit.visited_on, visit.kind,
                               visit.instructor_id, visit.officer_id, visit.findings),
                   "visited_on", "组织、走访日期、走访人、走访方式、发现情况都相同")
        existing = store.find_visit(self.db, visit)
        return (existing, existing) if existing is not None else (None, visit)

    def _organization(self, spec: SheetSpec, raw: RawRow, row: dict) -> Organization | None:
        org = self.find_organization(spec, raw, row)
        if org is not None:
            reason = ownership.outside_own_area(self.db, org.area_id)
            if reason:
                raise RowRefused([field_problem(spec, raw, "organization_name", reason)])
        return org

    def _visitor(self, spec: SheetSpec, raw: RawRow, id_number: str | None):
        if id_number is None:
            return None, None
        instructor = self.instructors.get(id_number) or people.find_instructor(self.db, id_number)
        officer = self.officers.get(id_number) or people.find_officer(self.db, id_number)
        if instructor is None and officer is None:
            raise RowRefused([field_problem(
                spec, raw, "visitor_id_number",
                "找不到该走访人：工作簿的指导员、联络员表和数据库中都没有这个身份号码")])
        return instructor, officer

    def _once(self, spec: SheetSpec, raw: RawRow, key: tuple, field: str, same: str) -> None:
        first = self.seen.setdefault(key, raw.row_number)
        if first != raw.row_number:
            raise RowRefused([field_problem(spec, raw, field, f"与第{first}行重复（{same}）")])

    @staticmethod
    def _collect(issues: list[ImportIssue], find: Callable, *args: Any) -> Any:
        """What `find` finds, or None with its refusal added to `issues` (so a row
        reports its unknown organization and its bad state at once)."""
        try:
            return find(*args)
        except RowRefused as refused:
            issues.extend(refused.problems)
        return None

    @staticmethod
    def _issues(spec: SheetSpec, raw: RawRow, reasons: list[tuple[str, str]]) -> list[ImportIssue]:
        return [field_problem(spec, raw, name, reason) for name, reason in reasons]
