"""Small input widgets the forms share: a date field that may stay empty, a
combo box of enumeration codes with Chinese labels, and a line edit that shows
why its text is wrong (red border and the reason under it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QDate, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QCalendarWidget, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QTableView, QToolButton, QWidget,
    QWidgetAction,
)

from desktop.domain.periods import parse_date
from desktop.errors import UserError

INVALID_STYLE = "border: 1px solid #d9363e; background: #fff4f4;"
ERROR_LABEL_STYLE = "color: #d9363e;"


def mark_invalid(widget: QWidget, reason: str | None) -> None:
    """Paint a field red with its reason as tooltip, or back to normal."""
    widget.setProperty("invalid", bool(reason))
    widget.setStyleSheet(INVALID_STYLE if reason else "")
    widget.setToolTip(reason or "")


class ErrorLabel(QLabel):
    """The Chinese reason shown under an invalid field; hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_LABEL_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_reason(self, reason: str | None) -> None:
        """Show `reason`, or hide the label when there is none."""
        self.setText(reason or "")
        self.setVisible(bool(reason))


class ValidatedLineEdit(QLineEdit):
    """A line edit with an optional checker (text -> reason or None) run as the
    user types; the form decides when a reason is shown via `show_problem`."""

    def __init__(self, checker: Callable[[str], str | None] | None = None,
                 parent: QWidget | None = None, *, full_length: int | None = None) -> None:
        super().__init__(parent)
        self._checker = checker
        # Typing reaches this length: judge the text now, not only when focus leaves.
        self.full_length = full_length
        self.error_label = ErrorLabel()

    def value(self) -> str | None:
        """The text without surrounding spaces; None when empty."""
        return self.text().strip() or None

    def set_value(self, value: object) -> None:
        """Show `value` (None: empty)."""
        self.setText("" if value is None else str(value))

    def own_problem(self) -> str | None:
        """What the checker says about the current text (empty text is fine)."""
        text = self.text().strip()
        if not text or self._checker is None:
            return None
        return self._checker(text)

    def show_problem(self, reason: str | None) -> None:
        """Mark the field and show the reason beneath it."""
        mark_invalid(self, reason)
        self.error_label.show_reason(reason)


class CountEdit(ValidatedLineEdit):
    """A whole number that may be left empty (从业人员数, 党员数)."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(whole_number_checker(label), parent)
        self.setMaximumWidth(120)

    def value(self) -> int | None:  # type: ignore[override]
        """The number, or None when empty or not a whole number."""
        text = self.text().strip()
        return int(text) if text.isdigit() else None


class CheckField(QCheckBox):
    """A yes/no field with the same interface as the other fields."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.error_label = ErrorLabel()

    def value(self) -> bool:
        """Whether it is ticked."""
        return self.isChecked()

    def set_value(self, value: bool | None) -> None:
        """Tick or untick."""
        self.setChecked(bool(value))

    def own_problem(self) -> str | None:
        """A tick box cannot hold a wrong value."""
        return None

    def show_problem(self, reason: str | None) -> None:
        """Mark the field and show the reason beneath it."""
        mark_invalid(self, reason)
        self.error_label.show_reason(reason)


def whole_number_checker(label: str) -> Callable[[str], str | None]:
    """A checker for counts: a whole number not below zero."""
    def check(text: str) -> str | None:
        return None if text.isdigit() else f"{label}应为不小于 0 的整数"
    return check


class DateEdit(QWidget):
    """A date that may be empty: type 2026-03-10, 2026/3/10 or 2026年3月10日,
    or pick from the calendar button. `value()` is a date or None."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = ValidatedLineEdit(self._reason)
        self.line.setPlaceholderText("年-月-日")
        self.line.textChanged.connect(self.changed)
        self.error_label = self.line.error_label
        self.button = QToolButton()
        self.button.setText("日历")
        self.button.setToolTip("从日历选择")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        # The calendar's menu after the line has its parent: made before, it left
        # the line in a tab chain of its own, and Tab never left a date field.
        self.button.setMenu(self._calendar_menu())
        self.setFocusProxy(self.line)

    def _calendar_menu(self) -> QMenu:
        menu = QMenu(self)
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        return menu

    def _sync_calendar(self) -> None:
        current = self.value()
        if current:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))

    def _picked(self, qdate: QDate) -> None:
        self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
        self.button.menu().hide()

    @staticmethod
    def _reason(text: str) -> str | None:
        try:
            parse_date(text)
        except UserError as err:
            return str(err)
        return None

    def value(self) -> date | None:
        """The date typed or picked; None when empty or not a date."""
        text = self.line.text().strip()
        if not text or self._reason(text):
            return None
        return parse_date(text)

    def set_value(self, value: date | None) -> None:
        """Show `value` as YYYY-MM-DD, or empty the field."""
        self.line.setText(value.isoformat() if value else "")

    def own_problem(self) -> str | None:
        """Why the typed text is not a date, or None."""
        return self.line.own_problem()

    def show_problem(self, reason: str | None) -> None:
        """Mark the field and show the reason beneath it."""
        self.line.show_problem(reason)


class EnumCombo(QComboBox):
    """A drop-down of codes shown by their Chinese labels; an optional first
    item stands for "none" / "any" (value None)."""

    def __init__(self, labels: Mapping[str, str] | Iterable[tuple[str, str]],
                 empty_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_label = ErrorLabel()
        self.set_choices(labels, empty_label)

    def set_choices(self, labels: Mapping[str, str] | Iterable[tuple[str, str]],
                    empty_label: str | None = None) -> None:
        """Replace the items, keeping the current code when it is still offered."""
        current = self.value() if self.count() else None
        pairs = list(labels.items()) if isinstance(labels, Mapping) else list(labels)
        self.blockSignals(True)
        self.clear()
        if empty_label is not None:
            self.addItem(empty_label, None)
        for code, label in pairs:
            self.addItem(label, code)
        self.set_value(current)
        self.blockSignals(False)

    def value(self) -> str | None:
        """The selected code, or None for the empty item."""
        return self.currentData()

    def set_value(self, code: str | None) -> None:
        """Select the item of `code` (the first item when unknown)."""
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))

    def own_problem(self) -> str | None:
        """A drop-down cannot hold a wrong value."""
        return None

    def show_problem(self, reason: str | None) -> None:
        """Mark the field and show the reason beneath it."""
        mark_invalid(self, reason)
        self.error_label.show_reason(reason)


TRI_STATE = (("yes", "是"), ("no", "否"))


def tri_state_value(code: str | None) -> bool | None:
    """'yes'/'no'/None from a 是/否/不限 combo as True/False/None."""
    return None if code is None else code == "yes"


ROW_HEIGHT = 26


def make_table(model: QAbstractItemModel, widths: tuple[int, ...] = (), *,
               row_numbers: bool = False) -> QTableView:
    """A read-only table of whole rows, one selected at a time, fixed row height,
    the last column stretched and the given column widths."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(row_numbers)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return table


def dialog_buttons(dialog: QDialog, on_accept: Callable[[], object], accept_text: str = "确定",
                   cancel_text: str = "取消", *, save: bool = False) -> QDialogButtonBox:
    """A dialog's 确定/取消 (or 保存/取消) row with Chinese texts, wired to
    `on_accept` and to the dialog's reject; the caller places it."""
    kind = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(kind | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.button(kind).setText(accept_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def is_enter_key(event: QEvent) -> bool:
    """Whether `event` (seen by an event filter) is Enter or Return pressed: the
    lists open their current row with it, the audit filters apply."""
    return (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter))
