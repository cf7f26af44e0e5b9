"""The rules of the data exchange between townships and the county (EXCHANGE.md).

Who owns which table, how a row's content is compared across installations, which
natural keys make two ids one record, and the three-way classification of a row
in a package. Pure: no I/O; the merge engine (desktop/domain/merge.py) and the
database layer read these tables.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

FORMAT = "liangxin-exchange"
FORMAT_VERSION = 1
COUNTY, TOWNSHIP = "county", "township"
LEVEL_LABELS = {COUNTY: "县委组织部", TOWNSHIP: "乡镇（街道、园区）"}
READ_ONLY_AT_TOWNSHIP = "该数据由县委组织部维护，请联系县里修改"
# Timestamps and the tombstone's date are not content: two offices that entered
# the same facts at different times hold the same record.
NOT_CONTENT = ("id", "created_at", "updated_at", "deleted_at")


@dataclass(frozen=True)
class TableRule:
    """How one table travels.

    `refs`: column → table it points to (ids translated on arrival).
    `keys`: natural keys tried in order after the id; a key names columns, and
    "@township" stands for the township the row's area lies in.
    `area_via`: how to find the area that decides a township's ownership: a
    column of the row holding an area id, or "ref:<column>" to follow a reference.
    """

    table: str
    owner: str
    refs: Mapping[str, str]
    keys: tuple[tuple[str, ...], ...]
    area_via: str = ""


RULES: tuple[TableRule, ...] = (
    TableRule("area", COUNTY, {"parent_id": "area"}, (("parent_id", "name"),)),
    TableRule("subsidy_policy", COUNTY, {}, (("year",),)),
    TableRule("guidance_station", TOWNSHIP, {"area_id": "area"}, (("name",),), "area_id"),
    TableRule("organization", TOWNSHIP, {"area_id": "area"},
              (("uscc",), ("name", "@township")), "area_id"),
    TableRule("instructor", TOWNSHIP, {"guidance_station_id": "guidance_station", "area_id": "area"},
              (("id_number",),), "area_id"),
    TableRule("liaison_officer", COUNTY, {}, (("id_number",),)),
    TableRule("instructor_assignment", TOWNSHIP,
              {"instructor_id": "instructor", "organization_id": "organization"},
              (("instructor_id", "organization_id", "start_on"),), "ref:organization_id"),
    TableRule("posting", COUNTY, {"officer_id": "liaison_officer", "organization_id": "organization"},
              (("officer_id", "organization_id", "start_on"),)),
    TableRule("assessment", COUNTY, {"officer_id": "liaison_officer"}, (("officer_id", "year"),)),
)
# Visits and problems (PROBLEMS.md): a township's, placed by their organization.
# A step's seq is unique per problem, so two offices' step n of one problem are one record.
RULES += (
    TableRule("visit", TOWNSHIP, {"organization_id": "organization", "instructor_id": "instructor",
                                  "officer_id": "liaison_officer"}, (), "ref:organization_id"),
    TableRule("problem", TOWNSHIP, {"organization_id": "organization", "visit_id": "visit"}, (),
              "ref:organization_id"),
    TableRule("problem_step", TOWNSHIP, {"problem_id": "problem", "organization_id": "organization"},
              (("problem_id", "seq"),), "ref:organization_id"),
)
RULE_BY_TABLE = {rule.table: rule for rule in RULES}
TABLE_LABELS = {
    "area": "区划", "subsidy_policy": "补贴标准", "guidance_station": "指导站",
    "organization": "组织", "instructor": "指导员", "liaison_officer": "联络员",
    "instructor_assignment": "指导员挂钩", "posting": "联络员派驻", "assessment": "考核等次",
    "visit": "走访记录", "problem": "问题", "problem_step": "问题办理步骤",
}


def owner_of(table: str) -> str:
    """The level whose packages change `table` elsewhere."""
    return RULE_BY_TABLE[table].owner


def sent_by(level: str) -> tuple[TableRule, ...]:
    """The tables an installation of `level` puts in its package, in merge order.
    A township also sends its area rows, so the county can place its records."""
    return tuple(r for r in RULES if r.owner == level or (level == TOWNSHIP and r.table == "area"))


def may_edit(level: str, table: str) -> bool:
    """Whether an installation of `level` may change rows of `table` itself.
    The county may correct a township's rows locally (EXCHANGE.md)."""
    return level == COUNTY or table not in RULE_BY_TABLE or owner_of(table) == TOWNSHIP


def content(row: Mapping[str, Any]) -> dict[str, Any]:
    """The fields two installations compare, with the tombstone as a flag."""
    fields = {k: v for k, v in row.items() if k not in NOT_CONTENT}
    fields["deleted"] = row.get("deleted_at") is not None
    return fields


def content_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 of a row's content, stable across key order and installations:
    the sorted field names and their values, as JSON, with the tombstone as a flag."""
    names = _content_names(tuple(row))
    text = json.dumps([names, [row[k] for k in names], row.get("deleted_at") is not None],
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=256)
def _content_names(names: tuple[str, ...]) -> tuple[str, ...]:
    # Rows of one table share their keys: sort them once, not once per row.
    return tuple(sorted(k for k in names if k not in NOT_CONTENT))


@functools.lru_cache(maxsize=256)
def _sorted_names(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(names))


def table_digest(rows: Iterable[Mapping[str, Any]]) -> str:
    """A package table's checksum over every column of every row, in any row
    order, so a changed byte anywhere in a package is caught: the sum of the
    rows' SHA-256 modulo 2**256, taken one row at a time (a sorted list of the
    rows' texts cost 130 MB for a package of 100,000 organizations)."""
    total = 0
    for r in rows:
        names = _sorted_names(tuple(r))
        text = json.dumps([names, [r[k] for k in names]], ensure_ascii=False)
        total += int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    return f"{total % 2 ** 256:064x}"


# ---------------------------------------------------------------- classification

NEW, SAME, UPDATED, KEPT, CONFLICT, DELETED, SKIP = (
    "new", "same", "updated", "kept", "conflict", "deleted", "skip")


def classify(theirs: str, ours: str | None, base: str | None, *, theirs_deleted: bool,
             ours_editable: bool = True) -> str:
    """The outcome for one row, from content hashes (EXCHANGE.md, Merging).

    `ours` None: we have no such record. `ours_editable` False: the receiver could
    not have changed its copy (county data at a township), so theirs always wins.
    """
    if ours is None:
        return SKIP if theirs_deleted else NEW
    if theirs == ours:
        return SAME
    if not ours_editable or base == ours:
        return DELETED if theirs_deleted else UPDATED
    if base == theirs:
        return KEPT
    return CONFLICT


def package_name(county: str, installation: str, day: str, sequence: int) -> str:
    """`<县>-<installation>-<YYYYMMDD>-<seq>.lxpkg` (day is YYYY-MM-DD)."""
    return f"{county}-{installation}-{day.replace('-', '')}-{sequence}.lxpkg"


# ---------------------------------------------------------------- the area tree
# Areas as rows by id ({"name", "kind", "parent_id", "deleted_at"}): both the
# merge planner (with areas new in the package) and the export walk them.

def township_of(areas: Mapping[str, Mapping[str, Any]], area_id: str | None) -> str | None:
    """The name of the township-level area `area_id` lies in (itself if it is one)."""
    seen: set[str] = set()
    while area_id and area_id in areas and area_id not in seen:
        seen.add(area_id)
        area = areas[area_id]
        if area.get("kind") not in ("community", "county"):
            return area["name"]
        area_id = area.get("parent_id")
    return None


def township_subtree(areas: Mapping[str, Mapping[str, Any]], township: str) -> set[str]:
    """The ids of the live township-level area named `township` and of every area below it."""
    found = {i for i, a in areas.items() if a["name"] == township and a.get("deleted_at") is None
             and a.get("kind") not in ("county", "community")}
    grew = bool(found)
    while grew:
        grew = False
        for area_id, area in areas.items():
            if area_id not in found and area.get("parent_id") in found:
                found.add(area_id)
                grew = True
    return found
