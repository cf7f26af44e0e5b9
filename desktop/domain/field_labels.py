"""The Chinese names of the registry's fields and how their values read, shared by
the exchange preview (a conflict's fields) and the 审计日志 screen (what changed)."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.domain.labels import (
    GRADE_LABELS, INDUSTRY_LABELS, KIND_LABELS, PARTY_ORG_FORM_LABELS, label_of, yes_no_label,
)
from desktop.domain.money import format_fen
from desktop.domain.subsidy import PRORATION_LABELS

FIELD_LABELS: Mapping[str, str] = {
    "name": "名称", "uscc": "统一社会信用代码", "kind": "类型", "industry": "行业",
    "is_new_business_form": "新业态", "area_id": "所属乡镇", "parent_id": "上级区划",
    "address": "地址", "employee_count": "从业人员数", "party_member_count": "党员数",
    "party_org_form": "党组织组建方式", "party_org_name": "党组织名称",
    "party_org_established_on": "党组织建立日期", "has_union": "工会",
    "has_youth_league": "共青团", "has_women_federation": "妇联",
    "industry_party_committee": "行业党委", "registered_on": "登记日期", "closed_on": "注销日期",
    "contact_name": "联系人", "contact_phone": "联系电话", "note": "备注",
    "id_number": "公民身份号码", "phone": "联系电话", "work_unit": "工作单位", "position": "职务",
    "guidance_station_id": "指导站", "home_unit": "派出单位", "bank_name": "开户银行",
    "bank_account": "银行卡号", "instructor_id": "指导员", "officer_id": "联络员",
    "organization_id": "组织", "start_on": "开始日期", "end_on": "结束日期", "year": "年度",
    "grade": "考核等次", "sort_order": "排序", "monthly_stipend_fen": "每月补贴（元）",
    "bonus_excellent_fen": "优秀奖励（元）", "bonus_good_fen": "良好奖励（元）",
    "bonus_competent_fen": "称职奖励（元）", "bonus_incompetent_fen": "不称职奖励（元）",
    "proration": "不足月计算方式", "bonus_min_posted_days": "奖励最少派驻天数",
    "prorate_bonus": "奖励按派驻天数折算", "deleted": "已删除",
}
_ENUMS: Mapping[str, Mapping[str, str]] = {
    "kind": {**KIND_LABELS, "county": "县", "township": "乡镇", "street": "街道",
             "zone": "园区/片区", "community": "社区"},
    "industry": INDUSTRY_LABELS, "party_org_form": PARTY_ORG_FORM_LABELS, "grade": GRADE_LABELS,
    "proration": PRORATION_LABELS,
}
FLAGS = frozenset({"is_new_business_form", "has_union", "has_youth_league",
                   "has_women_federation", "prorate_bonus", "deleted"})
EMPTY = "（空）"


def field_label(name: str) -> str:
    """The Chinese name of a field; an unknown one keeps its column name."""
    return FIELD_LABELS.get(name, name)


def value_text(name: str, value: object, names: Mapping[tuple[str, str], str]) -> str:
    """A field's value as the clerk reads it: labels for codes, 是/否, 元, and
    the name behind an id (`names`, e.g. from exchange_view.reference_names)."""
    if value is None or value == "":
        return EMPTY
    if name in FLAGS:
        return yes_no_label(bool(value))
    if name in _ENUMS:
        return label_of(_ENUMS[name], str(value), str(value))
    if name.endswith("_fen") and isinstance(value, int):
        return format_fen(value)
    if name.endswith("_id"):
        return names.get((name, str(value)), str(value))
    return str(value)
