"""设置: the county's name, who is working, the townships/streets/zones that
organizations belong to, and where the database and its backups are."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from desktop import paths
from desktop.domain import text_limits
from desktop.domain.registry import Area
from desktop.errors import UserError
from desktop.services import registry, users, workspace
from desktop.views import errors
from desktop.views.context import AppContext
from desktop.views.dialogs import ask
from desktop.views.exchange.installation import InstallationBox
from desktop.views.maintenance_actions import MaintenanceActions
from desktop.views.security.settings_box import ExchangePasswordBox
from desktop.views.users.settings_box import AccessSettingsBox
from desktop.views.widgets import EnumCombo, ErrorLabel

MAX_WIDTH = 900  # a settings page stretched over a wide screen is hard to read
AREA_KIND_LABELS = {"township": "乡镇", "street": "街道", "zone": "园区/片区"}


class SettingsScreen(QWidget):
    """The 设置 screen."""

    tables = frozenset({"area", "app_setting"})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.maintenance = MaintenanceActions(self, context)
        # The sections outgrow a laptop's screen: they scroll, the window keeps its size.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        QVBoxLayout(self).addWidget(scroll)
        body = QWidget()
        body.setMaximumWidth(MAX_WIDTH)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.addWidget(self._basics())
        layout.addWidget(InstallationBox(context, self))
        layout.addWidget(self._areas())
        layout.addWidget(self._database())
        self.exchange_password = ExchangePasswordBox(context, self)
        layout.addWidget(self.exchange_password)
        self.access = AccessSettingsBox(context, self) if users.has_users(context.db) else None
        if self.access is not None:
            layout.addWidget(self.access)
        layout.addStretch(1)
        context.events.data_changed.connect(
            lambda tables: self.refresh() if tables & self.tables else None)
        self.refresh()

    def _basics(self) -> QGroupBox:
        box = QGroupBox("基本信息")
        form = QFormLayout(box)
        self.county = QLineEdit()
        self.operator = QLineEdit(self.context.settings.operator or self.context.operator)
        self.operator.setMaxLength(max(text_limits.limit("settings", "operator"),
                                       len(self.operator.text())))
        save = QPushButton("保存")
        save.clicked.connect(self.save_basics)
        save_row = QHBoxLayout()
        save_row.addWidget(save)
        save_row.addStretch(1)
        form.addRow("县（市、区）名称", self.county)
        form.addRow("操作人", self.operator)
        self.basics_note = QLabel("操作人记录在审计日志中，更改后下次打开数据库时生效。")
        self.signed_in = users.current_user(self.context.db) is not None
        if self.signed_in:  # the audit log names the signed-in user, not a typed name
            self.operator.setText(users.signed_in_operator(self.context.db))
            self.operator.setReadOnly(True)
            self.basics_note.setText("已登录：操作人即当前登录用户，审计日志记录其姓名和用户ID。")
        form.addRow("", self.basics_note)
        form.addRow("", save_row)
        return box

    def _areas(self) -> QGroupBox:
        box = QGroupBox("乡镇、街道和园区")
        layout = QVBoxLayout(box)
        self.area_list = QListWidget()
        self.area_list.setMinimumHeight(160)  # in a scrolling page nothing stretches it
        self.area_list.currentItemChanged.connect(self._area_selected)
        layout.addWidget(self.area_list, 1)
        row = QHBoxLayout()
        self.area_name = QLineEdit()
        self.area_name.setPlaceholderText("名称，例如：城关镇")
        self.area_name.setMaxLength(text_limits.limit("area", "name"))
        self.area_kind = EnumCombo(AREA_KIND_LABELS)
        self.add_area_button = QPushButton("添加")
        self.add_area_button.clicked.connect(self.add_area)
        self.rename_button = QPushButton("改名")
        self.rename_button.clicked.connect(self.rename_area)
        self.remove_button = QPushButton("删除")
        self.remove_button.clicked.connect(self.remove_area)
        for widget in (self.area_name, self.area_kind, self.add_area_button, self.rename_button,
                       self.remove_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.area_error = ErrorLabel()
        layout.addWidget(self.area_error)
        return box

    def _database(self) -> QGroupBox:
        box = QGroupBox("数据库与备份")
        layout = QVBoxLayout(box)
        path = self.context.db_path
        layout.addWidget(QLabel(f"数据库文件：{path}"))
        layout.addWidget(QLabel(f"备份文件夹：{paths.backups_dir(path)}"))
        row = QHBoxLayout()
        for text, slot in (("立即备份", self.maintenance.backup_now),
                           ("从备份恢复…", self.maintenance.restore),
                           ("检查数据库", self.maintenance.check)):
            button = QPushButton(text)
            button.clicked.connect(lambda *_, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def refresh(self) -> None:
        """Show the saved county name, the current areas and the access settings."""
        if self.access is not None:
            self.access.refresh()
        county = (workspace.county_name(self.context.db)
                  if workspace.get_setting(self.context.db, "county_name") else "")
        # A name stored before the limit is shown whole; saving it says what is allowed.
        self.county.setMaxLength(max(text_limits.limit("settings", "county_name"), len(county)))
        self.county.setText(county)
        self.area_list.clear()
        for area in registry.townships(self.context.db):
            item = QListWidgetItem(f"{area.name}（{AREA_KIND_LABELS.get(area.kind, area.kind)}）")
            item.setData(256, area)
            self.area_list.addItem(item)

    def save_basics(self) -> None:
        """Save the county name (in the database) and the operator (on this PC)."""
        county = self.county.text().strip()
        if county:
            try:
                workspace.set_county(self.context.db, county)
            except UserError as err:
                errors.show_user_error(self, err, "未保存")
                return
        if not self.signed_in:
            self.context.settings.operator = self.operator.text()
        self.context.announce({"app_setting", "area"})

    def _selected_area(self) -> Area | None:
        item = self.area_list.currentItem()
        return item.data(256) if item is not None else None

    def _area_selected(self, *_: object) -> None:
        area = self._selected_area()
        if area is not None:
            self.area_name.setMaxLength(max(text_limits.limit("area", "name"), len(area.name)))
            self.area_name.setText(area.name)
            self.area_kind.set_value(area.kind)

    def _write(self, action: str, fn: object) -> None:
        try:
            fn()  # type: ignore[operator]
        except UserError as err:
            self.area_error.show_reason(f"{action}失败：{err}")
            return
        self.area_error.show_reason(None)
        self.context.announce({"area"})

    def add_area(self) -> None:
        """Add a township, street or zone under the county."""
        name = self.area_name.text().strip()
        if not name:
            self.area_error.show_reason("请填写名称")
            return
        area = Area(name=name, kind=self.area_kind.value() or "township", parent_id=self._county_id(),
                    sort_order=self.area_list.count() + 1)
        self._write("添加", lambda: registry.create(self.context.db, area))

    def _county_id(self) -> str | None:
        # Townships hang under the county; registry offers no county lookup, but
        # every township's parent is it (none yet: the area stays top-level).
        for area in registry.townships(self.context.db):
            if area.parent_id:
                return area.parent_id
        return None

    def rename_area(self) -> None:
        """Rename the selected area (and change its kind)."""
        area, name = self._selected_area(), self.area_name.text().strip()
        if area is None or not name:
            return
        changed = dataclasses.replace(area, name=name, kind=self.area_kind.value() or area.kind)
        self._write("改名", lambda: registry.update(self.context.db, changed))

    def remove_area(self) -> None:
        """Delete the selected area after asking."""
        area = self._selected_area()
        if area is None or not ask(self, "删除", f"确定要删除“{area.name}”吗？"):
            return
        self._write("删除", lambda: registry.delete(self.context.db, Area, area.id or ""))
