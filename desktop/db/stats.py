"""Coverage statistics as of a date, aggregated inside SQLite (POLICY.md §6).

One GROUP BY over the organizations yields counts per (area, kind, industry,
new-business-form flag) — at most a few thousand small groups — from which the
township, industry, kind and new-business-form tables are all summed in
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

from desktop.db.connection import query
from desktop.domain.coverage import CoverageGroup, PaymentSums, PeopleCounts, StatsRow

_ACTIVE = ("o.deleted_at IS NULL"
           " AND (o.registered_on IS NULL OR o.registered_on <= :d)"
           " AND (o.closed_on IS NULL OR o.closed_on >= :d)")

_LINK_ON_DATE = ("{t}.deleted_at IS NULL AND {t}.start_on <= :d"
                 " AND ({t}.end_on IS NULL OR {t}.end_on >= :d)")

_GUIDED = ("exists (select 1 from instructor_assignment ia"
           " join instructor i on i.id = ia.instructor_id and i.deleted_at IS NULL"
           " where ia.organization_id = f.id and " + _LINK_ON_DATE.format(t="ia") + ")")

# Per-organization flags first; the outer query only sums them.
_FLAGS = (
    "select o.id, o.area_id, o.kind, o.industry, o.is_new_business_form AS nbf,"
    " o.party_org_form AS form, o.party_member_count AS members, o.employee_count AS staff,"
    " (o.party_org_form != 'none' AND (o.party_org_established_on IS NULL"
    "   OR o.party_org_established_on <= :d)) AS party,"
    " (o.party_org_established_on >= :q) AS new_in_quarter,"
    " (o.has_union OR o.has_youth_league OR o.has_women_federation) AS mass"
    " from organization o where " + _ACTIVE
)

_GROUPS = (
    "select f.area_id, f.kind, f.industry, f.nbf, count(*) AS organizations,"
    " sum(f.party) AS with_party_org,"
    " sum(f.mass) AS with_mass_org,"
    " sum(NOT f.party AND f.mass) AS with_mass_org_among_without,"
    " sum(case when f.party then 0 when f.mass then 1 else " + _GUIDED + " end)"
    "   AS work_covered_among_without,"
    " coalesce(sum(f.members), 0) AS party_members,"
    " coalesce(sum(f.staff), 0) AS employees,"
    " sum(f.party AND f.new_in_quarter IS 1) AS new_party_orgs_in_quarter,"
    " sum(f.party AND f.form = 'standalone') AS standalone,"
    " sum(f.party AND f.form = 'joint') AS joint,"
    " sum(f.party AND f.form = 'regional') AS regional,"
    " sum(f.party AND f.new_in_quarter IS 1 AND f.form = 'standalone') AS new_standalone,"
    " sum(f.party AND f.new_in_quarter IS 1 AND f.form = 'joint') AS new_joint,"
    " sum(f.party AND f.new_in_quarter IS 1 AND f.form = 'regional') AS new_regional"
    " from (" + _FLAGS + ") f"
    " group by f.area_id, f.kind, f.industry, f.nbf"
)

_COUNT_COLUMNS = ("organizations", "with_party_org", "with_mass_org",
                  "with_mass_org_among_without", "work_covered_among_without", "party_members",
                  "employees", "new_party_orgs_in_quarter", "standalone", "joint", "regional",
                  "new_standalone", "new_joint", "new_regional")


def coverage_groups(conn: sqlite3.Connection, as_of: date, quarter_start: date) -> list[CoverageGroup]:
    """Counts per (area, kind, industry, new-form flag) of the organizations active on
    `as_of`; "new in quarter" means established between `quarter_start` and `as_of`."""
    rows = query(conn, _GROUPS, {"d": as_of.isoformat(), "q": quarter_start.isoformat()})
    return [CoverageGroup(area_id=r["area_id"], kind=r["kind"], industry=r["industry"],
                          is_new_business_form=bool(r["nbf"]),
                          counts=StatsRow("", **{c: r[c] for c in _COUNT_COLUMNS}))
            for r in rows]


def people_counts(conn: sqlite3.Connection, as_of: date) -> PeopleCounts:
    """Instructors (all, and those guiding an active organization on the date), the
    organizations they guide, and officers posted on the date with their organizations."""
    params = {"d": as_of.isoformat()}
    instructors = query(conn, "select count(*) from instructor where deleted_at IS NULL")[0][0]
    guiding = query(conn, "select count(distinct ia.instructor_id), count(distinct ia.organization_id)"
                    " from instructor_assignment ia"
                    " join instructor i on i.id = ia.instructor_id and i.deleted_at IS NULL"
                    " join organization o on o.id = ia.organization_id"
                    " where " + _LINK_ON_DATE.format(t="ia") + " and " + _ACTIVE, params)[0]
    posted = query(conn, "select count(distinct p.officer_id), count(distinct p.organization_id)"
                   " from posting p"
                   " join liaison_officer lo on lo.id = p.officer_id and lo.deleted_at IS NULL"
                   " join organization o on o.id = p.organization_id"
                   " where " + _LINK_ON_DATE.format(t="p") + " and " + _ACTIVE, params)[0]
    return PeopleCounts(instructors=instructors, instructors_guiding=guiding[0],
                        organizations_guided=guiding[1], officers_posted=posted[0],
                        organizations_with_officer=posted[1])


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
