"""The frame of every record form: fields in the paper form's order (which is
also the tab order), inline validation as you type, Ctrl+S saves, Esc asks
before discarding changes, 删除 asks and soft-deletes.

A field is judged once the clerk has touched it (left it, changed a drop-down,
or typed a full-length code), and every field is judged on a save attempt, so a
new empty form does not open covered in red.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from desktop.domain import text_limits
from desktop.domain.registry import LIMIT_KINDS
from desktop.errors import UserError
from desktop.services import personal_data, registry
from desktop.views.context import AppContext
from desktop.views.dialogs import ask
from desktop.views.widgets import ERROR_LABEL_STYLE, DateEdit, ValidatedLineEdit

FieldSpec = tuple[str, str, QWidget]  # (record field, label, widget)
Section = tuple[str, Sequence[FieldSpec]]
FIELD_COLUMNS = 2  # label/field pairs per grid row
MASKED_STYLE = "QLineEdit { background: #f0f1f3; color: #555; }"


class RecordForm(QDialog):
    """A dialog editing one record. Subclasses provide `sections()`,
    `to_record(values)` and `check(record)`, and set the class attributes."""

    saved = Signal(str)  # id of the saved record
    deleted = Signal(str)
    record_class: type = object
    tables: frozenset[str] = frozenset()
    noun = "记录"

    def __init__(self, context: AppContext, record: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.record = context, record
        self.fields: dict[str, QWidget] = {}
        self.touched: set[str] = set()
        self.show_all = False
        self.setWindowTitle(self._title())
        self._layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setStyleSheet(ERROR_LABEL_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._layout.addWidget(self.banner)
        for title, specs in self.sections():
            self._layout.addWidget(self._group(title, specs))
        self._chain_tab_order()
        self.load(record)
        self.masked: set[str] = set()
        self._mask_personal()
        self._limit_lengths()
        self._baseline = self.values_snapshot()
        self._connect_fields()
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    # -- subclass hooks -----------------------------------------------------
    def sections(self) -> list[Section]:
        """Field groups in the paper form's order."""
        raise NotImplementedError

    def to_record(self, values: dict[str, Any]) -> Any:
        """The record the fields describe (id kept when editing)."""
        raise NotImplementedError

    def check(self, record: Any) -> list[tuple[str, str]]:
        """Domain problems of the record as (field, reason)."""
        raise NotImplementedError

    # -- building -------------------------------------------------------------
    def _title(self) -> str:
        if self.record is None:
            return f"新建{self.noun}"
        return f"{self.noun}：{getattr(self.record, 'name', '')}"

    def _group(self, title: str, specs: Sequence[FieldSpec]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for n, (name, label, widget) in enumerate(specs):
            row, col = divmod(n, FIELD_COLUMNS)
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, row * 2, col * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row * 2, col * 2 + 1)
            grid.addWidget(widget.error_label, row * 2 + 1, col * 2 + 1)
            self.fields[name] = widget
        return box

    def _limit_lengths(self) -> None:
        """Typing stops at the domain's length limit. A value stored before the
        limits existed is shown whole (Qt would cut it silently); saving it
        is refused with the limit named, so the clerk shortens it."""
        kind = LIMIT_KINDS.get(self.record_class)
        for name, widget in self.fields.items():
            if kind and name in text_limits.LIMITS[kind] and isinstance(widget, QLineEdit):
                widget.setMaxLength(max(text_limits.limit(kind, name), len(widget.text())))

    def add_buttons(self) -> QDialogButtonBox:
        """保存 / 取消 (and 删除 when editing) at the bottom; call last."""
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存（Ctrl+S）", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.clicked.connect(self.save)
        cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setVisible(self.record is not None)
        self._layout.addWidget(buttons)
        return buttons

    def _chain_tab_order(self) -> None:
        widgets = list(self.fields.values())
        for first, second in zip(widgets, widgets[1:]):
            QWidget.setTabOrder(first, second)
        if widgets:
            widgets[0].setFocus()

    def _connect_fields(self) -> None:
        for name, widget in self.fields.items():
            touch = (lambda *_, n=name: self._touch(n))
            if isinstance(widget, DateEdit):
                widget.changed.connect(lambda *_, n=name: self._edited(n))
                widget.line.editingFinished.connect(touch)
            elif isinstance(widget, ValidatedLineEdit):
                widget.textEdited.connect(lambda *_, n=name: self._edited(n))
                widget.editingFinished.connect(touch)
            elif hasattr(widget, "currentIndexChanged"):
                widget.currentIndexChanged.connect(touch)
            elif hasattr(widget, "toggled"):
                widget.toggled.connect(touch)

    # -- values and validation ---------------------------------------------------
    def load(self, record: Any) -> None:
        """Show a record's values (None: the defaults of a new record)."""
        if record is None:
            return
        for name, widget in self.fields.items():
            widget.set_value(getattr(record, name))

    def values(self) -> dict[str, Any]:
        """Every field's current value (a masked field keeps the stored one)."""
        return {name: getattr(self.record, name) if name in self.masked else widget.value()
                for name, widget in self.fields.items()}

    # -- personal data -------------------------------------------------------------
    def _mask_personal(self) -> None:
        """An existing record's ID number, phones and bank account show masked and
        read-only until 显示完整号码 (audited; the roles that need it)."""
        db = self.context.db
        if self.record is None or not personal_data.masked_on_screen(db):
            return
        shown = registry.masked(self.record)
        for name in personal_data.personal_fields(self.record_class):
            widget = self.fields.get(name)
            if widget is not None and getattr(self.record, name):
                widget.set_value(getattr(shown, name))
                widget.setReadOnly(True)
                widget.setStyleSheet(MASKED_STYLE)  # greyed: visibly not editable as it is
                self.masked.add(name)
        if not self.masked:
            return
        self.reveal_button = QPushButton("显示完整号码")
        self.reveal_button.setObjectName("reveal_personal")
        may = personal_data.may_reveal(db)
        self.reveal_button.setEnabled(may)
        self.reveal_button.setToolTip("查看将记入审计日志" if may else "当前角色不能查看完整号码")
        self.reveal_button.clicked.connect(self.reveal)
        row = QHBoxLayout()
        row.addWidget(QLabel("身份证号、电话和银行卡号已隐去部分数字。"))
        row.addStretch(1)
        row.addWidget(self.reveal_button)
        self._layout.addLayout(row)

    def reveal(self) -> bool:
        """Show the full numbers (the service checks the role and records it)."""
        try:
            full = personal_data.reveal(self.context.db, self.record_class, self.record.id)
        except UserError as err:
            self._show_banner(str(err))
            return False
        for name in self.masked:
            widget = self.fields[name]
            widget.set_value(full[name])
            widget.setReadOnly(False)
            widget.setStyleSheet("")
            self._baseline[name] = _shown(widget)
        self.masked.clear()
        self.reveal_button.hide()
        return True

    def values_snapshot(self) -> dict[str, str]:
        """What the clerk sees, to tell whether anything changed."""
        return {name: _shown(widget) for name, widget in self.fields.items()}

    @property
    def dirty(self) -> bool:
        """True when something differs from what was loaded."""
        return self.values_snapshot() != self._baseline

    def _edited(self, name: str) -> None:
        widget = self.fields[name]
        line = widget.line if isinstance(widget, DateEdit) else widget
        full = getattr(line, "full_length", None)
        if full and len(line.text().strip()) >= full:
            self.touched.add(name)
        self.validate()

    def _touch(self, name: str) -> None:
        self.touched.add(name)
        self.validate()

    def problems(self) -> dict[str, str]:
        """Every field problem now, first reason per field."""
        found: dict[str, str] = {}
        for name, widget in self.fields.items():
            reason = None if name in self.masked else widget.own_problem()
            if reason:
                found[name] = reason
        for name, reason in self.check(self.to_record(self.values())):
            found.setdefault(name, reason)
        return found

    def validate(self) -> dict[str, str]:
        """Mark the touched (or, after a save attempt, all) invalid fields."""
        found = self.problems()
        for name, widget in self.fields.items():
            if name in self.masked:
                continue  # nothing to judge: the stored value, shown masked
            shown = self.show_all or name in self.touched
            widget.show_problem(found.get(name) if shown else None)
        return found

    # -- actions ------------------------------------------------------------------
    def save(self) -> bool:
        """Check and save; on success announce the change and close."""
        if self.store() is None:
            return False
        self.accept()
        return True

    def store(self) -> str | None:
        """Check and save without closing; returns the id, or None when refused.
        A new record becomes the record being edited."""
        self.show_all = True
        found = self.validate()
        if found:
            self._focus_first(found)
            self._show_banner("请先改正标红的项目：" + "；".join(found.values()))
            return None
        try:
            record_id = self.write(self.to_record(self.values()))
        except UserError as err:
            self._refused(err)
            return None
        self._show_banner("")
        if self.record is None or self.record.id != record_id:
            self.record = registry.get(self.context.db, self.record_class, record_id)
            self.setWindowTitle(self._title())
            if hasattr(self, "delete_button"):
                self.delete_button.setVisible(True)
        self._baseline = self.values_snapshot()
        self.context.announce(self.tables)
        self.saved.emit(record_id)
        return record_id

    def ensure_saved(self) -> str | None:
        """The record's id, saving it first when it is new or changed (links
        such as postings need a saved person)."""
        if self.record is not None and self.record.id and not self.dirty:
            return str(self.record.id)
        return self.store()

    def write(self, record: Any) -> str:
        """Create or update through the registry service; returns the id."""
        if record.id:
            registry.update(self.context.db, record)
            return str(record.id)
        return registry.create(self.context.db, record)

    def _refused(self, err: UserError) -> None:
        by_field = {f: r for f, r in err.problems if isinstance(f, str) and f in self.fields} \
            if all(isinstance(p, tuple) and len(p) == 2 for p in err.problems) else {}
        for name, reason in by_field.items():
            self.fields[name].show_problem(reason)
        if by_field:
            self._focus_first(by_field)
        self._show_banner(str(err))

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _focus_first(self, found: dict[str, str]) -> None:
        for name in self.fields:
            if name in found:
                self.fields[name].setFocus()
                return

    def reject(self) -> None:
        """Esc / 取消: ask before throwing changes away."""
        if self.dirty and not ask(self, "放弃修改", "有未保存的修改，确定要放弃吗？"):
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking (the database is being switched or the app quits
        after the clerk already agreed)."""
        self._baseline = self.values_snapshot()
        super().reject()

    def delete_question(self) -> str:
        """What the clerk is asked before the record is deleted."""
        return f"确定要删除“{getattr(self.record, 'name', '')}”吗？"

    def delete(self) -> bool:
        """Soft-delete the record after asking; the list hides it."""
        if self.record is None or not self.record.id:
            return False
        if not ask(self, "删除", self.delete_question()):
            return False
        try:
            registry.delete(self.context.db, self.record_class, self.record.id)
        except UserError as err:
            self._show_banner(str(err))
            return False
        self.context.announce(self.tables)
        self.deleted.emit(self.record.id)
        self._baseline = self.values_snapshot()
        super().accept()
        return True


def _shown(widget: QWidget) -> str:
    """A field's visible content (text as typed, even when it is not valid yet)."""
    if isinstance(widget, DateEdit):
        return widget.line.text()
    if isinstance(widget, ValidatedLineEdit):
        return widget.text()
    return repr(widget.value())
