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

from desktop.db.connection import query
from desktop.domain.coverage import FORMS, CoverageGroup, PaymentSums, PeopleCounts, StatsRow
from desktop.domain.registry import INDUSTRIES

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

# Each organization's facts packed into one small integer, so the GROUP BY sorts
# on two keys (area, code) instead of nine, and sums three columns instead of
# fourteen: on 100,000 rows that halves the time. `_decode` unpacks it.
_KIND_BIT, _NEW_FORM_BIT, _PARTY_BIT, _NEW_BIT, _MASS_BIT, _GUIDED_BIT = 1, 2, 4, 8, 16, 32
_FORM_UNIT, _INDUSTRY_UNIT = 64, 256          # form code 1-3; industry: its place in the list
_FORM_OF = {1: "standalone", 2: "joint", 3: "regional"}
_INDUSTRY_LIST = "," + ",".join(INDUSTRIES) + ","
_INDUSTRY_AT = {_INDUSTRY_LIST.index(f",{name},") + 1: name for name in INDUSTRIES}

_CODE = (
    f"(o.kind = 'social_org') * {_KIND_BIT} + o.is_new_business_form * {_NEW_FORM_BIT}"
    f" + {_MASS} * {_MASS_BIT}"
    f" + coalesce(instr('{_INDUSTRY_LIST}', ',' || o.industry || ','), 0) * {_INDUSTRY_UNIT}"
    f" + case when {_PARTY} then {_PARTY_BIT}"
    f"     + (o.party_org_established_on >= :q IS 1) * {_NEW_BIT}"
    f"     + (case o.party_org_form when 'standalone' then 1 when 'joint' then 2 else 3 end)"
    f"       * {_FORM_UNIT}"
    f"   when {_MASS} then 0"
    f"   else {_GUIDED} * {_GUIDED_BIT} end"  # only asked of those with neither
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
    """Counts of the organizations active on `as_of`, in groups sharing area, kind,
    industry and new-form flag (a group may come more than once: callers add them up);
    "new in quarter" means established between `quarter_start` and `as_of`."""
    rows = query(conn, _GROUPS, {"d": as_of.isoformat(), "q": quarter_start.isoformat()})
    return [_decode(r["area_id"], r["code"], r["n"], r["members"], r["staff"]) for r in rows]


def _decode(area_id: str, code: int, n: int, members: int, staff: int) -> CoverageGroup:
    """One packed group as a CoverageGroup whose counts are all `n` or 0."""
    party, mass = bool(code & _PARTY_BIT), bool(code & _MASS_BIT)
    new = party and bool(code & _NEW_BIT)
    form = _FORM_OF.get((code // _FORM_UNIT) % 4) if party else None
    counts = StatsRow(
        "", organizations=n, with_party_org=n * party, with_mass_org=n * mass,
        with_mass_org_among_without=n * (not party and mass),
        work_covered_among_without=n * (not party and (mass or bool(code & _GUIDED_BIT))),
        party_members=members, employees=staff, new_party_orgs_in_quarter=n * new,
        **{f: n * (form == f) for f in FORMS},
        **{f"new_{f}": n * (new and form == f) for f in FORMS})
    return CoverageGroup(area_id=area_id, kind="social_org" if code & _KIND_BIT else "enterprise",
                         industry=_INDUSTRY_AT.get(code // _INDUSTRY_UNIT),
                         is_new_business_form=bool(code & _NEW_FORM_BIT), counts=counts)


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
