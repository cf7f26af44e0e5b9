"""The organization list: search, filters (township, kind, industry, 新业态,
Party-organization form, mass organizations), the paged table and the count
"共 439 家，已建党组织 144 家"."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.domain.labels import INDUSTRY_LABELS, KIND_LABELS, PARTY_ORG_FORM_LABELS
from desktop.domain.registry import Organization, OrganizationFilter
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.registry.export_action import RegistryList
from desktop.views.registry.organization_form import OrganizationForm
from desktop.views.registry.model import OrganizationModel
from desktop.views.widgets import EnumCombo, tri_state_value

WIDTHS = (210, 150, 72, 66, 64, 48, 62, 40, 66, 110, 56)
NEW_FORM_CHOICES = (("yes", "新业态企业"), ("no", "非新业态"))
MASS_ORG_CHOICES = (("yes", "有群团组织"), ("no", "无群团组织"))
PARTY_FORM_CHOICES = tuple((code, "未建党组织" if code == "none" else label)
                           for code, label in PARTY_ORG_FORM_LABELS.items())


class OrganizationScreen(RegistryList):
    """The 组织 screen."""

    state_name = "organizations"
    tables = frozenset({"organization"})
    search_hint = "搜索名称、统一社会信用代码、联系人或电话（Ctrl+F）"
    new_label = "新建组织"
    export_kind = "organizations"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, OrganizationModel(context.db), WIDTHS, parent)
        self.township = EnumCombo(self._townships(), "全部乡镇")
        self.kind = EnumCombo(KIND_LABELS, "全部类型")
        self.industry = EnumCombo(INDUSTRY_LABELS, "全部行业")
        self.new_form = EnumCombo(NEW_FORM_CHOICES, "新业态：不限")
        self.party_form = EnumCombo(PARTY_FORM_CHOICES, "党组织：全部")
        self.mass_org = EnumCombo(MASS_ORG_CHOICES, "群团组织：不限")
        for label, combo in (("乡镇", self.township), ("类型", self.kind), ("行业", self.industry),
                             ("新业态", self.new_form), ("党组织组建方式", self.party_form),
                             ("群团组织", self.mass_org)):
            self.add_filter(label, combo)
        self.finish_filters()

    def _townships(self) -> list[tuple[str, str]]:
        return [(a.id or "", a.name) for a in registry.townships(self.context.db)]

    def current_filter(self) -> OrganizationFilter:
        """The filter for the search text and the drop-downs."""
        return OrganizationFilter(
            area_id=self.township.value(), kind=self.kind.value(), industry=self.industry.value(),
            is_new_business_form=tri_state_value(self.new_form.value()),
            party_org_form=self.party_form.value(),
            has_mass_org=tri_state_value(self.mass_org.value()),
            search=self.search.text())

    def count_text(self) -> str:
        """'共 N 家，已建党组织 M 家' over the whole filtered list."""
        model = self.model
        assert isinstance(model, OrganizationModel)
        return f"共 {model.total} 家，已建党组织 {model.with_party_org} 家"

    def make_form(self, record: Organization | None) -> OrganizationForm:
        """The organization form, refreshing this list when it saves."""
        return OrganizationForm(self.context, record, self)

    def refresh(self) -> None:
        """Reload the township list (areas may have changed) and the table."""
        self.township.set_choices(self._townships(), "全部乡镇")
        self.apply_filter()
