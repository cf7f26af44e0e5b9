"""帮助 menu: the user guide (docs/使用手册.md, rendered in the app, offline)
and the about box."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop import __version__, paths
from desktop.views.dialogs import inform

MISSING = "找不到使用手册文件（使用手册.md）。请重新安装本软件，或向技术支持索取使用手册。"


def heading_anchor(text: str) -> str:
    """The anchor a Markdown table of contents links a heading by: GitHub's rule
    (lower case, punctuation dropped, spaces as hyphens). Qt's Markdown reader
    gives headings no anchors, so the guide's contents links are followed here."""
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


class ManualBrowser(QTextBrowser):
    """The guide, with its images and its contents links working."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self.follow)

    def follow(self, url: QUrl) -> bool:
        """Jump to a heading of the guide; other links are not followed (offline)."""
        fragment = url.fragment()
        block = self.document().begin()
        while fragment and block.isValid():
            if block.blockFormat().headingLevel() and heading_anchor(block.text()) == fragment:
                cursor = QTextCursor(block)
                self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
                self.setTextCursor(cursor)  # scrolled from the end: the heading lands on top
                self.ensureCursorVisible()
                return True
            block = block.next()
        return False


def show_manual(parent: QWidget | None) -> QDialog | QWidget:
    """The guide in a window that does not block the main window."""
    path = paths.manual_path()
    if path is None:
        return inform(parent, "使用手册", MISSING)
    dialog = QDialog(parent)
    dialog.setWindowTitle("使用手册")
    dialog.resize(900, 700)
    layout = QVBoxLayout(dialog)
    browser = ManualBrowser()
    browser.setSearchPaths([str(path.parent)])
    browser.setSource(QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource)
    dialog.browser = browser
    layout.addWidget(browser)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.show()
    return dialog


def show_about(parent: QWidget | None) -> QWidget:
    """Version, purpose and where the data lives."""
    return inform(parent, "关于",
                  f"两新党建工作台 {__version__}\n\n"
                  "“两新”组织党建登记、联络员补贴发放、季度报表和组工信息编印。\n"
                  "全部数据保存在本机，不需要联网。\n\n"
                  f"数据文件夹：{paths.data_dir()}")
