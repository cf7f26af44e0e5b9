"""Payment runs (发放批次), their lines and line months, and the reads a run is computed from.

A run and all its lines are written in one transaction. Locked runs are guarded by
the triggers of schema_v1.sql: every write below that touches one is refused by the
database itself, whatever the caller checked before.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from desktop.db.audit import latest_hash
from desktop.db.connection import query, transaction
from desktop.db.records import new_id, now_utc
from desktop.db.users import signed_in_id
from desktop.domain.stipend import MonthLine
from desktop.errors import UserError

# The one read a run is computed from: live postings overlapping a period, with the
# officer, the organization's name and its township (a community counts as the
# township above it). Each posting's dates come cut to the period (ISO text compares
# as dates do), so officers posted alike share one key without parsing a date.
# The benchmark times this bare query as the run's baseline.
POSTINGS_SQL = (
    "select s.officer_id, max(s.start_on, :start), min(coalesce(s.end_on, :end), :end),"
    " g.name as organization,"
    " coalesce(t.name, '') as township, coalesce(t.sort_order, 0) as township_order,"
    " p.name, p.id_number, p.home_unit, p.bank_name, p.bank_account"
    " from posting s"
    " join liaison_officer p on p.id = s.officer_id and p.deleted_at is null"
    " join organization g on g.id = s.organization_id and g.deleted_at is null"
    " left join area a on a.id = g.area_id"
    " left join area t on t.id = case when a.kind = 'community' then a.parent_id else a.id end"
    " where s.deleted_at is null and s.start_on <= :end and (s.end_on is null or s.end_on >= :start)"
    " order by s.officer_id, s.start_on, s.id"
)


def postings_params(start: date, end: date) -> dict[str, str]:
    """POSTINGS_SQL's parameters for the period [start, end]."""
    return {"start": start.isoformat(), "end": end.isoformat()}


_LINE_COLUMNS = ("id", "run_id", "officer_id", "seq", "officer_name", "id_number", "home_unit",
                 "organizations", "township", "bank_name", "bank_account", "posted_days",
                 "grade", "amount_fen", "rule", "note", "months_json", "created_at", "updated_at")
# A line's months, in months_json: [month, posted_days, days_in_month, amount_fen, rule, note].


class OfficerPostings(NamedTuple):
    """A live officer with the postings that overlap a period, oldest first.

    A tuple, not a dataclass: a run reads one per officer (10,000 and more), and
    building them was a measurable part of it.
    """

    officer_id: str
    name: str
    id_number: str
    home_unit: str | None
    bank_name: str | None
    bank_account: str | None
    # (first, last) posted day of each posting within the period, ISO text, oldest first.
    spans: tuple[tuple[str, str], ...]
    organizations: tuple[str, ...]  # each organization once, in posting order
    township: str  # of the latest posting: where the officer is listed
    township_order: int


class LineData(NamedTuple):
    """One officer's line as computed, ready to store (or as read back, with `id`).

    A tuple for the same reason as OfficerPostings: one per officer in a run.
    """

    officer_id: str
    officer_name: str
    id_number: str
    home_unit: str | None
    organizations: str
    township: str
    bank_name: str | None
    bank_account: str | None
    posted_days: int
    grade: str | None
    amount_fen: int
    rule: str
    note: str
    months: tuple[MonthLine, ...] = ()
    seq: int = 0
    id: str | None = None


@dataclass(frozen=True)
class RunRecord:
    """A payment run's row (without its lines)."""

    id: str
    kind: str
    period: str
    period_start: str
    period_end: str
    policy_json: str
    status: str
    total_fen: int
    note: str | None
    created_by: str | None
    locked_at: str | None
    locked_by: str | None
    audit_hash: str | None
    created_at: str
    updated_at: str
    adjusts: int = 0  # 1: an adjustment run (a stipend run paying differences)
    line_count: int = 0


def fetch_officer_postings(conn: sqlite3.Connection, start: date,
                           end: date) -> list[OfficerPostings]:
    """Every live officer posted at least one day between `start` and `end`, with those
    postings cut to the period.

    One query; rows arrive grouped by officer, so grouping is a single pass.
    """
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a run reads 20,000 rows and more
    rows = cursor.execute(POSTINGS_SQL, postings_params(start, end)).fetchall()
    result: list[OfficerPostings] = []
    count = len(rows)
    index = 0
    while index < count:
        head = rows[index]
        officer_id = head[0]
        last = index + 1
        while last < count and rows[last][0] == officer_id:
            last += 1
        if last == index + 1:  # the usual case: one posting in the period
            spans: tuple[tuple[str, str], ...] = ((head[1], head[2]),)
            organizations: tuple[str, ...] = (head[3],)
            tail = head
        else:
            group = rows[index:last]
            spans = tuple((row[1], row[2]) for row in group)
            organizations = tuple(dict.fromkeys(row[3] for row in group))
            tail = group[-1]
        result.append(OfficerPostings(officer_id, head[6], head[7], head[8], head[9], head[10],
                                      spans, organizations, tail[4], tail[5]))
        index = last
    return result


# Officers (by id, live ones only) listed in a run without a posting in its period:
# each under the township of their latest posting to a live organization, if any,
# so the clerk finds them there. Ids come as one JSON array: no variable limit.
_UNPOSTED_SQL = (
    "select p.id, p.name, p.id_number, p.home_unit, p.bank_name, p.bank_account,"
    " coalesce(t.name, ''), coalesce(t.sort_order, 0)"
    " from json_each(?) w join liaison_officer p on p.id = w.value and p.deleted_at is null"
    " left join area a on a.id = (select g.area_id from posting s join organization g"
    "  on g.id = s.organization_id and g.deleted_at is null"
    "  where s.officer_id = p.id and s.deleted_at is null"
    "  order by s.start_on desc, s.id desc limit 1)"
    " left join area t on t.id = case when a.kind = 'community' then a.parent_id else a.id end"
)


def fetch_unposted_officers(conn: sqlite3.Connection,
                            officer_ids: Iterable[str]) -> list[OfficerPostings]:
    """The live officers among `officer_ids`, without spans: those a bonus run lists
    although they have no posted day in its year (POLICY.md §4: graded, so never
    left out)."""
    ids = json.dumps(list(officer_ids))
    return [OfficerPostings(*tuple(row)[:6], (), (), row[6], row[7])
            for row in query(conn, _UNPOSTED_SQL, (ids,))]


def grades_for_year(conn: sqlite3.Connection, year: int) -> dict[str, str]:
    """officer_id -> grade of every live assessment recorded for `year`."""
    rows = query(conn, "select officer_id, grade from assessment"
                       " where year = ? and deleted_at is null", (year,))
    return {r[0]: r[1] for r in rows}


# Who a paid line was paid to: the live officer it names, by their current ID number,
# or else the ID number on the line (an officer since deleted, perhaps entered again
# as a new record: the same person, paid once). Callers look a person up by the
# live officer's ID number.
_PAID_PERSON = ("coalesce((select o.id_number from liaison_officer o where o.id = l.officer_id"
                " and o.deleted_at is null), l.id_number)")


def paid_months(conn: sqlite3.Connection, start: date, end: date) -> dict[str, set[str]]:
    """Per person (_PAID_PERSON), the months ('2026-04') between `start` and `end`
    already paid (above 0) by a locked stipend run."""
    rows = query(conn, (
        f"select {_PAID_PERSON}, json_extract(m.value, '$[0]') from payment_run r"
        " join payment_line l on l.run_id = r.id"
        " join json_each(l.months_json) m"
        " where r.kind = 'stipend' and r.status = 'locked' and r.deleted_at is null"
        " and r.period_start <= ? and r.period_end >= ?"
        " and l.deleted_at is null and json_extract(m.value, '$[3]') > 0"
        " and json_extract(m.value, '$[0]') between ? and ?"),
        (end.isoformat(), start.isoformat(), start.isoformat()[:7], end.isoformat()[:7]))
    result: dict[str, set[str]] = {}
    for person, month in rows:
        result.setdefault(person, set()).add(month)
    return result


def paid_bonus_officers(conn: sqlite3.Connection, year: int) -> set[str]:
    """The people (_PAID_PERSON) already paid a bonus above 0 for `year` by a locked
    bonus run."""
    rows = query(conn, (
        f"select distinct {_PAID_PERSON} from payment_run r"
        " join payment_line l on l.run_id = r.id"
        " where r.kind = 'bonus' and r.status = 'locked' and r.deleted_at is null"
        " and r.period_start = ? and l.deleted_at is null and l.amount_fen > 0"),
        (f"{year:04d}-01-01",))
    return {r[0] for r in rows}


@dataclass
class PaidPerson:
    """What locked runs (adjustments included) paid one person in a period."""

    months: dict[str, int]  # '2026-04' (a bonus: '2026') -> fen paid in all (may be <= 0)
    latest: LineData  # the newest paid line: who they were on the sheet


def paid_amounts(conn: sqlite3.Connection, kind: str, start: date,
                 end: date) -> dict[str, PaidPerson]:
    """Per person (_PAID_PERSON), what locked runs of `kind` (adjustments included)
    paid between `start` and `end`: stipends per month ('2026-04'), bonuses per year
    ('2026')."""
    rows = query(conn, (
        f"select {_PAID_PERSON} as person, l.officer_id, l.officer_name, l.id_number, l.home_unit, coalesce(l.organizations, ''),"
        " coalesce(l.township, ''), l.bank_name, l.bank_account, l.months_json, l.amount_fen,"
        " l.grade from payment_run r join payment_line l on l.run_id = r.id"
        " and l.deleted_at is null"
        " where r.kind = ? and r.status = 'locked' and r.deleted_at is null"
        " and r.period_start <= ? and r.period_end >= ? order by r.locked_at, l.seq"),
        (kind, end.isoformat(), start.isoformat()))
    first, last = start.isoformat()[:7], end.isoformat()[:7]
    result: dict[str, PaidPerson] = {}
    for row in rows:
        line = LineData(*tuple(row)[1:9], posted_days=0, grade=row[11], amount_fen=0, rule="",
                        note="")
        person = result.setdefault(row[0], PaidPerson({}, line))
        person.latest = line
        if kind == "bonus":
            person.months[str(start.year)] = person.months.get(str(start.year), 0) + row[10]
            continue
        for month, _days, _of, amount, _rule, _note in json.loads(row[9]):
            if first <= month <= last:
                person.months[month] = person.months.get(month, 0) + amount
    return result


def months_paid_by_runs(conn: sqlite3.Connection, kind: str, start: date,
                        end: date) -> set[str]:
    """Months between `start` and `end` that a locked ordinary run of `kind` (not an
    adjustment) covers: what an adjustment may correct."""
    rows = query(conn, (
        "select period_start, period_end from payment_run where kind = ?"
        " and adjusts = 0 and status = 'locked' and deleted_at is null"
        " and period_start <= ? and period_end >= ?"),
        (kind, end.isoformat(), start.isoformat()))
    months: set[str] = set()
    for first, last in rows:
        year, month = int(first[:4]), int(first[5:7])
        while f"{year:04d}-{month:02d}" <= last[:7]:
            months.add(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def locked_since(conn: sqlite3.Connection, run_id: str) -> int:
    """How many locked runs of `run_id`'s kind overlapping its period were locked
    after it was last computed: an adjustment computed before them is stale."""
    return query(conn, (
        "select count(*) from payment_run r join payment_run r2 on r2.kind = r.kind"
        " and r2.status = 'locked' and r2.deleted_at is null and r2.id != r.id"
        " and r2.period_start <= r.period_end and r2.period_end >= r.period_start"
        " and r2.locked_at > r.updated_at where r.id = ?"), (run_id,))[0][0]


def operator(conn: sqlite3.Connection) -> str:
    """The person the connection's audit entries name (set when it was opened)."""
    return conn.execute("select app_operator()").fetchone()[0]


def creator_id(conn: sqlite3.Connection, run_id: str) -> str | None:
    """The id of the user who made a run (None: made before users, or by a script)."""
    row = conn.execute("select created_by_user_id from payment_run where id = ?",
                       (run_id,)).fetchone()
    return row[0] if row else None


def insert_run(conn: sqlite3.Connection, kind: str, period: str, start: date, end: date,
               policy_json: str, lines: Sequence[LineData], *, adjusts: bool = False) -> str:
    """Store a new draft run with its lines and months, all or nothing; returns its id."""
    run_id = new_id()
    stamp = now_utc()
    line_rows = _line_rows(run_id, lines, stamp)
    with transaction(conn):
        conn.execute(
            "insert into payment_run (id, kind, period, period_start, period_end, policy_json,"
            " status, total_fen, lines_sha256, created_by, created_at, updated_at, adjusts,"
            " created_by_user_id) values (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)",
            (run_id, kind, period, start.isoformat(), end.isoformat(), policy_json,
             _total(lines), lines_digest(line_rows), operator(conn), stamp, stamp, int(adjusts),
             signed_in_id(conn) or None))
        _write_lines(conn, line_rows)
    return run_id


def replace_lines(conn: sqlite3.Connection, run_id: str, policy_json: str,
                  lines: Sequence[LineData]) -> None:
    """Recompute a draft: drop its lines, store `lines` and the policy used, in one transaction."""
    stamp = now_utc()
    line_rows = _line_rows(run_id, lines, stamp)
    with transaction(conn):
        _delete_lines(conn, run_id)
        cursor = conn.execute(
            "update payment_run set policy_json = ?, total_fen = ?, lines_sha256 = ?,"
            " updated_at = ? where id = ? and deleted_at is null",
            (policy_json, _total(lines), lines_digest(line_rows), stamp, run_id))
        _require_one(cursor)
        _write_lines(conn, line_rows)


def delete_draft(conn: sqlite3.Connection, run_id: str) -> None:
    """Remove a draft's lines and months and tombstone the run (triggers refuse a locked one)."""
    stamp = now_utc()
    with transaction(conn):
        _delete_lines(conn, run_id)
        cursor = conn.execute(
            "update payment_run set deleted_at = ?, updated_at = ?"
            " where id = ? and deleted_at is null",
            (stamp, stamp, run_id))
        _require_one(cursor)


def lock(conn: sqlite3.Connection, run_id: str) -> None:
    """Make a run final: status locked, who and when, and the audit chain's latest hash."""
    stamp = now_utc()
    with transaction(conn):
        cursor = conn.execute(
            "update payment_run set status = 'locked', locked_at = ?, locked_by = ?,"
            " audit_hash = ?, updated_at = ? where id = ? and deleted_at is null",
            (stamp, operator(conn), latest_hash(conn), stamp, run_id))
        _require_one(cursor)


def double_paid_lines(conn: sqlite3.Connection, run_id: str) -> int:
    """How many lines of `run_id` pay something another locked run already paid.

    A stipend line clashes on a month paid above 0 elsewhere; a bonus line on its
    officer's bonus for the same year. Used to refuse locking a stale draft.
    """
    return query(conn, (
        "select count(distinct l.id) from payment_run r"
        " join payment_line l on l.run_id = r.id and l.deleted_at is null"
        " join payment_run r2 on r2.kind = r.kind and r2.status = 'locked'"
        "  and r2.deleted_at is null and r2.id != r.id"
        "  and r2.period_start <= r.period_end and r2.period_end >= r.period_start"
        " join payment_line l2 on l2.run_id = r2.id"
        "  and (l2.officer_id = l.officer_id or l2.id_number = l.id_number)"
        "  and l2.deleted_at is null"
        " where r.id = ? and ((r.kind = 'bonus' and l.amount_fen > 0 and l2.amount_fen > 0)"
        "  or (r.kind = 'stipend' and exists (select 1 from json_each(l.months_json) m"
        "   join json_each(l2.months_json) m2"
        "   on json_extract(m2.value, '$[0]') = json_extract(m.value, '$[0]')"
        "   where json_extract(m.value, '$[3]') > 0 and json_extract(m2.value, '$[3]') > 0)))"),
        (run_id,))[0][0]


# What each locked ordinary run paid, one row per person and month ('2026-04') or,
# for a bonus, year ('2026'). Adjustments are left out: they pay a difference on top
# of a month already paid, by design.
_PAID_ONCE_SQL = (
    f"select r.kind, json_extract(m.value, '$[0]'), {_PAID_PERSON}, r.id from payment_run r"
    " join payment_line l on l.run_id = r.id and l.deleted_at is null"
    " join json_each(l.months_json) m"
    " where r.kind = 'stipend' and r.adjusts = 0 and r.status = 'locked'"
    " and r.deleted_at is null and json_extract(m.value, '$[3]') > 0"
    f" union all select r.kind, substr(r.period_start, 1, 4), {_PAID_PERSON}, r.id"
    " from payment_run r join payment_line l on l.run_id = r.id and l.deleted_at is null"
    " where r.kind = 'bonus' and r.adjusts = 0 and r.status = 'locked'"
    " and r.deleted_at is null and l.amount_fen > 0")


def double_payments(conn: sqlite3.Connection) -> list[str]:
    """A Chinese line for each month (or bonus year) that two or more locked runs
    paid the same people: what `check` reports. Empty when nothing was paid twice."""
    rows = query(conn, (
        f"with paid(kind, at, person, run_id) as ({_PAID_ONCE_SQL})"
        " select kind, at, group_concat(run_id, ' ') from"
        " (select distinct kind, at, person, run_id from paid)"
        " group by kind, at, person having count(*) > 1"))
    people: dict[tuple[str, str, tuple[str, ...]], int] = {}
    for kind, at, runs in rows:
        key = (kind, at, tuple(sorted(runs.split())))
        people[key] = people.get(key, 0) + 1
    return [_double_payment_line(kind, at, runs, count)
            for (kind, at, runs), count in sorted(people.items(), key=lambda item: item[0])]


def _double_payment_line(kind: str, at: str, runs: tuple[str, ...], count: int) -> str:
    what = (f"{int(at[:4])}年{int(at[5:7])}月的工作补贴" if kind == "stipend"
            else f"{at}年度的绩效补贴")
    many = "两个" if len(runs) == 2 else f"{len(runs)}个"
    named = "、".join(runs[:-1]) + " 与 " + runs[-1]
    return f"{what}有 {count} 人被{many}已锁定批次重复发放（批次 {named}）"


def get_run(conn: sqlite3.Connection, run_id: str) -> RunRecord | None:
    """A live run's row with its line count, or None."""
    rows = query(conn, _RUN_SELECT + " where r.deleted_at is null and r.id = ?", (run_id,))
    return _run(rows[0]) if rows else None


def runs_with_id_prefix(conn: sqlite3.Connection, prefix: str, limit: int) -> list[RunRecord]:
    """Up to `limit` live runs whose id starts with `prefix` (compared exactly: no
    LIKE wildcards), newest period first."""
    rows = query(conn, _RUN_SELECT + " where r.deleted_at is null and substr(r.id, 1, ?) = ?"
                 " order by r.period_start desc, r.created_at desc limit ?",
                 (len(prefix), prefix, limit))
    return [_run(row) for row in rows]


def list_runs(conn: sqlite3.Connection, kind: str | None = None) -> list[RunRecord]:
    """Live runs, newest period first (then newest created)."""
    sql, params = _RUN_SELECT + " where r.deleted_at is null", []
    if kind:
        sql += " and r.kind = ?"
        params.append(kind)
    sql += " order by r.period_start desc, r.created_at desc"
    return [_run(row) for row in query(conn, sql, params)]


_RUN_SELECT = (
    "select r.id, r.kind, r.period, r.period_start, r.period_end, r.policy_json, r.status,"
    " r.total_fen, r.note, r.created_by, r.locked_at, r.locked_by, r.audit_hash, r.created_at,"
    " r.updated_at, r.adjusts, (select count(*) from payment_line l where l.run_id = r.id and l.deleted_at is null)"
    " from payment_run r")


def _run(row: sqlite3.Row) -> RunRecord:
    return RunRecord(*tuple(row))


def get_lines(conn: sqlite3.Connection, run_id: str) -> list[LineData]:
    """A run's lines in sheet order, each with its months in calendar order."""
    rows = query(conn, (
        "select officer_id, officer_name, id_number, home_unit, coalesce(organizations, ''),"
        " coalesce(township, ''), bank_name, bank_account, posted_days, grade, amount_fen,"
        " coalesce(rule, ''), coalesce(note, ''), seq, id, months_json from payment_line"
        " where run_id = ? and deleted_at is null order by seq"), (run_id,))
    return [LineData(*tuple(r)[:13], months=tuple(MonthLine(*m) for m in json.loads(r[15])),
                     seq=r[13], id=r[14])
            for r in rows]


def _total(lines: Iterable[LineData]) -> int:
    return sum(line.amount_fen for line in lines)


def _require_one(cursor: sqlite3.Cursor) -> None:
    if cursor.rowcount != 1:
        raise UserError("发放批次不存在或已被删除")


def _delete_lines(conn: sqlite3.Connection, run_id: str) -> None:
    conn.execute("delete from payment_line where run_id = ?", (run_id,))


def _line_rows(run_id: str, lines: Sequence[LineData], stamp: str) -> list[tuple]:
    """The payment_line rows of `lines` (months as JSON), new ids chosen."""
    ids = _uuid4_texts(len(lines))
    # Officers posted alike share one months tuple (the service computes each pattern
    # once): write its JSON once too. `lines` holds the tuples, so their ids stay put.
    months_json: dict[int, str] = {}
    for line in lines:
        if id(line.months) not in months_json:
            months_json[id(line.months)] = _months_json(line.months)
    return [(line_id, run_id, line.officer_id, seq, line.officer_name, line.id_number,
             line.home_unit, line.organizations, line.township, line.bank_name,
             line.bank_account, line.posted_days, line.grade, line.amount_fen, line.rule,
             line.note, months_json[id(line.months)], stamp, stamp)
            for seq, (line_id, line) in enumerate(zip(ids, lines), start=1)]


def _months_json(months: Sequence[MonthLine]) -> str:
    """A line's months as the JSON json.dumps(..., ensure_ascii=False) would give,
    built directly: one dumps() call per line cost a sixth of a 10,000-line run."""
    quote = _quote
    return "[" + ",".join(
        f"[{quote(m.month)},{int(m.posted_days)},{int(m.days_in_month)},{int(m.amount_fen)},"
        f"{quote(m.rule)},{quote(m.note)}]" for m in months) + "]"


_quote = json.encoder.encode_basestring  # a JSON string literal, non-ASCII kept as is


def _write_lines(conn: sqlite3.Connection, line_rows: list[tuple]) -> None:
    conn.executemany(_insert_sql("payment_line", _LINE_COLUMNS), line_rows)


def lines_digest(line_rows: Sequence[Sequence]) -> str:
    """SHA-256 of a run's lines (months included), rows in _LINE_COLUMNS order by
    seq, as _line_rows and stored_lines_digest give them. Sealed on the run,
    recomputed by check."""
    # One dumps of the list: the C encoder on 10,000 rows, not 10,000 Python calls.
    text = json.dumps(line_rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def stored_lines_digest(conn: sqlite3.Connection, run_id: str) -> str:
    """lines_digest of the lines the database holds for `run_id` now."""
    lines = conn.execute(f"select {', '.join(_LINE_COLUMNS)} from payment_line"
                         " where run_id = ? order by seq", (run_id,)).fetchall()
    return lines_digest([tuple(r) for r in lines])


def sealed_runs(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(id, period, lines_sha256) of every live run whose lines carry a seal."""
    return [tuple(r) for r in conn.execute(
        "select id, period, lines_sha256 from payment_run"
        " where deleted_at is null and lines_sha256 is not null")]


def _uuid4_texts(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as text, from one urandom call: a run stores
    tens of thousands of rows and uuid.uuid4() per row costs more than the insert."""
    raw = bytearray(os.urandom(16 * count))
    result = []
    for k in range(0, 16 * count, 16):
        raw[k + 6] = (raw[k + 6] & 0x0F) | 0x40  # version 4
        raw[k + 8] = (raw[k + 8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw[k:k + 16].hex()
        result.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return result


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"insert into {table} ({', '.join(columns)})"
            f" values ({', '.join('?' for _ in columns)})")
