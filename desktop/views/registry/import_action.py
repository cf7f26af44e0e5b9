"""文件 → 导入: pick a workbook, check it off the GUI thread with progress, show
what importing it would change and ask, then write it; or show every problem,
with a button that saves the error workbook (the user's rows with the problem
cells marked) to fix and re-import.

The service (desktop.services.importing) is imported when first used, so
openpyxl does not slow the start: `import_workbook(db, path, *, dry_run=False,
progress=None)` returns a result or raises UserError whose `problems` describe
every bad cell, and `write_error_workbook(source, problems, dest)` writes the
marked copy.
"""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.errors import UserError
from desktop.views.context import AppContext
from desktop.views.dialogs import WORKBOOK_FILTER, ProblemListDialog, ask, inform
from desktop.views.errors import show_error

SERVICE = "desktop.services.importing"
# What the reader takes (desktop/sheets/book.py); the error workbook is always .xlsx.
OPEN_FILTER = "Excel/WPS 工作簿 (*.xlsx *.xlsm *.xls *.ods);;所有文件 (*)"

# What an import may write: the registry's tables, and the 问题 and 走访 sheets' (so the
# 问题清单 and an organization's 走访记录 show what came in).
REGISTRY_TABLES = frozenset({"organization", "instructor", "liaison_officer", "posting",
                             "instructor_assignment", "assessment", "area", "guidance_station",
                             "problem", "problem_step", "visit"})


def _service() -> ModuleType:
    return importlib.import_module(SERVICE)


def describe_result(result: Any) -> str:
    """What an import changed, as lines a clerk reads."""
    describe = getattr(result, "describe", None)
    if callable(describe):
        return str(describe())
    if dataclasses.is_dataclass(result):
        return "\n".join(f"{f.name}：{getattr(result, f.name)}" for f in dataclasses.fields(result))
    return str(result)


class ImportAction:
    """The import flow for one window."""

    def __init__(self, window: QWidget, context: AppContext) -> None:
        self.window, self.context = window, context
        self.last_dialog: Any = None
        self.source: Path | None = None
        self.task: Any = None

    def choose_and_import(self) -> None:
        """Ask for a workbook and import it."""
        chosen, _ = QFileDialog.getOpenFileName(self.window, "导入 Excel 工作簿",
                                                self.context.settings.last_dir, OPEN_FILTER)
        if chosen:
            self.context.settings.remember_file(chosen)
            self.start(Path(chosen))

    def start(self, path: Path) -> Any:
        """Check `path` off the GUI thread, show what importing it would change and
        ask; only then write. Returns the task handle of the check."""
        self.source = path
        service = _service()

        def check(db: Any, progress: Any) -> Any:
            return service.import_workbook(db, path, dry_run=True, progress=progress)
        return self.context.run(self.window, f"正在检查“{path.name}”……", check,
                                lambda result: self._checked(path, result), on_error=self._failed)

    def _checked(self, path: Path, result: Any) -> None:
        if not getattr(result, "changes_anything", True):
            self.last_dialog = inform(self.window, "无需导入",
                                      "工作簿中的数据与数据库中的一致，没有需要导入的变化。")
            return
        lines = getattr(result, "summary_lines", None)
        text = "\n".join(lines()) if callable(lines) else describe_result(result)
        if not ask(self.window, "确认导入", f"工作簿检查通过，导入将会：\n{text}\n\n确定导入吗？"):
            return
        service = _service()

        def write(db: Any, progress: Any) -> Any:
            return service.import_workbook(db, path, progress=progress)
        self.task = self.context.run(self.window, f"正在导入“{path.name}”……", write, self._done,
                                     on_error=self._failed)

    def _done(self, result: Any) -> None:
        self.context.announce(REGISTRY_TABLES)
        self.last_dialog = inform(self.window, "导入完成", describe_result(result))

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError) or not exc.problems:
            show_error(self.window, exc)
            return
        dialog = ProblemListDialog(
            "导入未完成", f"工作簿中有 {len(exc.problems)} 个问题，未导入任何数据。"
            "请改正后重新导入（可保存标出问题单元格的工作簿）：", exc.problems, self.window,
            save_action=("保存错误工作簿…", lambda: self.save_error_workbook(exc.problems)))
        dialog.open()
        self.last_dialog = dialog

    def save_error_workbook(self, problems: list) -> Path | None:
        """Ask where, and write the workbook with the problem cells marked."""
        if self.source is None:
            return None
        suggested = self.source.with_name(f"{self.source.stem}-错误标注.xlsx")
        chosen, _ = QFileDialog.getSaveFileName(self.window, "保存错误工作簿", str(suggested),
                                                WORKBOOK_FILTER)
        if not chosen:
            return None
        try:
            written = _service().write_error_workbook(self.source, problems, Path(chosen))
        except UserError as err:
            show_error(self.window, err)
            return None
        inform(self.window, "已保存", f"错误工作簿已保存到：\n{written}")
        return Path(written)
