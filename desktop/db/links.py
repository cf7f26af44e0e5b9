"""Postings, instructor assignments and assessments of one person."""

from __future__ import annotations

import sqlite3

from desktop.db.records import from_row
from desktop.domain.registry import Assessment, InstructorAssignment, Posting


def postings_of(conn: sqlite3.Connection, officer_id: str) -> list[tuple[Posting, str]]:
    """An officer's live postings with the organization's name, newest first."""
    rows = conn.execute(
        "SELECT s.*, o.name AS organization_name FROM posting s JOIN organization o"
        " ON o.id = s.organization_id WHERE s.officer_id = ? AND s.deleted_at IS NULL"
        " ORDER BY s.start_on DESC", (officer_id,))
    return [(from_row(Posting, r), r["organization_name"]) for r in rows]


def assignments_of(conn: sqlite3.Connection, instructor_id: str) -> list[tuple[InstructorAssignment, str]]:
    """An instructor's live assignments with the organization's name, newest first."""
    rows = conn.execute(
        "SELECT s.*, o.name AS organization_name FROM instructor_assignment s JOIN organization o"
        " ON o.id = s.organization_id WHERE s.instructor_id = ? AND s.deleted_at IS NULL"
        " ORDER BY s.start_on DESC", (instructor_id,))
    return [(from_row(InstructorAssignment, r), r["organization_name"]) for r in rows]


def officers_posted_to(conn: sqlite3.Connection, organization_id: str, on: str) -> int:
    """How many live officers have a live posting to the organization that has not
    ended before `on` (ISO date)."""
    return conn.execute(
        "SELECT count(DISTINCT s.officer_id) FROM posting s JOIN liaison_officer p"
        " ON p.id = s.officer_id AND p.deleted_at IS NULL WHERE s.organization_id = ?"
        " AND s.deleted_at IS NULL AND coalesce(s.end_on, '9999-12-31') >= ?",
        (organization_id, on)).fetchone()[0]


def assessments_of(conn: sqlite3.Connection, officer_id: str) -> list[Assessment]:
    rows = conn.execute("SELECT * FROM assessment WHERE officer_id = ? AND deleted_at IS NULL"
                        " ORDER BY year DESC", (officer_id,))
    return [from_row(Assessment, r) for r in rows]


def find_assessment(conn: sqlite3.Connection, officer_id: str, year: int) -> Assessment | None:
    row = conn.execute("SELECT * FROM assessment WHERE officer_id = ? AND year = ?"
                       " AND deleted_at IS NULL", (officer_id, year)).fetchone()
    return from_row(Assessment, row) if row else None


def overlapping_link(conn: sqlite3.Connection, table: str, person_column: str, link) -> bool:
    """True when the same person already has a live link to the same organization
    whose dates overlap `link` (a double entry, not a second posting)."""
    person_id = getattr(link, person_column)
    end = link.end_on.isoformat() if link.end_on else "9999-12-31"
    row = conn.execute(
        f"SELECT 1 FROM {table} WHERE {person_column} = ? AND organization_id = ?"
        " AND deleted_at IS NULL AND id != coalesce(?, '') AND start_on <= ?"
        " AND coalesce(end_on, '9999-12-31') >= ? LIMIT 1",
        (person_id, link.organization_id, link.id, end, link.start_on.isoformat())).fetchone()
    return row is not None
