"""SQL for visits, problems and their steps (schema_v7_problems.sql).

The caller (desktop/services/problems.py) holds the write transaction: a step is
read, decided and written inside one BEGIN IMMEDIATE, so two clerks advancing
the same problem at once cannot both take the same step.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from desktop.db import records
from desktop.db.organizations import search_clause
from desktop.domain.registry import Organization
from desktop.domain.problems import (
    OPEN_STATUSES, Problem, ProblemFilter, ProblemStep, Visit,
)

_OPEN_SQL = "p.status IN ('accepted', 'supervising')"  # as written in the partial index
assert _OPEN_SQL == "p.status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"


@dataclass(frozen=True)
class ListedProblem:
    """A row of the 问题清单: the problem and where it is."""

    problem: Problem
    organization_name: str
    area_id: str


def live_organization(conn: sqlite3.Connection, organization_id: str) -> Organization | None:
    row = conn.execute("SELECT * FROM organization WHERE id = ? AND deleted_at IS NULL",
                       (organization_id,)).fetchone()
    return records.from_row(Organization, row) if row else None


def insert_visit(conn: sqlite3.Connection, visit: Visit) -> str:
    return records.insert(conn, "visit", visit)


def get_visit(conn: sqlite3.Connection, visit_id: str) -> Visit:
    return records.get(conn, "visit", Visit, visit_id)


def visits_of(conn: sqlite3.Connection, organization_id: str) -> list[Visit]:
    rows = conn.execute("SELECT * FROM visit WHERE organization_id = ? AND deleted_at IS NULL"
                        " ORDER BY visited_on DESC, created_at DESC", (organization_id,))
    return [records.from_row(Visit, r) for r in rows]


def insert_problem(conn: sqlite3.Connection, problem: Problem) -> str:
    return records.insert(conn, "problem", problem)


def get_problem(conn: sqlite3.Connection, problem_id: str) -> Problem | None:
    row = conn.execute("SELECT * FROM problem WHERE id = ? AND deleted_at IS NULL",
                       (problem_id,)).fetchone()
    return records.from_row(Problem, row) if row else None


def find_problem(conn: sqlite3.Connection, organization_id: str, found_on: date,
                 description: str) -> Problem | None:
    """The live problem of an organization found that day with that description
    (how an import knows a row it has written before)."""
    row = conn.execute("SELECT * FROM problem WHERE organization_id = ? AND found_on = ?"
                       " AND description = ? AND deleted_at IS NULL LIMIT 1",
                       (organization_id, found_on.isoformat(), description)).fetchone()
    return records.from_row(Problem, row) if row else None


def find_visit(conn: sqlite3.Connection, visit: Visit) -> Visit | None:
    """A live visit with the same organization, day, kind, visitors and findings."""
    row = conn.execute(
        "SELECT * FROM visit WHERE organization_id = ? AND visited_on = ? AND kind = ?"
        " AND instructor_id IS ? AND officer_id IS ? AND findings IS ? AND deleted_at IS NULL"
        " LIMIT 1", (visit.organization_id, visit.visited_on.isoformat(), visit.kind,
                     visit.instructor_id, visit.officer_id, visit.findings or None)).fetchone()
    return records.from_row(Visit, row) if row else None


def find_by_prefix(conn: sqlite3.Connection, prefix: str) -> list[str]:
    """Ids of live problems starting with `prefix` (the CLI accepts a short id)."""
    return [r[0] for r in conn.execute(
        "SELECT id FROM problem WHERE id LIKE ? ESCAPE '\\' AND deleted_at IS NULL LIMIT 2",
        (records.escape_like(prefix) + "%",))]


def steps_of(conn: sqlite3.Connection, problem_id: str) -> list[ProblemStep]:
    rows = conn.execute("SELECT * FROM problem_step WHERE problem_id = ? AND deleted_at IS NULL"
                        " ORDER BY seq", (problem_id,))
    return [records.from_row(ProblemStep, r) for r in rows]


def insert_step(conn: sqlite3.Connection, step: ProblemStep) -> str:
    return records.insert(conn, "problem_step", step)


def update_problem(conn: sqlite3.Connection, problem: Problem) -> None:
    records.update(conn, "problem", problem)


def _where(f: ProblemFilter) -> tuple[str, list]:
    # A deleted organization's problems leave the list with it (and the figures).
    # "o.deleted_at IS NULL" also lets a township filter use organization_area_name.
    terms, params = ["p.deleted_at IS NULL", "o.deleted_at IS NULL"], []
    if f.overdue:
        terms += [_OPEN_SQL, "p.deadline < ?"]
        params.append(f.as_of.isoformat())
    elif f.open_only:
        terms.append(_OPEN_SQL)
    if f.area_ids is not None:
        terms.append(f"o.area_id IN ({', '.join('?' for _ in f.area_ids) or 'NULL'})")
        params += f.area_ids
    for column, value in (("p.organization_id", f.organization_id), ("p.category", f.category),
                          ("p.responsible_unit", f.responsible_unit), ("p.status", f.status)):
        if value is not None:
            terms.append(f"{column} = ?")
            params.append(value)
    if f.deadline_from is not None:
        terms.append("p.deadline >= ?")
        params.append(f.deadline_from.isoformat())
    if f.deadline_to is not None:
        terms.append("p.deadline <= ?")
        params.append(f.deadline_to.isoformat())
    if f.search.strip():
        clause, values = search_clause(f.search, ("p.description", "o.name", "p.responsible_unit",
                                                  "p.responsible_person"))
        terms.append(clause)
        params += values
    return " AND ".join(terms), params


def list_problems(conn: sqlite3.Connection, f: ProblemFilter) -> list[ListedProblem]:
    """One page of problems, soonest deadline first (the most overdue on top)."""
    where, params = _where(f)
    rows = conn.execute(
        f"SELECT p.*, o.name AS organization_name, o.area_id AS org_area_id"
        f" FROM problem p JOIN organization o ON o.id = p.organization_id WHERE {where}"
        f" ORDER BY p.deadline, p.found_on, p.id LIMIT ? OFFSET ?", [*params, f.limit, f.offset])
    return [ListedProblem(records.from_row(Problem, r), r["organization_name"], r["org_area_id"])
            for r in rows]


def count_problems(conn: sqlite3.Connection, f: ProblemFilter) -> int:
    where, params = _where(f)
    return conn.execute(f"SELECT count(*) FROM problem p JOIN organization o"
                        f" ON o.id = p.organization_id WHERE {where}", params).fetchone()[0]


def state_groups(conn: sqlite3.Connection, as_of: date) -> list[sqlite3.Row]:
    """Problems found on or before `as_of`, in their state on it, counted by
    (area, category, unit, status, latest rating, past the deadline). The state
    is that after the last step taken on or before the day (steps are dated in
    order, so the highest seq among them)."""
    day = as_of.isoformat()
    return conn.execute("""
        WITH s AS (
          SELECT o.area_id, p.category, p.responsible_unit AS unit, p.deadline < :day AS past,
                 coalesce((SELECT st.status_after FROM problem_step st
                           WHERE st.problem_id = p.id AND st.deleted_at IS NULL
                             AND st.taken_on <= :day ORDER BY st.seq DESC LIMIT 1),
                          'accepted') AS status,
                 (SELECT st.evaluation FROM problem_step st
                  WHERE st.problem_id = p.id AND st.deleted_at IS NULL AND st.taken_on <= :day
                    AND st.evaluation IS NOT NULL ORDER BY st.seq DESC LIMIT 1) AS evaluation
          FROM problem p JOIN organization o ON o.id = p.organization_id
          WHERE p.deleted_at IS NULL AND o.deleted_at IS NULL AND p.found_on <= :day)
        SELECT area_id, category, unit, status, evaluation, past, count(*) AS n
        FROM s GROUP BY area_id, category, unit, status, evaluation, past
        """, {"day": day}).fetchall()


def responsible_units(conn: sqlite3.Connection) -> list[str]:
    """The units problems have been given to, for the filter's list."""
    return [r[0] for r in conn.execute("SELECT DISTINCT responsible_unit FROM problem"
                                       " WHERE deleted_at IS NULL ORDER BY responsible_unit")]


def guiding_instructors(conn: sqlite3.Connection) -> dict[str, str]:
    """organization id -> an instructor currently guiding it (the demo's visitors)."""
    return {r[0]: r[1] for r in conn.execute(
        "SELECT organization_id, min(instructor_id) FROM instructor_assignment"
        " WHERE deleted_at IS NULL AND end_on IS NULL GROUP BY organization_id")}


def found_by_area(conn: sqlite3.Connection, start: date, end: date) -> dict[str, int]:
    """area id -> live problems found from `start` to `end` (inclusive) at live
    organizations there: the quarterly report's 其中本季度新发现."""
    rows = conn.execute(
        "SELECT o.area_id, count(*) FROM problem p JOIN organization o ON o.id = p.organization_id"
        " WHERE p.deleted_at IS NULL AND o.deleted_at IS NULL AND p.found_on BETWEEN ? AND ?"
        " GROUP BY o.area_id", (start.isoformat(), end.isoformat()))
    return {r[0]: r[1] for r in rows}
