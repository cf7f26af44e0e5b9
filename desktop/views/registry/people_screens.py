"""The instructor and liaison-officer lists."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.domain.registry import Instructor, LiaisonOfficer, PersonFilter
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.registry.instructor_form import InstructorForm
from desktop.views.registry.export_action import RegistryList
from desktop.views.registry.officer_form import OfficerForm
from desktop.views.registry.model import InstructorModel, OfficerModel
from desktop.views.widgets import EnumCombo


class InstructorScreen(RegistryList):
    """The 指导员 screen: search and a township filter."""

    state_name = "instructors"
    tables = frozenset({"instructor", "instructor_assignment", "organization"})
    search_hint = "搜索姓名、身份号码、电话或工作单位（Ctrl+F）"
    new_label = "新建指导员"
    export_kind = "instructors"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, InstructorModel(context.db), (90, 170, 110, 220, 120, 100),
                         parent)
        self.township = EnumCombo(self._townships(), "全部乡镇")
        self.add_filter("所属乡镇", self.township)
        self.finish_filters()

    def _townships(self) -> list[tuple[str, str]]:
        return [(a.id or "", a.name) for a in registry.townships(self.context.db)]

    def current_filter(self) -> PersonFilter:
        """Search text and township."""
        return PersonFilter(search=self.search.text(), area_id=self.township.value())

    def count_text(self) -> str:
        """'共 N 人'."""
        return f"共 {self.model.total} 人"

    def make_form(self, record: Instructor | None) -> InstructorForm:
        """The instructor's form with assignments."""
        return InstructorForm(self.context, record, self)


class OfficerScreen(RegistryList):
    """The 联络员 screen: search by name, ID, phone or home unit."""

    state_name = "officers"
    tables = frozenset({"liaison_officer", "posting", "assessment", "organization"})
    search_hint = "搜索姓名、身份号码、电话或派出单位（Ctrl+F）"
    new_label = "新建联络员"
    export_kind = "officers"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, OfficerModel(context.db), (80, 170, 110, 150, 100, 190),
                         parent)
        self.finish_filters()

    def current_filter(self) -> PersonFilter:
        """Search text only: officers are not filed under a township."""
        return PersonFilter(search=self.search.text())

    def count_text(self) -> str:
        """'共 N 人'."""
        return f"共 {self.model.total} 人"

    def make_form(self, record: LiaisonOfficer | None) -> OfficerForm:
        """The officer's form with postings and assessments."""
        return OfficerForm(self.context, record, self)
