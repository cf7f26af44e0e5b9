"""Dialogs of the 补贴发放 screen: a new payment run (kind and period), and the
print preview of a run's subsidy sheet.

The new-run dialog does not compute anything itself: it emits `submitted` and
the screen creates the run off the GUI thread. A refusal comes back with
`show_refusal` and the dialog stays open with everything the clerk typed; when
the refusal is a year without a policy it offers to set that year's policy.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from desktop.domain.periods import Period, month_of, parse_period, quarter_of, year_of
from desktop.errors import UserError
from desktop.services.payruns import KIND_LABELS
from desktop.services.policy import missing_policy_message
from desktop.views.widgets import EnumCombo, ErrorLabel

PERIOD_HINTS = {"stipend": "按月（2026-03）、按季度（2026-Q2）或按年度（2026）",
                "adjustment": "要更正的已发放期间：按月（2026-03）、按季度（2026-Q2）或按年度（2026）",
                "bonus": "绩效补贴按年度发放：填写年份（2026）",
                "bonus_adjustment": "要更正的已发放年度：填写年份（2026）"}


def period_choices(kind: str, today: date) -> list[Period]:
    """The periods offered first for `kind`, the likeliest first.

    Stipend: last month, this month, last and this quarter, this year.
    Bonus: this year in December (the year-end payment), else last year first.
    """
    if kind in ("bonus", "bonus_adjustment"):
        this, last = year_of(today), year_of(today).previous()
        return [this, last] if today.month == 12 else [last, this]
    month, quarter = month_of(today), quarter_of(today)
    return [month.previous(), month, quarter.previous(), quarter, year_of(today)]


class NewRunDialog(QDialog):
    """Choose the kind and period of a new draft run."""

    submitted = Signal(str, str)  # kind, period text as typed
    policy_requested = Signal(int)  # the year whose policy is missing

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self._missing_year: int | None = None
        self.setWindowTitle("新建发放批次")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = EnumCombo(KIND_LABELS)
        self.kind.setAccessibleName("发放类别")
        self.period = QComboBox()
        self.period.setEditable(True)
        self.period.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.period.setAccessibleName("发放期间")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        form.addRow("发放类别", self.kind)
        form.addRow("发放期间", self.period)
        form.addRow("", self.hint)
        layout.addLayout(form)
        self.error_label = ErrorLabel()
        layout.addWidget(self.error_label)
        self.policy_button = QPushButton()
        self.policy_button.hide()
        self.policy_button.clicked.connect(self._ask_policy)
        layout.addWidget(self.policy_button)
        note = QLabel("生成的是草稿批次：可核对、重新计算或删除，锁定后才作为正式发放依据。")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("生成草稿")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.period.editTextChanged.connect(self._describe)
        self._fill_choices()

    # -- content -----------------------------------------------------------
    def period_text(self) -> str:
        """The period as typed or chosen."""
        return self.period.currentText().strip()

    def _fill_choices(self) -> None:
        kept = self.period_text()
        self.period.blockSignals(True)
        self.period.clear()
        for period in period_choices(self.kind.value() or "stipend", self.today):
            self.period.addItem(period.label)
            self.period.setItemData(self.period.count() - 1, period.label_zh,
                                   Qt.ItemDataRole.ToolTipRole)
        if kept and kept.isdigit():  # a year suits both kinds: keep what was typed
            self.period.setEditText(kept)
        self.period.blockSignals(False)
        self._describe()

    def _kind_changed(self, *_: object) -> None:
        self._fill_choices()
        self.show_refusal(None)

    def _describe(self, *_: object) -> None:
        """Say how the typed period is read ('2026年第二季度：2026-04-01 至 2026-06-30')."""
        kind = self.kind.value() or "stipend"
        try:
            period = parse_period(self.period_text())
        except UserError:
            self.hint.setText(PERIOD_HINTS[kind])
            return
        self.hint.setText(f"{period.label_zh}：{period.start.isoformat()} 至 "
                          f"{period.end.isoformat()}")

    # -- submitting --------------------------------------------------------
    def _submit(self) -> None:
        self.show_refusal(None)
        if not self.period_text():
            kind = self.kind.value() or "stipend"
            self.show_refusal(UserError(f"请填写发放期间：{PERIOD_HINTS[kind]}"))
            return
        self.set_busy(True)
        self.submitted.emit(self.kind.value() or "stipend", self.period_text())

    def set_busy(self, busy: bool) -> None:
        """Disable the inputs while the run is being computed."""
        for widget in (self.kind, self.period, self.ok_button):
            widget.setEnabled(not busy)

    def show_refusal(self, err: UserError | None) -> None:
        """Show why the run was not created (None clears it); inputs stay as typed."""
        self.set_busy(False)
        self._missing_year = self._policy_missing(err) if err else None
        text = str(err) if err else None
        if self._missing_year is not None:
            # The service names the menu path; here the button is closer.
            text = (f"{self._missing_year}年度尚未设置补贴标准，不能计算。"
                    "请点击下面的按钮设置该年度的补贴标准，保存后再生成。")
            self.policy_button.setText(f"设置{self._missing_year}年度补贴标准…")
        self.error_label.show_reason(text)
        self.policy_button.setVisible(self._missing_year is not None)

    def _policy_missing(self, err: UserError) -> int | None:
        try:
            year = parse_period(self.period_text()).year
        except UserError:
            return None
        return year if str(err) == missing_policy_message(year) else None

    def _ask_policy(self) -> None:
        if self._missing_year is not None:
            self.policy_requested.emit(self._missing_year)
