"""Dialogs of the 组工信息 screen: import an issue from pasted text, and the
office's bulletin settings (masthead, compiling unit, 报/送/发, PDF font)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from desktop.domain import text_limits
from desktop.domain.bulletin import BulletinSettings
from desktop.errors import UserError
from desktop.services import bulletins
from desktop.views import errors
from desktop.views.bulletin.editor import PlainPasteEdit
from desktop.views.widgets import dialog_buttons


class ImportTextDialog(QDialog):
    """Paste (or load) a whole issue as plain text; `text()` is what to import."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("从文本导入组工信息")
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        hint = QLabel("把整期内容粘贴到下面（可从 Word/WPS 复制）。以“★”开头的行是栏目，"
                      "以“△”开头的是文章，文末括号里是供稿单位；刊头、期号、日期和报送发可有可无，"
                      "没有的取自刊头设置。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.editor = PlainPasteEdit()
        layout.addWidget(self.editor, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        self.open_button = buttons.addButton("打开文本文件…", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.load_file)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The text to import."""
        return self.editor.toPlainText()

    def load_file(self) -> None:
        """Put a text file's content (UTF-8 or GB18030) into the box."""
        name, _ = QFileDialog.getOpenFileName(self, "打开文本文件", "", "文本文件 (*.txt);;所有文件 (*)")
        if not name:
            return
        try:
            self.editor.setPlainText(bulletins.read_text_file(name))
        except UserError as err:
            errors.show_user_error(self, err)


class BulletinSettingsDialog(QDialog):
    """The masthead, compiling unit and default 报/送/发 lines, and the PDF font file."""

    def __init__(self, settings: BulletinSettings, font_path: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("刊头设置")
        self.resize(620, 300)
        form = QFormLayout(self)
        self.fields = {name: QLineEdit(getattr(settings, name)) for name in
                       ("masthead_title", "compiling_unit", "report_to", "send_to", "issue_to")}
        for label, name in (("刊头名称", "masthead_title"), ("编印单位", "compiling_unit"),
                            ("报", "report_to"), ("送", "send_to"), ("发", "issue_to")):
            form.addRow(label, self.fields[name])
        self.fields["masthead_title"].setPlaceholderText("例如：XX组工信息")
        for name, edit in self.fields.items():  # never cutting a longer value stored earlier
            edit.setMaxLength(max(text_limits.limit("bulletin", name), len(edit.text())))
        self.font_path = QLineEdit(font_path)
        self.font_path.setPlaceholderText("留空则自动使用系统的仿宋/宋体")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse_font)
        row = QHBoxLayout()
        row.addWidget(self.font_path, 1)
        row.addWidget(browse)
        form.addRow("PDF 字体文件（所有 PDF 共用）", row)
        buttons = dialog_buttons(self, self.accept, "保存", save=True)
        form.addRow(buttons)

    def settings(self) -> BulletinSettings:
        """The settings as typed."""
        return BulletinSettings(**{name: edit.text() for name, edit in self.fields.items()})

    def _browse_font(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择字体文件", "", "TrueType 字体 (*.ttf *.ttc)")
        if name:
            self.font_path.setText(name)
