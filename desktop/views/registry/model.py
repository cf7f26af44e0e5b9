"""Table models of the registry lists: organizations, instructors and officers,
their columns, on the shared PagedTableModel (desktop.views.paged_model)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.domain import identifiers
from desktop.domain.labels import INDUSTRY_LABELS, KIND_LABELS, PARTY_ORG_FORM_LABELS, label_of
from desktop.domain.registry import OrganizationFilter, Page, PersonFilter
from desktop.services import registry
from desktop.views.paged_model import Column, PagedTableModel

if TYPE_CHECKING:
    from desktop.db.connection import Database


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _mass_orgs(org: Any) -> str:
    names = [label for flag, label in ((org.has_union, "工会"), (org.has_youth_league, "共青团"),
                                       (org.has_women_federation, "妇联")) if flag]
    return "、".join(names)


ORGANIZATION_COLUMNS = (
    Column("名称", lambda o, t: o.name, "name"),
    Column("统一社会信用代码", lambda o, t: _text(o.uscc), "uscc"),
    Column("所属乡镇", lambda o, t: t, "township"),
    Column("类型", lambda o, t: label_of(KIND_LABELS, o.kind), "kind"),
    Column("行业", lambda o, t: label_of(INDUSTRY_LABELS, o.industry), "industry"),
    Column("新业态", lambda o, t: "是" if o.is_new_business_form else ""),
    Column("从业人员", lambda o, t: _text(o.employee_count), "employee_count", numeric=True),
    Column("党员", lambda o, t: _text(o.party_member_count), "party_member_count", numeric=True),
    Column("党组织", lambda o, t: label_of(PARTY_ORG_FORM_LABELS, o.party_org_form),
           "party_org_form"),
    Column("群团组织", lambda o, t: _mass_orgs(o)),
    Column("联系人", lambda o, t: _text(o.contact_name)),
    Column("联系电话", lambda o, t: identifiers.mask_phone(o.contact_phone or "")),
)


class OrganizationModel(PagedTableModel):
    """The organization list for the current OrganizationFilter."""

    columns = ORGANIZATION_COLUMNS

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(db, parent)
        self.filter = OrganizationFilter()

    def set_filter(self, f: OrganizationFilter) -> None:
        """Show the organizations `f` matches (offset, limit and sort are ours)."""
        self.filter = f
        self.reload()

    def fetch(self, offset: int, limit: int) -> Page:
        f = dataclasses.replace(self.filter, offset=offset, limit=limit, sort=self.sort_key,
                                descending=self.descending)
        return registry.list_organizations(self.db, f, count=False)

    def count_function(self) -> Callable[[Database], tuple[int, dict]]:
        f = self.filter
        return lambda db: registry.count_organizations(db, f)

    def extra_of(self, rows: tuple) -> dict:
        return {"with_party_org": sum(org.has_party_org for org, _ in rows)}

    @property
    def with_party_org(self) -> int:
        """How many of the filtered organizations have a Party organization."""
        return int(self.extra.get("with_party_org", 0) or 0)


class PersonModel(PagedTableModel):
    """A list of instructors or officers for the current PersonFilter."""

    def __init__(self, db: Database, lister: Callable[..., Page],
                 counter: Callable[[Database, PersonFilter], tuple[int, dict]],
                 parent: Any = None) -> None:
        super().__init__(db, parent)
        self._lister, self._counter = lister, counter
        self.filter = PersonFilter()

    def set_filter(self, f: PersonFilter) -> None:
        """Show the people `f` matches."""
        self.filter = f
        self.reload()

    def fetch(self, offset: int, limit: int) -> Page:
        f = dataclasses.replace(self.filter, offset=offset, limit=limit, sort=self.sort_key,
                                descending=self.descending)
        return self._lister(self.db, f, count=False)

    def count_function(self) -> Callable[[Database], tuple[int, dict]]:
        f, counter = self.filter, self._counter
        return lambda db: counter(db, f)


def _masked_id(p: Any, summary: Any) -> str:
    return identifiers.mask_id_number(p.id_number or "")


INSTRUCTOR_COLUMNS = (
    Column("姓名", lambda p, s: p.name, "name"),
    Column("公民身份号码", _masked_id, "id_number"),
    Column("联系电话", lambda p, s: identifiers.mask_phone(p.phone or "")),
    Column("工作单位", lambda p, s: _text(p.work_unit)),
    Column("职务", lambda p, s: _text(p.position)),
    Column("当前挂钩组织数", lambda p, s: _text(s or 0), numeric=True),
)

OFFICER_COLUMNS = (
    Column("姓名", lambda p, s: p.name, "name"),
    Column("公民身份号码", _masked_id, "id_number"),
    Column("联系电话", lambda p, s: identifiers.mask_phone(p.phone or "")),
    Column("派出单位", lambda p, s: _text(p.home_unit)),
    Column("职务", lambda p, s: _text(p.position)),
    Column("开户银行", lambda p, s: _text(p.bank_name)),
    Column("当前派驻企业", lambda p, s: _text(s)),
)


class InstructorModel(PersonModel):
    """Instructors with how many organizations each guides today."""

    columns = INSTRUCTOR_COLUMNS

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(db, registry.list_instructors, registry.count_instructors, parent)


class OfficerModel(PersonModel):
    """Liaison officers with the enterprises each is posted to today."""

    columns = OFFICER_COLUMNS

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(db, registry.list_officers, registry.count_officers, parent)
