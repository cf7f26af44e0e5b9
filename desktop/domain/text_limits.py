"""How long each piece of typed text may be, in characters: one table for the
forms, the CLI, the import and the PDFs.

The limits are generous for real names (the longest registered enterprise
names run to about 60 characters) and small enough that every printed sheet,
report and bulletin can still lay the longest value out (tests build each PDF
with every field at its limit). Lengths count characters (code points), not
bytes: 𠀀 is one character.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

NAME = 100
PERSON = 50
PLACE = 50
ADDRESS = 200
NOTE = 500
UNIT = 100
POSITION = 50

# record kind → field → (label, limit)
LIMITS: Mapping[str, Mapping[str, tuple[str, int]]] = MappingProxyType({
    "organization": MappingProxyType({
        "name": ("名称", NAME),
        "address": ("地址", ADDRESS),
        "party_org_name": ("党组织名称", NAME),
        "industry_party_committee": ("行业党委", NAME),
        "contact_name": ("联系人", PERSON),
        "note": ("备注", NOTE),
    }),
    "instructor": MappingProxyType({
        "name": ("姓名", PERSON),
        "work_unit": ("工作单位", UNIT),
        "position": ("职务", POSITION),
    }),
    "officer": MappingProxyType({
        "name": ("姓名", PERSON),
        "home_unit": ("派出单位", UNIT),
        "position": ("职务", POSITION),
        "bank_name": ("开户银行", UNIT),
    }),
    "area": MappingProxyType({"name": ("乡镇（街道、园区）名称", PLACE)}),
    "station": MappingProxyType({"name": ("指导站名称", NAME)}),
    "settings": MappingProxyType({
        "county_name": ("县（市、区）名称", 20),
        "operator": ("操作人", PERSON),
    }),
    # The masthead and the unit print on one line of page 1, set smaller to fit: the
    # defaults built from the longest county name (…组工信息, 中共…委组织部研究室) fit.
    # 报/送/发 print as one block that may not split: three lines of 150 characters
    # fill about three quarters of a page.
    "bulletin": MappingProxyType({
        "masthead_title": ("刊头名称", 30),
        "compiling_unit": ("编印单位", 40),
        "report_to": ("报送范围（报）", 150),
        "send_to": ("报送范围（送）", 150),
        "issue_to": ("报送范围（发）", 150),
    }),
    "section": MappingProxyType({"title": ("栏目名称", 30)}),
    # The problem list (PROBLEMS.md): the 督办通知单 and the 清单 lay these out.
    "problem": MappingProxyType({
        "description": ("问题描述", NOTE),
        "responsible_unit": ("责任单位", UNIT),
        "responsible_person": ("责任人", PERSON),
        "outcome": ("办理情况", NOTE),
    }),
    "visit": MappingProxyType({"findings": ("发现情况", NOTE)}),
    "problem_step": MappingProxyType({"note": ("办理说明", NOTE)}),
    "article": MappingProxyType({
        "title": ("文章标题", 100),
        "source_unit": ("来源单位", UNIT),
        "paragraph": ("正文每段", 5000),
        "lead_phrase": ("加粗的段首语", 100),
    }),
})


def limit(kind: str, field: str) -> int:
    """The most characters `field` of a `kind` record may hold (KeyError if unlimited)."""
    return LIMITS[kind][field][1]


def too_long(kind: str, field: str, value: object) -> str | None:
    """The Chinese reason when `value` is longer than its field allows, else None."""
    label, most = LIMITS[kind][field]
    if isinstance(value, str) and len(value) > most:
        return f"{label}过长（{len(value)} 字），最多 {most} 字"
    return None


def check_lengths(kind: str, record: object,
                  fields: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(field, reason) for every text field of `record` over its limit."""
    problems = []
    for field in fields if fields is not None else LIMITS[kind]:
        reason = too_long(kind, field, getattr(record, field, None))
        if reason:
            problems.append((field, reason))
    return problems
