"""文件 → 导入 against the import service's contract: progress, the summary of
what changed, or every problem with the error workbook button.

These tests install a stand-in service with the agreed signature, to drive the
dialogs; test_registry_io_actions.py drives the real service.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from dataclasses import dataclass

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.domain.import_rules import Problem
from desktop.errors import UserError
from desktop.views.registry import import_action
from desktop.views.dialogs import ProblemListDialog
from desktop.views.main_window import MainWindow

BAD_ROW = Problem("组织", 5, "统一社会信用代码", "91340800MA2N0X1230", "统一社会信用代码校验位错误，应为4")


@dataclass(frozen=True)
class FakeResult:
    created: int
    updated: int

    def describe(self) -> str:
        return f"新增组织 {self.created} 家，更新 {self.updated} 家"


def _service(monkeypatch, outcome):
    module = types.ModuleType(import_action.SERVICE)
    module.__spec__ = importlib.machinery.ModuleSpec(import_action.SERVICE, None)
    calls = []

    def import_workbook(db, path, *, dry_run=False, progress=None):
        calls.append(("check" if dry_run else "import", path))
        progress(1, 2, "检查中")
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def write_error_workbook(source, problems, dest):
        dest.write_bytes(b"marked")
        calls.append(("errors", source, list(problems), dest))
        return dest

    module.import_workbook = import_workbook
    module.write_error_workbook = write_error_workbook
    monkeypatch.setitem(sys.modules, import_action.SERVICE, module)
    return calls


def _window(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    return window


def _import(qtbot, window, monkeypatch, tmp_path):
    book = tmp_path / "组织名单.xlsx"
    book.write_bytes(b"PK")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(book), "")))
    action = next(a for a in window.file_menu.actions() if a.text() == "导入…")
    action.trigger()
    qtbot.waitUntil(lambda: window.importer.last_dialog is not None, timeout=5000)
    return book, window.importer.last_dialog


def test_import_checks_asks_then_writes_and_sums_up(qtbot, context, monkeypatch, tmp_path,
                                                    answer):
    calls = _service(monkeypatch, FakeResult(created=3, updated=1))
    window = _window(qtbot, context)
    changed = []
    context.events.data_changed.connect(changed.append)
    book, box = _import(qtbot, window, monkeypatch, tmp_path)
    assert calls == [("check", book), ("import", book)]
    assert answer.asked == ["工作簿检查通过，导入将会：\n新增组织 3 家，更新 1 家\n\n确定导入吗？"]
    assert isinstance(box, QMessageBox) and box.text() == "新增组织 3 家，更新 1 家"
    assert "organization" in changed[0]
    assert {"problem", "problem_step", "visit"} <= set(changed[0])  # the 问题清单 refreshes


def test_answering_no_writes_nothing(qtbot, context, monkeypatch, tmp_path, answer):
    calls = _service(monkeypatch, FakeResult(created=3, updated=1))
    answer.yes = False
    window = _window(qtbot, context)
    book = tmp_path / "组织名单.xlsx"
    book.write_bytes(b"PK")
    window.importer.start(book)
    qtbot.waitUntil(lambda: bool(answer.asked), timeout=5000)
    assert calls == [("check", book)] and window.importer.task is None


def test_bad_row_shows_the_problem_list_and_saves_the_error_workbook(
        qtbot, context, monkeypatch, tmp_path):
    calls = _service(monkeypatch, UserError("工作簿有错误，未导入", problems=[BAD_ROW]))
    window = _window(qtbot, context)
    book, dialog = _import(qtbot, window, monkeypatch, tmp_path)
    assert isinstance(dialog, ProblemListDialog)
    assert dialog.lines() == ["组织 第5行 统一社会信用代码「91340800MA2N0X1230」：统一社会信用代码校验位错误，应为4"]
    dest = tmp_path / "标注.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(dest), "")))
    dialog.save_button.click()
    assert dest.read_bytes() == b"marked"
    assert calls[-1] == ("errors", book, [BAD_ROW], dest)
    assert calls[0] == ("check", book) and len(calls) == 2  # refused at the check


def test_the_open_dialog_offers_every_kind_the_reader_takes(qtbot, context, monkeypatch):
    offered = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: offered.append(a[-1]) or ("", "")))
    window = _window(qtbot, context)
    next(a for a in window.file_menu.actions() if a.text() == "导入…").trigger()
    assert offered and all(kind in offered[0] for kind in ("*.xlsx", "*.xls ", "*.ods"))
