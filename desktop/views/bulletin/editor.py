"""The editor of one issue: number, date, masthead and 版记 lines, the outline of
sections and articles, the fields of the selected item, and a live page count.

The editor holds no database: it turns a `Bulletin` into widgets and back.
`bulletin()` is what is on screen; `dirty` compares it with what was loaded,
so nothing typed goes unnoticed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QMimeData, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocumentFragment
from PySide6.QtWidgets import (
    QCheckBox, QDateEdit, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QStackedWidget, QVBoxLayout, QWidget,
)

from desktop.domain.bulletin import Bulletin
from desktop.views.bulletin.outline import (
    ARTICLE, BODY, LEAD, SECTION, SOURCE, TITLE, Outline, lead_phrases_of, lead_text,
)

COUNT_DELAY_MS = 600  # recount this long after the last keystroke


class PlainPasteEdit(QPlainTextEdit):
    """A body field: pasting from Word/WPS keeps the paragraphs, drops the formatting."""

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt override)
        """Insert the clipboard as plain text (from its HTML when it has no text)."""
        text = source.text() if source.hasText() else ""
        if not text and source.hasHtml():
            text = QTextDocumentFragment.fromHtml(source.html()).toPlainText()
        for mark in ("\r\n", "\r", "\v", "\u2028", "\u2029"):
            text = text.replace(mark, "\n")
        self.insertPlainText(text)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt override)
        """Text or HTML can be pasted."""
        return source.hasText() or source.hasHtml()


class _CountSignals(QObject):
    counted = Signal(int, int)  # generation, pages


class _CountTask(QRunnable):
    """Counts pages in the thread pool; the bulletin is immutable, so sharing it is safe."""

    def __init__(self, counter: Callable[[Bulletin], int], bulletin: Bulletin,
                 generation: int, signals: _CountSignals) -> None:
        super().__init__()
        self._counter, self._bulletin = counter, bulletin
        self._generation, self._signals = generation, signals

    def run(self) -> None:
        """Report the page count, or -1 when the layout failed."""
        try:
            pages = self._counter(self._bulletin)
        except Exception:  # noqa: BLE001 - a count is a hint; saving reports real errors
            pages = -1
        self._signals.counted.emit(self._generation, pages)


class BulletinEditor(QWidget):
    """Edits one issue in memory; `changed` fires on every edit."""

    changed = Signal()
    year_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: Bulletin | None = None
        self._baseline: Bulletin | None = None
        self._loading = False
        self._counter: Callable[[Bulletin], int] | None = None
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._count_signals = _CountSignals(self)
        self._count_signals.counted.connect(self._show_count)
        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._start_count)
        self._build()
        self.setEnabled(False)

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setStyleSheet("color: #a8071a; background: #fff1f0; padding: 4px;")
        self.banner.hide()
        layout.addWidget(self.banner)
        layout.addLayout(self._header())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._outline_panel())
        splitter.addWidget(self._detail_panel())
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

    def _header(self) -> QGridLayout:
        grid = QGridLayout()
        self.number = QSpinBox()
        self.number.setRange(1, 999)
        self.number.setPrefix("第 ")
        self.number.setSuffix(" 期")
        self.issued_on = QDateEdit()
        self.issued_on.setCalendarPopup(True)
        self.issued_on.setDisplayFormat("yyyy-MM-dd")
        self.masthead = QLineEdit()
        self.compiling_unit = QLineEdit()
        self.leader_box = QCheckBox("首页留“领导批示”栏")
        self.report_to, self.send_to, self.issue_to = QLineEdit(), QLineEdit(), QLineEdit()
        self.page_label = QLabel()
        cells = (("期号", self.number, 0, 0), ("日期", self.issued_on, 0, 2),
                 ("刊头", self.masthead, 1, 0), ("编印单位", self.compiling_unit, 1, 2),
                 ("报", self.report_to, 2, 0), ("送", self.send_to, 2, 2),
                 ("发", self.issue_to, 3, 0))
        for label, widget, row, column in cells:
            grid.addWidget(QLabel(label), row, column)
            grid.addWidget(widget, row, column + 1)
        grid.addWidget(self.leader_box, 3, 2, 1, 2)
        grid.addWidget(self.page_label, 0, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for edit in (self.masthead, self.compiling_unit, self.report_to, self.send_to,
                     self.issue_to):
            edit.textEdited.connect(self._edited)
        self.number.valueChanged.connect(self._edited)
        self.issued_on.dateChanged.connect(self._date_changed)
        self.leader_box.toggled.connect(self._edited)
        return grid

    def _outline_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.outline = Outline()
        self.outline.edited.connect(self._edited)
        self.outline.currentItemChanged.connect(self._show_item)
        layout.addWidget(self.outline, 1)
        buttons = QGridLayout()
        specs = (("add_article_button", "添加文章", self.add_article, 0, 0),
                 ("add_section_button", "添加栏目", lambda: self.outline.add_section(), 0, 1),
                 ("up_button", "上移", lambda: self.outline.move_current(-1), 1, 0),
                 ("down_button", "下移", lambda: self.outline.move_current(1), 1, 1),
                 ("remove_button", "删除", self.outline.remove_current, 2, 0))
        for name, text, slot, row, column in specs:
            button = QPushButton(text)
            button.clicked.connect(slot)
            setattr(self, name, button)
            buttons.addWidget(button, row, column)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+Up"), self.outline, lambda: self.outline.move_current(-1))
        QShortcut(QKeySequence("Ctrl+Down"), self.outline, lambda: self.outline.move_current(1))
        return panel

    def _detail_panel(self) -> QStackedWidget:
        self.detail = QStackedWidget()
        self.detail.addWidget(QLabel("请在左侧选择栏目或文章"))
        section_page = QWidget()
        section_form = QFormLayout(section_page)
        self.section_title = QLineEdit()
        section_form.addRow("栏目名称", self.section_title)
        self.detail.addWidget(section_page)
        self.detail.addWidget(self._article_page())
        self.section_title.textEdited.connect(lambda text: self._set_field(TITLE, text))
        return self.detail

    def _article_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.article_title = QLineEdit()
        self.article_title.setPlaceholderText("文章标题（印在“△”之后）")
        self.body = PlainPasteEdit()
        self.body.setPlaceholderText("正文：每行一段。可直接从 Word/WPS 粘贴，格式会被去掉。")
        self.source_unit = QLineEdit()
        self.source_unit.setPlaceholderText("供稿单位，印在文末括号中，可不填")
        self.lead = QLineEdit()
        self.lead.setPlaceholderText("段首加粗的小标题，多个用 | 分隔，可不填")
        self.bold_button = QPushButton("把所选文字设为加粗")
        self.bold_button.clicked.connect(self.bold_selection)
        lead_row = QHBoxLayout()
        lead_row.addWidget(self.lead, 1)
        lead_row.addWidget(self.bold_button)
        form.addRow("标题", self.article_title)
        form.addRow("正文", self.body)
        form.addRow("供稿单位", self.source_unit)
        form.addRow("加粗引导语", lead_row)
        self.article_title.textEdited.connect(lambda text: self._set_field(TITLE, text))
        self.source_unit.textEdited.connect(lambda text: self._set_field(SOURCE, text))
        self.lead.textEdited.connect(lambda text: self._set_field(LEAD, text))
        self.body.textChanged.connect(self._body_changed)
        return page

    # -- loading and reading -------------------------------------------------
    def load(self, bulletin: Bulletin, counter: Callable[[Bulletin], int] | None = None) -> None:
        """Show `bulletin`; it becomes the clean state `dirty` compares against."""
        self._loading = True
        try:
            self._loaded = bulletin
            self._counter = counter or self._counter
            self.number.setValue(bulletin.number)
            when = bulletin.issued_on
            self.issued_on.setDate(QDate(when.year, when.month, when.day))
            for edit, value in ((self.masthead, bulletin.masthead_title),
                                (self.compiling_unit, bulletin.compiling_unit),
                                (self.report_to, bulletin.report_to),
                                (self.send_to, bulletin.send_to),
                                (self.issue_to, bulletin.issue_to)):
                edit.setText(value)
            self.leader_box.setChecked(bulletin.leader_comment_box)
            self.outline.load(bulletin.sections)
            self._show_item(self.outline.currentItem())
        finally:
            self._loading = False
        self.setEnabled(True)
        self.set_read_only(bulletin.status == "issued")
        self.mark_clean()
        self.page_label.setText("")
        self.page_label.setProperty("pages", 0)
        self._start_count()

    def bulletin(self) -> Bulletin | None:
        """The issue as it stands on screen (None before anything is loaded)."""
        if self._loaded is None:
            return None
        qdate = self.issued_on.date()
        when = date(qdate.year(), qdate.month(), qdate.day())
        return dataclasses.replace(
            self._loaded, number=self.number.value(), year=when.year, issued_on=when,
            masthead_title=self.masthead.text(), compiling_unit=self.compiling_unit.text(),
            report_to=self.report_to.text(), send_to=self.send_to.text(),
            issue_to=self.issue_to.text(), leader_comment_box=self.leader_box.isChecked(),
            sections=self.outline.sections())

    @property
    def dirty(self) -> bool:
        """True when something on screen differs from what was loaded or saved."""
        return self._loaded is not None and self.bulletin() != self._baseline

    def mark_clean(self, saved: Bulletin | None = None) -> None:
        """What is on screen is now saved (as `saved`, which carries the new id)."""
        if saved is not None:
            self._loaded = saved
        self._baseline = self.bulletin()

    def set_number(self, number: int) -> None:
        """Propose another number (a new issue moved to another year)."""
        self.number.setValue(number)

    def set_read_only(self, read_only: bool) -> None:
        """An issued issue is shown but cannot be edited."""
        for edit in (self.masthead, self.compiling_unit, self.report_to, self.send_to,
                     self.issue_to, self.section_title, self.article_title, self.source_unit,
                     self.lead):
            edit.setReadOnly(read_only)
        self.body.setReadOnly(read_only)
        self.number.setReadOnly(read_only)
        self.issued_on.setReadOnly(read_only)
        for widget in (self.leader_box, self.add_article_button, self.add_section_button,
                       self.up_button, self.down_button, self.remove_button, self.bold_button):
            widget.setEnabled(not read_only)
        self.banner.setText("该期已印发，不能修改。" if read_only else "")
        self.banner.setVisible(read_only)

    @property
    def read_only(self) -> bool:
        """True while an issued issue is shown."""
        return self.body.isReadOnly()

    # -- editing -------------------------------------------------------------------
    def add_article(self) -> None:
        """Add an empty article and put the cursor in its title."""
        self.outline.add_article()
        self.article_title.setFocus()

    def bold_selection(self) -> None:
        """Add the text selected in the body to the bold lead phrases."""
        chosen = self.body.textCursor().selectedText().strip()
        if not chosen or self.read_only:
            return
        phrases = lead_phrases_of(self.lead.text())
        if chosen not in phrases:
            self.lead.setText(lead_text(phrases + (chosen,)))
            self._set_field(LEAD, self.lead.text())

    def _show_item(self, item, _previous=None) -> None:
        kind = self.outline.kind(item)
        was_loading, self._loading = self._loading, True
        try:
            if kind == SECTION:
                self.section_title.setText(item.data(0, TITLE))
                self.detail.setCurrentIndex(1)
            elif kind == ARTICLE:
                self.article_title.setText(item.data(0, TITLE))
                self.body.setPlainText(item.data(0, BODY))
                self.source_unit.setText(item.data(0, SOURCE))
                self.lead.setText(item.data(0, LEAD))
                self.detail.setCurrentIndex(2)
            else:
                self.detail.setCurrentIndex(0)
        finally:
            self._loading = was_loading

    def _set_field(self, role: int, value: str) -> None:
        item = self.outline.currentItem()
        if item is None or self._loading:
            return
        self.outline.set_field(item, role, value)
        self._edited()

    def _body_changed(self) -> None:
        if self.outline.kind(self.outline.currentItem()) == ARTICLE:
            self._set_field(BODY, self.body.toPlainText())

    def _date_changed(self, qdate: QDate) -> None:
        if self._loaded is not None and not self._loading and qdate.year() != self._year_shown:
            self.year_changed.emit(qdate.year())
        self._edited()

    @property
    def _year_shown(self) -> int:
        return self._baseline.year if self._baseline else self._loaded.year

    def _edited(self) -> None:
        if self._loading:
            return
        self.changed.emit()
        self._count_timer.start()

    # -- live page count -----------------------------------------------------------
    def _start_count(self) -> None:
        bulletin = self.bulletin()
        if self._counter is None or bulletin is None:
            return
        self._generation += 1
        self._pool.start(_CountTask(self._counter, bulletin, self._generation,
                                    self._count_signals))

    def _show_count(self, generation: int, pages: int) -> None:
        if generation != self._generation:
            return  # an older count finished after a newer one started
        self.page_label.setText(f"共 {pages} 页" if pages > 0 else "页数无法计算")
        self.page_label.setProperty("pages", pages)

    def page_count(self) -> int | None:
        """The last page count shown (None before the first count arrives)."""
        pages = self.page_label.property("pages")
        return pages if isinstance(pages, int) and pages > 0 else None

    def wait_for_counts(self) -> None:
        """Block until no count is running (closing, and tests)."""
        self._pool.waitForDone()
