"""Import a township's workbook into the registry (IMPORT_FORMATS.md).

`import_workbook` reads every known sheet (desktop.sheets.reader), checks every
row (desktop.domain.import_rules and the registry's field rules), resolves
what the rows refer to (townships, guidance stations, the organization or person
a posting names, in the workbook or already in the database), and only when
nothing at all is wrong writes every change in one transaction. Otherwise it
raises a UserError whose `problems` list every bad cell of every sheet, and
`write_error_workbook` hands the user their rows back with those cells marked.

Rows update existing records by the identity rules: an organization by its
USCC (or, without one, by name and township), a person by ID number, a posting
or assignment by person, organization and start date, an assessment by officer
and year. An empty cell means "unknown": it never erases what the database
already holds. Unknown townships and guidance stations are created and named in
the summary, so a typo is seen before anyone relies on it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.db import areas, installation, links, organizations, people, records, registry_rows
from desktop.db.backup import backup_database
from desktop.db.changes import change_mark
from desktop.db.connection import Database, transaction
from desktop.domain import exchange as exchange_rules
from desktop.domain import registry as rules
from desktop.domain.import_rules import Problem, clean_row, field_problem, find_duplicates
from desktop.domain.registry import (
    Area, Assessment, GuidanceStation, Instructor, InstructorAssignment, LiaisonOfficer,
    Organization, Posting,
)
from desktop.errors import UserError
from desktop.os_errors import file_error
from desktop.services import importing_problems
from desktop.services.importing_problems import RowRefused as _RowRefused
from desktop.services.registry import TABLES
from desktop.services.workspace import database_path
from desktop.sheets import error_book
from desktop.sheets.formats import (
    ASSESSMENTS, ASSIGNMENTS, INSTRUCTORS, OFFICERS, ORGANIZATIONS, POSTINGS, PROBLEMS, VISITS,
    SheetSpec,
)
from desktop.sheets.reader import RawRow, WorkbookRows, read_workbook
from desktop.domain import access as acl
from desktop.services.users import require

# A backup is taken before an import this large writes anything (DESIGN.md).
BACKUP_FROM_ROWS = 100
PROGRESS_EVERY = 250
Report = Callable[[int, int, str], None]


@dataclass
class SheetCounts:
    """What an import does to one sheet's records."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote (or, for a dry run, would write)."""

    sheets: Mapping[str, SheetCounts]
    new_areas: tuple[str, ...] = ()
    new_stations: tuple[str, ...] = ()
    dry_run: bool = False
    backup_path: Path | None = None
    ignored_columns: tuple[str, ...] = ()  # "组织名单：电话", headers the import does not know
    ignored_sheets: tuple[str, ...] = ()

    @property
    def created(self) -> int:
        return sum(c.created for c in self.sheets.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.sheets.values())

    @property
    def changes_anything(self) -> bool:
        return bool(self.created or self.updated or self.new_areas or self.new_stations)

    def describe(self) -> str:
        """The summary a clerk reads, one line per sheet."""
        heading = ("试导入：检查通过，未写入任何数据。正式导入将会：" if self.dry_run
                   else "导入完成：")
        return "\n".join([heading, *self.summary_lines()])

    def summary_lines(self) -> list[str]:
        """What the import does, a line per sheet, then new places and the backup."""
        lines = []
        for name, c in self.sheets.items():
            if name in importing_problems.SHEET_NAMES:  # never updated: a row is new or known
                known = f"，数据库中已有 {c.unchanged} 条（不重复导入）" if c.unchanged else ""
                lines.append(f"{name}：新增 {c.created} 条{known}")
            else:
                lines.append(f"{name}：新增 {c.created} 条，更新 {c.updated} 条，无变化 {c.unchanged} 条")
        if self.new_areas:
            lines.append("新建乡镇（街道、园区）：" + "、".join(self.new_areas))
        if self.new_stations:
            lines.append("新建指导站：" + "、".join(self.new_stations))
        if self.ignored_columns:
            lines.append("未导入的列（表头不认识，请核对拼写）：" + "；".join(self.ignored_columns))
        if self.ignored_sheets:
            lines.append("未导入的工作表：" + "、".join(self.ignored_sheets))
        if self.backup_path:
            lines.append(f"导入前已备份数据库：{self.backup_path.name}")
        return lines


def import_workbook(db: Database, path: str | Path, *, dry_run: bool = False,
                    progress: Report | None = None) -> ImportResult:
    """Check the workbook at `path` and, when every row is right and not `dry_run`,
    write it all in one transaction. Raises UserError (with `problems`) otherwise.
    When the database changed after the check, the write checks again first, so the
    result describes what was written (which may differ from a dry run's).

    `progress(done, total, text)` is called now and then; if it raises (the user
    cancelled), nothing is written.
    """
    if not dry_run:  # refused before the long read, and again before the write
        require(db, acl.IMPORT)
    report = progress or (lambda *_: None)
    report(0, 0, "正在读取工作簿……")
    book = read_workbook(path)
    if not dry_run and importing_problems.has_rows(book):
        require(db, acl.EDIT_PROBLEMS)
    mark = change_mark(db)  # before the plan's first read
    plan = _checked_plan(db, book, report)
    if dry_run:
        return plan.result(book, dry_run=True)
    require(db, acl.IMPORT)
    if importing_problems.has_rows(book):
        require(db, acl.EDIT_PROBLEMS)
    backup_path = None
    if plan.steps and book.row_count >= BACKUP_FROM_ROWS:
        report(0, 0, "正在备份数据库……")
        backup_path = _backup(db)
    with transaction(db):
        if change_mark(db) != mark:
            # Someone wrote since the plan was made (another import, a clerk at the
            # other window): writing it would undo their change or add a duplicate.
            # Planned again here, inside the write transaction, nobody can.
            plan = _checked_plan(db, book, report)
        _write(db, plan.steps, report)
    return plan.result(book, backup_path=backup_path)


def _checked_plan(db: Database, book: WorkbookRows, report: Report) -> Plan:
    """The plan for `book` against the database as it is now; UserError when any row
    is wrong."""
    plan = _Planner(db, book, report).plan()
    if plan.problems:
        raise UserError(_refusal(plan.problems), problems=plan.problems)
    return plan


def write_error_workbook(source: str | Path, problems: Iterable[Problem],
                         dest: str | Path) -> Path:
    """The user's workbook at `source` written to `dest` with every problem cell
    marked and a 错误说明 column, to fix and import again. A workbook that could not
    be read at all (a missing column, say) gets the 错误汇总 sheet only."""
    problems = list(problems)
    if Path(dest).resolve() == Path(source).resolve():
        raise UserError("错误工作簿不能覆盖原工作簿，请换一个文件名")
    try:
        book = read_workbook(source)
    except UserError:
        book = WorkbookRows({})
    try:
        return error_book.write_error_workbook(dest, book, problems)
    except OSError as err:
        raise file_error("无法保存错误工作簿", err, dest) from err


def _refusal(problems: list[Problem]) -> str:
    return f"工作簿中有 {len(problems)} 个问题，未导入任何数据，请改正后重新导入"


def _backup(db: Database) -> Path:
    try:
        return backup_database(db, database_path(db), reason="import")
    except OSError as err:
        raise file_error("导入前备份失败，未导入任何数据", err) from err
    except UserError as err:  # a full disk, a damaged database
        raise UserError(f"导入前备份失败，未导入任何数据：{err}") from err


# ------------------------------------------------------------------ the plan

@dataclass(frozen=True)
class Step:
    """One write: insert a new record (its id already chosen) or update one."""

    insert: bool
    record: Any


@dataclass
class Plan:
    """Everything an import would write, and everything wrong with the workbook."""

    steps: list[Step] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    new_areas: list[str] = field(default_factory=list)
    new_stations: list[str] = field(default_factory=list)

    def result(self, book: WorkbookRows, *, dry_run: bool = False,
               backup_path: Path | None = None) -> ImportResult:
        """The result, naming what the workbook holds that the import leaves out
        (IMPORT_FORMATS.md: a misspelt header must not vanish unseen)."""
        columns = tuple(f"{name}：{'、'.join(rows.ignored_columns)}"
                        for name, rows in book.sheets.items() if rows.ignored_columns)
        return ImportResult(dict(self.counts), tuple(self.new_areas), tuple(self.new_stations),
                            dry_run, backup_path, columns, tuple(book.ignored_sheets))


def _with_id(record: Any) -> Any:
    return dataclasses.replace(record, id=records.new_id())


def _merged(existing: Any, values: Mapping[str, Any]) -> Any:
    """`existing` with every known value of the row laid over it (empty = keep)."""
    return dataclasses.replace(existing, **{k: v for k, v in values.items() if v is not None})


def _same_name(a: str, b: str) -> bool:
    """Organization names compared as a clerk would: spaces and bracket widths aside."""
    table = str.maketrans("()", "（）")
    return "".join(a.split()).translate(table) == "".join(b.split()).translate(table)


def _area_kind(name: str) -> str:
    if name.endswith("街道"):
        return "street"
    if name.endswith(("园区", "开发区", "经开区", "高新区", "片区", "园")):
        return "zone"
    return "township"


class _Planner:
    """Checks a workbook sheet by sheet and plans the writes; never writes."""

    def __init__(self, db: Database, book: WorkbookRows, report: Report) -> None:
        self.db, self.book, self.report = db, book, report
        self.plan_ = Plan()
        self.done = 0
        self.county = areas.county(db)
        self.areas = {a.name: a for a in areas.list_areas(db)}
        self.stations = {s.name: s for s in areas.list_stations(db)}
        # What this workbook defines, for the link sheets to find.
        self.orgs_by_uscc: dict[str, Organization] = {}
        self.orgs_by_name: dict[str, dict[str, Organization]] = defaultdict(dict)
        self.instructors: dict[str, Instructor] = {}
        self.officers: dict[str, LiaisonOfficer] = {}
        self.planned_links: dict[tuple, list[tuple[RawRow, Any]]] = defaultdict(list)
        # At a township office: the names of its own areas (None at the county).
        self.own_areas = _own_area_names(db)
        self.problems = importing_problems.ProblemSheets(
            db, self._organization_named, self.instructors, self.officers)

    def plan(self) -> Plan:
        for spec, planner in ((ORGANIZATIONS, self._organization),
                              (INSTRUCTORS, self._instructor), (OFFICERS, self._officer),
                              (ASSIGNMENTS, self._assignment), (POSTINGS, self._posting),
                              (ASSESSMENTS, self._assessment), (PROBLEMS, self.problems.problem),
                              (VISITS, self.problems.visit)):
            sheet = self.book.sheets.get(spec.name)
            if sheet is not None:
                self._sheet(spec, sheet.rows, planner)
        self._link_overlaps()
        return self.plan_

    def _sheet(self, spec: SheetSpec, rows: list[RawRow], planner: Callable) -> None:
        counts = self.plan_.counts.setdefault(spec.name, SheetCounts())
        if self.own_areas is not None and spec in (OFFICERS, POSTINGS, ASSESSMENTS) and rows:
            self.plan_.problems.extend(
                Problem(spec.name, raw.row_number, "", "", exchange_rules.READ_ONLY_AT_TOWNSHIP)
                for raw in rows)
            return
        cleaned = []
        for raw in rows:
            record, problems = clean_row(spec, raw)
            cleaned.append((raw, record))
            self.plan_.problems.extend(problems)
            bad = bool(problems)
            self.sheet_name, self.row_number = spec.name, raw.row_number
            try:
                outcome = planner(spec, raw, record, bad)
            except _RowRefused as refused:
                self.plan_.problems.extend(refused.problems)
                outcome = None
            if outcome is not None and not bad:
                self._count(counts, *outcome)
            self.done += 1
            if self.done % PROGRESS_EVERY == 0:
                self.report(self.done, self.book.row_count,
                            f"正在检查第 {self.done} / {self.book.row_count} 行……")
        self.plan_.problems.extend(find_duplicates(spec, cleaned))

    def _count(self, counts: SheetCounts, existing: Any, record: Any) -> None:
        if existing is None:
            counts.created += 1
            self.plan_.steps.append(Step(True, record))
        elif record != existing:
            counts.updated += 1
            self.plan_.steps.append(Step(False, record))
        else:
            counts.unchanged += 1

    # -- places ---------------------------------------------------------------
    def _area_id(self, name: str) -> str:
        if self.own_areas is not None and name not in self.own_areas:
            raise _RowRefused([Problem(self.sheet_name, self.row_number, "所属乡镇", name,
                                       "不是本乡镇（或所辖村、社区）：本机只能录入本乡镇的记录，"
                                       "其他乡镇的记录由该乡镇录入")])
        area = self.areas.get(name)
        if area is None:
            parent = self.county.id if self.county else None
            area = _with_id(Area(name=name, kind=_area_kind(name), parent_id=parent,
                                 sort_order=len(self.areas) + 1))
            self.areas[name] = area
            self.plan_.new_areas.append(name)
            self.plan_.steps.append(Step(True, area))
        assert area.id
        return area.id

    def _station_id(self, name: str, area_id: str | None) -> str:
        station = self.stations.get(name)
        if station is None:
            station = _with_id(GuidanceStation(name=name, area_id=area_id))
            self.stations[name] = station
            self.plan_.new_stations.append(name)
            self.plan_.steps.append(Step(True, station))
        assert station.id
        return station.id

    # -- registry sheets --------------------------------------------------------
    def _organization(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        if row["name"] is None or row["township"] is None:
            return None
        area_id = self._area_id(row["township"])
        existing = self._existing_organization(spec, raw, row, area_id)
        values = {k: v for k, v in row.items() if k != "township"}
        values["area_id"] = area_id
        if existing is None:
            if values["is_new_business_form"] is None:
                values["is_new_business_form"] = row["industry"] in rules.NEW_BUSINESS_INDUSTRIES
            values = {k: v for k, v in values.items() if v is not None}
            record = _with_id(Organization(**values))
        else:
            record = _merged(existing, values)
            if row["party_org_form"] == "none":
                # 未建 typed on purpose: the old Party organization's details go with it.
                record = dataclasses.replace(
                    record, party_org_name=row["party_org_name"],
                    party_org_established_on=row["party_org_established_on"])
        self._register_organization(record)
        self._refuse_field_problems(spec, raw, rules.check_organization(record),
                                    {"area_id": "township"})
        return existing, record

    def _existing_organization(self, spec: SheetSpec, raw: RawRow, row: dict,
                               area_id: str) -> Organization | None:
        if row["uscc"]:
            found = organizations.find_by_uscc(self.db, row["uscc"])
            if found:
                return found
            # The same organization entered earlier without its code gets the code.
            uncoded = [o for o in organizations.find_by_name(self.db, row["name"], area_id)
                       if not o.uscc]
            return uncoded[0] if len(uncoded) == 1 else None
        matches = organizations.find_by_name(self.db, row["name"], area_id)
        if len(matches) > 1:
            raise _RowRefused([field_problem(
                spec, raw, "name", "数据库中本乡镇有多家同名组织，请填写统一社会信用代码以区分")])
        return matches[0] if matches else None

    def _register_organization(self, org: Organization) -> None:
        if org.uscc:
            self.orgs_by_uscc[org.uscc] = org
        assert org.id
        self.orgs_by_name[org.name][org.id] = org

    def _instructor(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        if row["id_number"] is None:
            return None
        values = {k: row[k] for k in ("name", "id_number", "phone", "work_unit", "position")}
        values["area_id"] = self._area_id(row["township"]) if row["township"] else None
        if row["guidance_station"]:
            values["guidance_station_id"] = self._station_id(row["guidance_station"],
                                                             values["area_id"])
        existing = people.find_instructor(self.db, row["id_number"])
        record = (_merged(existing, values) if existing
                  else _with_id(Instructor(**{k: v for k, v in values.items() if v is not None}))
                  if row["name"] else None)
        if record is None:
            return None
        self.instructors[record.id_number] = record
        self._refuse_field_problems(spec, raw, rules.check_instructor(record))
        return existing, record

    def _officer(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        if row["id_number"] is None or (row["name"] is None):
            return None
        existing = people.find_officer(self.db, row["id_number"])
        record = (_merged(existing, row) if existing
                  else _with_id(LiaisonOfficer(**{k: v for k, v in row.items() if v is not None})))
        self.officers[record.id_number] = record
        self._refuse_field_problems(spec, raw, rules.check_officer(record))
        return existing, record

    # -- link sheets --------------------------------------------------------------
    def _assignment(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        person = self._person(spec, raw, row, "instructor_id_number", self.instructors,
                              people.find_instructor, "指导员")
        return self._link(spec, raw, row, bad, person, InstructorAssignment, "instructor_id")

    def _posting(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        person = self._person(spec, raw, row, "officer_id_number", self.officers,
                              people.find_officer, "联络员")
        return self._link(spec, raw, row, bad, person, Posting, "officer_id")

    def _link(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool, person: Any,
              cls: type, person_field: str):
        org = self._organization_named(spec, raw, row)
        if person is None or org is None or row["start_on"] is None or bad:
            return None
        table = TABLES[cls]
        existing = registry_rows.find_link(self.db, table, person.id, org.id,
                                           row["start_on"].isoformat())
        if existing is not None:
            record = dataclasses.replace(existing, end_on=row["end_on"])
        else:
            record = _with_id(cls(**{person_field: person.id}, organization_id=org.id,
                                  start_on=row["start_on"], end_on=row["end_on"]))
        if links.overlapping_link(self.db, table, person_field, record):
            raise _RowRefused([field_problem(
                spec, raw, "start_on", "与数据库中该人员到同一组织的记录日期重叠")])
        self.planned_links[table, person.id, org.id].append((raw, record))
        return existing, record

    def _assessment(self, spec: SheetSpec, raw: RawRow, row: dict, bad: bool):
        officer = self._person(spec, raw, row, "officer_id_number", self.officers,
                               people.find_officer, "联络员")
        if officer is None or bad:
            return None
        existing = (links.find_assessment(self.db, officer.id, row["year"])
                    if officer.id else None)
        record = (dataclasses.replace(existing, grade=row["grade"]) if existing
                  else _with_id(Assessment(officer.id, row["year"], row["grade"])))
        return existing, record

    def _person(self, spec: SheetSpec, raw: RawRow, row: dict, key: str,
                planned: dict[str, Any], find: Callable, label: str) -> Any:
        id_number = row[key]
        if id_number is None:
            return None
        person = planned.get(id_number) or find(self.db, id_number)
        if person is None:
            raise _RowRefused([field_problem(
                spec, raw, key, f"找不到该{label}：工作簿的{label}表和数据库中都没有这个身份号码")])
        return person

    def _organization_named(self, spec: SheetSpec, raw: RawRow, row: dict) -> Organization | None:
        name, uscc = row["organization_name"], row["uscc"]
        if uscc:
            org = self.orgs_by_uscc.get(uscc) or organizations.find_by_uscc(self.db, uscc)
            if org is None:
                raise _RowRefused([field_problem(
                    spec, raw, "uscc", "找不到该统一社会信用代码的组织（工作簿和数据库中都没有）")])
            if name and not _same_name(name, org.name):
                raise _RowRefused([field_problem(
                    spec, raw, "organization_name",
                    f"与统一社会信用代码对应的组织名称「{org.name}」不一致")])
            return org
        if name is None:
            return None
        found = dict(self.orgs_by_name.get(name, {}))
        for org in organizations.find_by_name(self.db, name):
            found.setdefault(org.id, org)
        if not found:
            raise _RowRefused([field_problem(
                spec, raw, "organization_name", "找不到该组织：工作簿的组织表和数据库中都没有这个名称")])
        if len(found) > 1:
            raise _RowRefused([field_problem(
                spec, raw, "organization_name", "有多家同名组织，请填写统一社会信用代码以区分")])
        return next(iter(found.values()))

    def _link_overlaps(self) -> None:
        """Rows of a link sheet whose dates overlap another row for the same person
        and organization (a double entry, not a second posting)."""
        for pairs in self.planned_links.values():
            pairs.sort(key=lambda pair: pair[1].start_on)
            for (first_raw, first), (raw, link) in zip(pairs, pairs[1:]):
                if first.end_on is None or first.end_on >= link.start_on:
                    spec = ASSIGNMENTS if raw.sheet == ASSIGNMENTS.name else POSTINGS
                    self.plan_.problems.append(field_problem(
                        spec, raw, "start_on",
                        f"与第{first_raw.row_number}行（同一人员、同一组织）的日期重叠"))

    def _refuse_field_problems(self, spec: SheetSpec, raw: RawRow, problems: list,
                               fields: Mapping[str, str] | None = None) -> None:
        if problems:
            fields = fields or {}
            raise _RowRefused([field_problem(spec, raw, fields.get(name, name), reason)
                               for name, reason in problems])


def _own_area_names(db: Database) -> set[str] | None:
    ident = installation.identity(db)
    if ident.level != exchange_rules.TOWNSHIP:
        return None
    ids = areas.township_area_ids(db, ident.township)
    return {a.name for a in areas.list_areas(db) if a.id in ids}


# ------------------------------------------------------------------ writing

def _write(db: Database, steps: list[Step], report: Report) -> None:
    """Every planned write in one transaction (a cancel or a failure writes nothing)."""
    total = len(steps)
    with transaction(db):
        for done, step in enumerate(steps, start=1):
            if importing_problems.handles(step.record):
                importing_problems.write(db, step.record)  # new ones only, with their steps
            elif step.insert:
                records.insert(db, TABLES[type(step.record)], step.record)
            else:
                records.update(db, TABLES[type(step.record)], step.record)
            if done % PROGRESS_EVERY == 0:
                report(done, total, f"正在写入第 {done} / {total} 条……")
    report(total, total, "导入完成")
