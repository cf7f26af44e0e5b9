"""F1 opens the user guide (docs/使用手册.md) rendered in the app: its headings,
its screenshots and its contents links work offline."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from desktop import paths
from desktop.views import help as manual


def test_f1_shows_the_guide_with_every_role_and_its_pictures(qtbot):
    dialog = manual.show_manual(None)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for heading in ("乡镇（街道、园区）录入员", "财务人员", "县委组织部", "审核人员", "系统管理员",
                    "空闲锁定", "用户管理", "审计日志", "问题清单", "交换口令"):
        assert heading in text
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", paths.manual_path().read_text("utf-8"))
    assert len(images) >= 15
    for image in images:
        loaded = dialog.browser.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl(image))
        assert loaded is not None and not loaded.isNull(), image


def test_every_contents_link_reaches_its_heading(qtbot):
    dialog = manual.show_manual(None)
    qtbot.addWidget(dialog)
    dialog.resize(900, 400)
    links = re.findall(r"\]\(#([^)]+)\)", paths.manual_path().read_text("utf-8"))
    assert len(links) >= 6
    for fragment in links:
        assert dialog.browser.follow(QUrl(f"#{fragment}")), fragment
        block = dialog.browser.textCursor().block()
        assert manual.heading_anchor(block.text()) == fragment
    assert not dialog.browser.follow(QUrl("#no-such-heading"))


def test_the_anchor_rule_is_githubs():
    assert manual.heading_anchor("开始使用：登录与账户") == "开始使用登录与账户"
    assert manual.heading_anchor("乡镇（街道、园区）录入员") == "乡镇街道园区录入员"
    assert manual.heading_anchor("Ctrl+N and more") == "ctrln-and-more"


def test_a_missing_guide_says_so_in_chinese(monkeypatch):
    shown = []
    monkeypatch.setattr(paths, "manual_path", lambda: None)
    monkeypatch.setattr(manual, "inform", lambda parent, title, text: shown.append(text))
    manual.show_manual(None)
    assert shown == [manual.MISSING]
