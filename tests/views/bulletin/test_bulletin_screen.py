"""The 组工信息 screen, driven like a clerk: type an article, save, preview, issue,
and find an issued issue frozen; unsaved edits are never dropped silently."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QDate, QMimeData, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from desktop.domain.bulletin import Article, BulletinSettings, Section
from desktop.paths import resource_path
from desktop.services import bulletins
from desktop.views.bulletin import screen as bulletin_screen
from desktop.views.bulletin.dialogs import BulletinSettingsDialog, ImportTextDialog
from desktop.views.bulletin.screen import BulletinScreen


@pytest.fixture
def make_screen(qtbot, context):
    def make():
        screen = BulletinScreen(context)
        qtbot.addWidget(screen, before_close_func=lambda w: w.editor.wait_for_counts())
        screen.resize(1200, 800)
        screen.show()
        qtbot.waitExposed(screen)
        return screen
    return make


def saved_issue(db, year=2026, title="已有文章", number=None):
    b = bulletins.new_bulletin(db, year=year)
    b = dataclasses.replace(b, number=number or b.number, sections=(
        Section("市内信息", (Article(title, ("正文一段。",), "城关镇"),)),))
    return bulletins.save_bulletin(db, b)


def question_answers(monkeypatch, *answers):
    """Answer QMessageBox.question with `answers` in turn; returns the questions asked."""
    asked: list[str] = []
    queue = list(answers)

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return queue.pop(0)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_compose_save_preview_issue_then_frozen(make_screen, context, qtbot, type_text,
                                                 shown_errors, answer):
    screen = make_screen()
    editor = screen.editor
    assert "尚未保存" in screen.title_label.text() and editor.number.value() == 1
    screen.editor.add_article_button.click()
    type_text(editor.article_title, "城关镇开展培训")
    type_text(editor.body, "第一段内容。")
    qtbot.keyClick(editor.body, Qt.Key.Key_Return)
    type_text(editor.body, "第二段内容。")
    type_text(editor.source_unit, "城关镇")
    assert editor.dirty and screen.title_label.text().endswith("*")
    assert screen.save()
    assert not editor.dirty and shown_errors == []

    assert screen.list.count() == 1 and "城关镇开展培训" in screen.list.item(0).text()
    stored = bulletins.get_bulletin(context.db, screen._current_id)
    assert stored.articles == (Article("城关镇开展培训", ("第一段内容。", "第二段内容。"), "城关镇"),)

    expected_pages = bulletins.page_counter(context.db)(stored)
    qtbot.waitUntil(lambda: editor.page_count() == expected_pages, timeout=5000)
    screen.tabs.setCurrentIndex(bulletin_screen.PREVIEW_TAB)
    assert screen.preview.page_count() == expected_pages
    assert screen.preview.suggested_name.endswith("年第1期.pdf")

    screen.issue_button.click()
    assert answer.asked and "不能再修改" in answer.asked[0]
    assert bulletins.get_bulletin(context.db, stored.id).status == "issued"
    assert editor.read_only and not editor.banner.isHidden()
    assert not screen.save_button.isEnabled() and not screen.issue_button.isEnabled()
    assert screen.preview.pdf_bytes() == bulletins.bulletin_pdf(context.db, stored.id)

    screen.tabs.setCurrentIndex(bulletin_screen.EDIT_TAB)
    qtbot.keyClicks(editor.article_title, "abc")
    qtbot.keyClicks(editor.body, "abc")
    assert editor.article_title.text() == "城关镇开展培训" and not editor.dirty
    assert not editor.add_article_button.isEnabled()
    screen.editor.number.setValue(5)  # even if a value slips through, the service refuses
    assert not screen.save()
    assert shown_errors == ["该期已印发，不能修改"]
    assert bulletins.get_bulletin(context.db, stored.id).number == 1


def test_save_shortcut_saves(make_screen, qtbot, type_text, context):
    screen = make_screen()
    screen.editor.add_article_button.click()
    type_text(screen.editor.article_title, "快捷键")
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    qtbot.keyClick(screen.editor.article_title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [r.title for r in bulletins.list_bulletins(context.db)] == ["快捷键"]


def test_unsaved_edits_are_kept_saved_or_discarded_on_switch(make_screen, context, monkeypatch,
                                                               type_text):
    first = saved_issue(context.db, title="第一期文章", number=1)
    second = saved_issue(context.db, title="第二期文章", number=2)
    screen = make_screen()
    screen._select_silently(first)
    screen.open_bulletin(first)
    type_text(screen.editor.article_title, "（改）")

    asked = question_answers(monkeypatch, QMessageBox.StandardButton.Cancel)
    screen.list.setCurrentItem(screen._item_of(second))
    assert asked and screen._current_id == first
    assert screen.editor.article_title.text() == "第一期文章（改）" and screen.editor.dirty
    assert screen.list.currentItem() is screen._item_of(first)

    question_answers(monkeypatch, QMessageBox.StandardButton.Save)
    screen.list.setCurrentItem(screen._item_of(second))
    assert screen._current_id == second
    assert bulletins.get_bulletin(context.db, first).articles[0].title == "第一期文章（改）"

    type_text(screen.editor.article_title, "（丢弃）")
    question_answers(monkeypatch, QMessageBox.StandardButton.Discard)
    screen.list.setCurrentItem(screen._item_of(first))
    assert screen._current_id == first
    assert bulletins.get_bulletin(context.db, second).articles[0].title == "第二期文章"


def test_duplicate_number_is_refused_and_nothing_typed_is_lost(make_screen, context, type_text,
                                                                shown_errors):
    saved_issue(context.db, number=1)
    screen = make_screen()
    screen.new_record()
    assert screen.editor.number.value() == 2
    screen.editor.add_article_button.click()
    type_text(screen.editor.article_title, "新文章")
    screen.editor.number.setValue(1)
    assert not screen.save()
    assert shown_errors and "本年度已有第 1 期" in shown_errors[0]
    assert screen.editor.dirty and screen.editor.article_title.text() == "新文章"


def test_changing_the_year_proposes_that_years_next_number(make_screen, context):
    saved_issue(context.db, year=2026, number=1)
    saved_issue(context.db, year=2025, number=7)
    screen = make_screen()
    screen.new_record()
    screen.editor.issued_on.setDate(QDate(2026, 3, 1))
    assert screen.editor.number.value() == 2
    screen.editor.issued_on.setDate(QDate(2025, 3, 1))
    assert screen.editor.number.value() == 8
    assert screen.editor.bulletin().year == 2025


def test_outline_add_move_and_remove(make_screen, type_text):
    screen = make_screen()
    editor, outline = screen.editor, screen.editor.outline
    outline.setCurrentItem(outline.topLevelItem(0))
    editor.add_article_button.click()
    type_text(editor.article_title, "甲")
    editor.add_article_button.click()
    type_text(editor.article_title, "乙")

    def titles():
        return [(s.title, [a.title for a in s.articles]) for s in outline.sections()]
    assert titles() == [("市内信息", ["甲", "乙"]), ("市外参考", [])]
    editor.up_button.click()
    assert titles() == [("市内信息", ["乙", "甲"]), ("市外参考", [])]
    outline.setCurrentItem(outline.topLevelItem(0).child(1))
    editor.down_button.click()  # past the last article: into the next section
    assert titles() == [("市内信息", ["乙"]), ("市外参考", ["甲"])]
    outline.setCurrentItem(outline.topLevelItem(1))
    editor.up_button.click()
    assert titles() == [("市外参考", ["甲"]), ("市内信息", ["乙"])]
    outline.setCurrentItem(outline.topLevelItem(0))
    editor.add_section_button.click()
    assert [t for t, _ in titles()] == ["市外参考", "新栏目", "市内信息"]
    type_text(editor.section_title, "县外")
    assert outline.currentItem().text(0) == "★ 新栏目县外"
    editor.remove_button.click()
    assert [t for t, _ in titles()] == ["市外参考", "市内信息"] and editor.dirty


def test_paste_from_word_keeps_paragraphs_and_drops_formatting(make_screen):
    screen = make_screen()
    screen.editor.add_article_button.click()
    mime = QMimeData()
    mime.setHtml("<p><b>第一段</b>加粗</p><p>第二段</p>")
    mime.setText("第一段加粗\r\n\r\n\u3000\u3000第二段\u2029第三段")
    screen.editor.body.insertFromMimeData(mime)
    article = screen.editor.bulletin().sections[0].articles[0]
    assert article.paragraphs == ("第一段加粗", "第二段", "第三段")
    assert "<" not in screen.editor.body.toPlainText()
    html_only = QMimeData()
    html_only.setHtml("<p>网页段落一</p><p>网页段落二</p>")
    screen.editor.body.clear()
    screen.editor.body.insertFromMimeData(html_only)
    assert screen.editor.bulletin().sections[0].articles[0].paragraphs == ("网页段落一", "网页段落二")


def test_bold_selection_adds_a_lead_phrase(make_screen):
    screen = make_screen()
    editor = screen.editor
    editor.add_article_button.click()
    editor.body.setPlainText("体系贴“新”。成立行业党委。")
    cursor = editor.body.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(7, cursor.MoveMode.KeepAnchor)
    editor.body.setTextCursor(cursor)
    editor.bold_button.click()
    assert editor.bulletin().sections[0].articles[0].lead_phrases == ("体系贴“新”。",)


def test_import_text_dialog_creates_and_opens_a_draft(make_screen, context, monkeypatch):
    screen = make_screen()
    text = resource_path("bulletin/sample_bulletin.txt").read_text(encoding="utf-8")

    def accept(dialog):
        dialog.editor.setPlainText(text)
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ImportTextDialog, "exec", accept)
    screen.import_button.click()
    shown = screen.editor.bulletin()
    assert (shown.year, shown.number, shown.masthead_title) == (2022, 20, "安庆组工信息")
    assert screen.list.count() == 1 and shown.id == screen._current_id
    assert len(shown.articles) == 4
    assert screen.last_note is None
    screen.import_button.click()  # the same text again: 第20期 is taken now
    assert screen.editor.bulletin().number == 21
    assert "原文为第20期" in screen.last_note.text() and "已编为第21期" in screen.last_note.text()
    screen.last_note.close()


def test_import_refusal_is_shown(make_screen, monkeypatch, shown_errors):
    screen = make_screen()
    monkeypatch.setattr(ImportTextDialog, "exec",
                        lambda d: d.editor.setPlainText("没有栏目") or QDialog.DialogCode.Accepted)
    screen.import_button.click()
    assert shown_errors and "没有找到栏目" in shown_errors[0]


def test_settings_dialog_saves_and_new_issues_use_it(make_screen, context, monkeypatch):
    screen = make_screen()

    def accept(dialog):
        dialog.fields["masthead_title"].setText("示范县组工信息")
        dialog.fields["report_to"].setText("市委组织部。")
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(BulletinSettingsDialog, "exec", accept)
    screen.settings_button.click()
    settings = bulletins.bulletin_settings(context.db)
    assert settings.masthead_title == "示范县组工信息" and settings.report_to == "市委组织部。"
    screen.new_record()
    assert screen.editor.masthead.text() == "示范县组工信息"
    assert isinstance(settings, BulletinSettings)


def test_delete_a_draft(make_screen, context, answer):
    saved_issue(context.db, number=1)
    screen = make_screen()
    screen.delete_button.click()
    assert bulletins.list_bulletins(context.db) == [] and screen.list.count() == 0
    assert screen.editor.bulletin().id is None  # a fresh issue is ready to type


def test_live_page_count_follows_the_text(make_screen, qtbot):
    screen = make_screen()
    editor = screen.editor
    editor.add_article_button.click()
    editor.article_title.setText("长文")
    qtbot.waitUntil(lambda: editor.page_count() == 2, timeout=5000)
    editor.body.setPlainText("\n".join("这是一段很长的测试正文，用来把版面撑满。" * 6 for _ in range(30)))
    qtbot.waitUntil(lambda: (editor.page_count() or 0) > 4, timeout=5000)
    assert "页" in editor.page_label.text()


def test_an_issued_issue_opens_read_only_with_its_kept_pdf(make_screen, context):
    bid = saved_issue(context.db)
    bulletins.issue_bulletin(context.db, bid)
    screen = make_screen()
    assert screen._current_id == bid and screen.editor.read_only
    assert not screen.delete_button.isEnabled()
    screen.tabs.setCurrentIndex(bulletin_screen.PREVIEW_TAB)
    assert screen.preview.pdf_bytes() == bulletins.bulletin_pdf(context.db, bid)
    assert screen.list.item(0).text().count("已印发") == 1
    assert date.today().year >= 2026
