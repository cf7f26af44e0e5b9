"""A county office and 白沙镇's office (two real databases, built through the
services) with a township package waiting at the county that holds conflicts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from desktop.db.connection import transaction
from desktop.domain.registry import Organization
from desktop.services import exchange, registry
from tests.exchange.offices import add_org, county_office, send, township_office
from tests.factories import uscc


@dataclass
class Scenario:
    county: object
    town: object
    package: Path
    express_id: str  # both sides changed its head count
    food_id: str  # both sides changed its address

    def close(self) -> None:
        self.county.close()
        self.town.close()


def _edit(db, org_id: str, **fields) -> None:
    registry.update(db, dataclasses.replace(registry.get(db, Organization, org_id), **fields))


def conflicted(folder: Path, *, more: int = 0) -> Scenario:
    """白沙镇 sent its registry once; then the county corrected two organizations
    and the township changed the same two otherwise: package 第2号 conflicts twice
    (and brings `more` new organizations, to make the merge report progress)."""
    folder.mkdir(parents=True, exist_ok=True)
    county = county_office(folder)
    town = township_office(folder, "白沙镇")
    express = add_org(town, "白沙镇", "白沙快递", uscc=uscc(1), industry="express",
                      employee_count=10)
    food = add_org(town, "白沙镇", "白沙食品厂", uscc=uscc(2), address="白沙镇老街1号")
    send(town, county, folder)
    _edit(county, express, employee_count=12)
    _edit(county, food, address="白沙镇老街1号（县里核实）")
    _edit(town, express, employee_count=40, industry="internet")
    _edit(town, food, address="白沙镇新街8号")
    add_org(town, "白沙镇", "白沙物业", uscc=uscc(3), industry="property")
    with transaction(town):
        for k in range(more):
            add_org(town, "白沙镇", f"白沙个体户{k + 1}")
    package = exchange.export_package(town, folder)
    return Scenario(county, town, package, express, food)
