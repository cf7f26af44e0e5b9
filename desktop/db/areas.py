"""Areas (county → townships/zones) and guidance stations."""

from __future__ import annotations

import sqlite3

from desktop.db.records import from_row
from desktop.domain.registry import Area, GuidanceStation


def list_areas(conn: sqlite3.Connection, kinds: tuple[str, ...] | None = None) -> list[Area]:
    """Live areas in display order, optionally of the given kinds."""
    sql = "SELECT * FROM area WHERE deleted_at IS NULL"
    params: list = []
    if kinds:
        sql += f" AND kind IN ({', '.join('?' for _ in kinds)})"
        params.extend(kinds)
    sql += " ORDER BY sort_order, name"
    return [from_row(Area, r) for r in conn.execute(sql, params)]


def find_area(conn: sqlite3.Connection, name: str) -> Area | None:
    row = conn.execute("SELECT * FROM area WHERE name = ? AND deleted_at IS NULL"
                       " ORDER BY kind = 'county' LIMIT 1", (name.strip(),)).fetchone()
    return from_row(Area, row) if row else None


def county(conn: sqlite3.Connection) -> Area | None:
    row = conn.execute("SELECT * FROM area WHERE kind = 'county' AND deleted_at IS NULL"
                       " ORDER BY created_at LIMIT 1").fetchone()
    return from_row(Area, row) if row else None


def list_stations(conn: sqlite3.Connection) -> list[GuidanceStation]:
    return [from_row(GuidanceStation, r) for r in conn.execute(
        "SELECT * FROM guidance_station WHERE deleted_at IS NULL ORDER BY name")]


def find_station(conn: sqlite3.Connection, name: str) -> GuidanceStation | None:
    row = conn.execute("SELECT * FROM guidance_station WHERE name = ? AND deleted_at IS NULL",
                       (name.strip(),)).fetchone()
    return from_row(GuidanceStation, row) if row else None


def township_area_ids(conn: sqlite3.Connection, township: str) -> set[str]:
    """The live township-level area named `township` and every area below it."""
    rows = conn.execute(
        "WITH RECURSIVE tree(id) AS ("
        " SELECT id FROM area WHERE name = ? AND deleted_at IS NULL"
        "  AND kind NOT IN ('county', 'community')"
        " UNION SELECT a.id FROM area AS a JOIN tree ON a.parent_id = tree.id"
        "  WHERE a.deleted_at IS NULL)"
        " SELECT id FROM tree", (township,))
    return {r[0] for r in rows}
