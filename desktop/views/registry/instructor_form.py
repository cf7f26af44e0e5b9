"""The instructor's form: the person, their guidance station and township,
and the organizations they guide (挂钩指导) with dates."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.domain import identifiers
from desktop.domain.registry import Instructor, InstructorAssignment, check_instructor
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.registry.link_sections import (
    EntryDialog, LinkDialog, LinkSection, Row, SectionSpec, span_cells,
)
from desktop.views.registry.officer_form import id_number_field
from desktop.views.registry.record_form import RecordForm, Section
from desktop.views.widgets import EnumCombo, ValidatedLineEdit

ASSIGNMENTS = SectionSpec("挂钩指导", ("指导组织", "开始日期", "结束日期"), InstructorAssignment,
                          frozenset({"instructor_assignment"}))


class AssignmentSection(LinkSection):
    """挂钩指导: organizations an instructor guides, with dates."""

    def load_rows(self, person_id: str) -> list[Row]:
        return [(a, span_cells(a, name))
                for a, name in registry.assignments_of(self.context.db, person_id)]

    def make_dialog(self, person_id: str, row: Row | None) -> EntryDialog:
        make = partial(InstructorAssignment, instructor_id=person_id)
        link, name = (row[0], row[1][0]) if row else (None, "")
        return LinkDialog(self.context, "挂钩指导", make, self.saved, link, name, self)


class InstructorForm(RecordForm):
    """新建/编辑党建工作指导员."""

    record_class = Instructor
    tables = frozenset({"instructor"})
    noun = "指导员"

    def __init__(self, context: AppContext, record: Instructor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, record, parent)
        self.assignments = AssignmentSection(context, ASSIGNMENTS, self)
        self._layout.addWidget(self.assignments)
        self.assignments.reload()
        self.add_buttons()
        self.resize(760, 600)

    def sections(self) -> list[Section]:
        """The person, the station and the township."""
        db = self.context.db
        stations = [(s.id or "", s.name) for s in registry.stations(db)]
        townships = [(a.id or "", a.name) for a in registry.townships(db)]
        return [
            ("基本信息", [
                ("name", "姓名*", ValidatedLineEdit()),
                ("id_number", "公民身份号码*", id_number_field()),
                ("phone", "联系电话", ValidatedLineEdit(identifiers.check_phone)),
                ("work_unit", "工作单位", ValidatedLineEdit()),
                ("position", "职务", ValidatedLineEdit()),
                ("guidance_station_id", "指导站", EnumCombo(stations, "（未填）")),
                ("area_id", "所属乡镇", EnumCombo(townships, "（未填）")),
            ]),
        ]

    def to_record(self, values: dict[str, Any]) -> Instructor:
        """The instructor the fields describe."""
        values["name"] = values["name"] or ""
        values["id_number"] = values["id_number"] or ""
        return Instructor(**values, id=self.record.id if self.record else None)

    def check(self, record: Instructor) -> list[tuple[str, str]]:
        """The domain's rules for instructors."""
        return check_instructor(record)
