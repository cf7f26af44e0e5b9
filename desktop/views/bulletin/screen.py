"""The 组工信息 screen: the list of issues, the editor, the PDF preview, and the
actions new / import text / save / issue / delete / masthead settings.

Switching issues with unsaved edits asks first; an issued issue is shown read
only, with its kept PDF in the preview.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
    QSplitter, QTabWidget, QVBoxLayout, QWidget,
)

from desktop.domain.bulletin import Bulletin
from desktop.errors import UserError
from desktop.services import bulletins
from desktop.views import errors
from desktop.views.bulletin.dialogs import BulletinSettingsDialog, ImportTextDialog
from desktop.views.bulletin.editor import BulletinEditor
from desktop.views.context import AppContext
from desktop.views.dialogs import ask, inform
from desktop.views.printing.preview import PdfPreview

TABLES = frozenset({"bulletin"})
STATUS_LABELS = {"draft": "草稿", "issued": "已印发"}
EDIT_TAB, PREVIEW_TAB = 0, 1


def pdf_name(bulletin: Bulletin) -> str:
    """The file name offered for an issue's PDF, e.g. "示范县组工信息2026年第3期.pdf"."""
    return f"{bulletin.masthead_title}{bulletin.year}年第{bulletin.number}期.pdf"


class BulletinScreen(QWidget):
    """Compose, number, preview, print and issue the bulletin."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._current_id: str | None = None
        self.last_note = None  # the notice shown after an import renumbered the issue
        self._build()
        context.events.data_changed.connect(self._on_data_changed)
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._show(bulletins.new_bulletin(context.db))

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._list_panel())
        splitter.addWidget(self._work_panel())
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _list_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName("各期组工信息")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.currentItemChanged.connect(self._on_selected)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = self._button(row, "新建一期", self.new_record)
        self.import_button = self._button(row, "导入文本…", self.import_text)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.delete_button = self._button(row, "删除", self.delete)
        self.settings_button = self._button(row, "刊头设置…", self.edit_settings)
        layout.addLayout(row)
        return panel

    def _work_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold;")
        row.addWidget(self.title_label, 1)
        self.save_button = self._button(row, "保存（Ctrl+S）", self.save)
        self.issue_button = self._button(row, "印发…", self.issue)
        layout.addLayout(row)
        self.tabs = QTabWidget()
        self.editor = BulletinEditor()
        self.editor.changed.connect(self._update_title)
        self.editor.year_changed.connect(self._propose_number)
        self.preview = PdfPreview()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        preview_page = QWidget()
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.addWidget(self.notice)
        preview_layout.addWidget(self.preview, 1)
        self.tabs.addTab(self.editor, "编辑")
        self.tabs.addTab(preview_page, "预览")
        self.tabs.currentChanged.connect(self._on_tab)
        layout.addWidget(self.tabs, 1)
        return panel

    @staticmethod
    def _button(row: QHBoxLayout, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # -- the list ------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list of issues, keeping the selection."""
        self.list.blockSignals(True)
        self.list.clear()
        for row in bulletins.list_bulletins(self.context.db):
            text = (f"{row.year}年第{row.number}期  {row.issued_on.isoformat()}  "
                    f"[{STATUS_LABELS.get(row.status, row.status)}]\n{row.title or '（无文章）'}")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
            if row.id == self._current_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._update_buttons()

    def _item_of(self, bulletin_id: str | None) -> QListWidgetItem | None:
        for k in range(self.list.count()):
            if self.list.item(k).data(Qt.ItemDataRole.UserRole) == bulletin_id:
                return self.list.item(k)
        return None

    def _select_silently(self, bulletin_id: str | None) -> None:
        self.list.blockSignals(True)
        item = self._item_of(bulletin_id)
        if item is None:
            self.list.setCurrentRow(-1)
        else:
            self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def _on_selected(self, item: QListWidgetItem | None, _previous=None) -> None:
        wanted = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if wanted == self._current_id and self.editor.bulletin() is not None:
            return
        if not self.confirm_leave():
            self._select_silently(self._current_id)
            return
        if wanted is not None:
            self.open_bulletin(wanted)

    def _on_data_changed(self, tables: frozenset[str]) -> None:
        if tables & TABLES:
            self.refresh()

    # -- opening ---------------------------------------------------------------------
    def open_bulletin(self, bulletin_id: str) -> None:
        """Load a stored issue into the editor (without asking about unsaved edits)."""
        try:
            bulletin = bulletins.get_bulletin(self.context.db, bulletin_id)
        except UserError as err:
            errors.show_user_error(self, err)
            self.refresh()
            return
        self._show(bulletin)

    def _show(self, bulletin: Bulletin) -> None:
        self._current_id = bulletin.id
        self.editor.load(bulletin, bulletins.page_counter(self.context.db))
        self._select_silently(bulletin.id)
        self._update_title()
        self._update_buttons()
        if self.tabs.currentIndex() == PREVIEW_TAB:
            self.show_preview()

    def new_record(self) -> None:
        """Start a new issue with the next free number (saved on 保存)."""
        if not self.confirm_leave():
            return
        self._show(bulletins.new_bulletin(self.context.db))
        self.tabs.setCurrentIndex(EDIT_TAB)

    def confirm_leave(self) -> bool:
        """Ask what to do with unsaved edits; False when the clerk cancels.

        The main window should call this before it closes or switches database.
        """
        if not self.editor.dirty or self.editor.read_only:
            return True
        bulletin = self.editor.bulletin()
        answer = QMessageBox.question(
            self, "未保存的修改", f"第{bulletin.number}期有未保存的修改，是否保存？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # -- actions -----------------------------------------------------------------------
    def save(self) -> bool:
        """Save the issue on screen; True when it is saved."""
        bulletin = self.editor.bulletin()
        if bulletin is None:
            return False
        try:
            new_id = bulletins.save_bulletin(self.context.db, bulletin)
        except UserError as err:
            errors.show_user_error(self, err, "未保存")
            return False
        self._current_id = new_id
        self.editor.mark_clean(dataclasses.replace(bulletin, id=new_id))
        self.context.announce(TABLES)
        self._select_silently(new_id)
        self._update_title()
        self._update_buttons()
        return True

    def issue(self) -> None:
        """Save, confirm, then issue: the PDF is kept and the issue is frozen."""
        bulletin = self.editor.bulletin()
        if bulletin is None or self.editor.read_only:
            return
        if (self.editor.dirty or bulletin.id is None) and not self.save():
            return
        if not ask(self, "印发", f"印发后第{bulletin.number}期将不能再修改，印发时的 PDF 会保存下来。"
                                 "确定印发吗？"):
            return
        try:
            result = bulletins.issue_bulletin(self.context.db, self._current_id)
        except UserError as err:
            errors.show_user_error(self, err, "未印发")
            return
        self.context.announce(TABLES)
        self.open_bulletin(self._current_id)
        self.tabs.setCurrentIndex(PREVIEW_TAB)
        self._set_notice(f"已印发，共 {result.page_count} 页。" + "".join(
            f" 提示：{w}" for w in result.warnings))

    def delete(self) -> None:
        """Delete the selected draft after asking."""
        bulletin = self.editor.bulletin()
        if bulletin is None or bulletin.id is None:
            return
        if not ask(self, "删除", f"确定要删除{bulletin.year}年第{bulletin.number}期吗？"):
            return
        try:
            bulletins.delete_bulletin(self.context.db, bulletin.id)
        except UserError as err:
            errors.show_user_error(self, err)
            return
        self.editor.mark_clean()  # nothing left to save
        self._current_id = None
        self.context.announce(TABLES)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self._show(bulletins.new_bulletin(self.context.db))

    def import_text(self) -> None:
        """Import an issue from pasted text as a new draft and open it."""
        if not self.confirm_leave():
            return
        dialog = ImportTextDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            imported = bulletins.import_issue(self.context.db, dialog.text())
        except UserError as err:
            errors.show_user_error(self, err, "无法导入")
            return
        self.context.announce(TABLES)
        self.open_bulletin(imported.id)
        if imported.note:
            self.last_note = inform(self, "已导入", imported.note)

    def edit_settings(self) -> None:
        """Edit the masthead, compiling unit, 报/送/发 defaults and the PDF font."""
        db = self.context.db
        dialog = BulletinSettingsDialog(bulletins.bulletin_settings(db),
                                        bulletins.pdf_font_path(db), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            bulletins.save_pdf_font_path(db, dialog.font_path.text())
            bulletins.save_bulletin_settings(db, dialog.settings())
        except UserError as err:
            errors.show_user_error(self, err, "未保存")

    # -- preview -----------------------------------------------------------------------
    def _on_tab(self, index: int) -> None:
        if index == PREVIEW_TAB:
            self.show_preview()

    def show_preview(self) -> None:
        """Render what is on screen (an issued issue: its kept PDF) into the preview."""
        bulletin = self.editor.bulletin()
        if bulletin is None:
            self.preview.set_pdf(None)
            return
        db = self.context.db
        try:
            if bulletin.status == "issued" and bulletin.id:
                data, warnings = bulletins.bulletin_pdf(db, bulletin.id), ()
            else:
                data, result = bulletins.render_to_bytes(db, bulletin)
                warnings = result.warnings
        except UserError as err:
            errors.show_user_error(self, err)
            return
        self.preview.set_pdf(data, suggested_name=pdf_name(bulletin))
        self._set_notice("  ".join(f"提示：{w}" for w in warnings))

    def _set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # -- state ---------------------------------------------------------------------------
    def _update_title(self) -> None:
        bulletin = self.editor.bulletin()
        if bulletin is None:
            self.title_label.setText("")
            return
        state = "新的一期，尚未保存" if bulletin.id is None else STATUS_LABELS[bulletin.status]
        star = " *" if self.editor.dirty else ""
        self.title_label.setText(f"{bulletin.year}年第{bulletin.number}期（{state}）{star}")

    def _update_buttons(self) -> None:
        bulletin = self.editor.bulletin()
        draft = bulletin is not None and bulletin.status == "draft"
        self.save_button.setEnabled(draft)
        self.issue_button.setEnabled(draft)
        self.delete_button.setEnabled(draft and bulletin.id is not None)

    def _propose_number(self, year: int) -> None:
        bulletin = self.editor.bulletin()
        if bulletin is not None and not self.editor.read_only:
            self.editor.set_number(bulletins.next_free_number(self.context.db, year,
                                                              exclude_id=bulletin.id))
