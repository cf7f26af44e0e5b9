"""What this installation may change itself (EXCHANGE.md, "Who owns what").

At a township office the county's data (the area tree, policies, liaison
officers, postings, assessments, payment runs) is read-only, and only records
of the township's own area (and the communities below it) may be entered, so
nothing is accepted locally that its package would then drop. The county may
change everything.
"""

from __future__ import annotations

from desktop.db import areas, installation
from desktop.db.connection import Database
from desktop.domain import exchange as rules
from desktop.errors import UserError

# Tables a township never writes that the exchange rules do not list.
COUNTY_ONLY = ("payment_run", "bulletin")


def is_township(db: Database) -> bool:
    return installation.identity(db).level == rules.TOWNSHIP


def require_editable(db: Database, table: str) -> None:
    """Refuse a change to `table` that this installation does not own."""
    if not is_township(db):
        return
    if table in COUNTY_ONLY or not rules.may_edit(rules.TOWNSHIP, table):
        raise UserError(rules.READ_ONLY_AT_TOWNSHIP)


def outside_own_area(db: Database, area_id: str | None) -> str:
    """Why a record placed in `area_id` may not be entered here, or ""."""
    ident = installation.identity(db)
    if ident.level != rules.TOWNSHIP or area_id is None:
        return ""
    if area_id in areas.township_area_ids(db, ident.township):
        return ""
    return (f"本机是{ident.township}的党建工作台，只能录入本乡镇（及所辖村、社区）的记录；"
            "其他乡镇的记录由该乡镇录入")


def require_own_area(db: Database, area_id: str | None) -> None:
    reason = outside_own_area(db, area_id)
    if reason:
        raise UserError(reason, problems=[("area_id", reason)])
