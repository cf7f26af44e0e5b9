"""The pane beside the 问题清单: the selected problem and its timeline, one line
per step (date, stage, what was done, status after, who, note)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop.domain import problems as rules
from desktop.domain.problems import ProblemStep
from desktop.services import problems
from desktop.views.context import AppContext
from desktop.views.problems.model import overdue_text, status_text

TIMELINE_HEADERS = ("日期", "环节", "办理", "办理后状态", "办理人", "说明")
EMPTY_TEXT = "选择左侧的问题，查看其办理过程。"


def step_cells(step: ProblemStep) -> tuple[str, ...]:
    """A step as the timeline shows it."""
    if step.evaluation:
        stage = rules.EVALUATION_STAGE
        done = f"评价：{rules.EVALUATION_LABELS.get(step.evaluation, step.evaluation)}"
    else:
        stage = rules.STAGE_LABELS.get(step.status_after, "")
        done = rules.ACTION_LABELS.get(step.action, step.action)
    return (step.taken_on.isoformat(), stage, done,
            rules.STATUS_LABELS.get(step.status_after, step.status_after), step.taken_by,
            step.note or "")


def problem_text(row: problems.ProblemRow) -> str:
    """The problem's particulars above its timeline (rich text, escaped)."""
    from html import escape

    p = row.problem
    late = overdue_text(row.days_overdue)
    lines = [
        f"<b>{escape(row.organization_name)}</b>（{escape(row.township)}）",
        escape(p.description),
        f"问题类别：{rules.CATEGORY_LABELS.get(p.category, '')}　发现日期：{p.found_on}",
        f"责任单位：{escape(p.responsible_unit)}"
        + (f"　责任人：{escape(p.responsible_person)}" if p.responsible_person else ""),
        f"办结时限：{p.deadline}　状态：{escape(status_text(p))}"
        + (f"　<b style='color:#c0282d'>{late}</b>" if late else ""),
    ]
    if p.outcome:
        lines.append(f"办理情况：{escape(p.outcome)}" + (f"（{p.closed_on}）" if p.closed_on else ""))
    return "<br>".join(lines)


class ProblemDetail(QWidget):
    """The selected problem and its steps."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.heading = QLabel(EMPTY_TEXT)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(self.heading.textFormat().RichText)
        self.timeline = QTableWidget(0, len(TIMELINE_HEADERS))
        self.timeline.setHorizontalHeaderLabels(list(TIMELINE_HEADERS))
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.verticalHeader().hide()
        self.timeline.setWordWrap(True)
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The note takes what is left and wraps: no sideways scrolling to read it.
        header.setSectionResizeMode(len(TIMELINE_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>问题详情</b>"))
        layout.addWidget(self.heading)
        layout.addWidget(QLabel("<b>办理过程</b>"))
        layout.addWidget(self.timeline, 1)

    def show_row(self, row: problems.ProblemRow | None) -> None:
        """Show a problem and its steps (None: nothing selected)."""
        if row is None:
            self.heading.setText(EMPTY_TEXT)
            self.timeline.setRowCount(0)
            return
        self.heading.setText(problem_text(row))
        steps = problems.timeline(self.context.db, row.problem.id or "")
        self.timeline.setRowCount(len(steps))
        for r, step in enumerate(steps):
            for c, text in enumerate(step_cells(step)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.timeline.setItem(r, c, item)
        self.timeline.resizeRowsToContents()

    def lines(self) -> list[tuple[str, ...]]:
        """The timeline as shown (tests, screenshots)."""
        return [tuple(self.timeline.item(r, c).text() for c in range(self.timeline.columnCount()))
                for r in range(self.timeline.rowCount())]
