"""The 问题清单's dialogs: a new problem (directly or from a visit), the next step
of a problem with its note, and a new visit. Each saves through
desktop.services.problems; a refusal is shown in Chinese and the dialog stays
open with what was typed. The fields are in the order a clerk fills them, which
is also the tab order; dates are typed (2026-3-10) or picked."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCompleter, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from desktop.domain import problems as rules
from desktop.domain import text_limits
from desktop.domain.problems import Problem, Visit
from desktop.domain.registry import PersonFilter
from desktop.errors import UserError
from desktop.services import problems, registry
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.registry.org_picker import OrganizationPicker
from desktop.views.widgets import DateEdit, EnumCombo, dialog_buttons

PEOPLE_LISTED = 2000  # a county's instructors or officers fit in a drop-down
CHANGED_TABLES = frozenset({"problem", "problem_step", "visit"})


def text_box(placeholder: str, lines: int = 3) -> QPlainTextEdit:
    """A few lines of text where Tab moves on instead of typing a tab."""
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _date(field: DateEdit, what: str) -> date | None:
    reason = field.own_problem()
    if reason:
        raise UserError(f"{what}：{reason}")
    return field.value()


class ProblemsDialog(QDialog):
    """A form whose 确定 runs `save()`; a UserError is shown and the dialog stays."""

    accept_text = "保存"

    def __init__(self, context: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.buttons = dialog_buttons(self, self.submit, self.accept_text)
        self.saved_id: str | None = None

    def finish(self, first: QWidget, width: int) -> None:
        """Put the buttons last, size the dialog to its fields (spare height would
        be spread between the rows) and the cursor in the first field."""
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.buttons)
        self._chain_tab_order()
        self.resize(width, self.sizeHint().height())
        first.setFocus()

    def _chain_tab_order(self) -> None:
        # Widgets join the tab chain when they are parented, which for compound
        # fields (a date with its calendar button) is not the order of the rows.
        fields = [self.form.itemAt(r, QFormLayout.ItemRole.FieldRole).widget()
                  for r in range(self.form.rowCount())]
        chain = [w for w in fields if w is not None and not isinstance(w, QLabel)]
        chain += self.buttons.buttons()
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def save(self) -> str:
        """Write through the service; returns the id written."""
        raise NotImplementedError

    def submit(self) -> bool:
        """保存: save, tell the other screens, close; a refusal keeps the dialog open."""
        try:
            self.saved_id = self.save()
        except UserError as err:
            errors.show_user_error(self, err, "不能保存")
            return False
        self.context.announce(CHANGED_TABLES)
        self.accept()
        return True


class NewProblemDialog(ProblemsDialog):
    """新增问题: directly (pick the organization) or from a visit (its
    organization and date are given; the problem is linked to it)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 visit: Visit | None = None, organization_name: str = "") -> None:
        super().__init__(context, "从走访新增问题" if visit else "新增问题", parent)
        self.visit = visit
        self.picker = OrganizationPicker(context)
        if visit is not None:
            self.picker.set_value(visit.organization_id, organization_name)
            kind = rules.VISIT_KIND_LABELS.get(visit.kind, "")
            self.form.addRow("组织", QLabel(f"{organization_name}（{visit.visited_on} {kind}）"))
        else:
            self.form.addRow("组织*", self.picker)
        self.found_on = DateEdit()
        self.found_on.set_value(visit.visited_on if visit else date.today())
        self.category = EnumCombo(rules.CATEGORY_LABELS, "（请选择）")
        self.description = text_box("企业反映的问题")
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("如：县人社局")
        completer = QCompleter(problems.responsible_units(context.db), self.unit)
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.unit.setCompleter(completer)
        self.unit.setMaxLength(text_limits.limit("problem", "responsible_unit"))
        self.person = QLineEdit()
        self.person.setMaxLength(text_limits.limit("problem", "responsible_person"))
        self.deadline = DateEdit()
        self.note = QLineEdit()
        self.note.setMaxLength(text_limits.limit("problem_step", "note"))
        self.note.setPlaceholderText("可不填")
        for label, widget in (("发现日期*", self.found_on), ("问题类别*", self.category),
                              ("问题描述*", self.description), ("责任单位*", self.unit),
                              ("责任人", self.person), ("办结时限*", self.deadline),
                              ("受理说明", self.note)):
            self.form.addRow(label, widget)
        self.finish(self.found_on if visit else self.picker, 560)

    def problem(self) -> Problem:
        """The problem the fields describe (the service checks it)."""
        if self.picker.value() is None:
            raise UserError("请选择组织")
        return Problem(
            organization_id=self.picker.value() or "", found_on=_date(self.found_on, "发现日期"),
            category=self.category.value() or "", description=self.description.toPlainText(),
            responsible_unit=self.unit.text().strip(),
            responsible_person=self.person.text().strip() or None,
            deadline=_date(self.deadline, "办结时限"),
            visit_id=self.visit.id if self.visit else None)

    def save(self) -> str:
        return problems.add_problem(self.context.db, self.problem(), note=self.note.text())


class AdvanceDialog(ProblemsDialog):
    """推进环节: the steps the problem may take next (from the domain's rules),
    the date and the note (办理情况 of a report back)."""

    accept_text = "确定"

    def __init__(self, context: AppContext, row: problems.ProblemRow,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, "推进环节", parent)
        p = self.problem = row.problem
        summary = QLabel(f"{row.organization_name}：{p.description}\n"
                         f"责任单位：{p.responsible_unit}　办结时限：{p.deadline}"
                         + (f"（逾期 {row.days_overdue} 天）" if row.overdue else ""))
        summary.setWordWrap(True)
        self.layout_.insertWidget(0, summary)
        status = rules.STATUS_LABELS[p.status]
        if p.evaluation:
            status += f"，{rules.EVALUATED_LABEL}（{rules.EVALUATION_LABELS[p.evaluation]}）"
        self.form.addRow("当前状态", QLabel(f"{status}（{rules.STAGE_LABELS[p.status]}）"))
        targets = rules.allowed_targets(p.status, p.evaluation)
        self.target = EnumCombo([(t, rules.target_label(t)) for t in targets])
        self.on = DateEdit()
        self.on.set_value(date.today())
        self.note = text_box("办理情况或说明（办结、未能解决时即为办理情况）")
        self.form.addRow("下一环节*", self.target)
        self.form.addRow("办理日期*", self.on)
        self.form.addRow("说明", self.note)
        if not targets:
            self.form.addRow("", QLabel("该问题已办结并已评价，没有可办理的环节。"))
            self.buttons.buttons()[0].setEnabled(False)
        self.finish(self.target, 540)

    def save(self) -> str:
        target = self.target.value()
        if target is None:
            raise UserError("没有可办理的环节")
        problems.advance(self.context.db, self.problem.id or "", target,
                         note=self.note.toPlainText(), on=_date(self.on, "办理日期"))
        return self.problem.id or ""


def _people(context: AppContext, lister: Any) -> list[tuple[str, str]]:
    page = lister(context.db, PersonFilter(limit=PEOPLE_LISTED), count=False)
    return [(person.id or "", person.name) for person, _ in page.rows]


class VisitDialog(ProblemsDialog):
    """新增走访: when, how, who went and what was found at one organization."""

    def __init__(self, context: AppContext, organization_id: str, organization_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, "新增走访", parent)
        self.organization_id = organization_id
        self.form.addRow("组织", QLabel(organization_name))
        self.visited_on = DateEdit()
        self.visited_on.set_value(date.today())
        self.kind = EnumCombo(rules.VISIT_KIND_LABELS)
        self.instructor = EnumCombo(_people(context, registry.list_instructors), "（不填）")
        self.officer = EnumCombo(_people(context, registry.list_officers), "（不填）")
        self.findings = text_box("走访中了解到的情况、企业反映的问题", 4)
        for label, widget in (("走访日期*", self.visited_on), ("方式*", self.kind),
                              ("指导员", self.instructor), ("联络员", self.officer),
                              ("发现情况", self.findings)):
            self.form.addRow(label, widget)
        self.finish(self.visited_on, 520)

    def save(self) -> str:
        visited_on = _date(self.visited_on, "走访日期")
        if visited_on is None:
            raise UserError("请填写走访日期")
        return problems.record_visit(self.context.db, Visit(
            organization_id=self.organization_id, visited_on=visited_on,
            kind=self.kind.value() or "visit", instructor_id=self.instructor.value(),
            officer_id=self.officer.value(),
            findings=self.findings.toPlainText().strip() or None))
