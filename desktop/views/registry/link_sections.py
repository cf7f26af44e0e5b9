"""Postings, instructor assignments and assessments inside a person's form.

Each add, change or delete is its own saved action (STYLE.md rule 2): a small
dialog collects the organization and dates (or year and grade), the registry
service checks and saves it, and a refusal is shown in the dialog, which stays
open. A new person is saved first, because a link needs the person's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.domain.labels import GRADE_LABELS
from desktop.domain.registry import Assessment, check_assessment, check_posting
from desktop.errors import UserError
from desktop.services import registry
from desktop.views.context import AppContext
from desktop.views.dialogs import ask
from desktop.views.registry.org_picker import OrganizationPicker
from desktop.views.widgets import ERROR_LABEL_STYLE, DateEdit, EnumCombo, dialog_buttons

Row = tuple[Any, list[str]]  # (record, the cells shown)


class EntryDialog(QDialog):
    """A small dialog whose 保存 calls `on_save(record)`; a UserError keeps it open."""

    def __init__(self, title: str, on_save: Callable[[Any], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.on_save = on_save
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.banner = QLabel()
        self.banner.setStyleSheet(ERROR_LABEL_STYLE)
        self.banner.setWordWrap(True)
        self.layout_.addWidget(self.banner)
        buttons = dialog_buttons(self, self.save, "保存", save=True)
        self.layout_.addWidget(buttons)

    def build(self) -> Any:
        """The record from the fields, or raise UserError naming what is missing."""
        raise NotImplementedError

    def save(self) -> bool:
        """Build, save through the service, close; show the reason if refused."""
        try:
            self.on_save(self.build())
        except UserError as err:
            self.banner.setText(str(err))
            return False
        self.accept()
        return True


class LinkDialog(EntryDialog):
    """Organization (searchable) and start/end dates of a posting or assignment."""

    def __init__(self, context: AppContext, title: str, make: Callable[..., Any],
                 on_save: Callable[[Any], None], link: Any = None, org_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(title, on_save, parent)
        self.make, self.link = make, link
        self.picker = OrganizationPicker(context)
        self.start = DateEdit()
        self.end = DateEdit()
        self.form.addRow("组织*", self.picker)
        self.form.addRow("开始日期*", self.start)
        self.form.addRow("结束日期", self.end)
        self.form.addRow("", QLabel("结束日期不填表示至今仍在岗。"))
        if link is not None:
            self.picker.set_value(link.organization_id, org_name)
            self.start.set_value(link.start_on)
            self.end.set_value(link.end_on)
        self.resize(520, 420)

    def build(self) -> Any:
        """The link described by the fields."""
        for field, reason in (("start", self.start.own_problem()), ("end", self.end.own_problem())):
            if reason:
                raise UserError(("开始日期：" if field == "start" else "结束日期：") + reason)
        if self.picker.value() is None:
            raise UserError("请选择组织")
        link = self.make(organization_id=self.picker.value(), start_on=self.start.value(),
                         end_on=self.end.value(), id=self.link.id if self.link else None)
        problems = check_posting(link)
        if problems:
            raise UserError("；".join(reason for _, reason in problems), problems=problems)
        return link


class AssessmentDialog(EntryDialog):
    """Year and grade of an officer's assessment."""

    def __init__(self, officer_id: str, on_save: Callable[[Any], None],
                 item: Assessment | None = None, parent: QWidget | None = None) -> None:
        super().__init__("考核等次", on_save, parent)
        self.officer_id, self.item = officer_id, item
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.grade = EnumCombo(GRADE_LABELS)
        self.form.addRow("年度*", self.year)
        self.form.addRow("考核等次*", self.grade)
        self.year.setValue(item.year if item else _this_year() - 1)
        if item is not None:
            self.grade.set_value(item.grade)

    def build(self) -> Assessment:
        """The assessment described by the fields."""
        item = Assessment(officer_id=self.officer_id, year=self.year.value(),
                          grade=self.grade.value() or "", id=self.item.id if self.item else None)
        problems = check_assessment(item)
        if problems:
            raise UserError("；".join(reason for _, reason in problems), problems=problems)
        return item


def _this_year() -> int:
    from datetime import date

    return date.today().year


@dataclass(frozen=True)
class SectionSpec:
    """What a link section lists and how it edits."""

    title: str
    headers: tuple[str, ...]
    record_class: type
    tables: frozenset[str]


class LinkSection(QGroupBox):
    """A table of one person's links with 添加 / 修改 / 删除."""

    def __init__(self, context: AppContext, spec: SectionSpec, owner: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(spec.title, parent)
        # `owner` is the person's form: `.record` and `.ensure_saved()`.
        self.context, self.spec, self.owner = context, spec, owner
        self.rows: list[Row] = []
        self.dialog: EntryDialog | None = None
        self.table = QTableWidget(0, len(spec.headers))
        self.table.setHorizontalHeaderLabels(list(spec.headers))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(150)
        self.table.doubleClicked.connect(lambda *_: self.edit())
        buttons = QHBoxLayout()
        for text, slot in (("添加…", self.add), ("修改…", self.edit), ("删除", self.remove)):
            button = QPushButton(text)
            button.clicked.connect(lambda *_, s=slot: s())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    # -- subclass hooks -------------------------------------------------------
    def load_rows(self, person_id: str) -> list[Row]:
        """The person's links and the cells to show."""
        raise NotImplementedError

    def make_dialog(self, person_id: str, row: Row | None) -> EntryDialog:
        """The dialog adding (row None) or changing a link."""
        raise NotImplementedError

    # -- behaviour ---------------------------------------------------------------
    def reload(self) -> None:
        """Show the saved links of the person (none for a new person)."""
        pid = self.person_id_known()
        self.rows = self.load_rows(pid) if pid else []
        self.table.setRowCount(len(self.rows))
        for r, (_, cells) in enumerate(self.rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def person_id_known(self) -> str | None:
        """The person's id if saved, else None."""
        record = self.owner.record
        return str(record.id) if record is not None and record.id else None

    def person_id(self) -> str | None:
        """The person's id, saving a new or changed person first."""
        return self.owner.ensure_saved()

    def _selected(self) -> Row | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def add(self) -> EntryDialog | None:
        """Open the dialog for a new link (saving a new person first)."""
        pid = self.person_id()
        if pid is None:
            return None
        return self._open(self.make_dialog(pid, None))

    def edit(self) -> EntryDialog | None:
        """Open the dialog for the selected link."""
        row, pid = self._selected(), self.person_id_known()
        if row is None or pid is None:
            return None
        return self._open(self.make_dialog(pid, row))

    def _open(self, dialog: EntryDialog) -> EntryDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def saved(self, record: Any) -> None:
        """Create or update a link through the service, then show it."""
        if record.id:
            registry.update(self.context.db, record)
        else:
            registry.create(self.context.db, record)
        self.context.announce(self.spec.tables)
        self.reload()

    def remove(self) -> bool:
        """Delete the selected link after asking."""
        row = self._selected()
        if row is None or not ask(self, "删除", f"确定要删除这条{self.spec.title}记录吗？\n"
                                  + "　".join(row[1])):
            return False
        registry.delete(self.context.db, self.spec.record_class, row[0].id)
        self.context.announce(self.spec.tables)
        self.reload()
        return True


def span_cells(link: Any, org_name: str) -> list[str]:
    """组织, 开始日期, 结束日期 of a posting or assignment."""
    return [org_name, link.start_on.isoformat(), link.end_on.isoformat() if link.end_on else "至今"]
