"""Convergence: a county and three townships edit on their own and exchange
packages in random order, some twice, some lost and re-sent (issue 15, Done when).

After a final round every office passes `check`; the county holds exactly the
townships' live organizations (by natural key, once each); every county row a
merge changed after the county itself had edited it was reported as a conflict
first; and merging a package again changes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.registry import LiaisonOfficer, Organization, Posting
from desktop.errors import UserError
from desktop.services import exchange, maintenance, registry
from tests.exchange.conftest import LOOKUPS, lookups
from tests.exchange.offices import add_org, area_id, county_office, township_office
from tests.factories import id_number, uscc

TOWNSHIPS = ("白沙镇", "青山乡", "经开区")
STABLE = range(4)  # enterprises a township never deletes (the county's Excel list has them)
POOL = range(8)

operation = st.tuples(
    st.sampled_from(("town_create", "town_create", "town_edit", "town_edit", "town_edit",
                     "town_delete", "county_excel", "county_edit", "county_edit", "send", "deliver",
                     "deliver", "sync", "sync", "sync", "county_post")),
    st.integers(0, len(TOWNSHIPS) - 1), st.sampled_from(POOL), st.integers(0, 99),
    st.booleans())


def _name(t: int, n: int) -> str:
    return f"{TOWNSHIPS[t]}企业{n}"


def _live(db) -> dict[tuple[str, str], Organization]:
    return {(township, org.name): org for org, township in registry.list_all(db, Organization)}


def _content(org: Organization) -> tuple:
    return (org.uscc, org.address, org.employee_count)


class World:
    def __init__(self, folder: Path):
        self.folder = folder
        self.county = county_office(folder)
        self.towns = []
        for name in TOWNSHIPS:
            (folder / name).mkdir()
            self.towns.append(township_office(folder / name, name))
        self.outbox: list[list[Path]] = [[] for _ in TOWNSHIPS]
        self.county_edits: dict[tuple[str, str], tuple] = {}  # county's own, not yet seen as conflicts
        self.reported: set[tuple[str, str]] = set()

    def close(self) -> None:
        for db in (self.county, *self.towns):
            db.close()

    # -- edits

    def town_create(self, t: int, n: int, value: int, with_code: bool) -> None:
        key = (TOWNSHIPS[t], _name(t, n))
        if key not in _live(self.towns[t]):
            add_org(self.towns[t], TOWNSHIPS[t], key[1], uscc=uscc(t * 10 + n) if with_code else None,
                    employee_count=value)

    def _pick(self, db, t: int, n: int, *, deletable: bool = False) -> Organization | None:
        """One of the live organizations of township t at `db` (edits land on records)."""
        orgs = [org for (township, name), org in sorted(_live(db).items())
                if township == TOWNSHIPS[t] and not (deletable and name.endswith(
                    tuple(f"企业{k}" for k in STABLE)))]
        return orgs[n % len(orgs)] if orgs else None

    def town_edit(self, t: int, n: int, value: int, with_code: bool) -> None:
        org = self._pick(self.towns[t], t, n)
        if org:
            registry.update(self.towns[t], dataclasses.replace(
                org, employee_count=value, address=f"路{value}号" if with_code else org.address))

    def town_delete(self, t: int, n: int, value: int, with_code: bool) -> None:
        org = self._pick(self.towns[t], t, n, deletable=True)
        if org:
            registry.delete(self.towns[t], Organization, org.id)

    def county_excel(self, t: int, n: int, value: int, with_code: bool) -> None:
        key = (TOWNSHIPS[t], _name(t, n))
        if n in STABLE and key not in _live(self.county):
            add_org(self.county, TOWNSHIPS[t], key[1], uscc=uscc(t * 10 + n) if with_code else None,
                    address="旧表地址", employee_count=value)
            self.county_edits[key] = (uscc(t * 10 + n) if with_code else None, "旧表地址", value)

    def county_edit(self, t: int, n: int, value: int, with_code: bool) -> None:
        org = self._pick(self.county, t, n)
        if org:
            fixed = dataclasses.replace(org, address=f"县核实{value}")
            registry.update(self.county, fixed)
            self.county_edits[(TOWNSHIPS[t], org.name)] = _content(fixed)

    def county_post(self, t: int, n: int, value: int, with_code: bool) -> None:
        org = self._pick(self.county, t, n)
        if org:
            officer = registry.create(self.county, LiaisonOfficer(
                name=f"联络员{value}", id_number=id_number(1000 + value * 10 + t))) \
                if not any(o.name == f"联络员{value}" for o, _ in registry.list_all(
                    self.county, LiaisonOfficer)) else next(
                    o.id for o, _ in registry.list_all(self.county, LiaisonOfficer)
                    if o.name == f"联络员{value}")
            with contextlib.suppress(UserError):  # an overlapping posting is refused
                registry.create(self.county, Posting(officer_id=officer, organization_id=org.id,
                                                     start_on=date(2026, 1 + n % 12, 1)))

    # -- exchange

    def send(self, t: int, *_ignored) -> None:
        self.outbox[t].append(exchange.export_package(
            self.towns[t], self.folder / f"{t}-{len(self.outbox[t])}.lxpkg"))

    def sync(self, t: int, *_ignored) -> None:
        """A package sent and merged at once (the usual case)."""
        self.send(t)
        self.merge_at_county(self.outbox[t][-1])

    def deliver(self, t: int, n: int, *_ignored) -> None:
        if self.outbox[t]:
            # Mostly the newest; sometimes an older one, lost on the way and come late.
            self.merge_at_county(self.outbox[t][max(0, len(self.outbox[t]) - 1 - n % 3)])

    def merge_at_county(self, path: Path) -> None:
        before = _live(self.county)
        preview = exchange.preview_import(self.county, path)
        conflicts = set()
        if preview.plan is not None:
            for action in preview.plan.conflicts:
                row = action.ours or action.theirs
                conflicts.add((self._township_of(row), row["name"]))
        again = exchange.merge_package(self.county, path, resolve_all="theirs")
        after = _live(self.county)
        for key, org in before.items():
            changed = key not in after or _content(after[key]) != _content(org)
            if changed and key in self.county_edits:
                assert key in conflicts, f"{key} overwritten without a conflict"
        for key in conflicts:
            self.county_edits.pop(key, None)
        if again.plan is None:
            assert before == after
        self.reported |= conflicts

    def _township_of(self, row: dict) -> str:
        names = {area_id(self.county, name): name for name in TOWNSHIPS}
        return names.get(row.get("area_id"), "")


@pytest.mark.parametrize("mode", sorted(LOOKUPS))
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(operation, max_size=40))
def test_offices_converge(mode, operations):
    with lookups(mode), tempfile.TemporaryDirectory() as folder:
        world = World(Path(folder))
        try:
            for kind, t, n, value, flag in operations:
                getattr(world, kind)(t, n, value, flag)
            _final_round(world)
        finally:
            world.close()


def _final_round(world: World) -> None:
    for t in range(len(TOWNSHIPS)):
        for n in STABLE:  # the county's Excel list names only what the townships have
            world.town_create(t, n, 1, False)
        world.send(t)
        world.merge_at_county(world.outbox[t][-1])
    county_rows = _live(world.county)
    expected = {}
    for town in world.towns:
        expected.update(_live(town))
    assert set(county_rows) == set(expected)
    names = [org.name for org, _ in registry.list_all(world.county, Organization)]
    assert len(names) == len(set(names))  # no duplicates
    for key, org in expected.items():
        want = world.county_edits.get(key, _content(org))
        assert _content(county_rows[key]) == want, key
    # The same package again changes nothing.
    before = world.county.total_changes
    assert exchange.merge_package(world.county, world.outbox[0][-1]).already_merged
    assert world.county.total_changes == before
    # The county's package reaches every township, and only what concerns it.
    package = exchange.export_package(world.county, world.folder / "county.lxpkg")
    for t, town in enumerate(world.towns):
        exchange.merge_package(town, package)
        ours = {r[0] for r in town.execute("SELECT id FROM organization")}  # closed ones too
        postings = town.execute("SELECT organization_id FROM posting WHERE deleted_at IS NULL")
        assert {r[0] for r in postings} <= ours
        county_count = world.county.execute(
            "SELECT count(*) FROM posting p JOIN organization o ON o.id = p.organization_id"
            " WHERE p.deleted_at IS NULL AND o.area_id = ?",
            (area_id(world.county, TOWNSHIPS[t]),)).fetchone()[0]
        assert town.execute("SELECT count(*) FROM posting WHERE deleted_at IS NULL").fetchone()[0] \
            == county_count
    for db in (world.county, *world.towns):
        assert maintenance.check(db) == []
