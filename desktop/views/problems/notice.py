"""督办通知单… on the 问题清单 screen (PROBLEMS.md): pick the responsible unit
(the selected problem's, or the unit filtered by), the date the notice is as
of and its number, then see the PDF in the print preview, ready to print or save.

The dialog checks the unit has open problems before it closes (a refusal is
shown and the dialog stays); the PDF is drawn off the GUI thread. ReportLab,
openpyxl and the PDF preview load when first used, not with the screen.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.errors import UserError
from desktop.services import problems
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.widgets import DateEdit, dialog_buttons

if TYPE_CHECKING:
    from desktop.views.printing.dialog import PreviewDialog

NUMBER_HINT = "如 7，即“督办〔{year}〕7号”；不填则留空待手写"


class NoticeDialog(QDialog):
    """Which unit, as of which day, under which number."""

    def __init__(self, context: AppContext, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("督办通知单")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("列出该责任单位所有未办结（已受理、督办中）的问题及其办结时限。"))
        form = QFormLayout()
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(problems.responsible_units(context.db))
        self.unit.setCurrentText(unit)
        self.as_of = DateEdit()
        self.as_of.set_value(date.today())
        self.number = QLineEdit()
        self.number.setPlaceholderText(NUMBER_HINT.format(year=date.today().year))
        for label, field in (("责任单位*", self.unit), ("截至日期*", self.as_of), ("文号", self.number)):
            form.addRow(label, field)
        layout.addLayout(form)
        self.buttons = dialog_buttons(self, self.submit, "预览")
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())
        self.unit.setFocus()

    def values(self) -> tuple[str, date, str]:
        """(unit, as of, number) as typed; UserError for a date that is none."""
        reason = self.as_of.own_problem()
        if reason or self.as_of.value() is None:
            raise UserError(f"截至日期：{reason or '请填写截至日期'}")
        return self.unit.currentText().strip(), self.as_of.value(), self.number.text().strip()

    def submit(self) -> bool:
        """预览: close when the unit has open problems; otherwise say why and stay."""
        from desktop.services import problem_outputs

        try:
            unit, as_of, number = self.values()
            self.notice = problem_outputs.supervision_notice(self.context.db, unit, as_of, number)
        except UserError as err:
            errors.show_user_error(self, err, "不能生成督办通知单")
            return False
        self.accept()
        return True


class NoticeAction:
    """The screen's 督办通知单…: the dialog, the rendering task, the preview."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.dialog: NoticeDialog | None = None
        self.preview: PreviewDialog | None = None
        self.task: Any = None

    def start(self) -> NoticeDialog:
        """Open the dialog (not blocking), prefilled with the unit in view."""
        record = self.screen.current_record()
        unit = record.problem.responsible_unit if record is not None else self.screen.unit.text()
        self.dialog = dialog = NoticeDialog(self.screen.context, unit.strip(), self.screen)
        dialog.accepted.connect(lambda: self.render(*dialog.values()))
        dialog.open()
        return dialog

    def render(self, unit: str, as_of: date, number: str) -> Any:
        """Draw the notice off the GUI thread, then show it in the preview."""
        def work(db: Any, _progress: Any) -> Any:
            from desktop.services import problem_outputs

            return problem_outputs.supervision_notice_pdf(db, unit, as_of, number)
        self.task = self.screen.context.run(
            self.screen, "正在生成督办通知单……", work,
            lambda result: self.show(*result, unit=unit, as_of=as_of))
        return self.task

    def show(self, data: bytes, rendered: Any, *, unit: str, as_of: date) -> PreviewDialog:
        """The PDF in the print preview (one window, reused)."""
        from desktop.views.printing.dialog import PreviewDialog

        if self.preview is None:
            self.preview = PreviewDialog(self.screen)
        notes = "".join(f"　注意：{w}" for w in rendered.warnings)
        self.preview.show_pdf(data, f"督办通知单（{unit}，共 {rendered.page_count} 页）{notes}",
                              f"督办通知单-{unit}-{as_of:%Y%m%d}.pdf")
        return self.preview
