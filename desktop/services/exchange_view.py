"""What the exchange screens need beside desktop.services.exchange: the file
name a new package will get, the names behind the ids a conflict shows, and
this installation's own export history (a township's 数据报送)."""

from __future__ import annotations

from datetime import date

from desktop.db import settings_store
from desktop.db.connection import Database
from desktop.db.installation import SEQUENCE_KEY, LogEntry
from desktop.domain import exchange as rules
from desktop.domain.merge import Plan
from desktop.domain.registry import Area, GuidanceStation, Instructor, LiaisonOfficer, Organization
from desktop.errors import UserError
from desktop.services import exchange, registry

_CLASSES = {"area": Area, "guidance_station": GuidanceStation, "organization": Organization,
            "instructor": Instructor, "liaison_officer": LiaisonOfficer}
NEW_IN_PACKAGE = "（本次交换包中的新记录）"


def proposed_package_name(db: Database, *, today: date | None = None) -> str:
    """The standard name of the package an export would write now (its number is
    taken only when the package is written)."""
    ident = exchange.identity(db)
    sequence = int(settings_store.get(db, SEQUENCE_KEY, "0") or 0) + 1
    day = (today or date.today()).isoformat()
    return rules.package_name(ident.county or "本县", exchange.installation_name(ident), day,
                              sequence)


def reference_names(db: Database, plan: Plan | None) -> dict[tuple[str, str], str]:
    """(field, id) → the name the clerk knows, for every id a conflict shows in a
    field that points to another record (areas, organizations, people)."""
    names: dict[tuple[str, str], str] = {}
    for action in plan.conflicts if plan else []:
        refs = rules.RULE_BY_TABLE[action.table].refs
        for name, (ours, theirs) in action.differences().items():
            target = refs.get(name)
            if target not in _CLASSES:
                continue
            for value in (ours, theirs):
                if value and (name, value) not in names:
                    names[(name, value)] = _name_of(db, target, str(value))
    return names


def _name_of(db: Database, table: str, row_id: str) -> str:
    try:
        return str(registry.get(db, _CLASSES[table], row_id).name)
    except UserError:
        return NEW_IN_PACKAGE


def own_exports(db: Database) -> list[LogEntry]:
    """The packages this installation made, newest first."""
    return [e for e in reversed(exchange.exchange_log(db)) if e.direction == "export"]
