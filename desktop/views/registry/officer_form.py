"""The liaison officer's form: the person, their postings to enterprises and
their yearly assessments (order as on the import sheets 联络员/派驻/考核)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.domain import identifiers
from desktop.domain.labels import GRADE_LABELS, label_of
from desktop.domain.registry import Assessment, LiaisonOfficer, Posting, check_officer
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.registry.link_sections import (
    AssessmentDialog, EntryDialog, LinkDialog, LinkSection, Row, SectionSpec, span_cells,
)
from desktop.views.registry.record_form import RecordForm, Section
from desktop.views.widgets import ValidatedLineEdit

ID_LENGTH = 18
POSTINGS = SectionSpec("派驻", ("派驻企业", "开始日期", "结束日期"), Posting,
                       frozenset({"posting"}))
ASSESSMENTS = SectionSpec("考核", ("年度", "考核等次"), Assessment, frozenset({"assessment"}))


def id_number_field() -> ValidatedLineEdit:
    """公民身份号码, judged as soon as 18 characters are typed."""
    field = ValidatedLineEdit(identifiers.check_id_number, full_length=ID_LENGTH)
    field.setMaxLength(24)
    return field


class PostingSection(LinkSection):
    """派驻: the enterprises an officer is posted to, with dates."""

    def load_rows(self, person_id: str) -> list[Row]:
        return [(p, span_cells(p, name)) for p, name in registry.postings_of(self.context.db, person_id)]

    def make_dialog(self, person_id: str, row: Row | None) -> EntryDialog:
        make = partial(Posting, officer_id=person_id)
        link, name = (row[0], row[1][0]) if row else (None, "")
        return LinkDialog(self.context, "派驻", make, self.saved, link, name, self)


class AssessmentSection(LinkSection):
    """考核: one grade per year."""

    def load_rows(self, person_id: str) -> list[Row]:
        return [(a, [str(a.year), label_of(GRADE_LABELS, a.grade)])
                for a in registry.assessments_of(self.context.db, person_id)]

    def make_dialog(self, person_id: str, row: Row | None) -> EntryDialog:
        return AssessmentDialog(person_id, self.saved, row[0] if row else None, self)


class OfficerForm(RecordForm):
    """新建/编辑驻企联络员."""

    record_class = LiaisonOfficer
    tables = frozenset({"liaison_officer"})
    noun = "联络员"

    def __init__(self, context: AppContext, record: LiaisonOfficer | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, record, parent)
        self.postings = PostingSection(context, POSTINGS, self)
        self.assessments = AssessmentSection(context, ASSESSMENTS, self)
        for section in (self.postings, self.assessments):
            self._layout.addWidget(section)
            section.reload()
        self.add_buttons()
        self.resize(760, 720)

    def sections(self) -> list[Section]:
        """The person and where the stipend is paid."""
        return [
            ("基本信息", [
                ("name", "姓名*", ValidatedLineEdit()),
                ("id_number", "公民身份号码*", id_number_field()),
                ("phone", "联系电话", ValidatedLineEdit(identifiers.check_phone)),
                ("home_unit", "派出单位", ValidatedLineEdit()),
                ("position", "职务", ValidatedLineEdit()),
            ]),
            ("补贴发放账户", [
                ("bank_name", "开户银行", ValidatedLineEdit()),
                ("bank_account", "银行卡号", ValidatedLineEdit(identifiers.check_bank_account)),
            ]),
        ]

    def to_record(self, values: dict[str, Any]) -> LiaisonOfficer:
        """The officer the fields describe."""
        values["name"] = values["name"] or ""
        values["id_number"] = values["id_number"] or ""
        return LiaisonOfficer(**values, id=self.record.id if self.record else None)

    def check(self, record: LiaisonOfficer) -> list[tuple[str, str]]:
        """The domain's rules for officers."""
        return check_officer(record)
