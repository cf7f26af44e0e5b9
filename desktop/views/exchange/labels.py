"""How the exchange dialogs name things: the merge counts, the fields of a
conflict (the labels the forms and import workbooks use, desktop.domain.field_labels)
and their values."""

from __future__ import annotations

from datetime import datetime

from desktop.domain.field_labels import (  # noqa: F401 - re-exported for the dialogs
    EMPTY, FIELD_LABELS, field_label, value_text,
)

COUNT_LABELS: tuple[tuple[str, str], ...] = (
    ("new", "新增"), ("updated", "更新"), ("kept", "保留本机修改"), ("deleted", "删除"),
    ("linked", "合并为同一记录"), ("unchanged", "无变化"), ("ignored", "忽略"),
    ("conflicts", "冲突"))


def local_time(stamp: str) -> str:
    """A stored UTC timestamp as this PC's local date and minute."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp[:16].replace("T", " ")
    return moment.strftime("%Y-%m-%d %H:%M")
