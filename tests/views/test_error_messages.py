"""A refusal's message box shows its problems: one inline, several in the details."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import UserError
from desktop.sheets.reader import Problem
from desktop.views.errors import show_user_error


def _shown(qtbot, err) -> tuple[str, str]:
    """(text, detailed text) of the box shown for `err`."""
    parent = QWidget()
    qtbot.addWidget(parent)
    show_user_error(parent, err)
    (box,) = parent.findChildren(QMessageBox)
    shown = box.text(), box.detailedText()
    box.close()
    return shown


def test_one_problem_is_said_in_the_message(qtbot):
    text, details = _shown(qtbot, UserError("工作簿不能导入：发现 1 个问题",
                                            problems=[Problem("组织", 1, "类型", "", "缺少必填列")]))
    assert text.splitlines()[0] == "工作簿不能导入：发现 1 个问题"
    assert "类型" in text and "缺少必填列" in text and not details


def test_several_problems_go_into_the_details(qtbot):
    problems = [Problem("组织", row, "类型", "", "缺少必填列") for row in (1, 2, 3)]
    text, details = _shown(qtbot, UserError("工作簿不能导入：发现 3 个问题", problems=problems))
    assert text == "工作簿不能导入：发现 3 个问题"
    assert details.count("缺少必填列") == 3
