"""Organization queries: the filtered, sorted, paged list and identity lookups."""

from __future__ import annotations

import sqlite3

from desktop.db.connection import query
from desktop.db.records import escape_like, from_row
from desktop.domain.registry import Organization, OrganizationFilter, Page

SORT_COLUMNS = {
    "name": "o.name", "uscc": "o.uscc", "township": "a.name", "kind": "o.kind",
    "industry": "o.industry", "employee_count": "o.employee_count",
    "party_member_count": "o.party_member_count", "party_org_form": "o.party_org_form",
    "registered_on": "o.registered_on", "updated_at": "o.updated_at",
}


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with its wildcards escaped."""
    return f"%{escape_like(text.strip())}%"


def search_clause(text: str, columns: tuple[str, ...],
                  ascii_columns: tuple[str, ...] = ()) -> tuple[str, list]:
    """A clause matching `text` anywhere in any of the columns, and its parameters.

    `ascii_columns` hold only normalized ASCII (codes, phone digits), so a word
    with a Chinese character cannot match them and they are left out. A word
    without ASCII letters is matched with instr(), which for such words is
    exactly LIKE (LIKE folds only ASCII case) at half the cost: the search-as-
    you-type budget is a few tens of milliseconds over 100,000 rows."""
    word = text.strip()
    searched = columns + (ascii_columns if word.isascii() else ())
    if any("a" <= ch.lower() <= "z" for ch in word):
        pattern = like_pattern(word)
        return ("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in searched) + ")",
                [pattern] * len(searched))
    return "(" + " OR ".join(f"instr({c}, ?) > 0" for c in searched) + ")", [word] * len(searched)


def filter_clause(f: OrganizationFilter) -> tuple[str, list]:
    clauses, params = ["o.deleted_at IS NULL"], []
    simple = (("o.area_id", f.area_id), ("o.kind", f.kind), ("o.industry", f.industry),
              ("o.party_org_form", f.party_org_form))
    for column, value in simple:
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.is_new_business_form is not None:
        clauses.append("o.is_new_business_form = ?")
        params.append(int(f.is_new_business_form))
    if f.has_party_org is not None:
        clauses.append("o.party_org_form != 'none'" if f.has_party_org else "o.party_org_form = 'none'")
    if f.has_mass_org is not None:
        mass = "(o.has_union + o.has_youth_league + o.has_women_federation) > 0"
        clauses.append(mass if f.has_mass_org else f"NOT {mass}")
    if f.search.strip():
        clause, values = search_clause(f.search, ("o.name", "o.contact_name"),
                                       ("o.uscc", "o.contact_phone"))
        clauses.append(clause)
        params.extend(values)
    return " AND ".join(clauses), params


def list_organizations(conn: sqlite3.Connection, f: OrganizationFilter, *,
                       count: bool = True) -> Page:
    """One page of organizations with their township name, and the total count.

    With `count=False` the total is left at -1: counting every match of a search
    word means reading the whole table, while a page sorted by an indexed column
    stops after `limit` rows (the list shows the page first, the count after)."""
    where, params = filter_clause(f)
    order = SORT_COLUMNS.get(f.sort, "o.name") + (" DESC" if f.descending else "")
    totals = (", count(*) OVER () AS total_rows,"
              " sum(o.party_org_form != 'none') OVER () AS with_party_rows") if count else ""
    rows = query(
        conn,
        f"SELECT o.*, a.name AS township{totals}"
        " FROM organization o JOIN area a ON a.id = o.area_id"
        f" WHERE {where} ORDER BY {order}, o.id LIMIT ? OFFSET ?",
        [*params, f.limit, f.offset],
    )
    items = tuple((from_row(Organization, r), r["township"]) for r in rows)
    if not count:
        return Page(rows=items, total=-1)
    if rows:
        total, with_party = rows[0]["total_rows"], rows[0]["with_party_rows"]
    else:  # past the last page: the window functions saw no rows
        total, with_party = coverage_counts(conn, f)
    return Page(rows=items, total=total, extra={"with_party_org": with_party})


def coverage_counts(conn: sqlite3.Connection, f: OrganizationFilter) -> tuple[int, int]:
    """(all, with a Party organization) among the filtered organizations."""
    where, params = filter_clause(f)
    row = query(conn, "SELECT count(*), coalesce(sum(o.party_org_form != 'none'), 0)"
                f" FROM organization o WHERE {where}", params)[0]
    return row[0], row[1]


def find_by_uscc(conn: sqlite3.Connection, uscc: str) -> Organization | None:
    row = conn.execute("SELECT * FROM organization WHERE uscc = ? AND deleted_at IS NULL",
                       (uscc,)).fetchone()
    return from_row(Organization, row) if row else None


def find_by_name(conn: sqlite3.Connection, name: str, area_id: str | None = None) -> list[Organization]:
    """Live organizations with exactly this name (in a township, when given)."""
    sql = "SELECT * FROM organization WHERE name = ? AND deleted_at IS NULL"
    params: list = [name]
    if area_id:
        sql += " AND area_id = ?"
        params.append(area_id)
    return [from_row(Organization, r) for r in conn.execute(sql, params)]
