"""文件 → 导出 and 保存导入模板: a registry list as the clerk filtered it, written to
Excel off the GUI thread (masked unless the clerk asks for full personal data),
and the blank import workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.views.context import AppContext
from desktop.views.dialogs import ask, ask_save_path, inform
from desktop.views.errors import show_error
from desktop.views.list_screen import ListScreen

UNMASKED_WARNING = ("导出的文件将包含完整的公民身份号码、联系电话和银行卡号。\n"
                    "请只在确有需要时使用，并妥善保管文件。继续导出吗？")


class ExportAction:
    """Exports for one window."""

    def __init__(self, window: QWidget, context: AppContext) -> None:
        self.window, self.context = window, context
        self.last_dialog: Any = None
        self.task: Any = None

    def export_list(self, kind: str, row_filter: Any, *, mask: bool = True) -> Any:
        """Ask for a file and export the `kind` list selected by `row_filter`."""
        if not mask and not ask(self.window, "导出完整个人信息", UNMASKED_WARNING):
            return None
        from desktop.services import exports  # openpyxl: imported when first used

        title = exports.KINDS[kind].title
        path = ask_save_path(self.window, self.context, "导出名册",
                             f"{title}-{date.today():%Y%m%d}.xlsx")
        if path is None:
            return None

        def work(db: Any, progress: Any) -> Any:
            return exports.export_registry(db, kind, path, mask=mask, row_filter=row_filter,
                                           progress=progress)
        self.task = self.context.run(self.window, f"正在导出“{title}”……", work, self._done)
        return self.task

    def _done(self, result: Any) -> None:
        self.last_dialog = inform(self.window, "导出完成", result.describe())

    def save_template(self) -> Path | None:
        """Ask where, and write the blank import template there."""
        path = ask_save_path(self.window, self.context, "保存导入模板", "两新组织导入模板.xlsx")
        if path is None:
            return None
        from desktop.services import exports

        try:
            written = exports.write_template(path)
        except Exception as err:  # noqa: BLE001 - shown as a message or the crash dialog
            show_error(self.window, err)
            return None
        self.last_dialog = inform(self.window, "已保存", f"导入模板已保存到：\n{written}\n\n"
                                  "填写后用“文件 → 导入”导入。")
        return written


class RegistryList(ListScreen):
    """A registry list (organizations, instructors, officers) whose 导出 writes
    every page of the list as filtered now, as its `export_kind`."""

    export_kind = ""

    def export_view(self, *, mask: bool = True) -> Any:
        """Export the list as filtered now (every page, not just the one shown)."""
        self.exporter = getattr(self, "exporter", None) or ExportAction(self, self.context)
        return self.exporter.export_list(self.export_kind, self.current_filter(), mask=mask)
