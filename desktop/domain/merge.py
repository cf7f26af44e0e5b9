"""Planning the merge of one exchange package (EXCHANGE.md, "Merging a package").

The planner walks the package's tables in merge order and decides, row by row,
what happens: new, same, updated, kept, conflict, deleted, linked (same record,
two ids) or ignored. It reads our side through a `LocalView` and writes
nothing; the database layer applies the plan in one transaction. Every row of
theirs is translated into our ids before it is compared, so a content hash
means the same thing on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol

from desktop.domain import exchange as rules
from desktop.domain.exchange import COUNTY, TOWNSHIP, TableRule

Row = dict[str, Any]


class LocalView(Protocol):
    """What the planner needs to know about our database."""

    level: str
    township: str  # our township's name, at a township installation

    def columns(self, table: str) -> tuple[str, ...]: ...
    def row(self, table: str, row_id: str) -> Row | None: ...
    def alias(self, table: str, alias_id: str) -> str | None: ...
    def base(self, table: str, row_id: str) -> str | None: ...
    def by_key(self, table: str, key: tuple[str, ...], values: tuple) -> list[Row]: ...
    def areas(self) -> dict[str, Row]: ...
    def referenced_by_own(self, table: str, row_id: str) -> bool: ...


@dataclass(frozen=True)
class Sender:
    id: str
    name: str
    level: str
    township: str  # "" for a county
    sequence: int


@dataclass
class Action:
    """One row's outcome. `theirs` is in our ids; `local_id` is the row it lands on."""

    table: str
    outcome: str
    local_id: str
    theirs: Row
    theirs_hash: str
    ours: Row | None = None
    link_from: str | None = None  # their id, when it becomes an alias of ours
    reason: str = ""
    choice: str = ""  # for a conflict: "ours" or "theirs", once the clerk decides

    @property
    def key_text(self) -> str:
        return describe(self.table, self.ours or self.theirs)

    def differences(self) -> dict[str, list]:
        """Field → [ours, theirs] for every content field that differs."""
        ours = rules.content(self.ours or {})
        theirs = rules.content(self.theirs)
        return {name: [ours.get(name), theirs.get(name)]
                for name in sorted(set(ours) | set(theirs)) if ours.get(name) != theirs.get(name)}


@dataclass
class Plan:
    sender: Sender
    actions: list[Action] = field(default_factory=list)
    ignored: int = 0
    ignored_reasons: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return sum(1 for a in self.actions if a.outcome == outcome)

    @property
    def conflicts(self) -> list[Action]:
        return [a for a in self.actions if a.outcome == rules.CONFLICT]

    @property
    def linked(self) -> int:
        return sum(1 for a in self.actions if a.link_from and a.outcome != rules.CONFLICT)

    def counts(self) -> dict[str, int]:
        linked = self.linked
        same = sum(1 for a in self.actions if a.outcome == rules.SAME and not a.link_from)
        updated = sum(1 for a in self.actions if a.outcome == rules.UPDATED and not a.link_from)
        return {"new": self.count(rules.NEW), "updated": updated, "kept": self.count(rules.KEPT),
                "deleted": self.count(rules.DELETED), "linked": linked, "unchanged": same,
                "ignored": self.ignored, "conflicts": len(self.conflicts)}

    def ignore(self, reason: str) -> None:
        self.ignored += 1
        self.ignored_reasons[reason] = self.ignored_reasons.get(reason, 0) + 1


def describe(table: str, row: Row) -> str:
    """A row as the clerk knows it: name and code where it has them."""
    name = row.get("name") or ""
    code = row.get("uscc") or row.get("id_number") or ""
    if table == "subsidy_policy":
        return f"{row.get('year')} 年度补贴标准"
    if table == "assessment":
        return f"{row.get('year')} 年度考核"
    if table in ("posting", "instructor_assignment"):
        return f"{row.get('start_on') or ''} 起"
    return f"{name}（{code}）" if code else str(name)


class Planner:
    """Decides every row of one package against a LocalView."""

    def __init__(self, local: LocalView, sender: Sender, aliases: Iterable[tuple[str, str, str]]):
        self.local, self.sender = local, sender
        self.plan = Plan(sender)
        self.idmap: dict[tuple[str, str], str] = {}
        self.claimed: dict[str, set[str]] = {}
        self.new_areas: dict[str, Row] = {}
        self.their_aliases: dict[tuple[str, str], set[str]] = {}
        for table, alias_id, target_id in aliases:
            self.their_aliases.setdefault((table, alias_id), set()).add(target_id)
            self.their_aliases.setdefault((table, target_id), set()).add(alias_id)
        self.sender_area_ids: set[str] = set()
        self.concerned_officers: set[str] = set()

    # -- public

    def run(self, tables: dict[str, list[Row]]) -> Plan:
        for rule in rules.RULES:
            rows = tables.get(rule.table)
            if not rows:
                continue
            if rule.table == "area":
                rows = _parents_first(rows)
            elif rule.table == "liaison_officer" and self.local.level == TOWNSHIP:
                self._find_concerned_officers(tables.get("posting") or [])
            their_ids = {r["id"] for r in rows}
            for k, row in enumerate(rows):
                self._row(rule, row, their_ids)
                rows[k] = None  # the plan holds its own copy: one copy of a big package, not two
            if rule.table == "area" and self.sender.level == TOWNSHIP:
                self.sender_area_ids = rules.township_subtree(self._all_areas(),
                                                              self.sender.township)
        return self.plan

    # -- one row

    def _row(self, rule: TableRule, row: Row, their_ids: set[str]) -> None:
        theirs = self._translate(rule, row)
        if theirs is None:
            self.plan.ignore("引用的记录本机没有")
            return
        reason = self._not_accepted(rule, theirs)
        if reason:
            self.plan.ignore(reason)
            return
        ours, link_from = self._find(rule, row["id"], theirs, their_ids)
        local_id = ours["id"] if ours else row["id"]
        self.idmap[(rule.table, row["id"])] = local_id
        self.claimed.setdefault(rule.table, set()).add(local_id)
        theirs["id"] = local_id
        theirs_hash = rules.content_hash(self._comparable(rule.table, theirs))
        if rule.table == "area" and self.sender.level == TOWNSHIP:
            self._reference_area(theirs, ours, theirs_hash, link_from)
            return
        outcome = rules.classify(
            theirs_hash,
            rules.content_hash(self._comparable(rule.table, ours)) if ours else None,
            self.local.base(rule.table, local_id),
            theirs_deleted=theirs.get("deleted_at") is not None,
            ours_editable=rules.may_edit(self.local.level, rule.table))
        action = Action(rule.table, outcome, local_id, theirs, theirs_hash, ours, link_from)
        if outcome == rules.DELETED and self.local.referenced_by_own(rule.table, local_id):
            action.outcome, action.reason = rules.CONFLICT, "本机的记录仍引用它"
        if outcome == rules.SKIP:
            return
        if outcome == rules.NEW and rule.table == "area":
            self.new_areas[local_id] = theirs
        self.plan.actions.append(action)

    def _reference_area(self, theirs: Row, ours: Row | None, theirs_hash: str,
                        link_from: str | None) -> None:
        """A township's area rows only place its records: matched, or created
        when the county has no such area yet; never a change to the county's tree."""
        if ours is None:
            if theirs.get("deleted_at") is None:
                self.new_areas[theirs["id"]] = theirs
                self.plan.actions.append(Action("area", rules.NEW, theirs["id"], theirs, theirs_hash))
            return
        self.plan.actions.append(Action("area", rules.SAME, ours["id"], theirs, theirs_hash, ours,
                                        link_from))

    def _comparable(self, table: str, row: Row) -> Row:
        columns = self.local.columns(table)
        return {name: row.get(name) for name in columns}

    # -- translation and lookup

    def _translate(self, rule: TableRule, row: Row) -> Row | None:
        theirs = {name: row.get(name) for name in self.local.columns(rule.table)}
        for column, target in rule.refs.items():
            value = row.get(column)
            if value is None:
                continue
            mapped = self._resolve(target, value)
            if mapped is None:
                return None
            theirs[column] = mapped
        return theirs

    def _resolve(self, table: str, their_id: str) -> str | None:
        mapped = self.idmap.get((table, their_id))
        if mapped:
            return mapped
        for candidate in (their_id, *self.their_aliases.get((table, their_id), ())):
            if self._local_row(table, candidate) is not None:
                return candidate
            target = self.local.alias(table, candidate)
            if target:
                return target
        return None

    def _local_row(self, table: str, row_id: str) -> Row | None:
        if table == "area" and row_id in self.new_areas:
            return self.new_areas[row_id]
        return self.local.row(table, row_id)

    def _find(self, rule: TableRule, their_id: str, theirs: Row,
              their_ids: set[str]) -> tuple[Row | None, str | None]:
        """Our row for theirs: by id, through an alias, or by natural key (then
        their id becomes an alias of ours)."""
        for candidate in (their_id, self.local.alias(rule.table, their_id)):
            if candidate:
                found = self.local.row(rule.table, candidate)
                if found is not None:
                    return found, None
        if theirs.get("deleted_at") is not None:
            return None, None
        for key in rule.keys:
            values = self._key_values(key, theirs)
            if values is None:
                continue
            taken = self.claimed.get(rule.table, set())
            for found in self.local.by_key(rule.table, key, values):
                if found["id"] not in their_ids and found["id"] not in taken:
                    return found, their_id
        return None, None

    def _key_values(self, key: tuple[str, ...], row: Row) -> tuple | None:
        values = []
        for column in key:
            value = self.township_of(row.get("area_id")) if column == "@township" else row.get(column)
            if value is None and column != "parent_id":
                return None
            values.append(value)
        return tuple(values)

    # -- areas and ownership

    def _all_areas(self) -> dict[str, Row]:
        areas = dict(self.local.areas())
        areas.update(self.new_areas)
        return areas

    def township_of(self, area_id: str | None) -> str | None:
        return rules.township_of(self._all_areas(), area_id)

    def _not_accepted(self, rule: TableRule, theirs: Row) -> str:
        """Why a row of theirs does not belong in our database, or ""."""
        if rule.table == "area" and self.sender.level == TOWNSHIP:
            return ""
        if rule.owner != self.sender.level:
            return "发送方不负责维护该数据"
        if self.sender.level == TOWNSHIP:
            area_id = self._ownership_area(rule, theirs)
            if area_id is not None and area_id not in self.sender_area_ids:
                return "记录不属于发送方乡镇"
        if self.local.level == TOWNSHIP and rule.owner == COUNTY:
            return self._not_concerning(rule, theirs)
        return ""

    def _ownership_area(self, rule: TableRule, row: Row) -> str | None:
        if rule.area_via.startswith("ref:"):
            column = rule.area_via[4:]
            target = self.local.row(rule.refs[column], row[column]) or {}
            return target.get("area_id")
        return row.get(rule.area_via) if rule.area_via else None

    def _find_concerned_officers(self, postings: list[Row]) -> None:
        for posting in postings:
            if self._resolve("organization", posting.get("organization_id") or "") is not None:
                self.concerned_officers.add(posting.get("officer_id"))

    def _not_concerning(self, rule: TableRule, theirs: Row) -> str:
        """At a township, county data about other townships' enterprises stays out."""
        officer = {"liaison_officer": "id", "assessment": "officer_id"}.get(rule.table)
        if officer and theirs.get(officer) not in self._concerned_local():
            return "与本乡镇无关"
        return ""

    def _concerned_local(self) -> set[str]:
        return {self.idmap.get(("liaison_officer", o), o) for o in self.concerned_officers}


def _parents_first(rows: list[Row]) -> list[Row]:
    by_id = {r["id"]: r for r in rows}
    depth: dict[str, int] = {}

    def level(row_id: str, seen: frozenset = frozenset()) -> int:
        if row_id in depth:
            return depth[row_id]
        parent = by_id[row_id].get("parent_id")
        value = 0 if parent not in by_id or parent in seen else level(parent, seen | {row_id}) + 1
        depth[row_id] = value
        return value

    return sorted(rows, key=lambda r: level(r["id"]))


def _signature(action: Action) -> tuple:
    """What the clerk saw of one row: its outcome, their content and ours."""
    ours = rules.content_hash(action.ours) if action.ours is not None else ""
    return (action.outcome, action.link_from, action.theirs_hash, ours)


def changed_since(previewed: Plan, fresh: Plan) -> list[str]:
    """The rows whose outcome or content differs between the plan the clerk
    previewed and the plan made again inside the merge, described; empty when
    the merge would do exactly what the preview showed."""
    before = {(a.table, a.local_id): _signature(a) for a in previewed.actions}
    after = {(a.table, a.local_id): a for a in fresh.actions}
    changed = [f"{rules.TABLE_LABELS.get(a.table, a.table)}：{a.key_text}"
               for key, a in after.items() if before.get(key) != _signature(a)]
    changed += [f"{rules.TABLE_LABELS.get(k[0], k[0])}：{k[1]}" for k in before if k not in after]
    if not changed and previewed.ignored_reasons != fresh.ignored_reasons:
        changed.append("被忽略的记录")
    return changed


def plan_merge(local: LocalView, sender: Sender, tables: dict[str, list[Row]],
               aliases: Iterable[tuple[str, str, str]] = ()) -> Plan:
    """What merging `tables` (the package's rows, by table) would do to `local`.
    The tables are consumed: each row is released once it is planned."""
    return Planner(local, sender, aliases).run(tables)
