"""Instructor and liaison-officer queries."""

from __future__ import annotations

import sqlite3

from desktop.db.connection import query
from desktop.db.organizations import search_clause
from desktop.db.records import from_row
from desktop.domain.registry import Instructor, LiaisonOfficer, Page, PersonFilter

_SORT = {"name": "p.name", "id_number": "p.id_number", "updated_at": "p.updated_at"}


# (free-text columns, ASCII-only columns) searched by each person list.
SEARCH_COLUMNS = {"instructor": (("p.name", "p.work_unit"), ("p.id_number", "p.phone")),
                  "liaison_officer": (("p.name", "p.home_unit"), ("p.id_number", "p.phone"))}


def filter_clause(table: str, f: PersonFilter) -> tuple[str, list]:
    """The WHERE clause (over alias p) and parameters of a person list's filter."""
    clauses, params = ["p.deleted_at IS NULL"], []
    if f.search.strip():
        clause, values = search_clause(f.search, *SEARCH_COLUMNS[table])
        clauses.append(clause)
        params.extend(values)
    if f.area_id and table == "instructor":
        clauses.append("p.area_id = ?")
        params.append(f.area_id)
    return " AND ".join(clauses), params


def _list(conn: sqlite3.Connection, table: str, cls: type, extra: str, f: PersonFilter,
          count: bool) -> Page:
    where, params = filter_clause(table, f)
    order = _SORT.get(f.sort, "p.name") + (" DESC" if f.descending else "")
    total_column = ", count(*) OVER () AS total_rows" if count else ""
    rows = query(conn, f"SELECT p.*, {extra}{total_column} FROM {table} p"
                 f" WHERE {where} ORDER BY {order}, p.id LIMIT ? OFFSET ?",
                 [*params, f.limit, f.offset])
    total = (rows[0]["total_rows"] if rows else count_people(conn, table, f)) if count else -1
    return Page(rows=tuple((from_row(cls, r), r["summary"]) for r in rows), total=total)


def count_people(conn: sqlite3.Connection, table: str, f: PersonFilter) -> int:
    """How many people of `table` the filter matches (paging ignored)."""
    where, params = filter_clause(table, f)
    return query(conn, f"SELECT count(*) FROM {table} p WHERE {where}", params)[0][0]


def list_instructors(conn: sqlite3.Connection, f: PersonFilter, *, count: bool = True) -> Page:
    """Instructors with how many organizations they guide today."""
    extra = ("(SELECT count(*) FROM instructor_assignment s WHERE s.instructor_id = p.id"
             " AND s.deleted_at IS NULL AND s.start_on <= date('now')"
             " AND (s.end_on IS NULL OR s.end_on >= date('now'))) AS summary")
    return _list(conn, "instructor", Instructor, extra, f, count)


def list_officers(conn: sqlite3.Connection, f: PersonFilter, *, count: bool = True) -> Page:
    """Liaison officers with the enterprises they are posted to today."""
    extra = ("(SELECT group_concat(o.name, '、') FROM posting s JOIN organization o"
             " ON o.id = s.organization_id WHERE s.officer_id = p.id AND s.deleted_at IS NULL"
             " AND s.start_on <= date('now') AND (s.end_on IS NULL OR s.end_on >= date('now')))"
             " AS summary")
    return _list(conn, "liaison_officer", LiaisonOfficer, extra, f, count)


def find_instructor(conn: sqlite3.Connection, id_number: str) -> Instructor | None:
    row = conn.execute("SELECT * FROM instructor WHERE id_number = ? AND deleted_at IS NULL",
                       (id_number,)).fetchone()
    return from_row(Instructor, row) if row else None


def find_officer(conn: sqlite3.Connection, id_number: str) -> LiaisonOfficer | None:
    row = conn.execute("SELECT * FROM liaison_officer WHERE id_number = ? AND deleted_at IS NULL",
                       (id_number,)).fetchone()
    return from_row(LiaisonOfficer, row) if row else None
