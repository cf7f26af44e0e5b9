"""First start: ask the county's name, the operator's name and whether this PC
is the county's office or a township's, or offer the demo database to look
around first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from desktop import paths
from desktop.domain import text_limits
from desktop.services import exchange, maintenance, workspace
from desktop.views.exchange.installation import LevelChooser
from desktop.views.widgets import ErrorLabel


@dataclass(frozen=True)
class FirstRunChoice:
    """What the clerk chose: their own county, or the demo (`demo=True`)."""

    county: str = ""
    operator: str = ""
    demo: bool = False
    level: str = "county"  # 本机是 county | township
    township: str = ""


class FirstRunDialog(QDialog):
    """The welcome dialog shown when no database exists yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("欢迎使用两新党建工作台")
        self.choice: FirstRunChoice | None = None
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("首次使用，请填写本单位所在的县（市、区）和您的姓名。\n"
                                "姓名会记录在每一次修改的审计日志中。"))
        form = QFormLayout()
        self.county = QLineEdit()
        self.county.setPlaceholderText("例如：宜城县")
        self.county.setMaxLength(text_limits.limit("settings", "county_name"))
        self.operator = QLineEdit()
        self.operator.setPlaceholderText("例如：张三")
        self.operator.setMaxLength(text_limits.limit("settings", "operator"))
        form.addRow("县（市、区）*", self.county)
        form.addRow("操作人姓名*", self.operator)
        self.installation = LevelChooser()
        form.addRow("本机是*", self.installation)
        layout.addLayout(form)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("开始使用", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.clicked.connect(self.start)
        self.demo_button = QPushButton("先看看演示数据")
        self.demo_button.clicked.connect(self.use_demo)
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)

    def start(self) -> None:
        """Accept the names typed, or say which one is missing."""
        county, operator = self.county.text().strip(), self.operator.text().strip()
        if not county or not operator:
            self.error.show_reason("请填写县（市、区）名称和操作人姓名")
            (self.operator if county else self.county).setFocus()
            return
        if self.installation.problem():
            self.error.show_reason(self.installation.problem())
            self.installation.name.setFocus()
            return
        self.choice = FirstRunChoice(county=county, operator=operator,
                                     level=self.installation.level(),
                                     township=self.installation.township_name())
        self.accept()

    def use_demo(self) -> None:
        """Open the demo database instead."""
        self.choice = FirstRunChoice(operator=self.operator.text().strip(), demo=True)
        self.accept()


def needs_first_run(db_arg: Path | None, demo: bool) -> bool:
    """True when the app starts without a database to open."""
    return db_arg is None and not demo and not paths.default_db_path().exists()


def create_county_database(choice: FirstRunChoice) -> Path:
    """Create the clerk's database with the county as the root area."""
    path = maintenance.init_database(paths.default_db_path())
    db = workspace.open_workspace(path, operator=choice.operator)
    try:
        workspace.set_county(db, choice.county)
        exchange.set_installation(db, choice.level, choice.township)
    finally:
        db.close()
    return path
