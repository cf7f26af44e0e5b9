"""Personal data on screen (ACCESS.md, PIPL minimum necessary): a record's ID
number, phones and bank account are shown masked once the database has users;
"显示完整号码" is allowed to the roles that need it and each use is an audited
access event naming the record and the fields, never their values."""

from __future__ import annotations

import dataclasses
from typing import Any

from desktop.db.connection import Database
from desktop.domain import access
from desktop.domain.field_labels import FIELD_LABELS
from desktop.errors import UserError
from desktop.services import registry, users



def masked_on_screen(db: Database) -> bool:
    """Whether screens mask personal data (every database with users)."""
    return users.has_users(db)


def may_reveal(db: Database) -> bool:
    """Whether the signed-in user may show full numbers (offer the button)."""
    return users.allows(db, access.REVEAL)


def personal_fields(cls: type) -> tuple[str, ...]:
    """The fields of `cls` that screens mask: those the masked lists and exports
    mask (registry.masked)."""
    if not dataclasses.is_dataclass(cls):
        return ()
    return tuple(f.name for f in dataclasses.fields(cls) if f.name in registry.MASKED_FIELDS)


def reveal(db: Database, cls: type, record_id: str) -> dict[str, str]:
    """The full personal fields of one record, for the signed-in user whose role
    allows it; the access is recorded (which record, which fields)."""
    users.require(db, access.REVEAL)
    record: Any = registry.get(db, cls, record_id)
    if record is None:
        raise UserError("该记录已不存在（可能已被删除）")
    fields = personal_fields(cls)
    shown = {name: getattr(record, name) or "" for name in fields}
    labels = "、".join(dict.fromkeys(FIELD_LABELS[name] for name in fields if shown[name]))
    noun = registry.NOUNS.get(cls, "记录")
    users.record_event(db, "reveal", f"{noun}“{getattr(record, 'name', '')}”：{labels or '（无）'}")
    return shown


def record_unmasked_export(db: Database, title: str, count: int) -> None:
    """An export with full personal data is a reveal of every row it wrote."""
    users.record_event(db, "reveal", f"导出完整个人信息：{title} {count} 条")
