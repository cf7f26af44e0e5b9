"""本机是: the county's organization department or a township's office. The
first-run dialog asks it; 设置 shows it with the installation's id and lets
it be changed (after a question: it decides which data this PC sends)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QRadioButton, QWidget,
)

from desktop.domain import text_limits
from desktop.domain.exchange import COUNTY, TOWNSHIP
from desktop.errors import UserError
from desktop.services import exchange
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.dialogs import ask

COUNTY_TEXT, TOWNSHIP_TEXT = "县委组织部", "乡镇（街道、园区）"
CHANGE_QUESTION = (
    "确定把本机改为“{target}”吗？\n\n本机的级别决定生成交换包时发送哪些数据、导入时接受哪些数据："
    "县委组织部发送区划、补贴标准、联络员及其派驻和考核；乡镇发送本乡镇的组织、指导站、指导员及其挂钩。")


class LevelChooser(QWidget):
    """县委组织部 / 乡镇 radio buttons, with the township's name for a township."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.county = QRadioButton(COUNTY_TEXT)
        self.township = QRadioButton(TOWNSHIP_TEXT)
        group = QButtonGroup(self)
        group.addButton(self.county)
        group.addButton(self.township)
        self.name = QLineEdit()
        self.name.setPlaceholderText("乡镇名称，例如：白沙镇")
        self.name.setMaxLength(text_limits.limit("area", "name"))
        self.name.setMinimumWidth(170)
        for widget in (self.county, self.township, self.name):
            row.addWidget(widget)
        self.township.toggled.connect(self._level_changed)
        self.county.setChecked(True)
        self._level_changed()

    def _level_changed(self, *_: object) -> None:
        self.name.setEnabled(self.township.isChecked())

    def level(self) -> str:
        """county or township."""
        return TOWNSHIP if self.township.isChecked() else COUNTY

    def township_name(self) -> str:
        """The township's name typed ('' at the county)."""
        return self.name.text().strip() if self.level() == TOWNSHIP else ""

    def set(self, level: str, township: str = "") -> None:
        """Show a stored choice."""
        (self.township if level == TOWNSHIP else self.county).setChecked(True)
        self.name.setText(township)
        self._level_changed()

    def problem(self) -> str:
        """Why the choice cannot be stored, or ''."""
        if self.level() == TOWNSHIP and not self.township_name():
            return "本机是乡镇时，请填写乡镇（街道、园区）名称"
        return ""


class InstallationBox(QGroupBox):
    """设置 → 本机: what this installation is, its id, and changing it."""

    tables = frozenset({"app_setting", "area"})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("本机（数据交换）", parent)
        self.context = context
        form = QFormLayout(self)
        self.current = QLabel()
        self.ident = QLabel()
        self.ident.setStyleSheet("color: #555;")
        self.chooser = LevelChooser()
        self.change_button = QPushButton("更改")
        self.change_button.clicked.connect(self.change)
        row = QHBoxLayout()
        row.addWidget(self.chooser, 1)
        row.addWidget(self.change_button)
        form.addRow("本机是", self.current)
        form.addRow("本机编号", self.ident)
        form.addRow("更改为", row)
        context.events.data_changed.connect(
            lambda tables: self.refresh() if tables & self.tables else None)
        self.refresh()

    def refresh(self) -> None:
        """Show the stored identity."""
        ident = exchange.identity(self.context.db)
        name = exchange.installation_name(ident)
        self.current.setText(f"<b>乡镇</b>　{name}（{ident.county}）" if ident.level == TOWNSHIP
                             else f"<b>{name}</b>")
        self.ident.setText(ident.id or "（未生成）")
        self.chooser.set(ident.level, ident.township)

    def change(self) -> None:
        """Store the level chosen, after asking."""
        problem = self.chooser.problem()
        if problem:
            errors.show_user_error(self, UserError(problem), "未更改")
            return
        level, township = self.chooser.level(), self.chooser.township_name()
        ident = exchange.identity(self.context.db)
        if (level, township) == (ident.level, ident.township):
            return
        target = f"乡镇：{township}" if level == TOWNSHIP else COUNTY_TEXT
        if not ask(self, "更改本机级别", CHANGE_QUESTION.format(target=target)):
            self.refresh()
            return
        try:
            exchange.set_installation(self.context.db, level, township)
        except UserError as err:
            errors.show_user_error(self, err, "未更改")
            return
        self.context.announce({"app_setting", "area"})
