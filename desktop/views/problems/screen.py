"""The 问题清单 screen (PROBLEMS.md): the problems found at enterprises, soonest
deadline first, filtered by township, status, category, unit, overdue and a
search word; the selected problem's timeline beside the list; 新增问题 (Ctrl+N),
推进环节 (Enter or double-click), 导出清单 (the printable xlsx) and 督办通知单…
(a unit's open problems as a PDF, previewed to print).

Keyboard-first: Ctrl+F is the search box, the arrow keys walk the list (the
timeline follows), Enter opens the advance dialog. The buttons that write are
disabled for a user whose roles do not allow it; the services refuse anyway.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox, QCompleter, QDialog, QLineEdit, QPushButton, QSplitter, QWidget,
)

from desktop.domain import access
from desktop.domain import problems as rules
from desktop.domain.problems import ProblemFilter
from desktop.services import problems, registry, users, workspace
from desktop.views.context import AppContext
from desktop.views.dialogs import inform
from desktop.views.dialogs import ask_save_path
from desktop.views.list_screen import ListScreen
from desktop.views.problems.detail import ProblemDetail
from desktop.views.problems.dialogs import AdvanceDialog, NewProblemDialog
from desktop.views.problems.model import WIDTHS, ProblemModel
from desktop.views.problems.notice import NoticeAction
from desktop.views.widgets import EnumCombo

OPEN = "open"  # not a status: 已受理 or 督办中, the screen's first view
STATUS_CHOICES = ((OPEN, "未办结（" + "、".join(rules.STATUS_LABELS[s] for s in rules.OPEN_STATUSES)
                   + "）"),
                  *((code, f"{label}（{rules.STAGE_LABELS[code]}）")
                    for code, label in rules.STATUS_LABELS.items()))


class ProblemScreen(ListScreen):
    """问题清单."""

    state_name = "problems"
    tables = frozenset({"problem", "problem_step", "visit", "organization", "area"})
    search_hint = "搜索问题描述、组织名称、责任单位或责任人（Ctrl+F）"
    new_label = "新增问题（Ctrl+N）"

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        self.model_: ProblemModel = ProblemModel(context.db)
        super().__init__(context, self.model_, WIDTHS, parent)
        self.township = EnumCombo(self._townships(), "全部乡镇")
        self.status = EnumCombo(STATUS_CHOICES, "全部状态")
        self.status.set_value(OPEN)
        self.category = EnumCombo(rules.CATEGORY_LABELS, "全部类别")
        for label, combo in (("乡镇", self.township), ("状态/环节", self.status),
                             ("问题类别", self.category)):
            self.add_filter(label, combo)
        self.unit = self._unit_field()
        self.add_filter("责任单位", self.unit)
        self.overdue = QCheckBox("仅看逾期")
        self.overdue.toggled.connect(self.apply_filter)
        self.add_filter("仅看逾期", self.overdue)
        self._add_buttons()
        self.detail = ProblemDetail(context)
        self._split()
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model_.modelReset.connect(lambda: self.detail.show_row(self.current_record()))
        self._apply_access()
        self.finish_filters()

    # -- building --------------------------------------------------------------
    def _townships(self) -> list[tuple[str, str]]:
        return [(a.name, a.name) for a in registry.townships(self.context.db)]

    def _unit_field(self) -> QLineEdit:
        unit = QLineEdit()
        unit.setPlaceholderText("责任单位（全称）")
        unit.setClearButtonEnabled(True)
        unit.setMinimumWidth(150)
        self.units = QStringListModel(problems.responsible_units(self.context.db), self)
        completer = QCompleter(self.units, unit)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda *_: self.apply_filter())
        unit.setCompleter(completer)
        # The unit is matched whole: filter when the clerk finishes, not per keystroke.
        unit.editingFinished.connect(self.apply_filter)
        unit.textChanged.connect(lambda text: text or self.apply_filter())
        return unit

    def _add_buttons(self) -> None:
        top = self.layout().itemAt(0).layout()
        self.advance_button = QPushButton("推进环节（Enter）")
        self.advance_button.clicked.connect(self.open_current)
        self.export_button = QPushButton("导出清单…")
        self.export_button.clicked.connect(lambda: self.export_view())
        self.notice_button = QPushButton("督办通知单…")
        self.notice_button.clicked.connect(lambda: self.supervision_notice())
        top.addWidget(self.advance_button)
        top.addWidget(self.export_button)
        top.addWidget(self.notice_button)

    def _split(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.layout().replaceWidget(self.table, splitter)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([800, 420])
        self.splitter = splitter

    def _apply_access(self) -> None:
        db = self.context.db
        self.may_edit = users.allows(db, access.EDIT_PROBLEMS) and not workspace.is_read_only(db)
        for button in (self.new_button, self.advance_button):
            button.setEnabled(self.may_edit)
            button.setToolTip("" if self.may_edit else "当前用户无权修改问题清单（只能查看和导出）")

    # -- the list --------------------------------------------------------------
    def current_filter(self) -> ProblemFilter:
        """The filter for the search box, the drop-downs, the unit and 仅看逾期."""
        township, status = self.township.value(), self.status.value()
        return ProblemFilter(
            area_ids=problems.township_filter(self.context.db, township) if township else None,
            status=None if status == OPEN else status, open_only=status == OPEN,
            category=self.category.value(),
            responsible_unit=self.unit.text().strip() or None,
            overdue=self.overdue.isChecked(), as_of=self.model_.as_of,
            search=self.search.text())

    def apply_filter(self, *_: Any) -> None:
        """Reload for the filters (the unit field and check box exist only once built)."""
        if hasattr(self, "overdue"):
            super().apply_filter()

    def count_text(self) -> str:
        """'共 N 个问题，其中逾期 M 个（截至 …）'."""
        m = self.model_
        return f"共 {m.total} 个问题，其中逾期 {m.overdue} 个（截至 {m.as_of.isoformat()}）"

    def scope_text(self) -> str:
        """The filters in words, for the exported list's heading."""
        parts = [self.township.value(), self.status.currentText() if self.status.value() else None,
                 self.category.currentText() if self.category.value() else None,
                 self.unit.text().strip() or None, "逾期" if self.overdue.isChecked() else None,
                 f"含“{self.search.text().strip()}”" if self.search.text().strip() else None]
        return "、".join(p for p in parts if p) or "全部"

    def refresh(self) -> None:
        """Reload townships, units and the table (data changed elsewhere)."""
        self.model_.as_of = date.today()  # a window left open overnight marks tomorrow's overdue
        self.township.set_choices(self._townships(), "全部乡镇")
        self.units.setStringList(problems.responsible_units(self.context.db))
        self._apply_access()
        self.apply_filter()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_row(self.model_.record_at(current.row()) if current.isValid() else None)

    def select_problem(self, problem_id: str | None) -> bool:
        """Select a problem's row if it is on the first page of the list."""
        for r in range(min(self.model_.rowCount(), 200)):
            row = self.model_.record_at(r)
            if row is not None and row.problem.id == problem_id:
                self.table.selectRow(r)
                self.table.scrollTo(self.model_.index(r, 0))
                return True
        return False

    # -- actions ---------------------------------------------------------------
    def make_form(self, record: Any) -> AdvanceDialog:
        """The advance dialog of a listed problem."""
        return AdvanceDialog(self.context, record, self)

    def open_record(self, record: Any) -> AdvanceDialog | None:  # type: ignore[override]
        """推进环节 for `record` (Enter, double-click, the button)."""
        if record is None or not self.may_edit:
            return None
        dialog = self.form = self.make_form(record)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.select_problem(record.problem.id)
        return dialog

    def new_record(self) -> NewProblemDialog | None:  # type: ignore[override]
        """新增问题 (Ctrl+N)."""
        if not self.may_edit:
            return None
        dialog = self.form = NewProblemDialog(self.context, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.select_problem(dialog.saved_id)
        return dialog

    def export_view(self, *, mask: bool = True) -> Any:
        """导出清单: the 问题、责任、时限清单 of the list as filtered, off the GUI thread."""
        path = ask_save_path(self, self.context, "导出问题清单",
                             f"问题、责任、时限清单-{date.today():%Y%m%d}.xlsx")
        if path is None:
            return None
        f, as_of, scope = self.current_filter(), self.model_.as_of, self.scope_text()

        def work(db: Any, _progress: Any) -> Any:
            from desktop.services import problem_outputs  # openpyxl: loaded when first used

            return problem_outputs.export_problem_list(db, path, f, as_of=as_of, scope=scope)
        self.export_task = self.context.run(self, "正在导出问题清单……", work, self._exported)
        return self.export_task

    def supervision_notice(self) -> Any:
        """督办通知单…: a unit's open problems as a PDF, shown in the print preview."""
        self.notice = getattr(self, "notice", None) or NoticeAction(self)
        return self.notice.start()

    def _exported(self, result: tuple[Any, int]) -> None:
        path, n = result
        self.last_dialog = inform(self, "导出完成", f"已导出 {n} 个问题：\n{path}")
