"""Chinese labels of the code enumerations (GLOSSARY.md), shared by views, sheets and reports.

Each map goes code -> label in the order the user sees the choices; the reverse
maps (label -> code) serve imports and drop-down lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

KIND_LABELS: Mapping[str, str] = MappingProxyType({
    "enterprise": "非公企业",
    "social_org": "社会组织",
})

INDUSTRY_LABELS: Mapping[str, str] = MappingProxyType({
    "express": "快递",
    "food_delivery": "外卖送餐",
    "ride_hailing": "网约车",
    "road_freight": "道路货运",
    "internet": "互联网",
    "property": "物业",
    "manufacturing": "制造业",
    "other": "其他",
})

PARTY_ORG_FORM_LABELS: Mapping[str, str] = MappingProxyType({
    "standalone": "单独组建",
    "joint": "联合组建",
    "regional": "区域联建",
    "none": "未建",
})

GRADE_LABELS: Mapping[str, str] = MappingProxyType({
    "excellent": "优秀",
    "good": "良好",
    "competent": "称职",
    "incompetent": "不称职",
})

YES_LABEL = "是"
NO_LABEL = "否"


def reverse(labels: Mapping[str, str]) -> Mapping[str, str]:
    """label -> code for one of the maps above (for imports and combo boxes)."""
    return MappingProxyType({label: code for code, label in labels.items()})


def label_of(labels: Mapping[str, str], code: str | None, default: str = "") -> str:
    """The Chinese label of `code`, or `default` when the code is empty or unknown."""
    if code is None:
        return default
    return labels.get(code, default)


def yes_no_label(value: bool | None) -> str:
    """是 / 否 for a flag; empty text when the flag is unknown (None)."""
    if value is None:
        return ""
    return YES_LABEL if value else NO_LABEL
