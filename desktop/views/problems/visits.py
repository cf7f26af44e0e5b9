"""走访记录 on an organization's page: its visits, newest first, with who went,
what was found and the problems recorded from each; 新增走访 and 从走访新增问题
(a problem with the visit's organization and date, linked to the visit)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QGroupBox, QHBoxLayout, QHeaderView, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.domain import access
from desktop.domain import problems as rules
from desktop.domain.problems import ProblemFilter, Visit
from desktop.domain.registry import Instructor, LiaisonOfficer
from desktop.errors import UserError
from desktop.services import problems, registry, users
from desktop.views.context import AppContext
from desktop.views.problems.dialogs import NewProblemDialog, VisitDialog
from desktop.views.widgets import ROW_HEIGHT

HEADERS = ("走访日期", "方式", "走访人", "发现情况", "发现问题")
ALL = 2 ** 62


def _name(db: Any, cls: type, record_id: str | None) -> str:
    if not record_id:
        return ""
    try:
        return registry.get(db, cls, record_id).name
    except UserError:  # a deleted person still visited
        return ""


def found_text(descriptions: list[str]) -> str:
    """'2 个：技改补贴未拨付；招聘难' (the cell elides it, the tooltip lists each); '—' for none."""
    return f"{len(descriptions)} 个：" + "；".join(descriptions) if descriptions else "—"


class VisitSection(QGroupBox):
    """The visits of the organization the owner form shows (`owner.record`,
    `owner.ensure_saved()`: a new organization is saved first)."""

    def __init__(self, context: AppContext, owner: Any, parent: QWidget | None = None) -> None:
        super().__init__("走访记录", parent)
        self.context, self.owner = context, owner
        self.visits: list[Visit] = []
        self.dialog: QDialog | None = None
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        # Three visits always show: the organization form is tall already.
        self.table.setMinimumHeight(ROW_HEIGHT * 4 + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (3, 4):  # the two texts share what the dates and names leave
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(160)
        self.add_button = QPushButton("新增走访…")
        self.add_button.clicked.connect(lambda: self.add_visit())
        self.problem_button = QPushButton("从走访新增问题…")
        self.problem_button.clicked.connect(lambda: self.add_problem())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.problem_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        may = users.allows(context.db, access.EDIT_PROBLEMS)
        for button in (self.add_button, self.problem_button):
            button.setEnabled(may)

    def organization_id(self) -> str | None:
        record = self.owner.record
        return str(record.id) if record is not None and record.id else None

    def organization_name(self) -> str:
        return getattr(self.owner.record, "name", "") or ""

    def reload(self) -> None:
        """Show the organization's visits and the problems found on each."""
        org = self.organization_id()
        db = self.context.db
        self.visits = problems.visits_of(db, org) if org else []
        found: dict[str, list[str]] = defaultdict(list)
        if org:
            page = problems.list_problems(db, ProblemFilter(organization_id=org, limit=ALL),
                                          count=False)
            for row in sorted(page.rows, key=lambda r: r.problem.found_on):
                if row.problem.visit_id:
                    found[row.problem.visit_id].append(row.problem.description)
        self.table.setRowCount(len(self.visits))
        for r, visit in enumerate(self.visits):
            who = "、".join(n for n in (_name(db, Instructor, visit.instructor_id),
                                        _name(db, LiaisonOfficer, visit.officer_id)) if n)
            cells = (visit.visited_on.isoformat(), rules.VISIT_KIND_LABELS.get(visit.kind, ""),
                     who, visit.findings or "", found_text(found.get(visit.id or "", [])))
            tips = (*cells[:4], "\n".join(found.get(visit.id or "", [])))
            for c, (text, tip) in enumerate(zip(cells, tips)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(r, c, item)

    def lines(self) -> list[tuple[str, ...]]:
        """The rows as shown (tests)."""
        return [tuple(self.table.item(r, c).text() for c in range(len(HEADERS)))
                for r in range(self.table.rowCount())]

    def selected_visit(self) -> Visit | None:
        row = self.table.currentRow()
        return self.visits[row] if 0 <= row < len(self.visits) else None

    def add_visit(self) -> VisitDialog | None:
        """新增走访 (a new organization is saved first)."""
        org = self.owner.ensure_saved()
        if org is None:
            return None
        self.dialog = dialog = VisitDialog(self.context, org, self.organization_name(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
        return dialog

    def add_problem(self) -> NewProblemDialog | None:
        """从走访新增问题: the selected visit (the newest when none is selected)."""
        visit = self.selected_visit() or (self.visits[0] if self.visits else None)
        if visit is None:
            return None
        self.dialog = dialog = NewProblemDialog(self.context, self, visit=visit,
                                                organization_name=self.organization_name())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
        return dialog


def add_visit_section(form: Any) -> VisitSection:
    """Put the 走访记录 section on an organization form (its one hook) and fill it."""
    section = VisitSection(form.context, form)
    form._layout.addWidget(section)  # noqa: SLF001 - the form's own layout, as officer_form does
    section.reload()
    return section
