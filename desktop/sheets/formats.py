"""The import workbook format of IMPORT_FORMATS.md, as data.

One `SheetSpec` per sheet (组织, 指导员, 挂钩, 联络员, 派驻, 考核, 问题, 走访) lists its columns:
the header the user sees, the field name the code uses (GLOSSARY.md), whether the
column is required, the value type, and the width in the template and exports.
The template, the reader, the row validation and the exports all read this table,
so a column is described exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from desktop.domain.labels import (
    GRADE_LABELS,
    INDUSTRY_LABELS,
    KIND_LABELS,
    PARTY_ORG_FORM_LABELS,
    reverse,
)
from desktop.domain.problems import (
    CATEGORY_LABELS, EVALUATION_LABELS, STATUS_LABELS, VISIT_KIND_LABELS,
)
from desktop.domain.text_limits import NAME, limit


class ValueType(str, Enum):
    """How a column's cells are read, checked and written."""

    TEXT = "text"
    ID_NUMBER = "id_number"
    USCC = "uscc"
    PHONE = "phone"
    BANK_ACCOUNT = "bank_account"
    DATE = "date"
    YES_NO = "yes_no"
    ENUM = "enum"
    COUNT = "count"
    YEAR = "year"


# Types whose cells must be text in Excel: as numbers they lose digits or leading zeros.
TEXT_FORMAT_TYPES = frozenset({ValueType.ID_NUMBER, ValueType.USCC, ValueType.PHONE,
                               ValueType.BANK_ACCOUNT})


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import sheet.

    `choices` maps the Chinese label to the code for ENUM columns. `max_length`
    bounds free text so junk cannot flood the database. `hint` is what the
    template's 填写说明 and the cell's input prompt add to the type's own rule.
    """

    header: str
    field: str
    type: ValueType = ValueType.TEXT
    required: bool = False
    width: float = 14
    choices: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    max_length: int = 100
    hint: str = ""

    @property
    def marked_header(self) -> str:
        """The header as the template shows it: '名称*' for a required column."""
        return f"{self.header}*" if self.required else self.header


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the import workbook.

    `identity` lists key alternatives: a row is identified by the first
    alternative whose fields are all filled (an organization by its USCC, else by
    name + township). `date_order` pairs (earlier field, later field, reason).
    """

    name: str
    key: str
    columns: tuple[ColumnSpec, ...]
    identity: tuple[tuple[str, ...], ...]
    date_order: tuple[tuple[str, str, str], ...] = ()

    def column(self, field_name: str) -> ColumnSpec:
        """The column whose field is `field_name` (KeyError when there is none)."""
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)

    @property
    def fields(self) -> tuple[str, ...]:
        """Field names in column order."""
        return tuple(col.field for col in self.columns)

    @property
    def required_columns(self) -> tuple[ColumnSpec, ...]:
        """Columns that must be present in the header and filled in every row."""
        return tuple(col for col in self.columns if col.required)


def _enum(header: str, field_name: str, labels: Mapping[str, str], *, required: bool = False,
          width: float = 12, hint: str = "") -> ColumnSpec:
    return ColumnSpec(header, field_name, ValueType.ENUM, required, width, reverse(labels),
                      hint=hint)


def _yes_no(header: str, field_name: str) -> ColumnSpec:
    return ColumnSpec(header, field_name, ValueType.YES_NO, width=8)


def _date(header: str, field_name: str, *, required: bool = False, hint: str = "") -> ColumnSpec:
    return ColumnSpec(header, field_name, ValueType.DATE, required, width=13, hint=hint)


_T = ValueType
_PLACE = limit("area", "name")
_LINK_ORDER = (("start_on", "end_on", "结束日期早于开始日期"),)

ORGANIZATIONS = SheetSpec(
    name="组织",
    key="organizations",
    columns=(
        ColumnSpec("名称", "name", _T.TEXT, True, 32, max_length=limit("organization", "name")),
        ColumnSpec("统一社会信用代码", "uscc", _T.USCC, width=22),
        _enum("类型", "kind", KIND_LABELS, required=True),
        _enum("行业", "industry", INDUSTRY_LABELS),
        _yes_no("新业态", "is_new_business_form"),
        ColumnSpec("所属乡镇", "township", _T.TEXT, True, 12, max_length=_PLACE),
        ColumnSpec("地址", "address", _T.TEXT, width=30, max_length=limit("organization", "address")),
        ColumnSpec("从业人员数", "employee_count", _T.COUNT, width=11),
        ColumnSpec("党员数", "party_member_count", _T.COUNT, width=8),
        _enum("党组织组建方式", "party_org_form", PARTY_ORG_FORM_LABELS, width=15),
        ColumnSpec("党组织名称", "party_org_name", _T.TEXT, width=28,
                   max_length=limit("organization", "party_org_name")),
        _date("党组织建立日期", "party_org_established_on"),
        _yes_no("工会", "has_union"),
        _yes_no("共青团", "has_youth_league"),
        _yes_no("妇联", "has_women_federation"),
        _date("登记日期", "registered_on"),
        _date("注销日期", "closed_on"),
        ColumnSpec("联系人", "contact_name", _T.TEXT, width=10,
                   max_length=limit("organization", "contact_name")),
        ColumnSpec("联系电话", "contact_phone", _T.PHONE, width=15),
        ColumnSpec("备注", "note", _T.TEXT, width=30, max_length=limit("organization", "note")),
    ),
    identity=(("uscc",), ("name", "township")),
    date_order=(("registered_on", "closed_on", "注销日期早于登记日期"),),
)

INSTRUCTORS = SheetSpec(
    name="指导员",
    key="instructors",
    columns=(
        ColumnSpec("姓名", "name", _T.TEXT, True, 10, max_length=limit("instructor", "name")),
        ColumnSpec("公民身份号码", "id_number", _T.ID_NUMBER, True, 22),
        ColumnSpec("联系电话", "phone", _T.PHONE, width=15),
        ColumnSpec("工作单位", "work_unit", _T.TEXT, width=26,
                   max_length=limit("instructor", "work_unit")),
        ColumnSpec("职务", "position", _T.TEXT, width=14, max_length=limit("instructor", "position")),
        ColumnSpec("指导站", "guidance_station", _T.TEXT, width=24,
                   max_length=limit("station", "name")),
        ColumnSpec("所属乡镇", "township", _T.TEXT, width=12, max_length=_PLACE),
    ),
    identity=(("id_number",),),
)

ASSIGNMENTS = SheetSpec(
    name="挂钩",
    key="assignments",
    columns=(
        ColumnSpec("指导员身份号码", "instructor_id_number", _T.ID_NUMBER, True, 22),
        ColumnSpec("组织名称", "organization_name", _T.TEXT, True, 32),
        ColumnSpec("统一社会信用代码", "uscc", _T.USCC, width=22),
        _date("开始日期", "start_on", required=True),
        _date("结束日期", "end_on"),
    ),
    identity=(("instructor_id_number", "uscc", "start_on"),
              ("instructor_id_number", "organization_name", "start_on")),
    date_order=_LINK_ORDER,
)

OFFICERS = SheetSpec(
    name="联络员",
    key="officers",
    columns=(
        ColumnSpec("姓名", "name", _T.TEXT, True, 10, max_length=limit("officer", "name")),
        ColumnSpec("公民身份号码", "id_number", _T.ID_NUMBER, True, 22),
        ColumnSpec("联系电话", "phone", _T.PHONE, width=15),
        ColumnSpec("派出单位", "home_unit", _T.TEXT, width=26,
                   max_length=limit("officer", "home_unit")),
        ColumnSpec("职务", "position", _T.TEXT, width=14, max_length=limit("officer", "position")),
        ColumnSpec("开户银行", "bank_name", _T.TEXT, width=24,
                   max_length=limit("officer", "bank_name")),
        ColumnSpec("银行卡号", "bank_account", _T.BANK_ACCOUNT, width=24),
    ),
    identity=(("id_number",),),
)

POSTINGS = SheetSpec(
    name="派驻",
    key="postings",
    columns=(
        ColumnSpec("联络员身份号码", "officer_id_number", _T.ID_NUMBER, True, 22),
        ColumnSpec("组织名称", "organization_name", _T.TEXT, True, 32),
        ColumnSpec("统一社会信用代码", "uscc", _T.USCC, width=22),
        _date("开始日期", "start_on", required=True),
        _date("结束日期", "end_on"),
    ),
    identity=(("officer_id_number", "uscc", "start_on"),
              ("officer_id_number", "organization_name", "start_on")),
    date_order=_LINK_ORDER,
)

ASSESSMENTS = SheetSpec(
    name="考核",
    key="assessments",
    columns=(
        ColumnSpec("联络员身份号码", "officer_id_number", _T.ID_NUMBER, True, 22),
        ColumnSpec("年度", "year", _T.YEAR, True, 8),
        _enum("考核等次", "grade", GRADE_LABELS, required=True, width=11),
    ),
    identity=(("officer_id_number", "year"),),
)

# PROBLEMS.md. A problem may arrive in any state; its identity (organization, 发现日期,
# 问题描述) needs the organization resolved, so the service finds duplicates, not
# `identity`. A visit likewise.
PROBLEMS = SheetSpec(
    name="问题",
    key="problems",
    columns=(
        ColumnSpec("组织名称", "organization_name", _T.TEXT, True, 32, max_length=NAME),
        ColumnSpec("统一社会信用代码", "uscc", _T.USCC, width=22),
        _date("发现日期", "found_on", required=True),
        _enum("问题类别", "category", CATEGORY_LABELS, required=True, width=12),
        ColumnSpec("问题描述", "description", _T.TEXT, True, 40,
                   max_length=limit("problem", "description")),
        ColumnSpec("责任单位", "responsible_unit", _T.TEXT, True, 20,
                   max_length=limit("problem", "responsible_unit")),
        ColumnSpec("责任人", "responsible_person", _T.TEXT, width=10,
                   max_length=limit("problem", "responsible_person")),
        _date("办结时限", "deadline", required=True),
        _enum("状态", "status", STATUS_LABELS, width=11, hint="空白为已受理"),
        _date("办结日期", "closed_on", hint="已办结、未能解决必填"),
        ColumnSpec("办理情况", "outcome", _T.TEXT, width=30, max_length=limit("problem", "outcome")),
        _enum("评价", "evaluation", EVALUATION_LABELS, width=11,
              hint="已办结、未能解决才填；不满意即重新督办：状态填督办中，保留办结日期"),
    ),
    identity=(),
    date_order=(("found_on", "deadline", "办结时限早于发现日期"),
                ("found_on", "closed_on", "办结日期早于发现日期")),
)

VISITS = SheetSpec(
    name="走访",
    key="visits",
    columns=(
        ColumnSpec("组织名称", "organization_name", _T.TEXT, True, 32, max_length=NAME),
        ColumnSpec("统一社会信用代码", "uscc", _T.USCC, width=22),
        _date("走访日期", "visited_on", required=True),
        ColumnSpec("走访人身份号码", "visitor_id_number", _T.ID_NUMBER, width=22,
                   hint="指导员或联络员"),
        _enum("走访方式", "kind", VISIT_KIND_LABELS, width=11, hint="空白为走访"),
        ColumnSpec("发现情况", "findings", _T.TEXT, width=40, max_length=limit("visit", "findings")),
    ),
    identity=(),
)

SHEETS: tuple[SheetSpec, ...] = (ORGANIZATIONS, INSTRUCTORS, ASSIGNMENTS, OFFICERS, POSTINGS,
                                 ASSESSMENTS, PROBLEMS, VISITS)
SHEETS_BY_NAME: Mapping[str, SheetSpec] = MappingProxyType({s.name: s for s in SHEETS})
SHEETS_BY_KEY: Mapping[str, SheetSpec] = MappingProxyType({s.key: s for s in SHEETS})

# A row whose first cell starts with this is the template's example and is skipped.
EXAMPLE_MARK = "示例"
