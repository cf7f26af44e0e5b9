"""The outline of an issue: ★ sections and their △ articles in print order.

A QTreeWidget is the model: sections are top-level items, articles their
children, and an article's fields live in item data roles, so the printed
order is simply the tree's order and moving an item is moving the data.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from desktop.domain.bulletin import Article, Section

KIND, TITLE, BODY, SOURCE, LEAD = (Qt.ItemDataRole.UserRole + k for k in range(5))
SECTION, ARTICLE = "section", "article"
UNTITLED_ARTICLE = "（未命名文章）"
UNTITLED_SECTION = "（未命名栏目）"


def body_text(paragraphs: tuple[str, ...]) -> str:
    """Paragraphs as the body editor shows them: one per line."""
    return "\n".join(paragraphs)


def paragraphs_of(text: str) -> tuple[str, ...]:
    """The paragraphs of typed or pasted text: its non-blank lines, trimmed.

    Word and WPS separate paragraphs with line breaks and indent with
    ideographic spaces; soft breaks (\\v, U+2028) count as paragraph ends too.
    """
    for mark in ("\r\n", "\r", "\v", "\u2028", "\u2029"):
        text = text.replace(mark, "\n")
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def lead_text(phrases: tuple[str, ...]) -> str:
    """Bold lead phrases as one editable line."""
    return " | ".join(phrases)


def lead_phrases_of(text: str) -> tuple[str, ...]:
    """The phrases of the lead-phrase line (separated by | or ｜)."""
    return tuple(p.strip() for p in text.replace("｜", "|").split("|") if p.strip())


class Outline(QTreeWidget):
    """Sections and articles; emits `edited` whenever the structure changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName("栏目和文章")

    # -- loading and reading -------------------------------------------------
    def load(self, sections: tuple[Section, ...]) -> None:
        """Show `sections` (replacing what was there) and select the first article."""
        self.clear()
        for section in sections:
            item = self._section_item(section.title)
            self.addTopLevelItem(item)
            for article in section.articles:
                item.addChild(self._article_item(article))
            item.setExpanded(True)
        first = self.topLevelItem(0)
        if first is not None:
            self.setCurrentItem(first.child(0) or first)

    def sections(self) -> tuple[Section, ...]:
        """The sections and articles as shown, in order."""
        return tuple(
            Section(section.data(0, TITLE), tuple(self.article_of(section.child(j))
                                                   for j in range(section.childCount())))
            for section in self._section_items())

    def _section_items(self) -> Iterator[QTreeWidgetItem]:
        for k in range(self.topLevelItemCount()):
            yield self.topLevelItem(k)

    @staticmethod
    def article_of(item: QTreeWidgetItem) -> Article:
        """The article an item holds."""
        return Article(title=item.data(0, TITLE), paragraphs=paragraphs_of(item.data(0, BODY)),
                       source_unit=item.data(0, SOURCE),
                       lead_phrases=lead_phrases_of(item.data(0, LEAD)))

    @staticmethod
    def kind(item: QTreeWidgetItem | None) -> str | None:
        """'section', 'article' or None."""
        return None if item is None else item.data(0, KIND)

    # -- items -----------------------------------------------------------------
    def _section_item(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, KIND, SECTION)
        self.set_field(item, TITLE, title)
        return item

    def _article_item(self, article: Article) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, KIND, ARTICLE)
        item.setData(0, BODY, body_text(article.paragraphs))
        item.setData(0, SOURCE, article.source_unit)
        item.setData(0, LEAD, lead_text(article.lead_phrases))
        self.set_field(item, TITLE, article.title)
        return item

    def set_field(self, item: QTreeWidgetItem, role: int, value: str) -> None:
        """Store one field of an item (refreshing its label when it is the title)."""
        item.setData(0, role, value)
        if role == TITLE:
            section = item.data(0, KIND) == SECTION
            shown = value.strip() or (UNTITLED_SECTION if section else UNTITLED_ARTICLE)
            item.setText(0, f"★ {shown}" if section else f"△ {shown}")
            font = item.font(0)
            font.setBold(section)
            item.setFont(0, font)

    # -- editing -------------------------------------------------------------------
    def add_section(self, title: str = "新栏目") -> QTreeWidgetItem:
        """Append a section after the current one (or at the end) and select it."""
        item = self._section_item(title)
        current = self._current_section()
        at = self.indexOfTopLevelItem(current) + 1 if current else self.topLevelItemCount()
        self.insertTopLevelItem(at, item)
        item.setExpanded(True)
        self.setCurrentItem(item)
        self.edited.emit()
        return item

    def add_article(self) -> QTreeWidgetItem:
        """Add an empty article after the current one (a section is made if none exists)."""
        section = self._current_section() or self.add_section("本期信息")
        item = self._article_item(Article("", ()))
        current = self.currentItem()
        at = section.indexOfChild(current) + 1 if self.kind(current) == ARTICLE \
            else section.childCount()
        section.insertChild(at, item)
        section.setExpanded(True)
        self.setCurrentItem(item)
        self.edited.emit()
        return item

    def remove_current(self) -> None:
        """Remove the selected article, or the selected section with its articles."""
        item = self.currentItem()
        if item is None:
            return
        parent = item.parent()
        if parent is None:
            self.takeTopLevelItem(self.indexOfTopLevelItem(item))
        else:
            parent.removeChild(item)
        self.edited.emit()

    def _current_section(self) -> QTreeWidgetItem | None:
        item = self.currentItem()
        if item is None:
            return None
        return item if self.kind(item) == SECTION else item.parent()

    def move_current(self, step: int) -> None:
        """Move the selection up (-1) or down (+1); articles cross into the next section."""
        item = self.currentItem()
        if item is None:
            return
        if self.kind(item) == SECTION:
            self._move_section(item, step)
        else:
            self._move_article(item, step)
        self.setCurrentItem(item)
        self.edited.emit()

    def _move_section(self, item: QTreeWidgetItem, step: int) -> None:
        at = self.indexOfTopLevelItem(item)
        target = at + step
        if 0 <= target < self.topLevelItemCount():
            expanded = item.isExpanded()
            self.takeTopLevelItem(at)
            self.insertTopLevelItem(target, item)
            item.setExpanded(expanded)

    def _move_article(self, item: QTreeWidgetItem, step: int) -> None:
        section = item.parent()
        at = section.indexOfChild(item)
        target = at + step
        if 0 <= target < section.childCount():
            section.takeChild(at)
            section.insertChild(target, item)
            return
        neighbour = self.topLevelItem(self.indexOfTopLevelItem(section) + step)
        if neighbour is not None:  # past the edge: into the previous/next section
            section.takeChild(at)
            neighbour.insertChild(neighbour.childCount() if step < 0 else 0, item)
            neighbour.setExpanded(True)
