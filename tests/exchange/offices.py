"""A county office and its township offices as separate databases, for exchange tests."""

from __future__ import annotations

from pathlib import Path

from desktop.db import areas
from desktop.domain.registry import Area, Organization
from desktop.services import exchange, registry
from desktop.services.workspace import open_workspace, set_county

COUNTY = "宜城县"


def county_office(folder: Path, townships: tuple[str, ...] = ("白沙镇", "青山乡", "经开区")):
    db = open_workspace(folder / "county.sqlite3", create=True, operator="县里")
    set_county(db, COUNTY)
    root = areas.county(db)
    for k, name in enumerate(townships, 1):
        registry.create(db, Area(name=name, kind="township", parent_id=root.id, sort_order=k))
    return db


def township_office(folder: Path, township: str):
    db = open_workspace(folder / f"{township}.sqlite3", create=True, operator=f"{township}录入员")
    set_county(db, COUNTY)
    exchange.set_installation(db, "township", township)
    return db


def area_id(db, name: str) -> str:
    return next(a.id for a in areas.list_areas(db) if a.name == name)


def add_org(db, township: str, name: str, **fields) -> str:
    return registry.create(db, Organization(name=name, area_id=area_id(db, township), **fields))


def send(sender, receiver, folder: Path, **merge) -> exchange.Preview:
    """Export from `sender` and merge into `receiver`; returns the merge's preview."""
    path = exchange.export_package(sender, folder)
    return exchange.merge_package(receiver, path, **merge)
