"""Coverage statistics (两个覆盖, POLICY.md §6): rows, rates, totals, changes, summary.

The database hands back counts per small group (area × kind × industry ×
new-business-form); everything here is pure arithmetic on those counts. Rates
are exact integer fractions rounded half-up to one decimal, "—" when the
denominator is zero, so 144 of 439 prints 32.8% on every machine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from decimal import Decimal

from desktop.domain.money import format_fen
from desktop.domain.registry import INDUSTRIES, Area

NO_RATE = "—"
MINUS = "−"  # U+2212: a printed minus, wider and clearer than a hyphen
TOTAL_LABEL = "合计"
TOWNSHIP_KINDS = ("township", "street", "zone")
FORMS = ("standalone", "joint", "regional")
JSON_KEYS = ("township", "organizations", "with_party_org", "org_coverage_rate",
             "without_party_org", "with_mass_org_among_without", "mass_org_coverage_rate",
             "work_coverage_rate", "party_members", "new_party_orgs_in_quarter")


def rate_tenths(numerator: int, denominator: int) -> int | None:
    """numerator/denominator in tenths of a percent, half-up; None for a zero denominator."""
    if denominator == 0:
        return None
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    return (numerator * 2000 + denominator) // (2 * denominator)


def _tenths_text(tenths: int) -> str:
    sign = MINUS if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}"


def format_rate(numerator: int, denominator: int) -> str:
    """A coverage rate as printed: '32.8%' (half-up, one decimal), '—' for 0 of 0."""
    tenths = rate_tenths(numerator, denominator)
    return NO_RATE if tenths is None else f"{_tenths_text(tenths)}%"


def format_change(current: int, previous: int) -> str:
    """Change of a count against the previous quarter: '+3', '−2' or '0'."""
    diff = current - previous
    if diff > 0:
        return f"+{diff}"
    return f"{MINUS}{-diff}" if diff < 0 else "0"


def format_rate_change(current: tuple[int, int], previous: tuple[int, int]) -> str:
    """Change of a printed rate in percentage points ('+1.3', '−0.4', '0.0');
    '—' when either quarter has no denominator. Works on the printed (rounded)
    rates so the column agrees with the two rates a reader sees."""
    now, before = rate_tenths(*current), rate_tenths(*previous)
    if now is None or before is None:
        return NO_RATE
    diff = now - before
    return ("+" if diff > 0 else "") + _tenths_text(diff)


@dataclass(frozen=True)
class StatsRow:
    """Coverage counts of one group (a township, an industry, a kind, or the total).

    `name` is the row label; in JSON it is the "township" key (CLI.md).
    """

    name: str
    organizations: int = 0
    with_party_org: int = 0
    with_mass_org: int = 0
    with_mass_org_among_without: int = 0
    work_covered_among_without: int = 0
    party_members: int = 0
    employees: int = 0
    new_party_orgs_in_quarter: int = 0
    standalone: int = 0
    joint: int = 0
    regional: int = 0
    new_standalone: int = 0
    new_joint: int = 0
    new_regional: int = 0

    @property
    def without_party_org(self) -> int:
        """Active organizations with no Party organization on the date."""
        return self.organizations - self.with_party_org

    @property
    def org_coverage_rate(self) -> str:
        """组织覆盖率: with a Party organization ÷ all."""
        return format_rate(self.with_party_org, self.organizations)

    @property
    def mass_org_coverage_rate(self) -> str:
        """Among those without a Party organization, the share with a mass organization."""
        return format_rate(self.with_mass_org_among_without, self.without_party_org)

    @property
    def work_coverage_rate(self) -> str:
        """Among those without a Party organization, the share guided or with a mass organization."""
        return format_rate(self.work_covered_among_without, self.without_party_org)

    def renamed(self, name: str) -> StatsRow:
        """The same counts under another label."""
        return dataclasses.replace(self, name=name)

    def to_json(self) -> dict:
        """The row in the `stats --json` shape of CLI.md, keys in its order."""
        return {key: self.name if key == "township" else getattr(self, key) for key in JSON_KEYS}


COUNT_FIELDS = tuple(f.name for f in dataclasses.fields(StatsRow) if f.name != "name")


def add_rows(name: str, rows: Iterable[StatsRow]) -> StatsRow:
    """The field-wise sum of `rows`, labelled `name` (the total row is '合计')."""
    sums = dict.fromkeys(COUNT_FIELDS, 0)
    for row in rows:
        for key in COUNT_FIELDS:
            sums[key] += getattr(row, key)
    return StatsRow(name, **sums)


def totals(rows: Iterable[StatsRow]) -> StatsRow:
    """The 合计 row of a table."""
    return add_rows(TOTAL_LABEL, rows)


# An organization's facts on the date, packed into one integer `code` so the
# database groups on (area, code) only; bit layout shared with desktop/db/stats.py.
KIND_BIT, NEW_FORM_BIT, PARTY_BIT, NEW_BIT, MASS_BIT, GUIDED_BIT = 1, 2, 4, 8, 16, 32
FORM_UNIT, INDUSTRY_UNIT = 64, 256
FORM_CODES = {form: k + 1 for k, form in enumerate(FORMS)}
INDUSTRY_CODES = {name: k + 1 for k, name in enumerate(INDUSTRIES)}
_FORM_OF = {k: form for form, k in FORM_CODES.items()}
_INDUSTRY_OF = {k: name for name, k in INDUSTRY_CODES.items()}
_FLAG_MASK = INDUSTRY_UNIT - 1 - KIND_BIT - NEW_FORM_BIT  # bits that count, not classify


class CoverageGroup(NamedTuple):
    """The organizations of one area sharing one packed code: how many, and their
    Party members and employees. A NamedTuple: a county yields thousands of them."""

    area_id: str
    code: int
    organizations: int
    party_members: int
    employees: int

    @property
    def kind(self) -> str:
        """'enterprise' or 'social_org'."""
        return "social_org" if self.code & KIND_BIT else "enterprise"

    @property
    def industry(self) -> str | None:
        """The industry code, or None when unknown."""
        return _INDUSTRY_OF.get(self.code // INDUSTRY_UNIT)

    @property
    def is_new_business_form(self) -> bool:
        """Whether the organizations are new-business-form platforms (新业态)."""
        return bool(self.code & NEW_FORM_BIT)


def rollup(groups: Iterable[CoverageGroup], key: Callable[[CoverageGroup], str | None],
           order: Sequence[str]) -> list[StatsRow]:
    """Rows for every label in `order` (zero rows included), then any other labels
    the groups produced, summing the groups `key` maps to each label; a None key drops
    the group. Sums per (label, flags) first, so the work per group is three additions."""
    buckets: dict[str, dict[int, list[int]]] = {label: {} for label in order}
    for group in groups:
        label = key(group)
        if label is None:
            continue
        sums = buckets.setdefault(label, {}).setdefault(group.code & _FLAG_MASK, [0, 0, 0])
        sums[0] += group.organizations
        sums[1] += group.party_members
        sums[2] += group.employees
    return [add_rows(label, (_flag_row(flags, *sums) for flags, sums in by_flags.items()))
            for label, by_flags in buckets.items()]


def _flag_row(flags: int, n: int, members: int, staff: int) -> StatsRow:
    """The counts of `n` organizations that share the flag bits `flags`."""
    party, mass = bool(flags & PARTY_BIT), bool(flags & MASS_BIT)
    new = party and bool(flags & NEW_BIT)
    form = _FORM_OF.get((flags // FORM_UNIT) % 4) if party else None
    return StatsRow(
        "", organizations=n, with_party_org=n * party, with_mass_org=n * mass,
        with_mass_org_among_without=n * (not party and mass),
        work_covered_among_without=n * (not party and (mass or bool(flags & GUIDED_BIT))),
        party_members=members, employees=staff, new_party_orgs_in_quarter=n * new,
        **{f: n * (form == f) for f in FORMS},
        **{f"new_{f}": n * (new and form == f) for f in FORMS})


def township_names(areas: Sequence[Area]) -> dict[str, str]:
    """area id -> the township/street/zone it belongs to (a community maps to its
    parent); areas outside any township (the county itself) keep their own name."""
    by_id = {a.id: a for a in areas if a.id}
    result: dict[str, str] = {}
    for area in by_id.values():
        current, seen = area, set()
        while current.kind not in TOWNSHIP_KINDS and current.parent_id in by_id \
                and current.id not in seen:
            seen.add(current.id)
            parent = by_id[current.parent_id]
            if parent.kind == "county":
                break
            current = parent
        result[area.id] = current.name
    return result


@dataclass(frozen=True)
class PeopleCounts:
    """Instructors and liaison officers on the date."""

    instructors: int = 0
    instructors_guiding: int = 0
    organizations_guided: int = 0
    officers_posted: int = 0
    organizations_with_officer: int = 0


@dataclass(frozen=True)
class PaymentSums:
    """Money paid by locked payment runs whose period ends in the quarter, in fen."""

    stipend_fen: int = 0
    stipend_runs: int = 0
    bonus_fen: int = 0
    bonus_runs: int = 0


@dataclass(frozen=True)
class CoverageStats:
    """Everything the statistics screen, `stats` and the quarterly report show."""

    as_of: date
    quarter_label: str
    townships: tuple[StatsRow, ...]
    total: StatsRow
    industries: tuple[StatsRow, ...]
    new_business_form: tuple[StatsRow, ...]
    new_business_form_total: StatsRow
    kinds: Mapping[str, StatsRow]
    people: PeopleCounts
    payments: PaymentSums


def summary_text(place: str, stats: CoverageStats, previous: CoverageStats | None = None) -> str:
    """The report's summary paragraph in the register of the source bulletin
    ("目前，全县439家非公企业中，成立党组织144家，……")."""
    parts = [_kind_sentence(stats.kinds.get("enterprise"), "非公企业"),
             _kind_sentence(stats.kinds.get("social_org"), "社会组织")]
    text = f"目前，{place}" + ("；".join(p for p in parts if p) or "尚无登记在册的两新组织")
    text += "。" + _change_sentence(stats, previous) + _new_sentence(stats.total)
    return text + _people_sentence(place, stats.people) + _money_sentence(stats.payments)


def _kind_sentence(row: StatsRow | None, noun: str) -> str:
    if row is None or row.organizations == 0:
        return ""
    return (f"{row.organizations}家{noun}中，成立党组织{row.with_party_org}家，"
            f"群团组织{row.with_mass_org}家，党组织覆盖率{row.org_coverage_rate}，"
            f"未成立党组织的{noun}群团组织覆盖率{row.mass_org_coverage_rate}，"
            f"工作覆盖率{row.work_coverage_rate}")


def _change_sentence(stats: CoverageStats, previous: CoverageStats | None) -> str:
    if previous is None:
        return ""
    now, before = stats.total, previous.total
    points = format_rate_change((now.with_party_org, now.organizations),
                                (before.with_party_org, before.organizations))
    orgs = _more_or_less(now.organizations - before.organizations, "家", "增加", "减少")
    party = _more_or_less(now.with_party_org - before.with_party_org, "家", "增加", "减少")
    if points == NO_RATE:
        rate = ""
    elif points.startswith("+"):
        rate = f"，党组织覆盖率提高{points[1:]}个百分点"
    elif points.startswith(MINUS):
        rate = f"，党组织覆盖率下降{points[1:]}个百分点"
    else:
        rate = "，党组织覆盖率持平"
    return f"与上季度相比，组织数{orgs}，已建党组织{party}{rate}。"


def _more_or_less(diff: int, unit: str, up: str, down: str) -> str:
    if diff == 0:
        return "持平"
    return f"{up if diff > 0 else down}{abs(diff)}{unit}"


def _new_sentence(total: StatsRow) -> str:
    if total.new_party_orgs_in_quarter == 0:
        return "本季度未新建党组织。"
    forms = [(total.new_standalone, "单独组建"), (total.new_joint, "联合组建"),
             (total.new_regional, "区域联建")]
    detail = "、".join(f"{label}{n}个" for n, label in forms if n)
    return f"本季度新建党组织{total.new_party_orgs_in_quarter}个，其中{detail}。"


def _people_sentence(place: str, people: PeopleCounts) -> str:
    return (f"{place}共有党建工作指导员{people.instructors}名，"
            f"挂钩指导组织{people.organizations_guided}家；"
            f"派驻联络员{people.officers_posted}名，联系企业{people.organizations_with_officer}家。")


def _money_sentence(payments: PaymentSums) -> str:
    if not (payments.stipend_runs or payments.bonus_runs):
        return ""
    return (f"本季度已发放联络员工作补贴{format_fen(payments.stipend_fen)}元、"
            f"绩效补贴{format_fen(payments.bonus_fen)}元。")


Cell = int | str | Decimal


@dataclass(frozen=True)
class ReportTable:
    """One printed table: caption, column headers, body rows and an optional total
    row. Counts stay ints and money Decimal yuan so a workbook keeps them numeric."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    widths: tuple[float, ...] = ()  # relative column widths; empty = even
    # An optional row above the header: (label, number of columns) spans covering
    # every column after the first; the first column's header then spans both rows.
    groups: tuple[tuple[str, int], ...] = ()
    # Per column "LEFT" / "CENTER" / "RIGHT"; empty: the label left, figures right.
    align: tuple[str, ...] = ()
    # Body rows (0-based) printed bold: what the reader must not miss.
    marked_rows: tuple[int, ...] = ()

    def column_align(self, column: int) -> str:
        """How column `column` of the body is aligned."""
        if self.align:
            return self.align[column]
        return "LEFT" if column == 0 else "RIGHT"

    def group_starts(self) -> list[tuple[str, int, int]]:
        """(label, first column, last column) of each header group."""
        spans, col = [], 1
        for label, width in self.groups:
            spans.append((label, col, col + width - 1))
            col += width
        return spans


@dataclass(frozen=True)
class Bar:
    """One bar of the coverage chart: label, rate in tenths of a percent (None = no
    organizations) and the printed rate."""

    label: str
    tenths: int | None
    text: str


@dataclass(frozen=True)
class QuarterlyReport:
    """Everything the quarterly report prints, as plain data for the PDF and workbook."""

    title: str
    compiling_unit: str
    compiled_on: date
    as_of: date
    summary: str
    tables: tuple[ReportTable, ...]
    coverage_bars: tuple[Bar, ...]
    average: Bar
    forms: tuple[tuple[str, int], ...]


def coverage_bars(rows: Sequence[StatsRow]) -> tuple[Bar, ...]:
    """Chart bars of org coverage, one per row."""
    return tuple(Bar(r.name, rate_tenths(r.with_party_org, r.organizations), r.org_coverage_rate)
                 for r in rows)
