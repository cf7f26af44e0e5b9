"""The registry rows an exchange package carries, and merging a plan into them.

`LocalRows` is our side as the merge planner (desktop/domain/merge.py) sees it:
each table is read once, when the planner first asks about it, so a package
costs a pass over the tables it touches, not a query per row and key.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable

from desktop.db.records import now_utc
from desktop.domain import exchange as rules
from desktop.domain.exchange import COUNTY, TOWNSHIP
from desktop.domain.merge import Action, Plan

Row = dict[str, Any]


def columns(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    """A table's columns, BLOBs left out (none of the exchanged tables has one)."""
    return tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                 if str(r[2]).upper() != "BLOB")


def _rows(conn: sqlite3.Connection, table: str, where: str = "1", params: Iterable = (),
          names: tuple[str, ...] | None = None) -> list[Row]:
    names = names or columns(conn, table)
    cursor = conn.execute(f"SELECT {', '.join(names)} FROM {table} WHERE {where}", tuple(params))
    return [dict(zip(names, r)) for r in cursor]


class LocalRows:
    """Our database as the planner reads it (merge.LocalView).

    A table no larger than a few times the package's rows of it is read
    whole, once; a larger one is asked row by row through its indexes, so a
    county holding 100,000 organizations merges a township's 2,000 without
    reading the other 98,000 each time."""

    WHOLE_TABLE_FACTOR = 4

    def __init__(self, conn: sqlite3.Connection, level: str, township: str, sender_id: str,
                 package_sizes: dict[str, int] | None = None):
        self.conn, self.level, self.township, self.sender_id = conn, level, township, sender_id
        self.package_sizes = package_sizes
        self._columns: dict[str, tuple[str, ...]] = {}
        self._tables: dict[str, dict[str, Row]] = {}
        self._point: dict[str, dict[str, Row | None]] = {}
        self._keys: dict[tuple[str, tuple[str, ...]], dict[tuple, list[Row]]] = {}
        self._bases: dict[str, dict[str, str]] = {}
        self._aliases: dict[str, dict[str, str]] = {}

    def columns(self, table: str) -> tuple[str, ...]:
        if table not in self._columns:
            self._columns[table] = columns(self.conn, table)
        return self._columns[table]

    def _whole(self, table: str) -> dict[str, Row] | None:
        """The whole table when it is read whole, else None (asked row by row)."""
        if table not in self._tables and table not in self._point:
            if table == "area" or self.package_sizes is None or self._count(table) <= \
                    self.WHOLE_TABLE_FACTOR * self.package_sizes.get(table, 0):
                self._tables[table] = {r["id"]: r for r in _rows(self.conn, table)}
            else:
                self._point[table] = {}
        return self._tables.get(table)

    def _count(self, table: str) -> int:
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def _select(self, table: str, where: str, params: Iterable) -> list[Row]:
        return _rows(self.conn, table, where, params, self.columns(table))

    def row(self, table: str, row_id: str) -> Row | None:
        whole = self._whole(table)
        if whole is not None:
            return whole.get(row_id)
        seen = self._point[table]
        if row_id not in seen:
            found = self._select(table, "id = ?", (row_id,))
            seen[row_id] = found[0] if found else None
        return seen[row_id]

    def areas(self) -> dict[str, Row]:
        whole = self._whole("area")
        assert whole is not None
        return whole

    def alias(self, table: str, alias_id: str) -> str | None:
        if table not in self._aliases:
            self._aliases[table] = dict(self.conn.execute(
                "SELECT alias_id, target_id FROM record_alias WHERE table_name = ?", (table,)))
        return self._aliases[table].get(alias_id)

    def base(self, table: str, row_id: str) -> str | None:
        if table not in self._bases:
            self._bases[table] = dict(self.conn.execute(
                "SELECT row_id, content_sha256 FROM exchange_base"
                " WHERE sender_id = ? AND table_name = ?", (self.sender_id, table)))
        return self._bases[table].get(row_id)

    def by_key(self, table: str, key: tuple[str, ...], values: tuple) -> list[Row]:
        whole = self._whole(table)
        if whole is None:
            return self._by_key_indexed(table, key, values)
        index = self._keys.get((table, key))
        if index is None:
            index = {}
            for row in whole.values():
                if row["deleted_at"] is None:
                    index.setdefault(self._key_of(row, key), []).append(row)
            self._keys[(table, key)] = index
        return index.get(values, [])

    def _by_key_indexed(self, table: str, key: tuple[str, ...], values: tuple) -> list[Row]:
        # Every natural key has a partial index on its live rows (schema_v1.sql).
        pairs = [(c, v) for c, v in zip(key, values) if c != "@township"]
        where = " AND ".join(f"{c} IS NULL" if v is None else f"{c} = ?" for c, v in pairs)
        found = self._select(table, f"deleted_at IS NULL AND {where}",
                             [v for _, v in pairs if v is not None])
        seen = self._point[table]
        out = []
        for row in found:
            row = seen.setdefault(row["id"], row) or row
            if self._key_of(row, key) == values:
                out.append(row)
        return out

    def _key_of(self, row: Row, key: tuple[str, ...]) -> tuple:
        return tuple(rules.township_of(self.areas(), row.get("area_id")) if c == "@township"
                     else row.get(c) for c in key)

    def referenced_by_own(self, table: str, row_id: str) -> bool:
        """Whether a live row of a table we own points at `row_id`."""
        for rule in rules.RULES:
            if rule.owner != self.level:
                continue
            for column, target in rule.refs.items():
                if target == table and self.conn.execute(
                        f"SELECT 1 FROM {rule.table} WHERE {column} = ? AND deleted_at IS NULL"
                        " LIMIT 1", (row_id,)).fetchone():
                    return True
        return False


# ---------------------------------------------------------------- export

def owned_rows(conn: sqlite3.Connection, level: str, township: str) -> dict[str, list[Row]]:
    """The full current state (tombstones included) of every row this
    installation sends, by table, in merge order."""
    areas = {r["id"]: r for r in _rows(conn, "area")}
    out: dict[str, list[Row]] = {}
    if level == COUNTY:
        for rule in rules.sent_by(COUNTY):
            out[rule.table] = _rows(conn, rule.table)
        return out
    mine = rules.township_subtree(areas, township)
    out["area"] = [a for a in areas.values() if a["id"] in mine or a["id"] in _ancestors(areas, mine)]
    org_area = {}
    for rule in rules.sent_by(TOWNSHIP):
        if rule.table == "area":
            continue
        rows = _rows(conn, rule.table)
        if rule.area_via.startswith("ref:"):
            out[rule.table] = [r for r in rows if org_area.get(r[rule.area_via[4:]]) in mine]
        else:
            out[rule.table] = [r for r in rows if r[rule.area_via] is None or r[rule.area_via] in mine]
        if rule.table == "organization":
            org_area = {r["id"]: r["area_id"] for r in rows}
    return out


def _ancestors(areas: dict[str, Row], ids: set[str]) -> set[str]:
    found: set[str] = set()
    for area_id in ids:
        parent = areas[area_id]["parent_id"]
        while parent and parent in areas and parent not in found:
            found.add(parent)
            parent = areas[parent]["parent_id"]
    return found


def aliases(conn: sqlite3.Connection) -> list[Row]:
    return [{"table_name": t, "alias_id": a, "target_id": g} for t, a, g in conn.execute(
        "SELECT table_name, alias_id, target_id FROM record_alias ORDER BY table_name, alias_id")]


# ---------------------------------------------------------------- merge

def apply_plan(conn: sqlite3.Connection, plan: Plan, progress=None) -> None:
    """Write a decided plan (call inside the merge's transaction): theirs where
    the outcome or the clerk's choice takes theirs, aliases, and the new bases."""
    stamp = now_utc()
    total = len(plan.actions)
    column_names = {table: columns(conn, table) for table in {a.table for a in plan.actions}}
    batch = _Batch(conn)
    try:
        for done, action in enumerate(plan.actions, 1):
            names = column_names[action.table]
            if action.outcome == rules.NEW:
                batch.insert(action.table, *_insert(action, names, stamp))
            elif _takes_theirs(action):
                batch.add(*_update(action, names, stamp))
            if action.link_from and action.link_from != action.local_id:
                batch.add("INSERT OR REPLACE INTO record_alias (table_name, alias_id, target_id,"
                          " sender_id, created_at) VALUES (?, ?, ?, ?, ?)",
                          (action.table, action.link_from, action.local_id, plan.sender.id, stamp))
            batch.base((plan.sender.id, action.table, action.local_id, action.theirs_hash))
            if done % 500 == 0 or done == total:
                batch.flush()
                if progress is not None:
                    progress(done, total)
        batch.flush()
    finally:
        batch.close()


class _Batch:
    """Statements in the order given, runs of the same statement sent together.

    New rows are staged in a TEMP table and moved by one INSERT ... SELECT per
    run: every row executed as a statement of its own pays a statement journal
    of every index and audit page it touches, which made a 100,000-row merge
    three times the cost of the bare INSERT ... SELECT. The bases go last (no
    trigger or reference reads them)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        # The run being gathered: a statement's SQL, or (table, columns) of new rows.
        self.key: str | tuple[str, tuple[str, ...]] = ""
        self.rows: list[tuple] = []
        self.bases: list[tuple] = []
        self.stages: dict[tuple[str, tuple[str, ...]], str] = {}

    def add(self, sql: str, params: tuple) -> None:
        self._gather(sql, params)

    def insert(self, table: str, cols: tuple[str, ...], values: tuple) -> None:
        self._gather((table, cols), values)

    def _gather(self, key: str | tuple[str, tuple[str, ...]], params: tuple) -> None:
        if key != self.key:
            self._send()
            self.key = key
        self.rows.append(params)

    def base(self, params: tuple) -> None:
        self.bases.append(params)

    def _send(self) -> None:
        if isinstance(self.key, tuple) and len(self.rows) > 1:
            self._staged(*self.key)
        elif isinstance(self.key, tuple) and self.rows:
            table, cols = self.key
            self.conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES"
                              f" ({', '.join('?' for _ in cols)})", self.rows[0])
        elif self.rows:
            self.conn.executemany(self.key, self.rows)
        self.key, self.rows = "", []

    def _staged(self, table: str, cols: tuple[str, ...]) -> None:
        names = ", ".join(cols)
        stage = self.stages.get((table, cols))
        if stage is None:
            stage = self.stages[(table, cols)] = f"merge_stage_{len(self.stages)}"
            self.conn.execute(f"CREATE TEMP TABLE {stage} AS SELECT {names} FROM {table} WHERE 0")
        self.conn.executemany(f"INSERT INTO temp.{stage} VALUES ({', '.join('?' for _ in cols)})",
                              self.rows)
        self.conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM temp.{stage}")
        self.conn.execute(f"DELETE FROM temp.{stage}")

    def flush(self) -> None:
        self._send()
        if self.bases:
            self.conn.executemany("INSERT OR REPLACE INTO exchange_base (sender_id, table_name,"
                                  " row_id, content_sha256) VALUES (?, ?, ?, ?)", self.bases)
        self.bases = []

    def close(self) -> None:
        for stage in self.stages.values():
            self.conn.execute(f"DROP TABLE IF EXISTS temp.{stage}")


def _takes_theirs(action: Action) -> bool:
    if action.outcome in (rules.UPDATED, rules.DELETED):
        return True
    return action.outcome == rules.CONFLICT and action.choice == "theirs"


def _insert(action: Action, names: Iterable[str], stamp: str) -> tuple[tuple[str, ...], tuple]:
    row = dict(action.theirs)
    row["created_at"] = row.get("created_at") or stamp
    row["updated_at"] = stamp
    cols = tuple(n for n in names if n in row)
    return cols, tuple(row[c] for c in cols)


def _update(action: Action, names: Iterable[str], stamp: str) -> tuple[str, tuple]:
    cols = [n for n in names if n not in ("id", "created_at", "updated_at")]
    sets = ", ".join(f"{c} = ?" for c in cols)
    return (f"UPDATE {action.table} SET {sets}, updated_at = ? WHERE id = ?",
            (*(action.theirs.get(c) for c in cols), stamp, action.local_id))
