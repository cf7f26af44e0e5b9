"""Coverage statistics as of a date, aggregated inside SQLite (POLICY.md §6).

One GROUP BY over the organizations yields counts per area and packed code
(kind, industry, new-business-form flag, Party organization form, new this
quarter, mass organization, guided) — a few thousand small groups — from which
the township, industry, kind and new-business-form tables are all summed in
Python. One scan serves every breakdown, so the report costs about one plain
GROUP BY however many tables it prints.

Dates are ISO text, so string comparison is date comparison. The as-of rules:
- active: registered on or before the date (unknown counts as registered) and
  not closed before it (closed on the date itself is still active);
- Party organization: form other than 'none', established on or before the date
  (unknown counts as established);
- work coverage (among those without one): a mass organization, or an
  instructor assignment running on the date.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from desktop.db.connection import query, translate
from desktop.domain import coverage as cov
from desktop.domain.coverage import CoverageGroup, PaymentSums, PeopleCounts

_ACTIVE = ("o.deleted_at IS NULL"
           " AND (o.registered_on IS NULL OR o.registered_on <= :d)"
           " AND (o.closed_on IS NULL OR o.closed_on >= :d)")

_LINK_ON_DATE = ("{t}.deleted_at IS NULL AND {t}.start_on <= :d"
                 " AND ({t}.end_on IS NULL OR {t}.end_on >= :d)")

_PARTY = ("(o.party_org_form != 'none' AND (o.party_org_established_on IS NULL"
          " OR o.party_org_established_on <= :d))")
_MASS = "(o.has_union OR o.has_youth_league OR o.has_women_federation)"
_GUIDED = ("exists (select 1 from instructor_assignment ia"
           " join instructor i on i.id = ia.instructor_id and i.deleted_at IS NULL"
           " where ia.organization_id = o.id and " + _LINK_ON_DATE.format(t="ia") + ")")

# Each organization's facts packed into one small integer (layout in
# desktop.domain.coverage), so the GROUP BY sorts on two keys (area, code)
# instead of nine and sums three columns instead of fourteen: on 100,000 rows
# that halves the time.
_INDUSTRY_CASE = ("case o.industry " + " ".join(f"when '{name}' then {k}"
                                                for name, k in cov.INDUSTRY_CODES.items())
                  + " else 0 end")
_FORM_CASE = ("case o.party_org_form " + " ".join(f"when '{form}' then {k}"
                                                  for form, k in cov.FORM_CODES.items())
              + " else 0 end")
_CODE = (
    f"(o.kind = 'social_org') * {cov.KIND_BIT} + o.is_new_business_form * {cov.NEW_FORM_BIT}"
    f" + {_MASS} * {cov.MASS_BIT} + ({_INDUSTRY_CASE}) * {cov.INDUSTRY_UNIT}"
    f" + case when {_PARTY} then {cov.PARTY_BIT}"
    f"     + (o.party_org_established_on >= :q IS 1) * {cov.NEW_BIT}"
    f"     + ({_FORM_CASE}) * {cov.FORM_UNIT}"
    f"   when {_MASS} then 0"
    f"   else {_GUIDED} * {cov.GUIDED_BIT} end"  # only asked of those with neither
)

# NOT INDEXED: the partial index on (area_id, name) would hand rows over in area
# order but cost a table seek per row; a plain scan plus a sort is twice as fast.
_GROUPS = (
    "select o.area_id, " + _CODE + " AS code, count(*) AS n,"
    " coalesce(sum(o.party_member_count), 0) AS members,"
    " coalesce(sum(o.employee_count), 0) AS staff"
    " from organization o NOT INDEXED where " + _ACTIVE + " group by 1, 2"
)


def coverage_groups(conn: sqlite3.Connection, as_of: date, quarter_start: date) -> list[CoverageGroup]:
    """The organizations active on `as_of`, counted per area and packed code;
    "new in quarter" means established between `quarter_start` and `as_of`."""
    params = {"d": as_of.isoformat(), "q": quarter_start.isoformat()}
    try:
        cursor = conn.execute(_GROUPS, params)
        cursor.row_factory = None  # plain tuples: thousands of rows
        return [CoverageGroup._make(row) for row in cursor]
    except sqlite3.DatabaseError as exc:
        raise translate(exc) from exc


# Organizations not active on the date: usually a few percent, so probing this
# small set is far cheaper than looking every link's organization up by its key.
_GONE = ("gone(id) AS materialized (select o.id from organization o NOT INDEXED"
         " where o.deleted_at IS NOT NULL OR o.registered_on > :d OR o.closed_on < :d)")

_PEOPLE = (
    "with " + _GONE + ","
    " guiding AS (select count(distinct ia.instructor_id) AS instructors_guiding,"
    "   count(distinct ia.organization_id) AS organizations_guided"
    "   from instructor_assignment ia where " + _LINK_ON_DATE.format(t="ia")
    + "   and ia.organization_id not in gone"
    "   and ia.instructor_id not in (select id from instructor where deleted_at IS NOT NULL)),"
    " posted AS (select count(distinct p.officer_id) AS officers_posted,"
    "   count(distinct p.organization_id) AS organizations_with_officer"
    "   from posting p where " + _LINK_ON_DATE.format(t="p")
    + "   and p.organization_id not in gone"
    "   and p.officer_id not in (select id from liaison_officer where deleted_at IS NOT NULL))"
    " select (select count(*) from instructor where deleted_at IS NULL) AS instructors,"
    " guiding.*, posted.* from guiding, posted"
)


def people_counts(conn: sqlite3.Connection, as_of: date) -> PeopleCounts:
    """Instructors (all, and those guiding an active organization on the date), the
    organizations they guide, and officers posted on the date with their organizations."""
    row = query(conn, _PEOPLE, {"d": as_of.isoformat()})[0]
    return PeopleCounts(**{key: row[key] for key in row.keys()})


def payment_sums(conn: sqlite3.Connection, start: date, end: date) -> PaymentSums:
    """Amounts of the live lines of locked runs whose period ends between `start` and
    `end` — a month or quarter's stipend in its quarter, a year's bonus in the
    year's last quarter."""
    rows = query(conn, "select r.kind, count(distinct r.id) AS runs,"
                 " coalesce(sum(l.amount_fen), 0) AS fen"
                 " from payment_run r"
                 " left join payment_line l on l.run_id = r.id and l.deleted_at IS NULL"
                 " where r.deleted_at IS NULL and r.status = 'locked'"
                 " and r.period_end between :s and :e group by r.kind",
                 {"s": start.isoformat(), "e": end.isoformat()})
    by_kind = {r["kind"]: (r["fen"], r["runs"]) for r in rows}
    stipend, bonus = by_kind.get("stipend", (0, 0)), by_kind.get("bonus", (0, 0))
    return PaymentSums(stipend_fen=stipend[0], stipend_runs=stipend[1],
                       bonus_fen=bonus[0], bonus_runs=bonus[1])
