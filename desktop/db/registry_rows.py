"""Registry rows for exports, and the lookups an import needs.

Exports stream plain mappings whose keys are the field names of the import
sheets (desktop.sheets.formats): an organization's township is its area's
name, an instructor's station the station's name, a posting names the officer's
ID number and the organization's name and USCC. Rows come from a cursor, so a
100,000-row export never holds the whole list in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from desktop.db import people
from desktop.db.organizations import filter_clause
from desktop.db.records import from_row
from desktop.domain.registry import (
    InstructorAssignment, OrganizationFilter, PersonFilter, Posting,
)

_ORGANIZATIONS = (
    "SELECT o.name, o.uscc, o.kind, o.industry, o.is_new_business_form, a.name AS township,"
    " o.address, o.employee_count, o.party_member_count, o.party_org_form, o.party_org_name,"
    " o.party_org_established_on, o.has_union, o.has_youth_league, o.has_women_federation,"
    " o.registered_on, o.closed_on, o.contact_name, o.contact_phone, o.note"
    " FROM organization o JOIN area a ON a.id = o.area_id WHERE {where}"
    " ORDER BY a.sort_order, a.name, o.name, o.id")

_FLAGS = ("is_new_business_form", "has_union", "has_youth_league", "has_women_federation")


def organization_rows(conn: sqlite3.Connection,
                      f: OrganizationFilter = OrganizationFilter()) -> Iterator[dict[str, Any]]:
    """Live organizations matching `f` (paging ignored), by township and name."""
    where, params = filter_clause(f)
    cursor = conn.execute(_ORGANIZATIONS.format(where=where), params)
    names = [column[0] for column in cursor.description]
    flags = [names.index(flag) for flag in _FLAGS]
    for values in cursor:
        item = dict(zip(names, values))
        for index in flags:
            item[names[index]] = bool(values[index])
        yield item


def instructor_rows(conn: sqlite3.Connection,
                    f: PersonFilter = PersonFilter()) -> Iterator[dict[str, Any]]:
    """Live instructors matching the list's search, by name."""
    where, params = people.filter_clause("instructor", f)
    sql = ("SELECT p.name, p.id_number, p.phone, p.work_unit, p.position,"
           " g.name AS guidance_station, a.name AS township FROM instructor p"
           " LEFT JOIN guidance_station g ON g.id = p.guidance_station_id"
           " LEFT JOIN area a ON a.id = p.area_id"
           f" WHERE {where} ORDER BY p.name, p.id")
    for row in conn.execute(sql, params):
        yield dict(row)


def officer_rows(conn: sqlite3.Connection,
                 f: PersonFilter = PersonFilter()) -> Iterator[dict[str, Any]]:
    """Live liaison officers matching the list's search, by name."""
    where, params = people.filter_clause("liaison_officer", f)
    sql = ("SELECT p.name, p.id_number, p.phone, p.home_unit, p.position, p.bank_name,"
           f" p.bank_account FROM liaison_officer p WHERE {where} ORDER BY p.name, p.id")
    for row in conn.execute(sql, params):
        yield dict(row)


def _link_rows(conn: sqlite3.Connection, table: str, person_table: str, person_column: str,
               prefix: str) -> Iterator[dict[str, Any]]:
    sql = (f"SELECT p.name AS {prefix}_name, p.id_number AS {prefix}_id_number,"
           " o.name AS organization_name, o.uscc, s.start_on, s.end_on"
           f" FROM {table} s JOIN {person_table} p ON p.id = s.{person_column}"
           " JOIN organization o ON o.id = s.organization_id"
           " WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL AND o.deleted_at IS NULL"
           " ORDER BY p.name, p.id_number, s.start_on, o.name")
    for row in conn.execute(sql):
        yield dict(row)


def assignment_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Live instructor assignments with the instructor and organization named."""
    return _link_rows(conn, "instructor_assignment", "instructor", "instructor_id", "instructor")


def posting_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Live postings with the officer and organization named."""
    return _link_rows(conn, "posting", "liaison_officer", "officer_id", "officer")


def assessment_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Live assessments with the officer named, newest year first."""
    sql = ("SELECT p.name AS officer_name, p.id_number AS officer_id_number, s.year, s.grade"
           " FROM assessment s JOIN liaison_officer p ON p.id = s.officer_id"
           " WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL"
           " ORDER BY s.year DESC, p.name, p.id_number")
    for row in conn.execute(sql):
        yield dict(row)


# ------------------------------------------------------------------ import lookups

_LINKS = {"posting": (Posting, "officer_id"),
          "instructor_assignment": (InstructorAssignment, "instructor_id")}


def find_link(conn: sqlite3.Connection, table: str, person_id: str, organization_id: str,
              start_on: str) -> Posting | InstructorAssignment | None:
    """The live posting / assignment of this person to this organization starting on
    `start_on` (the identity an import matches on)."""
    cls, person_column = _LINKS[table]
    row = conn.execute(
        f"SELECT * FROM {table} WHERE {person_column} = ? AND organization_id = ?"
        " AND start_on = ? AND deleted_at IS NULL LIMIT 1",
        (person_id, organization_id, start_on)).fetchone()
    return from_row(cls, row) if row else None

