"""The organization form: every field of GLOSSARY.md in the order of the
import sheet 组织 (the paper list township offices keep)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.domain import identifiers
from desktop.domain.labels import INDUSTRY_LABELS, KIND_LABELS, PARTY_ORG_FORM_LABELS
from desktop.domain.registry import Organization, check_organization
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.problems.visits import add_visit_section
from desktop.views.registry.record_form import RecordForm, Section
from desktop.views.widgets import CheckField, CountEdit, DateEdit, EnumCombo, ValidatedLineEdit

USCC_LENGTH = 18


class OrganizationForm(RecordForm):
    """新建/编辑组织."""

    record_class = Organization
    tables = frozenset({"organization"})
    noun = "组织"

    def __init__(self, context: AppContext, record: Organization | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, record, parent)
        self.visits = add_visit_section(self)
        self.add_buttons()
        self.resize(760, 640)

    def delete_question(self) -> str:
        """Names what deleting stops: the stipends of officers still posted here."""
        question = super().delete_question()
        warning = registry.delete_warning(self.context.db, Organization, self.record.id,
                                          date.today())
        return f"{question}\n\n{warning}" if warning else question

    def sections(self) -> list[Section]:
        """Basic data, Party organization, mass organizations, contact."""
        uscc = ValidatedLineEdit(identifiers.check_uscc, full_length=USCC_LENGTH)
        uscc.setMaxLength(24)
        uscc.setPlaceholderText("18 位，可不填")
        townships = [(a.id or "", a.name) for a in registry.townships(self.context.db)]
        return [
            ("基本信息", [
                ("name", "名称*", ValidatedLineEdit()),
                ("uscc", "统一社会信用代码", uscc),
                ("kind", "类型*", EnumCombo(KIND_LABELS)),
                ("industry", "行业", EnumCombo(INDUSTRY_LABELS, "（未填）")),
                ("is_new_business_form", "新业态", CheckField("新业态企业 / 平台企业")),
                ("area_id", "所属乡镇*", EnumCombo(townships)),
                ("address", "地址", ValidatedLineEdit()),
                ("employee_count", "从业人员数", CountEdit("从业人员数")),
            ]),
            ("党组织", [
                ("party_member_count", "党员数", CountEdit("党员数")),
                ("party_org_form", "组建方式", EnumCombo(PARTY_ORG_FORM_LABELS)),
                ("party_org_name", "党组织名称", ValidatedLineEdit()),
                ("party_org_established_on", "建立日期", DateEdit()),
                ("industry_party_committee", "行业党委", ValidatedLineEdit()),
            ]),
            ("群团组织", [
                ("has_union", "工会", CheckField("已建（职工之家）")),
                ("has_youth_league", "共青团", CheckField("已建（青年之家）")),
                ("has_women_federation", "妇联", CheckField("已建（妇女之家）")),
            ]),
            ("登记与联系", [
                ("registered_on", "登记日期", DateEdit()),
                ("closed_on", "注销日期", DateEdit()),
                ("contact_name", "联系人", ValidatedLineEdit()),
                ("contact_phone", "联系电话", ValidatedLineEdit(identifiers.check_phone)),
                ("note", "备注", ValidatedLineEdit()),
            ]),
        ]

    def load(self, record: Organization | None) -> None:
        """Show the record, or the defaults of a new organization."""
        if record is None:
            self.fields["party_org_form"].set_value("none")
            return
        super().load(record)

    def to_record(self, values: dict[str, Any]) -> Organization:
        """The organization the fields describe."""
        values["kind"] = values["kind"] or "enterprise"
        values["area_id"] = values["area_id"] or ""
        values["name"] = values["name"] or ""
        values["party_org_form"] = values["party_org_form"] or "none"
        return Organization(**values, id=self.record.id if self.record else None)

    def check(self, record: Organization) -> list[tuple[str, str]]:
        """The domain's rules for organizations."""
        return check_organization(record)
