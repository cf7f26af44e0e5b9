"""设置 → 登录与复核: the idle-lock minutes and maker–checker (双人复核), for
a database with users; only a role that may change settings can save them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from desktop.domain import access
from desktop.errors import UserError
from desktop.services import users
from desktop.views.context import AppContext
from desktop.views.widgets import ErrorLabel

MAKER_CHECKER_NOTE = ("开启后，发放批次须由生成人以外的财务或审核人员锁定（生成人本人不能锁定）。")
IDLE_NOTE = "无键盘、鼠标操作达到设定时间后，窗口自动锁定，须重新输入密码；未保存的输入会保留。"


class AccessSettingsBox(QGroupBox):
    """The 登录与复核 section of 设置."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("登录与复核", parent)
        self.context = context
        layout = QVBoxLayout(self)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(access.IDLE_LOCK_MIN, access.IDLE_LOCK_MAX)
        self.idle_minutes.setSuffix(" 分钟")
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel("空闲锁定时间"))
        idle_row.addWidget(self.idle_minutes)
        idle_row.addStretch(1)
        layout.addLayout(idle_row)
        layout.addWidget(_note(IDLE_NOTE))
        self.maker_checker = QCheckBox("双人复核：发放批次由生成人以外的人员锁定")
        layout.addWidget(self.maker_checker)
        layout.addWidget(_note(MAKER_CHECKER_NOTE))
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Show the saved values; only a role that may change them can edit."""
        db = self.context.db
        self.idle_minutes.setValue(users.idle_lock_minutes(db))
        self.maker_checker.setChecked(users.maker_checker_on(db))
        may = users.allows(db, access.CHANGE_SETTINGS)
        for widget in (self.idle_minutes, self.maker_checker, self.save_button):
            widget.setEnabled(may)
        self.save_button.setToolTip("" if may else "只有系统管理员可以修改")

    def save(self) -> None:
        """Save both settings in the services (which check the role again)."""
        db = self.context.db
        try:
            if self.idle_minutes.value() != users.idle_lock_minutes(db):
                users.set_idle_lock_minutes(db, self.idle_minutes.value())
            if self.maker_checker.isChecked() != users.maker_checker_on(db):
                users.set_maker_checker(db, self.maker_checker.isChecked())
        except UserError as err:
            self.error.show_reason(f"未保存：{err}")
            return
        self.error.show_reason(None)
        self.context.announce({"app_setting"})


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label
